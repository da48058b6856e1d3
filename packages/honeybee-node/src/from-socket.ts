/**
 * @module `fromSocket`: the responder role on a `ws` WebSocket this side accepted, for applications
 * that run their own `ws` server. {@link serve} uses it for every connection it accepts.
 */
import {
  createResponder,
  type ResponderConnection,
  type ResponderOptions,
  type SocketAcceptor,
} from 'honeybee'
import type { WebSocket } from 'ws'
import { adaptWs } from './ws-adapter.js'

const CLOSED = 3

/**
 * Wraps a `ws` WebSocket that a server accepted as a honeybee {@link ResponderConnection}: real ping
 * frames for dead-peer detection, the responder limits, and the responder's send functions. Call it
 * in the server's `connection` handler, and subscribe to the streams you need right away.
 *
 * For the limits to hold, give the `ws` server a `maxPayload` above `limits.maxMessageSize` (frames
 * between the two are answered per NIP-01; larger ones make `ws` close the connection with 1009), and
 * consider `maxFragments` and `skipUTF8Validation: true` as {@link serve} does.
 *
 * @throws {UsageError} `InvalidArgument` for a socket wrapped already: one socket has one responder.
 * @example
 * ```ts
 * import { fromSocket } from 'honeybee-node'
 * import { WebSocketServer } from 'ws'
 *
 * const wss = new WebSocketServer({ port: 7777, maxPayload: 4 * 1024 * 1024 })
 * wss.on('connection', (ws) => {
 *   const conn = fromSocket(ws, { limits: { maxSubscriptions: 50 } })
 *   conn.reqs$.subscribe(({ subId }) => conn.sendEOSE(subId))
 *   conn.events$.subscribe(({ id }) => id !== undefined && conn.sendOK(id, true, ''))
 * })
 * ```
 */
export function fromSocket(ws: WebSocket, options: ResponderOptions = {}): ResponderConnection {
  return createResponder(wsAcceptor(ws), options)
}

/**
 * The {@link SocketAcceptor} of an accepted `ws` WebSocket, for `createResponder` with options of
 * your own (a replaced health monitor, say); {@link fromSocket} is the usual way.
 * @example
 * ```ts
 * const conn = createResponder(wsAcceptor(ws), { components: { healthMonitor: myMonitor } })
 * ```
 */
export function wsAcceptor(ws: WebSocket): SocketAcceptor {
  return (handlers) => {
    const socket = adaptWs(ws, handlers)
    // Handed over already closed: report it once the responder exists.
    if (ws.readyState === CLOSED) queueMicrotask(() => handlers.onClose({ code: 1006, reason: '' }))
    return socket
  }
}
