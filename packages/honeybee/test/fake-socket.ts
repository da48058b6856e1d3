/**
 * A scripted socket for virtual-time tests of the connection: the test decides when it opens, what
 * arrives, and how it ends. Behaviour that crosses a network is tested on real sockets instead
 * (honeybee-node's tests); this fake exists only so that timing can run on a TestScheduler.
 */
import { FRAME_HEAD_LENGTH } from '../src/connection-api.js'
import type { CloseInfo, SocketFactory, SocketHandlers, SocketLike } from '../src/socket.js'

export class FakeSocket implements SocketLike {
  readonly sent: string[] = []
  pings = 0
  bufferedAmount = 0
  state: 'connecting' | 'open' | 'closing' | 'closed' = 'connecting'
  closedWith: { code: number | undefined; reason: string | undefined } | undefined
  terminated = false

  constructor(
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  // ── SocketLike, as the connection uses it ──
  send(data: string): boolean {
    if (this.state !== 'open') return false
    this.sent.push(data)
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
  }

  // ── driven by the test ──
  open(): void {
    this.state = 'open'
    this.handlers.onOpen()
  }
  receive(data: string): void {
    this.handlers.onMessage(data, data.length)
  }
  /** Frames decoded by {@link receiveBytes}; the others were skipped by the core. */
  decoded = 0
  /** A frame as an adapter that receives bytes hands it over: the core may skip it undecoded. */
  receiveBytes(data: string): void {
    const bytes = Buffer.from(data)
    const head = bytes.toString('latin1', 0, FRAME_HEAD_LENGTH)
    if (this.handlers.skipsFrames?.() === true && this.handlers.skipFrame?.(head, bytes.length) === true)
      return
    this.decoded++
    this.handlers.onMessage(bytes.toString('utf8'), bytes.length)
  }
  pong(): void {
    this.handlers.onPong()
  }
  /** Everything buffered was written out. */
  drain(): void {
    this.bufferedAmount = 0
    this.handlers.onDrain?.()
  }
  end(info: CloseInfo = { code: 1006, reason: '' }): void {
    this.state = 'closed'
    this.handlers.onClose(info)
  }
}

/** A socket factory that records every socket it opens. */
export class FakeNetwork {
  readonly sockets: FakeSocket[] = []
  /** Called for each new socket, after the factory has returned it (so it may open or end it). */
  onSocket: ((socket: FakeSocket) => void) | undefined
  /** Runs `onSocket` callbacks; the connection is not ready for events until the factory returned. */
  defer: (fn: () => void) => void = queueMicrotask

  readonly factory: SocketFactory = (url, handlers) => {
    const socket = new FakeSocket(url, handlers)
    this.sockets.push(socket)
    const onSocket = this.onSocket
    if (onSocket !== undefined) this.defer(() => onSocket(socket))
    return socket
  }

  get last(): FakeSocket {
    const socket = this.sockets[this.sockets.length - 1]
    if (socket === undefined) throw new Error('no socket was opened')
    return socket
  }
}
