/**
 * A WebSocket client on a bare TCP socket, for peers no well-behaved library would be: one that
 * never reads, never answers a close frame, sends a message in hundreds of fragments, or dribbles
 * its HTTP headers. It speaks just enough RFC 6455 to do that: the upgrade handshake, masked frames
 * out, unmasked frames in.
 *
 * @example
 * ```ts
 * const peer = await RawPeer.open(relay.url)
 * peer.sendText('["REQ","s",{}]')
 * peer.stopReading()               // a slow reader from now on
 * await peer.closed                // resolves when the server drops the TCP connection
 * ```
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'

/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

/** A frame the server sent. */
export interface Frame {
  readonly fin: boolean
  readonly opcode: number
  readonly payload: Buffer
}

/** Encodes one client frame (masked, as RFC 6455 requires of clients). */
export function encodeFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length
  const header = length < 126 ? Buffer.alloc(2) : length < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10)
  header[0] = (fin ? 0x80 : 0) | opcode
  if (length < 126) {
    header[1] = 0x80 | length
  } else if (length < 0x10000) {
    header[1] = 0x80 | 126
    header.writeUInt16BE(length, 2)
  } else {
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(length), 2)
  }
  const mask = randomBytes(4)
  const masked = Buffer.alloc(length)
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i & 3]!
  return Buffer.concat([header, mask, masked])
}

/** The TCP host and port of a `ws://host:port/path` URL, and its path. */
function target(url: string): { host: string; port: number; path: string } {
  const parsed = new URL(url)
  return { host: parsed.hostname, port: Number(parsed.port), path: `${parsed.pathname}${parsed.search}` }
}

/** A raw WebSocket client; see the module comment. */
export class RawPeer {
  /** Every frame the server sent, in order. */
  readonly frames: Frame[] = []
  /** Resolves when the TCP connection is closed (by either side). */
  readonly closed: Promise<void>
  #buffered: Buffer = Buffer.alloc(0)
  #isClosed = false

  private constructor(readonly socket: net.Socket) {
    socket.on('error', () => {})
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#isClosed = true
        resolve()
      }),
    )
  }

  /** Opens a TCP connection to `url` and completes the WebSocket upgrade; rejects on any other answer. */
  static async open(url: string): Promise<RawPeer> {
    const { host, port, path } = target(url)
    const socket = net.connect({ host, port })
    const peer = new RawPeer(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const key = randomBytes(16).toString('base64')
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    )
    const rest = await new Promise<Buffer>((resolve, reject) => {
      let head = Buffer.alloc(0)
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk])
        const end = head.indexOf('\r\n\r\n')
        if (end === -1) return
        socket.off('data', onData)
        const status = head.subarray(0, head.indexOf('\r\n')).toString()
        if (!status.startsWith('HTTP/1.1 101')) reject(new Error(`upgrade refused: ${status}`))
        else resolve(head.subarray(end + 4))
      }
      socket.on('data', onData)
      socket.once('close', () => reject(new Error('closed during the upgrade')))
    })
    peer.#receive(rest)
    socket.on('data', (chunk: Buffer) => peer.#receive(chunk))
    return peer
  }

  /** Whether the TCP connection is closed. */
  get isClosed(): boolean {
    return this.#isClosed
  }

  /** The text frames received, as strings. */
  texts(): string[] {
    return this.frames.filter((f) => f.opcode === Opcode.text).map((f) => f.payload.toString())
  }

  /** The close frame received, if any: its code and reason. */
  closeFrame(): { code: number; reason: string } | undefined {
    const frame = this.frames.find((f) => f.opcode === Opcode.close)
    if (frame === undefined) return undefined
    return { code: frame.payload.readUInt16BE(0), reason: frame.payload.subarray(2).toString() }
  }

  /** Sends a text message, in one frame or split over `fragments` frames. */
  sendText(text: string, fragments = 1): void {
    const payload = Buffer.from(text)
    const size = Math.ceil(payload.length / fragments)
    for (let i = 0; i < fragments; i++) {
      const part = payload.subarray(i * size, (i + 1) * size)
      this.socket.write(encodeFrame(i === 0 ? Opcode.text : Opcode.continuation, part, i === fragments - 1))
    }
  }

  /** Sends a close frame with `code`. */
  sendClose(code = 1000): void {
    const payload = Buffer.alloc(2)
    payload.writeUInt16BE(code)
    this.socket.write(encodeFrame(Opcode.close, payload))
  }

  /** Stops reading from the socket: what the server sends piles up in the kernel, then in the server. */
  stopReading(): void {
    this.socket.pause()
  }

  /** Destroys the TCP connection. */
  destroy(): void {
    this.socket.destroy()
  }

  #receive(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk])
    for (;;) {
      const frame = decodeFrame(this.#buffered)
      if (frame === undefined) return
      this.frames.push(frame.frame)
      this.#buffered = this.#buffered.subarray(frame.size)
      // Answer pings, as every real client does.
      if (frame.frame.opcode === Opcode.ping) this.socket.write(encodeFrame(Opcode.pong, frame.frame.payload))
    }
  }
}

/** Decodes one unmasked server frame from the front of `buffer`, if it is all there. */
function decodeFrame(buffer: Buffer): { frame: Frame; size: number } | undefined {
  if (buffer.length < 2) return undefined
  const fin = (buffer[0]! & 0x80) !== 0
  const opcode = buffer[0]! & 0x0f
  let length = buffer[1]! & 0x7f
  let offset = 2
  if (length === 126) {
    if (buffer.length < 4) return undefined
    length = buffer.readUInt16BE(2)
    offset = 4
  } else if (length === 127) {
    if (buffer.length < 10) return undefined
    length = Number(buffer.readBigUInt64BE(2))
    offset = 10
  }
  if (buffer.length < offset + length) return undefined
  return { frame: { fin, opcode, payload: buffer.subarray(offset, offset + length) }, size: offset + length }
}
