/**
 * @module Relay URLs in one canonical spelling, so that a pool never connects to the same relay twice.
 *
 * `WSS://Relay.Example:443/` and `wss://relay.example` name the same relay; {@link normalizeRelayUrl}
 * turns both into the second. Only what is equal by definition is merged (scheme and host are
 * case-insensitive, a default port is the same as none, an empty path is the same as `/`); the path and
 * query are kept byte for byte, since a relay may serve different things on different paths.
 *
 * Written without the WHATWG `URL` class, which honeybee cannot assume (it imports no environment).
 */
import { UsageError } from './errors.js'

/** `scheme://authority` then path and query, then an optional fragment. */
const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)(?:#.*)?$/
const DEFAULT_PORTS: Readonly<Record<string, string>> = { ws: '80', wss: '443' }
/** A registered name or IPv4 address: no delimiters, no spaces. */
const NAME_HOST = /^[^\s/?#@[\]:<>"{}|\\^`]+$/
/** An IPv6 (or IPvFuture) literal in brackets. */
const LITERAL_HOST = /^\[[0-9A-Za-z:.]+\]$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects.
const FORBIDDEN = /[\s\u0000-\u001f\u007f]/

/**
 * The canonical form of a relay URL: scheme and host in lower case, the default port (`ws:` 80,
 * `wss:` 443) dropped, a path of just `/` dropped, the fragment dropped (a WebSocket URL cannot carry
 * one; it never reaches the relay), everything else kept as given. Surrounding whitespace is ignored.
 *
 * @throws {UsageError} `InvalidArgument` when `url` is not an absolute `ws:` or `wss:` URL with a host,
 * or its port is not a number up to 65535.
 * @example
 * ```ts
 * normalizeRelayUrl('WSS://Relay.Example:443/')      // 'wss://relay.example'
 * normalizeRelayUrl('ws://relay.example:8080/nostr') // 'ws://relay.example:8080/nostr'
 * normalizeRelayUrl('wss://relay.example/?x=1')      // 'wss://relay.example?x=1'
 * normalizeRelayUrl('https://relay.example')         // throws UsageError 'InvalidArgument'
 * ```
 */
export function normalizeRelayUrl(url: string): string {
  const trimmed = url.trim()
  const match = FORBIDDEN.test(trimmed) ? null : SHAPE.exec(trimmed)
  if (match === null) throw invalid(url, 'not an absolute URL')
  const scheme = (match[1] ?? '').toLowerCase()
  const authority = match[2] ?? ''
  const pathAndQuery = match[3] ?? ''
  const defaultPort = DEFAULT_PORTS[scheme]
  if (defaultPort === undefined) throw invalid(url, `the scheme must be ws: or wss:, not ${scheme}:`)

  // The user information, if any, is case-sensitive and kept as given.
  const at = authority.lastIndexOf('@')
  const userInfo = authority.slice(0, at + 1)
  const { host, port } = splitHostPort(authority.slice(at + 1), url)
  if (!NAME_HOST.test(host) && !LITERAL_HOST.test(host)) throw invalid(url, 'it has no valid host')

  let canonicalPort = ''
  if (port !== '') {
    if (!/^\d+$/.test(port) || Number(port) > 65_535) throw invalid(url, `the port ${port} is not a port`)
    const value = String(Number(port)) // '0443' is port 443
    if (value !== defaultPort) canonicalPort = `:${value}`
  }
  // `/` and the empty path are the same request target; `/?q` is `?q`. A longer path is kept as is.
  const rest = pathAndQuery === '/' || pathAndQuery.startsWith('/?') ? pathAndQuery.slice(1) : pathAndQuery
  return `${scheme}://${userInfo}${host.toLowerCase()}${canonicalPort}${rest}`
}

/** Splits `host[:port]`, where the host may be a bracketed IPv6 literal; an empty port is none. */
function splitHostPort(hostPort: string, url: string): { host: string; port: string } {
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']')
    const after = hostPort.slice(end + 1)
    if (end < 0 || (after !== '' && !after.startsWith(':'))) throw invalid(url, 'its IPv6 host is malformed')
    return { host: hostPort.slice(0, end + 1), port: after.slice(1) }
  }
  const colon = hostPort.lastIndexOf(':')
  return colon < 0
    ? { host: hostPort, port: '' }
    : { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) }
}

function invalid(url: string, why: string): UsageError {
  return new UsageError('InvalidArgument', `${JSON.stringify(url)} is not a relay URL: ${why}`)
}
