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

/**
 * A `ws:` or `wss:` URL, in groups: scheme, user information (up to the authority's last `@`), host (a
 * registered name or IPv4 address: no delimiters; or an IPv6 literal in brackets), port, then path and
 * query; the fragment is matched and dropped. Case-insensitive, as scheme and host are.
 */
const SHAPE =
  /^(wss?):\/\/([^/?#]*@)?([^/?#@[\]:<>"{}|\\^`]+|\[[\da-z:.]+\])(?::(\d*))?([/?][^#]*)?(?:#.*)?$/i
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
  if (match === null) throw invalid(url, 'it is not ws: or wss: with a valid host and port')
  // The user information, if any, is case-sensitive and kept as given; so are the path and query.
  const [, scheme = '', userInfo = '', host = '', port = '', path = ''] = match
  if (Number(port) > 65_535) throw invalid(url, `the port ${port} is out of range`)
  const lower = scheme.toLowerCase()
  const value = String(Number(port)) // '0443' is port 443
  const canonicalPort = port === '' || value === (lower === 'ws' ? '80' : '443') ? '' : `:${value}`
  // `/` and the empty path are the same request target; `/?q` is `?q`. A longer path is kept as is.
  const rest = path === '/' || path.startsWith('/?') ? path.slice(1) : path
  return `${lower}://${userInfo}${host.toLowerCase()}${canonicalPort}${rest}`
}

function invalid(url: string, why: string): UsageError {
  return new UsageError('InvalidArgument', `${JSON.stringify(url)} is not a relay URL: ${why}`)
}
