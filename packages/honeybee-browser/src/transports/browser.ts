/**
 * @module The honeybee socket adapter on the WHATWG `WebSocket` (browsers, workers, Deno, Node 22+).
 *
 * Text frames only go out; binary frames that come in are decoded as UTF-8. The browser decides the
 * handshake (no headers, no TLS options, no compression settings) and cannot send ping frames, so the
 * socket has no `ping` member: {@link withProbe} adds the application-level health probe.
 */
import type { CloseInfo, SocketFactory, SocketLike } from 'honeybee'

/**
 * A handler type checked bivariantly, as DOM event handlers are, so that the DOM's `WebSocket` (whose
 * handlers take a full `MessageEvent`/`CloseEvent`) fits the narrow shapes below.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack']

/** The part of a WHATWG `WebSocket` the adapter uses. The DOM's `WebSocket` is one. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number
  /** Bytes queued by `send` and not yet handed to the network. */
  readonly bufferedAmount: number
  binaryType: string
  onopen: Handler<unknown> | null
  onmessage: Handler<{ readonly data: unknown }> | null
  onerror: Handler<unknown> | null
  onclose: Handler<{ readonly code: number; readonly reason: string }> | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

/** A `WebSocket` constructor: the global one, or any class of the same shape (a test's fake). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/** How {@link browserSocketFactory} opens sockets. */
export interface BrowserSocketOptions {
  /** The constructor to use; the browser entry (`connect`) defaults it to `globalThis.WebSocket`. */
  readonly WebSocket: WebSocketConstructor
  /** Subprotocols to offer in the handshake. @default none */
  readonly protocols?: string | string[]
}

const OPEN = 1

/**
 * A {@link SocketFactory} on a WHATWG `WebSocket`.
 * @example
 * ```ts
 * createConnection(url, { socketFactory: withProbe(browserSocketFactory({ WebSocket })) })
 * ```
 */
export function browserSocketFactory(options: BrowserSocketOptions): SocketFactory {
  const { WebSocket, protocols } = options
  let decoder: TextDecoder | undefined

  return (url, handlers) => {
    let ws: WebSocketLike
    try {
      ws = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols)
    } catch (cause) {
      // A malformed URL throws synchronously (SyntaxError); report it like any failed attempt, after
      // this call returns, as the core expects.
      queueMicrotask(() => handlers.onClose({ code: 1006, reason: '', error: cause }))
      return { bufferedAmount: 0, send: () => false, close: () => {}, terminate: () => {} }
    }
    ws.binaryType = 'arraybuffer'
    let error: unknown

    ws.onopen = () => handlers.onOpen()
    ws.onmessage = ({ data }) => {
      if (typeof data === 'string') {
        // The browser does not say how many bytes the frame had; UTF-16 length is the cheap stand-in.
        handlers.onMessage(data, data.length)
      } else if (data instanceof ArrayBuffer) {
        decoder ??= new TextDecoder()
        handlers.onMessage(decoder.decode(data), data.byteLength)
      }
    }
    // The browser tells nothing about the error (by design); a close event always follows it.
    ws.onerror = () => {
      error = new Error(`WebSocket error on ${url}`)
    }
    ws.onclose = ({ code, reason }) => {
      detach(ws)
      const info: CloseInfo = { code, reason, ...(error === undefined ? {} : { error }) }
      handlers.onClose(info)
    }

    const socket: SocketLike = {
      get bufferedAmount() {
        return ws.bufferedAmount
      },
      send(data) {
        if (ws.readyState !== OPEN) return false
        ws.send(data)
        return true
      },
      close(code, reason) {
        try {
          ws.close(code, reason)
        } catch {
          // A code the browser does not allow (only 1000 and 3000–4999) or a reason over 123 bytes:
          // close without them rather than throw into the connection.
          ws.close()
        }
      },
      // Browsers have no terminate: close, and stop listening, so nothing more reaches the core.
      terminate() {
        detach(ws)
        ws.close()
      },
    }
    return socket
  }
}

function detach(ws: WebSocketLike): void {
  ws.onopen = null
  ws.onmessage = null
  ws.onerror = null
  ws.onclose = null
}
