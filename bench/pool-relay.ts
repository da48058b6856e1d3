/**
 * The bench relay of the pool suite (`pool.bench.ts`), run in a child process: `RELAYS` `ws` servers
 * on free loopback ports, all serving the same pre-built events, as cheaply as a relay can.
 *
 * - A REQ is answered with the first `limit` events (its first filter's `limit`) as
 *   `["EVENT",<subId>,<event>]` frames, then EOSE. The event JSON is encoded to UTF-8 once, at start;
 *   per REQ the frames are assembled (WebSocket header, prefix with the client's subscription id,
 *   event, `]`) into chunks of `CHUNK` frames, each written to the TCP socket in one write, with back
 *   pressure respected (the next chunk is built on `drain`). Nothing is parsed or stored.
 * - An EVENT is answered with `["OK",<id>,true,""]`, the id read at a fixed key, nothing verified.
 *   Answers to one read are written together (corked until the next tick).
 * - Anything else (CLOSE, …) is ignored.
 *
 * Every client sees the same relay doing the same work per message, and the relay's work is a small
 * fraction of any client's, on the other core, so the rate measured is the client's.
 *
 * Run by `fork()` with `[relays, events, seed]` as arguments: reports {@link PoolRelayReady} over IPC
 * once listening, and exits when the parent disconnects or sends `'exit'`. Never writes to stdout.
 */
import type { Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { generateEvents } from './pool-events.js'

/** What the relay reports once listening. */
export interface PoolRelayReady {
  readonly ports: readonly number[]
  /** Events each relay holds (the first `limit` are served). */
  readonly events: number
  /** Envelope sizes with a 5-character subscription id, in bytes. */
  readonly meanBytes: number
  readonly minBytes: number
  readonly maxBytes: number
}

/** Frames per write. */
const CHUNK = 256

/** The WebSocket header of an unmasked, final text frame of `length` bytes, written at `offset`. */
function writeHeader(buf: Buffer, offset: number, length: number): number {
  buf[offset] = 0x81
  if (length < 126) {
    buf[offset + 1] = length
    return offset + 2
  }
  if (length < 65_536) {
    buf[offset + 1] = 126
    buf.writeUInt16BE(length, offset + 2)
    return offset + 4
  }
  buf[offset + 1] = 127
  buf.writeUInt32BE(0, offset + 2)
  buf.writeUInt32BE(length, offset + 6)
  return offset + 10
}

function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10
}

function frame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8')
  const buf = Buffer.allocUnsafe(headerLength(payload.length) + payload.length)
  payload.copy(buf, writeHeader(buf, 0, payload.length))
  return buf
}

/** Writes `count` EVENT frames for `subId`, then EOSE, building one chunk per write. */
function serve(socket: Socket, events: readonly Buffer[], subId: string, count: number): void {
  const prefix = Buffer.from(`["EVENT",${JSON.stringify(subId)},`, 'utf8')
  let next = 0
  const pump = (): void => {
    while (next < count) {
      if (socket.destroyed) return
      const end = Math.min(count, next + CHUNK)
      let size = 0
      for (let i = next; i < end; i++) {
        const length = prefix.length + events[i]!.length + 1
        size += headerLength(length) + length
      }
      const buf = Buffer.allocUnsafe(size)
      let offset = 0
      for (let i = next; i < end; i++) {
        const event = events[i]!
        offset = writeHeader(buf, offset, prefix.length + event.length + 1)
        offset += prefix.copy(buf, offset)
        offset += event.copy(buf, offset)
        buf[offset++] = 0x5d // ]
      }
      next = end
      if (!socket.write(buf)) {
        socket.once('drain', pump)
        return
      }
    }
    if (!socket.destroyed) socket.write(frame(`["EOSE",${JSON.stringify(subId)}]`))
  }
  pump()
}

function main(): void {
  const send = process.send?.bind(process)
  if (send === undefined) throw new Error('pool-relay.ts runs as a child process (fork)')
  const [relayArg = '1', eventArg = '1000', seedArg = '1'] = process.argv.slice(2)
  const events = generateEvents(Number(eventArg), Number(seedArg)).map((e) =>
    Buffer.from(JSON.stringify(e), 'utf8'),
  )
  const sizes = events.map((e) => e.length + '["EVENT","sub:1",]'.length)
  const servers: WebSocketServer[] = []
  const listening: Promise<number>[] = []
  for (let r = 0; r < Number(relayArg); r++) {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      perMessageDeflate: false,
      skipUTF8Validation: true,
    })
    servers.push(wss)
    listening.push(
      new Promise((resolve) =>
        wss.once('listening', () => resolve((wss.address() as { port: number }).port)),
      ),
    )
    wss.on('connection', (ws, request) => {
      // The upgraded TCP socket, which `ws` writes to: EVENT chunks go to it directly.
      const socket = request.socket as Socket
      let corked = false
      ws.on('error', () => {}) // a client that goes away mid-send is not the relay's problem
      ws.on('message', (data: Buffer) => {
        const text = data.toString()
        if (text.startsWith('["EVENT"')) {
          const at = text.indexOf('"id":"')
          if (at === -1) return
          if (!corked) {
            corked = true
            socket.cork()
            process.nextTick(() => {
              corked = false
              socket.uncork()
            })
          }
          ws.send(`["OK","${text.slice(at + 6, at + 70)}",true,""]`)
        } else if (text.startsWith('["REQ"')) {
          const [, subId, filter] = JSON.parse(text) as [string, string, { limit?: number } | undefined]
          const limit = Math.min(events.length, Math.max(0, filter?.limit ?? events.length))
          serve(socket, events, subId, limit)
        }
      })
    })
  }
  void Promise.all(listening).then((ports) => {
    const ready: PoolRelayReady = {
      ports,
      events: events.length,
      meanBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length,
      minBytes: sizes.reduce((a, b) => Math.min(a, b)),
      maxBytes: sizes.reduce((a, b) => Math.max(a, b)),
    }
    send(ready)
  })
  const exit = (): void => {
    for (const wss of servers) {
      for (const client of wss.clients) client.terminate()
      wss.close()
    }
    process.exit(0)
  }
  process.on('disconnect', exit)
  process.on('message', (message) => message === 'exit' && exit())
}

main()
