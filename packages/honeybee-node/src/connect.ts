/** @module `connect`: a honeybee connection on `ws`, the Node preset of `createConnection`. */
import {
  type Connection,
  type ConnectionOptions,
  createConnection,
  createRelayInfoFetcher,
  resolveConfig,
} from 'honeybee'
import { type WsSocketOptions, wsSocketFactory } from './ws-socket.js'

/** Options for {@link connect}: everything `createConnection` takes, the socket factory optional. */
export type NodeConnectOptions = Omit<ConnectionOptions, 'socketFactory'> &
  Omit<WsSocketOptions, 'compression'> & {
    readonly socketFactory?: ConnectionOptions['socketFactory']
    /**
     * Fetch the relay's NIP-11 document (with Node's `fetch`) and obey its `limitation`; relays that
     * publish none get `relayLimits`. Ignored when `hooks.fetchRelayInfo` is given. @default false
     */
    readonly relayInfo?: boolean
  }

// One NIP-11 cache for the process: many connections to one relay share one document.
let sharedFetcher: ReturnType<typeof createRelayInfoFetcher> | undefined
function relayInfoFetcher(): ReturnType<typeof createRelayInfoFetcher> {
  sharedFetcher ??= createRelayInfoFetcher({
    fetch: (url, { headers, timeout }) => fetch(url, { headers, signal: AbortSignal.timeout(timeout) }),
  })
  return sharedFetcher
}

/**
 * Connects to a relay from Node. Nothing happens until something subscribes or sends.
 * @example
 * ```ts
 * import { connect, req } from 'honeybee-node'
 *
 * const conn = connect('ws://127.0.0.1:7777', { reconnect: { maxAttempts: 0 }, relayInfo: true })
 * req(conn, { kinds: [1], limit: 10 }).subscribe((message) => console.log(message))
 * ```
 */
export function connect(url: string, options: NodeConnectOptions = {}): Connection {
  const { headers, tls, maxFrameSize, relayInfo, ...rest } = options
  const compression = resolveConfig(rest, rest.profile).compression
  const socketFactory =
    options.socketFactory ??
    wsSocketFactory({
      compression,
      ...(headers === undefined ? {} : { headers }),
      ...(tls === undefined ? {} : { tls }),
      ...(maxFrameSize === undefined ? {} : { maxFrameSize }),
    })
  const hooks =
    relayInfo === true && rest.hooks?.fetchRelayInfo === undefined
      ? { ...rest.hooks, fetchRelayInfo: relayInfoFetcher() }
      : rest.hooks
  return createConnection(url, { ...rest, socketFactory, ...(hooks === undefined ? {} : { hooks }) })
}
