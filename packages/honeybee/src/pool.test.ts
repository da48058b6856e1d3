/**
 * The pool in virtual time, over scripted sockets: one fake network, one connection per relay.
 * The same across real sockets is in honeybee-node's test/pool.test.ts.
 */
import { encloseClosed, encloseEOSE, encloseOK, encloseSubscriptionEvent, findReq } from 'roots-ws'
import type { Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { FakeNetwork, type FakeSocket } from '../test/fake-socket.js'
import type { PartialConfig } from './config.js'
import { type Connection, createConnection } from './connection.js'
import type { HoneybeeError } from './errors.js'
import type { Filter, NostrEvent } from './nostr.js'
import { BroadcastError, createPool, type Pool } from './pool.js'
import type { PoolOkResult } from './pool-publish.js'
import type { PoolError, PoolStatuses } from './pool-status.js'
import type { PoolMessage } from './pool-subscribe.js'
import { RelayError } from './relay-reply.js'
import { req } from './req.js'

const A = 'wss://a.test'
const B = 'wss://b.test'
const C = 'wss://c.test'
const D = 'wss://d.test'

function event(n: number): NostrEvent {
  return { id: `id${n}`, pubkey: 'pk', created_at: 1000 + n, kind: 1, tags: [], content: `c${n}`, sig: 'sig' }
}

interface Rig {
  readonly scheduler: TestScheduler
  readonly network: FakeNetwork
  readonly pool: Pool
  /** Runs `fn` at virtual time `t`; the test fails if a scheduled step never ran. */
  at(t: number, fn: () => void): void
  /** The newest socket opened to `url`. */
  socket(url: string): FakeSocket
  /** Sends an event on subscription `subId` from relay `url`. */
  send(url: string, subId: string, e: NostrEvent): void
  /** The REQs the newest socket to `url` received. */
  reqs(url: string): { subId: string; filters: Filter[] }[]
}

interface RigOptions {
  readonly relays?: readonly string[]
  /** Connection configuration by relay URL. */
  readonly config?: Readonly<Record<string, PartialConfig>>
  /** Relays whose sockets never open. */
  readonly unreachable?: readonly string[]
  readonly maxSeenIds?: number
}

function inVirtualTime(options: RigOptions, body: (rig: Rig) => void): void {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
  let scheduled = 0
  let ran = 0
  scheduler.run(() => {
    const network = new FakeNetwork()
    network.defer = (fn) => scheduler.schedule(fn)
    network.onSocket = (socket) => {
      if (!(options.unreachable ?? []).includes(socket.url)) socket.open()
    }
    const pool = createPool({
      relays: options.relays ?? [A, B, C],
      ...(options.maxSeenIds === undefined ? {} : { maxSeenIds: options.maxSeenIds }),
      connect: (url) =>
        createConnection(url, {
          reconnect: { jitter: 0 },
          ...options.config?.[url],
          socketFactory: network.factory,
          scheduler,
        }),
    })
    const socket = (url: string): FakeSocket => {
      const found = network.sockets.filter((s) => s.url === url).at(-1)
      if (found === undefined) throw new Error(`no socket was opened to ${url}`)
      return found
    }
    body({
      scheduler,
      network,
      pool,
      at: (t, fn) => {
        scheduled++
        scheduler.schedule(() => {
          ran++
          fn()
        }, t - scheduler.now())
      },
      socket,
      send: (url, subId, e) => socket(url).receive(encloseSubscriptionEvent(subId, JSON.stringify(e))),
      reqs: (url) =>
        socket(url)
          .sent.filter((e) => e.startsWith('["REQ"'))
          .map((e) => {
            const { subId, filters } = findReq(e)
            return { subId, filters: filters.map((f) => JSON.parse(f) as Filter) }
          }),
    })
    scheduler.schedule(() => pool.close(), 600_000)
    scheduler.flush()
  })
  expect(ran).toBe(scheduled)
}

/** Subscribes and records everything, including how the stream ended. */
function collect<T>(source: Observable<T>) {
  const values: T[] = []
  const result = { values, completed: false, error: undefined as unknown }
  source.subscribe({
    next: (value) => values.push(value),
    complete: () => (result.completed = true),
    error: (error) => (result.error = error),
  })
  return result
}

/** One line per message, to compare whole streams at a glance. */
function line(m: PoolMessage): string {
  switch (m.type) {
    case 'event':
      return `event ${m.event.id} from ${m.relay}`
    case 'eose':
      return `eose ${m.relay}${m.timedOut ? ' (timed out)' : ''}`
    case 'eose-all':
      return 'eose-all'
    case 'closed':
      return `closed ${m.relay}: ${m.reply.message}`
    case 'error':
      return `error ${m.relay}: ${m.error.code}`
  }
}

const summary = (messages: readonly PoolMessage[]): string[] => messages.map(line)

function failureOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('relays', () => {
  it('normalizes URLs and never connects the same relay twice', () => {
    inVirtualTime({ relays: [A, 'WSS://A.test:443/', 'wss://b.test/'] }, ({ pool, network, at }) => {
      expect(pool.relays).toEqual([A, B])
      const conn = pool.addRelay('wss://A.TEST')
      expect(pool.addRelay(A)).toBe(conn)
      expect(conn.url).toBe(A)
      const before = pool.relays
      expect(Object.isFrozen(before)).toBe(true)
      pool.addRelay('ws://c.test:80/')
      expect(pool.relays).toEqual([A, B, 'ws://c.test'])
      expect(before).toEqual([A, B]) // a new array, the old one untouched
      expect(network.sockets).toEqual([]) // adding opens nothing
      pool.subscribe({ kinds: [1] }).subscribe()
      at(1, () => expect(network.sockets.map((s) => s.url)).toEqual([A, B, 'ws://c.test']))
    })
  })

  it('refuses invalid URLs and unknown relays with typed errors', () => {
    inVirtualTime({}, ({ pool }) => {
      expect(failureOf(() => pool.addRelay('https://a.test'))).toMatchObject({ code: 'InvalidArgument' })
      expect(failureOf(() => pool.status('wss://nowhere.test'))).toMatchObject({ code: 'RelayNotFound' })
      expect(failureOf(() => pool.sendTo('wss://nowhere.test', '[]'))).toMatchObject({
        code: 'RelayNotFound',
      })
      expect(failureOf(() => pool.removeRelay('wss://nowhere.test'))).toMatchObject({ code: 'RelayNotFound' })
      expect(pool.status('WSS://B.test/')).toBe('disconnected')
    })
  })
})

describe('subscribe', () => {
  it('delivers each event once across overlapping relays, with per-relay EOSE and one eose-all', () => {
    inVirtualTime({}, ({ pool, at, send, socket, reqs }) => {
      const got = collect(pool.subscribe({ kinds: [1] }, { id: 'feed' }))
      at(1, () => {
        for (const url of [A, B, C]) expect(reqs(url)).toEqual([{ subId: 'feed', filters: [{ kinds: [1] }] }])
        send(A, 'feed', event(1))
        send(A, 'feed', event(2))
        socket(A).receive(encloseEOSE('feed'))
        send(B, 'feed', event(2))
        send(B, 'feed', event(3))
        socket(B).receive(encloseEOSE('feed'))
        expect(summary(got.values)).not.toContain('eose-all')
        send(C, 'feed', event(1))
        send(C, 'feed', event(3))
        send(C, 'feed', event(4))
        socket(C).receive(encloseEOSE('feed'))
        // Live events after EOSE are de-duplicated too.
        send(B, 'feed', event(5))
        send(A, 'feed', event(5))
      })
      at(2, () => {
        expect(summary(got.values)).toEqual([
          `event id1 from ${A}`,
          `event id2 from ${A}`,
          `eose ${A}`,
          `event id3 from ${B}`,
          `eose ${B}`,
          `event id4 from ${C}`,
          `eose ${C}`,
          'eose-all',
          `event id5 from ${B}`,
        ])
        expect(got.values[0]).toEqual({ type: 'event', relay: A, event: event(1) })
        expect(got.completed).toBe(false)
      })
    })
  })

  it('times out a silent relay after the subscription’s own eoseTimeout, and still says eose-all', () => {
    inVirtualTime({}, ({ pool, at, socket }) => {
      const got = collect(pool.subscribe({ kinds: [1] }, { id: 'feed', eoseTimeout: 2000 }))
      at(1, () => {
        socket(A).receive(encloseEOSE('feed'))
        socket(B).receive(encloseEOSE('feed'))
      })
      at(1990, () => expect(summary(got.values)).toEqual([`eose ${A}`, `eose ${B}`]))
      at(2010, () =>
        expect(summary(got.values)).toEqual([`eose ${A}`, `eose ${B}`, `eose ${C} (timed out)`, 'eose-all']),
      )
    })
  })

  it('drops a copy from another relay by id, before parsing it', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at, send, socket }) => {
      const got = collect(pool.subscribe({}, { id: 's' }))
      const errors = collect(pool.errors$)
      at(1, () => {
        send(A, 's', event(1))
        // Same id, a body that would not parse: dropped unread, so nothing is reported.
        socket(B).receive('["EVENT","s",{"id":"id1","kind":"not a number"}]')
        expect(errors.values).toEqual([])
        // A new id with the same broken body is parsed, and reported as malformed.
        socket(B).receive('["EVENT","s",{"id":"id9","kind":"not a number"}]')
        expect(errors.values.map((e) => [e.relay, e.error.code])).toEqual([[B, 'MalformedEnvelope']])
        expect(summary(got.values)).toEqual([`event id1 from ${A}`])
      })
    })
  })

  it('a relay whose copies always lose the race still resumes from what it sent, not from the start', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at, send, socket, reqs }) => {
      collect(pool.subscribe({ kinds: [1] }, { id: 's' }))
      at(1, () => {
        send(A, 's', event(1))
        send(B, 's', event(1)) // B's copy is a duplicate: dropped unparsed, but remembered for B
        socket(A).receive(encloseEOSE('s'))
        socket(B).receive(encloseEOSE('s'))
        socket(B).end()
      })
      at(1002, () => expect(reqs(B)).toEqual([{ subId: 's', filters: [{ kinds: [1], since: 1001 - 60 }] }]))
    })
  })

  it('remembers at most maxSeenIds ids per subscription, forgetting the oldest', () => {
    inVirtualTime({ relays: [A, B], maxSeenIds: 2 }, ({ pool, at, send }) => {
      const got = collect(pool.subscribe({}, { id: 's' }))
      at(1, () => {
        for (const n of [1, 2, 3]) send(A, 's', event(n))
        send(B, 's', event(3)) // remembered: dropped
        send(B, 's', event(1)) // forgotten: a duplicate gets through, nothing is lost
        expect(summary(got.values)).toEqual([
          `event id1 from ${A}`,
          `event id2 from ${A}`,
          `event id3 from ${A}`,
          `event id1 from ${B}`,
        ])
      })
    })
  })

  it('sends the REQ to a relay added mid-subscription, and waits for it before eose-all', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at, send, socket, reqs }) => {
      const got = collect(pool.subscribe({ kinds: [7] }, { id: 'feed' }))
      at(1, () => {
        socket(A).receive(encloseEOSE('feed'))
        pool.addRelay(C)
      })
      at(2, () => {
        expect(reqs(C)).toEqual([{ subId: 'feed', filters: [{ kinds: [7] }] }])
        socket(B).receive(encloseEOSE('feed'))
        expect(summary(got.values)).not.toContain('eose-all') // C has not finished
        send(C, 'feed', event(5))
        socket(C).receive(encloseEOSE('feed'))
        pool.addRelay(D) // after eose-all: its own eose, no second eose-all
      })
      at(3, () => {
        expect(reqs(D)).toEqual([{ subId: 'feed', filters: [{ kinds: [7] }] }])
        socket(D).receive(encloseEOSE('feed'))
        expect(summary(got.values)).toEqual([
          `eose ${A}`,
          `eose ${B}`,
          `event id5 from ${C}`,
          `eose ${C}`,
          'eose-all',
          `eose ${D}`,
        ])
      })
    })
  })

  it('removeRelay ends that relay’s part only: CLOSE, then the connection closes; the others go on', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at, send, socket }) => {
      const got = collect(pool.subscribe({}, { id: 'feed' }))
      at(1, () => {
        const removed = socket(B)
        pool.removeRelay('WSS://B.TEST/')
        expect(removed.sent.at(-1)).toBe('["CLOSE","feed"]')
        expect(removed.closedWith).toEqual({ code: 1000, reason: 'closed by client' })
        expect(pool.relays).toEqual([A])
        expect(failureOf(() => pool.status(B))).toMatchObject({ code: 'RelayNotFound' })
        expect(failureOf(() => pool.removeRelay(B))).toMatchObject({ code: 'RelayNotFound' })
        removed.receive(encloseSubscriptionEvent('feed', JSON.stringify(event(9)))) // late: not delivered
        send(A, 'feed', event(1))
        socket(A).receive(encloseEOSE('feed')) // B left: A alone decides eose-all
        expect(summary(got.values)).toEqual([`event id1 from ${A}`, `eose ${A}`, 'eose-all'])
        expect(got.completed).toBe(false)
      })
    })
  })

  it('reports a relay’s refusal as a value and goes on; never completes while the pool is open', () => {
    inVirtualTime({}, ({ pool, at, send, socket }) => {
      const got = collect(pool.subscribe({}, { id: 'feed' }))
      at(1, () => {
        socket(C).receive(encloseClosed('feed', 'restricted: members only'))
        socket(B).receive(encloseClosed('feed', 'bye'))
        send(A, 'feed', event(1))
        socket(A).receive(encloseEOSE('feed'))
        expect(summary(got.values)).toEqual([
          `error ${C}: restricted`,
          `closed ${B}: bye`,
          `event id1 from ${A}`,
          `eose ${A}`,
          'eose-all',
        ])
        const failure = got.values[0]
        expect(failure?.type === 'error' && failure.error).toBeInstanceOf(RelayError)
        expect(got.values[1]).toEqual({
          type: 'closed',
          relay: B,
          reply: { prefix: undefined, message: 'bye' },
        })
        socket(A).receive(encloseClosed('feed', 'done')) // every relay has ended its part now
      })
      at(100, () => {
        expect(got.completed).toBe(false)
        expect(got.error).toBeUndefined()
        pool.close()
        expect(got.completed).toBe(true)
      })
    })
  })

  it('counts an EOSE timeout toward eose-all', () => {
    inVirtualTime({ relays: [A, B], config: { [B]: { eoseTimeout: 1000 } } }, ({ pool, at, socket }) => {
      const got = collect(pool.subscribe({}, { id: 'feed' }))
      at(1, () => socket(A).receive(encloseEOSE('feed')))
      at(999, () => expect(summary(got.values)).toEqual([`eose ${A}`]))
      at(1001, () => expect(summary(got.values)).toEqual([`eose ${A}`, `eose ${B} (timed out)`, 'eose-all']))
    })
  })

  it('reports a relay that refuses the subscription at once as a value, and still waits for the others', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at, socket }) => {
      // The id is taken on A's connection already.
      req(pool.addRelay(A), {}, { id: 'feed' }).subscribe()
      const got = collect(pool.subscribe({}, { id: 'feed' }))
      expect(summary(got.values)).toEqual([`error ${A}: SubscriptionDuplicate`])
      at(1, () => {
        socket(B).receive(encloseEOSE('feed'))
        expect(summary(got.values)).toEqual([`error ${A}: SubscriptionDuplicate`, `eose ${B}`, 'eose-all'])
      })
    })
  })

  it('errors the stream for the caller’s mistakes only', () => {
    inVirtualTime({}, ({ pool }) => {
      expect(collect(pool.subscribe({}, { id: '' })).error).toMatchObject({ code: 'InvalidArgument' })
      expect(collect(pool.subscribe({}, { id: 'x'.repeat(65) })).error).toMatchObject({
        code: 'InvalidArgument',
      })
      const circular: Record<string, unknown> = {}
      circular.self = circular
      expect(collect(pool.subscribe(circular as Filter)).error).toMatchObject({ code: 'InvalidArgument' })
    })
  })
})

