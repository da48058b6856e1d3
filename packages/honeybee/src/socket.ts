/**
 * @module The only way the core touches a socket.
 *
 * honeybee imports no environment. `honeybee-node` implements {@link SocketFactory} on `ws`,
 * `honeybee-browser` on the native `WebSocket`; tests implement it on a scripted fake.
 * Capabilities that only some environments have are optional members (`ping`).
 */

/** How a socket ended: reported once, whatever mix of error and close events the environment raised. */
export interface CloseInfo {
  /** The WebSocket close code (1006 when the connection dropped without one). */
  readonly code: number
  /** The close reason the peer gave, if any. */
  readonly reason: string
  /** The environment's error, when the socket ended because of one. */
  readonly error?: unknown
  /** The HTTP status, when the server answered the upgrade request with something other than 101. */
  readonly httpStatus?: number
}

/** What a socket reports; an adapter calls these until it calls `onClose`, then never again. */
export interface SocketHandlers {
  /** The WebSocket handshake completed. */
  onOpen(): void
  /**
   * A text frame arrived.
   * @param byteLength - its size in bytes when the environment knows it; `data.length` otherwise.
   */
  onMessage(data: string, byteLength: number): void
  /**
   * Whether {@link skipFrame} wants to see frames now: asked for every frame by an adapter that
   * receives frames as bytes (honeybee-node), so it is cheap.
   */
  skipsFrames?(): boolean
  /**
   * Asked before a frame is decoded, when {@link skipsFrames} said so, with the frame's first bytes
   * (at most `FRAME_HEAD_LENGTH`) read as Latin-1, one character per byte: `true` when the core
   * consumed the frame from them alone (a copy of an event a subscription already delivered), and
   * the adapter neither decodes it nor calls `onMessage`. Decoding is most of what a copy costs
   * (bench/pool.bench.ts W2: 150,000 of 200,000 envelopes are copies).
   */
  skipFrame?(head: string, byteLength: number): boolean
  /** A pong frame (or the environment's equivalent of one) arrived. */
  onPong(): void
  /**
   * The socket has written out what was buffered. Where the environment says so (Node's TCP `drain`),
   * writes held back for back pressure go out at once; without it, the connection looks again every
   * few milliseconds. Optional: only a side that holds writes back listens.
   */
  onDrain?(): void
  /** The socket is finished, exactly once. */
  onClose(info: CloseInfo): void
}

/** An open or opening socket, as the core uses it. */
export interface SocketLike {
  /** Bytes handed to `send` and not yet written to the network. */
  readonly bufferedAmount: number
  /**
   * Queues a text frame. Only called after `onOpen`.
   * @returns `false` when the socket can no longer send (it is closing): the caller keeps the data.
   */
  send(data: string): boolean
  /** Starts a graceful close handshake; `onClose` follows. */
  close(code?: number, reason?: string): void
  /** Destroys the socket at once, without a close handshake. `onClose` may or may not follow. */
  terminate(): void
  /** Sends a ping frame, where the environment can; the core uses a health probe otherwise. */
  ping?(): void
}

/** Opens a socket to `url` that reports to `handlers`. Must not throw: report failures via `onClose`. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike
