/**
 * @module One `ws` WebSocket as the core's {@link SocketLike}, for both roles: the socket this side
 * dialled (ws-socket.ts) and the one it accepted (from-socket.ts).
 */
import type { Duplex } from 'node:stream'
import { type CloseInfo, FRAME_HEAD_LENGTH, type SocketHandlers, type SocketLike, UsageError } from 'honeybee'
import type { RawData, WebSocket } from 'ws'

const OPEN = 1

/** What only one of the two roles knows. */
export interface WsAdapterOptions {
  /** The TCP socket under the WebSocket, for corking; the dialling side learns it at the upgrade. */
  readonly tcp?: () => Duplex | undefined
  /** The HTTP status of a refused upgrade (the dialling side). */
  readonly httpStatus?: () => number | undefined
}

const NO_OPTIONS: WsAdapterOptions = Object.freeze({})

/** Where a WebSocket keeps its adapter, for the listeners that all WebSockets share. */
const ADAPTER = Symbol('honeybee adapter')

/** A WebSocket with its adapter. */
type Adapted = WebSocket & { [ADAPTER]?: WsAdapter }

/**
 * Listens to `ws` for `handlers` (all but `onOpen`, which only the dialling side has) and returns the
 * socket the core drives. `onClose` is called once, with the error that preceded it if any.
 * @throws {UsageError} `InvalidArgument` if `ws` is adapted already: one socket has one owner.
 */
export function adaptWs(
  ws: WebSocket,
  handlers: Omit<SocketHandlers, 'onOpen'>,
  options: WsAdapterOptions = NO_OPTIONS,
): SocketLike {
  const adapted = ws as Adapted
  if (adapted[ADAPTER] !== undefined) {
    throw new UsageError('InvalidArgument', 'this WebSocket is adapted already: one socket has one owner')
  }
  const adapter = new WsAdapter(ws, handlers, options)
  adapted[ADAPTER] = adapter
  ws.on('message', onMessage)
  ws.on('pong', onPong)
  // Always listened to: an 'error' event without a listener would crash the process.
  ws.on('error', onError)
  ws.on('close', onClose)
  return adapter
}

// `ws` calls its listeners with the socket as `this`: one function per event serves every socket.
function onMessage(this: WebSocket, data: RawData): void {
  adapterOf(this).onMessage(data)
}
function onPong(this: WebSocket): void {
  adapterOf(this).onPong()
}
function onError(this: WebSocket, cause: Error): void {
  adapterOf(this).onError(cause)
}
function onClose(this: WebSocket, code: number, reason: Buffer): void {
  adapterOf(this).onClose(code, reason)
}

function adapterOf(ws: WebSocket): WsAdapter {
  return (ws as Adapted)[ADAPTER]!
}

/**
 * The adapter of one WebSocket. Its methods are on the prototype and its four `ws` listeners are shared
 * by every socket, each finding its adapter on the socket, as ws's own heartbeat example keeps
 * `isAlive` there: a relay holds one per connection, and closures per socket were most of its memory
 * after the socket's own (bench/responder.bench.ts). The core sees only its {@link SocketLike} side.
 */
class WsAdapter implements SocketLike {
  readonly #ws: WebSocket
  readonly #handlers: Omit<SocketHandlers, 'onOpen'>
  readonly #options: WsAdapterOptions
  /** The error `ws` reported before closing, if any. */
  #error: unknown
  /** The TCP socket corked until the next tick, if any. */
  #corked: Duplex | undefined
  /** The TCP socket whose `drain` is reported to the core, once known. */
  #drained: Duplex | undefined

  constructor(ws: WebSocket, handlers: Omit<SocketHandlers, 'onOpen'>, options: WsAdapterOptions) {
    this.#ws = ws
    this.#handlers = handlers
    this.#options = options
  }

  // ── what ws reports ──────────────────────────────────────────────────────────────────────────

  onMessage(data: RawData): void {
    const bytes = toBuffer(data)
    // A copy of an event already delivered, recognised from its first bytes, is not decoded.
    const handlers = this.#handlers
    if (
      handlers.skipsFrames?.() === true &&
      handlers.skipFrame?.(bytes.toString('latin1', 0, FRAME_HEAD_LENGTH), bytes.length) === true
    )
      return
    // Nostr is text; a binary frame is read as text too, and roots-ws judges what it says.
    handlers.onMessage(bytes.toString('utf8'), bytes.length)
  }

  onPong(): void {
    this.#handlers.onPong()
  }

  onError(cause: Error): void {
    this.#error = cause
  }

  onClose(code: number, reason: Buffer): void {
    const error = this.#error
    const httpStatus = this.#options.httpStatus?.()
    const info: CloseInfo = {
      code,
      reason: reason.toString(),
      ...(error === undefined ? {} : { error }),
      ...(httpStatus === undefined ? {} : { httpStatus }),
    }
    this.#handlers.onClose(info)
  }

  // ── SocketLike ───────────────────────────────────────────────────────────────────────────────

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount
  }

  send(data: string): boolean {
    const ws = this.#ws
    if (ws.readyState !== OPEN) return false
    // Frames sent in one tick go out in one write: the socket is corked at the first and uncorked
    // on the next tick. Without it, each frame is a syscall of its own whenever the kernel buffer
    // has room, which made 10,000 publishes in a burst cost a writev each (bench/pool.bench.ts W3).
    // Order is kept, and nothing waits longer than the rest of the current tick.
    const tcp = this.#options.tcp?.()
    if (tcp !== undefined && this.#drained === undefined) this.#reportDrains(tcp)
    if (this.#corked === undefined && tcp !== undefined) {
      this.#corked = tcp
      tcp.cork()
      process.nextTick(uncork, this)
    }
    ws.send(data)
    return true
  }

  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason)
  }

  terminate(): void {
    this.#ws.terminate()
  }

  ping(): void {
    if (this.#ws.readyState === OPEN) this.#ws.ping()
  }

  /**
   * Tells the core when TCP has written out its buffer, so writes it holds for back pressure go out
   * then instead of at its next look (bench/pool.bench.ts W3: 10,000 publishes, 7 MB, pass a 1 MB mark).
   */
  #reportDrains(tcp: Duplex): void {
    this.#drained = tcp
    const onDrain = this.#handlers.onDrain
    if (onDrain !== undefined) tcp.on('drain', () => onDrain())
  }

  /** Ends the cork that {@link send} started. */
  uncork(): void {
    this.#corked?.uncork()
    this.#corked = undefined
  }
}

function uncork(adapter: WsAdapter): void {
  adapter.uncork()
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
