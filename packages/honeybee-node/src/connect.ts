/** @module `connect`: a honeybee connection on `ws`, the Node preset of `createConnection`. */
import { type Connection, type ConnectionOptions, createConnection, resolveConfig } from 'honeybee'
import { type WsSocketOptions, wsSocketFactory } from './ws-socket.js'

/** Options for {@link connect}: everything `createConnection` takes, the socket factory optional. */
export type NodeConnectOptions = Omit<ConnectionOptions, 'socketFactory'> &
  Omit<WsSocketOptions, 'compression'> & { readonly socketFactory?: ConnectionOptions['socketFactory'] }

/**
 * Connects to a relay from Node. Nothing happens until something subscribes or sends.
 * @example
 * ```ts
 * import { connect } from 'honeybee-node'
 * import { encloseReq } from 'roots-ws'
 *
 * const conn = connect('ws://127.0.0.1:7777', { reconnect: { maxAttempts: 0 } })
 * conn.events$.subscribe((envelope) => console.log(envelope))
 * conn.send(encloseReq('feed', ['{"kinds":[1],"limit":10}']))
 * ```
 */
export function connect(url: string, options: NodeConnectOptions = {}): Connection {
  const { headers, tls, maxFrameSize, ...rest } = options
  const compression = resolveConfig(rest, rest.profile).compression
  const socketFactory =
    options.socketFactory ??
    wsSocketFactory({
      compression,
      ...(headers === undefined ? {} : { headers }),
      ...(tls === undefined ? {} : { tls }),
      ...(maxFrameSize === undefined ? {} : { maxFrameSize }),
    })
  return createConnection(url, { ...rest, socketFactory })
}
