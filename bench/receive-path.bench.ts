/**
 * The pool's receive path without sockets: what honeybee spends on an event between the socket
 * adapter and the application, against the least any client spends there.
 *
 * Frames already decoded to text, as a socket adapter hands them over, go straight to the connection's
 * `onMessage`; a call is one pool subscription receiving 100,000 events, as in the pools suite's W1.
 *
 * - `JSON.parse(envelope)` (the baseline): what the raw client of the pools suite does with a frame.
 * - `JSON.parse(event) + Map of ids`: the least a de-duplicating pool does: the event parsed alone and
 *   its id recorded in a `Map`.
 * - `honeybee pool path`: `pool.subscribe` on a connection whose socket is a stub, counting the events
 *   it delivers: the connection (clock, metrics, size check), the router, the session, the subscription
 *   registry (head, parse, record), the request and the pool's merge.
 *
 * With no sockets, no relay process and no decoding in the rounds, the pools suite's noise is gone from
 * these ratios, which makes this the place to measure a change to the path itself. Run alone:
 * `npm run bench -- receive-path`.
 */
import { createConnection, createPool, type Pool, type SocketHandlers, type SocketLike } from 'honeybee'
import { type ComparisonResult, compare } from './harness.js'
import { generateEvents } from './pool-events.js'

export const title = 'pool receive path, without sockets'

const EVENTS = 100_000
const SEED = 0xbee5
const SUB_ID = 'path'

/** A pool of one relay whose socket is a stub: `deliver` hands frames to its connection. */
async function stubbedPool(): Promise<{ pool: Pool; deliver: (frame: string) => void }> {
  let handlers: SocketHandlers | undefined
  const socket: SocketLike = {
    bufferedAmount: 0,
    send: () => true,
    close: () => handlers?.onClose({ code: 1000, reason: '' }),
    terminate: () => handlers?.onClose({ code: 1006, reason: '' }),
  }
  const pool = createPool({
    relays: ['ws://path.invalid'],
    connect: (url) =>
      createConnection(url, {
        socketFactory: (_url, given) => {
          handlers = given
          queueMicrotask(() => given.onOpen())
          return socket
        },
        keepAlive: 60_000,
      }),
  })
  // Connect once, for every call: the first subscription opens the connection, keepAlive holds it.
  const opening = pool.subscribe({ kinds: [1], limit: 0 }).subscribe()
  await new Promise((resolve) => setTimeout(resolve, 0))
  opening.unsubscribe()
  if (handlers === undefined) throw new Error('the stub socket was never opened')
  const open = handlers
  return { pool, deliver: (frame) => open.onMessage(frame, frame.length) }
}

export async function run(): Promise<ComparisonResult[]> {
  const events = generateEvents(EVENTS, SEED)
  // Decoded from bytes, as an adapter decodes them: flat strings, as the path meets them.
  const frames = events.map((event) => Buffer.from(JSON.stringify(['EVENT', SUB_ID, event])).toString())
  const eventStart = `["EVENT","${SUB_ID}",`.length
  const { pool, deliver } = await stubbedPool()

  const path = (): number => {
    let delivered = 0
    const subscription = pool
      .subscribe({ kinds: [1], limit: EVENTS }, { id: SUB_ID })
      .subscribe((message) => {
        if (message.type === 'event') delivered++
      })
    for (const frame of frames) deliver(frame)
    subscription.unsubscribe()
    if (delivered !== EVENTS) throw new Error(`honeybee pool path: delivered ${delivered} of ${EVENTS}`)
    return delivered
  }
  const parseEnvelope = (): number => {
    let kinds = 0
    for (const frame of frames) {
      const envelope = JSON.parse(frame) as [string, string, { kind: number }]
      if (envelope[0] === 'EVENT' && envelope[1] === SUB_ID) kinds += envelope[2].kind
    }
    return kinds
  }
  const parseEventAndRecord = (): number => {
    const seen = new Map<string, number>()
    for (const frame of frames) {
      const event = JSON.parse(frame.slice(eventStart, -1)) as { id: string; created_at: number }
      seen.set(event.id, event.created_at)
    }
    return seen.size
  }

  try {
    const result = await compare(
      `${EVENTS.toLocaleString('en')} events into one pool subscription`,
      {
        'JSON.parse(envelope)': { fn: parseEnvelope, units: EVENTS },
        'JSON.parse(event) + Map of ids': { fn: parseEventAndRecord, units: EVENTS },
        'honeybee pool path': { fn: path, units: EVENTS },
      },
      { rounds: 11, warmupRounds: 1, unit: 'event', maxMs: 60_000 },
    )
    return [
      {
        ...result,
        note: `Envelopes of the pools suite's events (${frames.length.toLocaleString('en')} distinct, seed ${SEED}), decoded before the rounds; each case's rounds interleaved with the others'.`,
      },
    ]
  } finally {
    pool.close()
  }
}