describe('publish', () => {
  it('gives one verdict per relay: accepted, refused with a prefix, timed out; then completes', () => {
    inVirtualTime({}, ({ pool, at, socket }) => {
      const got = collect<PoolOkResult>(pool.publish(event(1), { timeout: 3000 }))
      at(1, () => {
        for (const url of [A, B, C])
          expect(socket(url).sent).toEqual([`["EVENT",${JSON.stringify(event(1))}]`])
        socket(A).receive(encloseOK('id1', true, ''))
        socket(B).receive(encloseOK('id1', false, 'blocked: not here'))
      })
      at(2999, () => {
        expect(got.values).toEqual([
          { relay: A, eventId: 'id1', accepted: true, message: '', prefix: undefined, error: undefined },
          {
            relay: B,
            eventId: 'id1',
            accepted: false,
            message: 'blocked: not here',
            prefix: 'blocked',
            error: undefined,
          },
        ])
        expect(got.completed).toBe(false)
      })
      at(3001, () => {
        expect(got.values[2]).toMatchObject({
          relay: C,
          eventId: 'id1',
          accepted: false,
          message: '',
          prefix: undefined,
        })
        expect(got.values[2]?.error).toMatchObject({ name: 'TimeoutError', code: 'Timeout', timeout: 3000 })
        expect(got.values).toHaveLength(3)
        expect(got.completed).toBe(true)
      })
    })
  })

  it('a relay that leaves before answering gives ConnectionClosed; closing the pool answers the rest', () => {
    inVirtualTime({}, ({ pool, at, socket }) => {
      const got = collect<PoolOkResult>(pool.publish(JSON.stringify(event(2))))
      at(1, () => {
        socket(A).receive(encloseOK('id2', true, ''))
        pool.removeRelay(B)
        expect(got.values.map((r) => [r.relay, r.accepted, r.error?.code])).toEqual([
          [A, true, undefined],
          [B, false, 'ConnectionClosed'],
        ])
        pool.close()
        expect(got.values.map((r) => [r.relay, r.error?.code])).toEqual([
          [A, undefined],
          [B, 'ConnectionClosed'],
          [C, 'ConnectionClosed'],
        ])
        expect(got.completed).toBe(true)
      })
    })
  })

  it('completes when a relay that never opens gives up: its verdict is a ConnectionError', () => {
    const giveUpSoon = { connectTimeout: 1000, reconnect: { maxAttempts: 1, initialDelay: 1000, jitter: 0 } }
    inVirtualTime({ unreachable: [C], config: { [C]: giveUpSoon } }, ({ pool, at, socket }) => {
      const got = collect<PoolOkResult>(pool.publish(event(3), { timeout: 3000 }))
      at(1, () => {
        socket(A).receive(encloseOK('id3', true, ''))
        socket(B).receive(encloseOK('id3', true, ''))
      })
      at(1500, () => expect(got.completed).toBe(false)) // C is still retrying
      at(5000, () => {
        expect(pool.status(C)).toBe('error')
        expect(got.values.map((r) => [r.relay, r.accepted, r.error?.code])).toEqual([
          [A, true, undefined],
          [B, true, undefined],
          [C, false, 'ConnectionClosed'],
        ])
        expect(got.completed).toBe(true)
      })
    })
  })

  it('completes at once with no relays, and errors for an event without an id', () => {
    inVirtualTime({ relays: [] }, ({ pool }) => {
      const none = collect(pool.publish(event(1)))
      expect(none).toMatchObject({ values: [], completed: true })
      expect(collect(pool.publish('{"kind":1}')).error).toMatchObject({ code: 'InvalidArgument' })
    })
  })
})

