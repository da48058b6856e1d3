/**
 * @module One `ws` WebSocket as the core's {@link SocketLike}, for both roles: the socket this side
 * dialled (ws-socket.ts) and the one it accepted (from-socket.ts).
 */
import type { Duplex } from 'node:stream'
import type { CloseInfo, SocketHandlers, SocketLike } from 'honeybee'
import type { RawData, WebSocket } from 'ws'

const OPEN = 1

/** What only one of the two roles knows. */
export interface WsAdapterOptions {
  /** The TCP socket under the WebSocket, for corking; the dialling side learns it at the upgrade. */
  readonly tcp?: () => Duplex | undefined
  /** The HTTP status of a refused upgrade (the dialling side). */
  readonly httpStatus?: () => number | undefined
}

/**
 * Listens to `ws` for `handlers` (all but `onOpen`, which only the dialling side has) and returns the
 * socket the core drives. `onClose` is called once, with the error that preceded it if any.
 */
export function adaptWs(
  ws: WebSocket,
  handlers: Omit<SocketHandlers, 'onOpen'>,
  options: WsAdapterOptions = {},
): SocketLike {
  let error: unknown
  ws.on('message', (data: RawData) => {
    const bytes = toBuffer(data)
    // Nostr is text; a binary frame is read as text too, and roots-ws judges what it says.
    handlers.onMessage(bytes.toString('utf8'), bytes.length)
  })
  ws.on('pong', () => handlers.onPong())
  // Always listened to: an 'error' event without a listener would crash the process.
  ws.on('error', (cause: Error) => {
    error = cause
  })
  ws.on('close', (code: number, reason: Buffer) => {
    const httpStatus = options.httpStatus?.()
    const info: CloseInfo = {
      code,
      reason: reason.toString(),
      ...(error === undefined ? {} : { error }),
      ...(httpStatus === undefined ? {} : { httpStatus }),
    }
    handlers.onClose(info)
  })

  let corked: Duplex | undefined
  const uncork = (): void => {
    corked?.uncork()
    corked = undefined
  }
  return {
    get bufferedAmount() {
      return ws.bufferedAmount
    },
    send(data) {
      if (ws.readyState !== OPEN) return false
      // Frames sent in one tick go out in one write: the socket is corked at the first and uncorked
      // on the next tick. Without it, each frame is a syscall of its own whenever the kernel buffer
      // has room, which made 10,000 publishes in a burst cost a writev each (bench/pool.bench.ts W3).
      // Order is kept, and nothing waits longer than the rest of the current tick.
      const tcp = options.tcp?.()
      if (corked === undefined && tcp !== undefined) {
        corked = tcp
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
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
