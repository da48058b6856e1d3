/**
 * The stand-in relay of the honeybee throughput suite (`honeybee.bench.ts`), run in a child process:
 * a `ws` WebSocketServer on a free loopback port that answers every REQ with `limit` EVENT envelopes,
 * sent as fast as `ws` takes them with back pressure respected.
 *
 * The envelopes are built once, deterministically, and encoded to UTF-8 once: realistic kind 1 notes of
 * about 400–970 bytes (hex ids, keys and signatures, `e`/`p` tags, prose with some unicode, `\n` and `\"`),
 * cycled. Sending a prebuilt Buffer as a text frame costs the server only the frame header and the
 * write, so it stays faster than any client it is measured against.
 *
 * Run by `fork()`: reports a {@link RelayReady} over IPC once listening, and exits when the
 * parent disconnects or sends `'exit'`. Nothing here writes to stdout, which carries the results.
 */
import type { Duplex } from 'node:stream'
import WebSocket, { WebSocketServer } from 'ws'
import { prng, randomHex, WORDS } from './sample-text.js'

/** What the relay reports to the parent once listening. */
export interface RelayReady {
  readonly port: number
  /** Distinct envelopes, cycled. */
  readonly envelopes: number
  /** Their mean size in bytes. */
  readonly meanBytes: number
  readonly minBytes: number
  readonly maxBytes: number
}

/** The subscription id every EVENT carries (honeybee.bench.ts has its own copy: importing this file runs it). */
const SUB_ID = 'bench'

/** Frames handed to `ws` per batch; the last one carries the write callback. */
const BATCH = 256
/**
 * Batches handed to `ws` whose last frame is not yet written to the kernel. At most about
 * BATCH × IN_FLIGHT × 700 B (≈ 700 KB) wait in user space; the rest of the back pressure is the
 * kernel's socket buffer, which fills when the client reads more slowly than the server writes.
 */
const IN_FLIGHT = 4
/** The number of distinct envelopes cycled. */
const DISTINCT = 1024
/** An upper bound on one REQ's `limit`, so a typo cannot start an endless send. */
const MAX_LIMIT = 10_000_000

// --- Realistic events, built deterministically (bench/sample-text.ts). ---

const random = prng(0xbee)
const hex = (chars: number): string => randomHex(random, chars)

/** Prose of at least `bytes` UTF-8 bytes. */
function prose(bytes: number): string {
  let s = ''
  let size = 0
  while (size < bytes) {
    let word = WORDS[Math.floor(random() * WORDS.length)]!
    word += random() < 0.08 ? (random() < 0.3 ? '.\n\n' : '. ') : ' '
    s += word
    size += Buffer.byteLength(word)
  }
  return s
}

const RELAYS = ['wss://relay.damus.io', 'wss://nos.lol', 'wss://relay.nostr.band']

/** One `["EVENT","bench",{…}]` envelope of about `target` bytes (400 ≤ target ≤ 1000). */
function envelope(target: number): string {
  const tags: string[][] = []
  const tagCount = Math.floor(random() * 4)
  for (let i = 0; i < tagCount; i++) {
    tags.push(
      random() < 0.5
        ? ['e', hex(64), RELAYS[i % RELAYS.length]!, i === 0 ? 'root' : 'reply']
        : ['p', hex(64)],
    )
  }
  const event = {
    id: hex(64),
    pubkey: hex(64),
    created_at: 1_732_233_600 + Math.floor(random() * 86_400),
    kind: 1,
    tags,
    content: '',
    sig: hex(128),
  }
  let bare = Buffer.byteLength(JSON.stringify(['EVENT', SUB_ID, event]))
  // Fewer tags where they would leave no room for a short note.
  while (bare + 40 > target && tags.length > 0) {
    tags.pop()
    bare = Buffer.byteLength(JSON.stringify(['EVENT', SUB_ID, event]))
  }
  event.content = prose(Math.max(16, target - bare - 8))
  return JSON.stringify(['EVENT', SUB_ID, event])
}

function buildFrames(): Buffer[] {
  const frames: Buffer[] = []
  for (let i = 0; i < DISTINCT; i++)
    frames.push(Buffer.from(envelope(400 + Math.floor(random() * 560)), 'utf8'))
  return frames
}

// --- The relay. ---

const SEND_OPTIONS = { binary: false, compress: false, fin: true } as const

/** Sends `count` frames, cycling `frames`, keeping at most IN_FLIGHT batches unwritten. */
function blast(ws: WebSocket, socket: Duplex, frames: readonly Buffer[], count: number): void {
  let next = 0
  let inFlight = 0
  // Node calls a write callback with null, not undefined, on success.
  const written = (error?: Error | null): void => {
    inFlight--
    if (!error) pump()
  }
  function pump(): void {
    while (inFlight < IN_FLIGHT && next < count && ws.readyState === WebSocket.OPEN) {
      const end = Math.min(count, next + BATCH) - 1
      // One write of the whole batch: without the cork, every `ws.send` is a syscall of ~700 bytes,
      // which paces the client (it then reads a message or two per read, and its rate is the
      // server's). Corked, the client finds full 64 KB reads waiting whenever it is the slower side.
      socket.cork()
      for (; next < end; next++) ws.send(frames[next % frames.length]!, SEND_OPTIONS)
      inFlight++
      ws.send(frames[next % frames.length]!, SEND_OPTIONS, written)
      next++
      socket.uncork()
    }
  }
  pump()
}

/** The `limit` of a REQ's first filter, or undefined when the message is not such a REQ. */
function requested(message: string): number | undefined {
  try {
    const parsed = JSON.parse(message) as unknown
    if (!Array.isArray(parsed) || parsed[0] !== 'REQ') return undefined
    const limit = (parsed[2] as { limit?: unknown } | undefined)?.limit
    return typeof limit === 'number' && Number.isInteger(limit) && limit > 0
      ? Math.min(limit, MAX_LIMIT)
      : undefined
  } catch {
    return undefined
  }
}

function main(): void {
  const send = process.send?.bind(process)
  if (send === undefined) throw new Error('honeybee-relay.ts runs as a child process (fork)')
  const frames = buildFrames()
  const sizes = frames.map((f) => f.length)
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  wss.on('connection', (ws, request) => {
    // The upgraded TCP socket, which `ws` writes to; public as the upgrade request's socket.
    const socket = request.socket
    ws.on('error', () => {}) // a client that goes away mid-send is not the relay's problem
    ws.on('message', (data: Buffer) => {
      const limit = requested(data.toString())
      if (limit !== undefined) blast(ws, socket, frames, limit)
    })
  })
  wss.on('listening', () => {
    const { port } = wss.address() as { port: number }
    const ready: RelayReady = {
      port,
      envelopes: frames.length,
      meanBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length,
      minBytes: Math.min(...sizes),
      maxBytes: Math.max(...sizes),
    }
    send(ready)
  })
  const exit = (): void => {
    for (const client of wss.clients) client.terminate()
    wss.close()
    process.exit(0)
  }
  process.on('disconnect', exit)
  process.on('message', (message) => message === 'exit' && exit())
}

main()