describe('sendTo and broadcast', () => {
  it('sendTo reaches one relay; broadcast tries every relay and throws one BroadcastError after', () => {
    const config = { [B]: { writeQueue: { maxMessages: 1 } } }
    inVirtualTime({ config, unreachable: [B] }, ({ pool, at, socket }) => {
      pool.sendTo('WSS://A.test', '["NOTICE","only a"]')
      pool.broadcast('["NOTICE","one"]') // B holds it: its queue is now full
      const failure = failureOf(() => pool.broadcast('["NOTICE","two"]'))
      expect(failure).toBeInstanceOf(BroadcastError)
      expect(failure).toMatchObject({ code: 'WriteQueueFull' })
      const { failures, errors } = failure as BroadcastError
      expect(failures.map((f) => [f.relay, f.error.code])).toEqual([[B, 'WriteQueueFull']])
      expect(errors).toHaveLength(1)
      at(1, () => {
        expect(socket(A).sent).toEqual(['["NOTICE","only a"]', '["NOTICE","one"]', '["NOTICE","two"]'])
        expect(socket(C).sent).toEqual(['["NOTICE","one"]', '["NOTICE","two"]'])
      })
    })
  })
})

describe('statuses$ and errors$', () => {
  it('emits a new frozen record per change, the current one first, and follows the relays', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at }) => {
      const emitted: PoolStatuses[] = []
      const copies: string[] = []
      pool.statuses$.subscribe((record) => {
        emitted.push(record)
        copies.push(JSON.stringify(record))
      })
      // Subscribing activated both: one first record with both of them.
      expect(emitted).toEqual([{ [A]: 'connecting', [B]: 'connecting' }])
      at(1, () => {
        pool.addRelay(C)
        pool.removeRelay(A)
      })
      at(2, () => {
        expect(emitted).toEqual([
          { [A]: 'connecting', [B]: 'connecting' },
          { [A]: 'connected', [B]: 'connecting' },
          { [A]: 'connected', [B]: 'connected' },
          { [A]: 'connected', [B]: 'connected', [C]: 'disconnected' },
          { [A]: 'connected', [B]: 'connected', [C]: 'connecting' },
          { [B]: 'connected', [C]: 'connecting' },
          { [B]: 'connected', [C]: 'connected' },
        ])
        expect(new Set(emitted).size).toBe(emitted.length) // never the same object twice
        expect(emitted.every((record) => Object.isFrozen(record))).toBe(true)
        expect(emitted.map((record) => JSON.stringify(record))).toEqual(copies) // none changed later
        const late: PoolStatuses[] = []
        pool.statuses$.subscribe((record) => late.push(record)).unsubscribe()
        expect(late).toEqual([{ [B]: 'connected', [C]: 'connected' }])
      })
    })
  })

  it('is lazy: nothing connects until statuses$ is subscribed', () => {
    inVirtualTime({}, ({ pool, network, at }) => {
      const statuses = pool.statuses$
      at(10, () => {
        expect(network.sockets).toEqual([])
        statuses.subscribe()
        expect(network.sockets.map((s) => s.url)).toEqual([A, B, C])
      })
    })
  })

  it('errors$ carries each relay’s connection errors with the relay', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at, socket }) => {
      const errors = collect<PoolError>(pool.errors$)
      at(1, () => socket(B).end({ code: 1011, reason: 'boom' }))
      at(2, () => {
        expect(errors.values.map((e) => e.relay)).toEqual([B])
        const error: HoneybeeError | undefined = errors.values[0]?.error
        expect(error).toMatchObject({ name: 'ConnectionError', closeCode: 1011 })
      })
    })
  })
})

describe('close', () => {
  it('closes every connection, completes every stream, is idempotent, and refuses further use', () => {
    inVirtualTime({ relays: [A, B] }, ({ pool, at, socket, scheduler }) => {
      const messages = collect(pool.subscribe({}))
      const statuses = collect<PoolStatuses>(pool.statuses$)
      const errors = collect(pool.errors$)
      let connections: Connection[] = []
      at(1, () => {
        connections = [pool.addRelay(A), pool.addRelay(B)]
        pool.close()
        pool.close()
        for (const url of [A, B]) expect(socket(url).closedWith?.code).toBe(1000)
        expect(messages.completed).toBe(true)
        expect(errors.completed).toBe(true)
        expect(statuses.completed).toBe(true)
        expect(statuses.values.at(-1)).toEqual({ [A]: 'closing', [B]: 'closing' })
        expect(failureOf(() => pool.addRelay('wss://new.test'))).toMatchObject({ code: 'InvalidState' })
        expect(failureOf(() => pool.broadcast('[]'))).toMatchObject({ code: 'InvalidState' })
        expect(failureOf(() => pool.removeRelay(A))).toMatchObject({ code: 'InvalidState' })
        expect(collect(pool.subscribe({})).error).toMatchObject({ code: 'InvalidState' })
        expect(collect(pool.publish(event(1))).error).toMatchObject({ code: 'InvalidState' })
        const after = collect<PoolStatuses>(pool.statuses$)
        expect(after).toMatchObject({ values: [{ [A]: 'closing', [B]: 'closing' }], completed: true })
        expect(collect(pool.errors$).completed).toBe(true)
      })
      at(1 + 5_001, () => {
        expect(scheduler.now()).toBeGreaterThan(5_000)
        expect(connections.map((c) => c.status)).toEqual(['closed', 'closed'])
        expect(pool.status(A)).toBe('closed')
      })
    })
  })
})
