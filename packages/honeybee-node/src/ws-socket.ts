/**
 * @module The honeybee socket adapter on `ws`: real ping/pong frames, permessage-deflate, headers and
 * TLS options.
 */
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { CompressionConfig, SocketFactory } from 'honeybee'
import WebSocket from 'ws'
import { adaptWs } from './ws-adapter.js'

/** TLS options passed through to Node's `tls.connect`. */
export interface TlsOptions {
  /** Reject servers whose certificate does not verify. @default true */
  readonly rejectUnauthorized?: boolean
  readonly ca?: string | Buffer | readonly (string | Buffer)[]
  readonly cert?: string | Buffer
  readonly key?: string | Buffer
  readonly servername?: string
}

/** How {@link wsSocketFactory} opens sockets. */
export interface WsSocketOptions {
  /** Extra HTTP headers for the upgrade request (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>
  readonly tls?: TlsOptions
  readonly compression?: CompressionConfig
  /**
   * Frames larger than this many bytes are refused by `ws` itself, which closes the connection with
   * 1009. Smaller frames over the connection's `maxMessageSize` are dropped and reported by the core,
   * and the connection stays up (a relay that serves one huge event must not cause a reconnect loop that
   * replays it). @default 16 MiB
   */
  readonly maxFrameSize?: number
}

/**
 * A {@link SocketFactory} on `ws`.
 * @example
 * ```ts
 * createConnection(url, { socketFactory: wsSocketFactory({ headers: { 'User-Agent': 'me' } }) })
 * ```
 */
export function wsSocketFactory(options: WsSocketOptions = {}): SocketFactory {
  const compression = options.compression
  const clientOptions: WebSocket.ClientOptions = {
    ...(options.tls as WebSocket.ClientOptions),
    headers: { ...options.headers },
    maxPayload: options.maxFrameSize ?? 16 * 1024 * 1024,
    // Relays send text; roots-ws validates the JSON, and toString() replaces any bad UTF-8.
    skipUTF8Validation: true,
    perMessageDeflate: compression?.enabled
      ? { zlibDeflateOptions: { level: compression.level }, threshold: compression.threshold }
      : false,
  }

  return (url, handlers) => {
    let ws: WebSocket
    try {
      ws = new WebSocket(url, clientOptions)
    } catch (cause) {
      // An invalid URL throws synchronously; report it like any failed attempt, after this call returns.
      queueMicrotask(() => handlers.onClose({ code: 1006, reason: '', error: cause }))
      return { bufferedAmount: 0, send: () => false, close: () => {}, terminate: () => {} }
    }

    let tcp: Duplex | undefined
    let httpStatus: number | undefined
    ws.on('upgrade', (response: IncomingMessage) => {
      tcp = response.socket
    })
    ws.on('open', () => handlers.onOpen())
    ws.on('unexpected-response', (request: ClientRequest, response: IncomingMessage) => {
      httpStatus = response.statusCode
      request.destroy()
      response.destroy()
      ws.terminate()
    })
    return adaptWs(ws, handlers, { tcp: () => tcp, httpStatus: () => httpStatus })
  }
}
