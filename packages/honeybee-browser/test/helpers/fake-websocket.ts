/**
 * A scripted WHATWG WebSocket for the unit tests that run in Node: the test decides when it opens, what
 * arrives and how it ends. Behaviour that crosses the network runs in real Chromium instead.
 */
import type { WebSocketConstructor, WebSocketLike } from '../../src/transports/browser.js'

export class FakeWebSocket implements WebSocketLike {
  readyState = 0
  bufferedAmount = 0
  binaryType = 'blob'
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { readonly data: unknown }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null = null
  readonly sent: string[] = []
  closedWith: { code: number | undefined; reason: string | undefined } | undefined

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    if (!/^wss?:\/\//.test(url)) throw new SyntaxError(`invalid URL ${url}`)
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError')
    this.sent.push(data)
  }

  close(code?: number, reason?: string): void {
    // As browsers: only 1000 and 3000–4999 may be sent.
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999))
      throw new Error('InvalidAccessError')
    this.closedWith = { code, reason }
    if (this.readyState < 2) this.readyState = 2
  }

  // ── driven by the test ──
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  receive(data: unknown): void {
    this.onmessage?.({ data })
  }
  fail(): void {
    this.onerror?.({})
    this.end(1006)
  }
  end(code = 1006, reason = ''): void {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

/** A WebSocket class that records every socket it makes. */
export function fakeWebSockets(): {
  readonly WebSocket: WebSocketConstructor
  readonly sockets: FakeWebSocket[]
} {
  const sockets: FakeWebSocket[] = []
  class Recorded extends FakeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      sockets.push(this)
    }
  }
  return { WebSocket: Recorded, sockets }
}

/** The last socket made. */
export function last(sockets: readonly FakeWebSocket[]): FakeWebSocket {
  const socket = sockets[sockets.length - 1]
  if (socket === undefined) throw new Error('no socket was made')
  return socket
}
