/**
 * A scripted, already-open socket for virtual-time tests of the responder: the test decides what the
 * peer sends, when it answers pings, how much it leaves unread, and how it ends. Real sockets are in
 * honeybee-node's serve tests.
 */
import type { SocketAcceptor } from '../src/responder-connection.js'
import type { CloseInfo, SocketHandlers, SocketLike } from '../src/socket.js'

export class FakePeer implements SocketLike {
  /** Every envelope the responder sent, in order. */
  readonly sent: string[] = []
  pings = 0
  /** What the socket holds unsent; set it, or let {@link unread} grow it with every send. */
  bufferedAmount = 0
  /** When true, every sent envelope's length is added to `bufferedAmount` (a peer that never reads). */
  unread = false
  /** When true, pings are answered with a pong at once. */
  answerPings = false
  state: 'open' | 'closing' | 'closed' = 'open'
  closedWith: { code: number | undefined; reason: string | undefined } | undefined
  terminated = false
  #handlers: SocketHandlers | undefined

  /** Hand this to `createResponder`. */
  readonly accept: SocketAcceptor = (handlers) => {
    this.#handlers = handlers
    return this
  }

  // ── SocketLike, as the responder uses it ──
  send(data: string): boolean {
    if (this.state !== 'open') return false
    this.sent.push(data)
    if (this.unread) this.bufferedAmount += data.length
    return true
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason }
    if (this.state === 'open') this.state = 'closing'
  }
  terminate(): void {
    this.terminated = true
    this.state = 'closed'
  }
  ping(): void {
    this.pings++
    if (this.answerPings) this.pong()
  }

  // ── driven by the test ──
  get handlers(): SocketHandlers {
    if (this.#handlers === undefined) throw new Error('the peer was not accepted')
    return this.#handlers
  }
  receive(data: string, byteLength = data.length): void {
    this.handlers.onMessage(data, byteLength)
  }
  pong(): void {
    this.handlers.onPong()
  }
  end(info: CloseInfo = { code: 1000, reason: '' }): void {
    this.state = 'closed'
    this.handlers.onClose(info)
  }
  /** The envelopes sent since the last call. */
  take(): string[] {
    return this.sent.splice(0)
  }
}

/** A peer without the ping capability (as a browser-side socket would be). */
export function withoutPing(peer: FakePeer): SocketAcceptor {
  return (handlers) => {
    const socket = peer.accept(handlers)
    return {
      get bufferedAmount() {
        return socket.bufferedAmount
      },
      send: (data) => socket.send(data),
      close: (code, reason) => socket.close(code, reason),
      terminate: () => socket.terminate(),
    }
  }
}
