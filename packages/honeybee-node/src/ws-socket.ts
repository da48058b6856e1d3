/**
 * @module The honeybee socket adapter on `ws`: real ping/pong frames, permessage-deflate, headers and
 * TLS options.
 */
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { CloseInfo, CompressionConfig, SocketFactory, SocketLike } from 'honeybee'
import WebSocket from 'ws'

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

const OPEN = 1

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
    let error: unknown
    let httpStatus: number | undefined
    let ws: WebSocket
    try {
      ws = new WebSocket(url, clientOptions)
    } catch (cause) {
      // An invalid URL throws synchronously; report it like any failed attempt, after this call returns.
      queueMicrotask(() => handlers.onClose({ code: 1006, reason: '', error: cause }))
      return { bufferedAmount: 0, send: () => false, close: () => {}, terminate: () => {} }
    }

    // The TCP socket under the WebSocket, for corking (see `send`); the upgrade response carries it.
    let tcp: Duplex | undefined
    let corked = false
    const uncork = (): void => {
      corked = false
      tcp?.uncork()
    }
    ws.on('upgrade', (response: IncomingMessage) => {
      tcp = response.socket
    })
    ws.on('open', () => handlers.onOpen())
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      handlers.onMessage(isBinary ? data.toString('utf8') : data.toString(), data.length)
    })
    ws.on('pong', () => handlers.onPong())
    // Always listened to: an 'error' event without a listener would crash the process.
    ws.on('error', (cause) => {
      error = cause
    })
    ws.on('unexpected-response', (request: ClientRequest, response: IncomingMessage) => {
      httpStatus = response.statusCode
      request.destroy()
      response.destroy()
      ws.terminate()
    })
    ws.on('close', (code: number, reason: Buffer) => {
      const info: CloseInfo = {
        code,
        reason: reason.toString(),
        ...(error === undefined ? {} : { error }),
        ...(httpStatus === undefined ? {} : { httpStatus }),
      }
      handlers.onClose(info)
    })

    const socket: SocketLike = {
      get bufferedAmount() {
        return ws.bufferedAmount
      },
      send(data) {
        if (ws.readyState !== OPEN) return false
        // Frames sent in one tick go out in one write: the socket is corked at the first and uncorked
        // on the next tick. Without it, each frame is a syscall of its own whenever the kernel buffer
        // has room, which made 10,000 publishes in a burst cost a writev each (bench/pool.bench.ts W3).
        // Order is kept, and nothing waits longer than the rest of the current tick.
        if (!corked && tcp !== undefined) {
          corked = true
          tcp.cork()
          process.nextTick(uncork)
        }
        ws.send(data)
        return true
      },
      close(code, reason) {
        ws.close(code, reason)
      },
      terminate() {
        ws.terminate()
      },
      ping() {
        if (ws.readyState === OPEN) ws.ping()
      },
    }
    return socket
  }
}
