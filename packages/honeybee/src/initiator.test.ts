/**
 * The initiator functions (req, publish, NIP-42, NIP-11 limits) in virtual time on a scripted socket.
 * The same behaviour across real sockets, and against relays we did not write, is in honeybee-node.
 */
import {
  encloseAuthChallenge,
  encloseClosed,
  encloseEOSE,
  encloseOK,
  encloseSubscriptionEvent,
} from 'roots-ws'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import {
  type ConnectionRig,
  inVirtualTime as inVirtualTimeWith,
  sentReqs,
  testEvent,
} from '../test/connection-rig.js'
import { FakeNetwork, type FakeSocket } from '../test/fake-socket.js'
import type { PartialConfig } from './config.js'
import { type ConnectionHooks, createConnection } from './connection.js'
import type { Filter } from './nostr.js'
import { type OkResult, publish } from './publish.js'
import { parseReply } from './relay-reply.js'
import { req } from './req.js'
import { sendClose } from './send-close.js'
import { subscriptionsOf } from './session.js'
import type { SubscriptionMessage } from './subscription-registry.js'

const event = testEvent

interface Rig extends ConnectionRig {
  /** The REQs the current socket received, parsed. */
  reqs(socket?: FakeSocket): { subId: string; filters: Filter[] }[]
}

function inVirtualTime(config: PartialConfig, hooks: ConnectionHooks, body: (rig: Rig) => void): void {
  inVirtualTimeWith({ ...config, hooks }, (rig) =>
    body({ ...rig, reqs: (socket = rig.network.last) => sentReqs(socket) }),
  )
}

/**
 * For hooks that return promises (NIP-11, NIP-42): virtual time advanced step by step, with the
 * promise jobs settled between steps.
 */
function stepped(config: PartialConfig, hooks: ConnectionHooks) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
  const network = new FakeNetwork()
  network.defer = (fn) => scheduler.schedule(fn)
  network.onSocket = (socket) => socket.open()
  const conn = createConnection('ws://relay.test', {
    ...config,
    socketFactory: network.factory,
    scheduler,
    hooks,
  })
  return {
    conn,
    network,
    /** Runs the timers due within `ms`, then lets pending promise jobs run. */
    async step(ms = 1): Promise<void> {
      scheduler.maxFrames = scheduler.now() + ms
      scheduler.flush()
      await new Promise((resolve) => setImmediate(resolve))
    },
  }
}

const types = (messages: SubscriptionMessage[]): string[] => messages.map((m) => m.type)

describe('req', () => {
  it('sends REQ on subscribe and CLOSE on unsubscribe, and delivers parsed events and EOSE', () => {
    inVirtualTime({}, {}, ({ conn, network, at, reqs }) => {
      const got: SubscriptionMessage[] = []
      const sub = req(conn, { kinds: [1] }, { id: 'feed' }).subscribe((m) => got.push(m))
      at(1, () => {
        expect(reqs()).toEqual([{ subId: 'feed', filters: [{ kinds: [1] }] }])
        network.last.receive(encloseSubscriptionEvent('feed', JSON.stringify(event(1))))
        network.last.receive(encloseSubscriptionEvent('other', JSON.stringify(event(2))))
        network.last.receive(encloseEOSE('feed'))
        expect(got).toEqual([
          { type: 'event', subId: 'feed', event: event(1) },
          { type: 'eose', subId: 'feed', timedOut: false },
        ])
        sub.unsubscribe()
        expect(network.last.sent.at(-1)).toBe('["CLOSE","feed"]')
      })
    })
  })

  it('generates ids that are unique on the connection and at most 64 characters', () => {
    inVirtualTime({}, {}, ({ conn, at, reqs }) => {
      for (let i = 0; i < 50; i++) req(conn, {}).subscribe()
      at(1, () => {
        const ids = reqs().map((r) => r.subId)
        expect(new Set(ids).size).toBe(20) // 20 open: the default subscription limit
        for (const id of ids) expect(id.length).toBeLessThanOrEqual(64)
      })
    })
  })

  it('completes on an unprefixed CLOSED and errors with the prefix as code on a prefixed one', () => {
    inVirtualTime({}, {}, ({ conn, network, at }) => {
      const a: SubscriptionMessage[] = []
      let completed = false
      let failure: unknown
      req(conn, {}, { id: 'a' }).subscribe({ next: (m) => a.push(m), complete: () => (completed = true) })
      req(conn, {}, { id: 'b' }).subscribe({ error: (e) => (failure = e) })
      at(1, () => {
        network.last.receive(encloseClosed('a', 'bye'))
        network.last.receive(encloseClosed('b', 'restricted: members only'))
        expect(types(a)).toEqual(['closed'])
        expect(completed).toBe(true)
        expect(failure).toMatchObject({ name: 'RelayError', code: 'restricted' })
        // Ended by the relay: no CLOSE goes back.
        expect(network.last.sent.filter((e) => e.startsWith('["CLOSE"'))).toEqual([])
      })
    })
  })

  it('refuses a second live subscription with the same id', () => {
    inVirtualTime({}, {}, ({ conn }) => {
      req(conn, {}, { id: 'same' }).subscribe()
      let failure: unknown
      req(conn, {}, { id: 'same' }).subscribe({ error: (e) => (failure = e) })
      expect(failure).toMatchObject({ code: 'SubscriptionDuplicate' })
    })
  })

  it('times out EOSE after eoseTimeout of silence, extended while events keep arriving, and keeps delivering', () => {
    inVirtualTime({ eoseTimeout: 1000 }, {}, ({ conn, network, at }) => {
      const got: SubscriptionMessage[] = []
      req(conn, {}, { id: 's' }).subscribe((m) => got.push(m))
      for (let t = 500; t <= 2500; t += 500) {
        at(t, () => network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(t)))))
      }
      at(3499, () => expect(types(got)).toEqual(['event', 'event', 'event', 'event', 'event']))
      at(3501, () => {
        expect(got.at(-1)).toEqual({ type: 'eose', subId: 's', timedOut: true })
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(9000))))
        expect(got.at(-1)?.type).toBe('event')
      })
    })
  })

  it('after a reconnect re-sends the REQ with since moved up by the overlap, as a new filter object', () => {
    inVirtualTime({}, {}, ({ conn, network, at, reqs }) => {
      const filter: Filter = { kinds: [1], since: 10 }
      const got: SubscriptionMessage[] = []
      req(conn, filter, { id: 's' }).subscribe((m) => got.push(m))
      at(1, () => {
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(1, 5000))))
        network.last.receive(encloseEOSE('s'))
        network.last.end()
      })
      at(1003, () => {
        expect(reqs()).toEqual([{ subId: 's', filters: [{ kinds: [1], since: 5000 - 60 }] }])
        expect(filter).toEqual({ kinds: [1], since: 10 })
        // The overlap brings back the event already delivered (dropped) and one with the same second.
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(1, 5000))))
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(2, 5000))))
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(3, 4970))))
        expect(
          got.filter((m) => m.type === 'event').map((m) => (m.type === 'event' ? m.event.id : '')),
        ).toEqual(['id1', 'id2', 'id3'])
      })
    })
  })

  it("takes an EOSE timeout of its own, instead of the connection's", () => {
    inVirtualTime({ eoseTimeout: 10_000 }, {}, ({ conn, at }) => {
      const quick: SubscriptionMessage[] = []
      const usual: SubscriptionMessage[] = []
      req(conn, {}, { id: 'quick', eoseTimeout: 500 }).subscribe((m) => quick.push(m))
      req(conn, {}, { id: 'usual' }).subscribe((m) => usual.push(m))
      at(499, () => expect(quick).toEqual([]))
      at(502, () => expect(quick).toEqual([{ type: 'eose', subId: 'quick', timedOut: true }]))
      at(9_990, () => expect(usual).toEqual([]))
      at(10_010, () => expect(usual).toEqual([{ type: 'eose', subId: 'usual', timedOut: true }]))
    })
  })

  it('never resumes later than the wall clock: an event dated tomorrow does not move since past today', () => {
    inVirtualTime({}, {}, ({ conn, network, at, reqs }) => {
      const today = Math.floor(Date.now() / 1000)
      req(conn, { kinds: [1] }, { id: 's' }).subscribe()
      at(1, () => {
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(1, today - 30))))
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(2, today + 86_400))))
        network.last.receive(encloseEOSE('s'))
        network.last.end()
      })
      at(1003, () => {
        const since = reqs()[0]?.filters[0]?.since ?? Number.NaN
        expect(since).toBeGreaterThanOrEqual(today - 60)
        expect(since).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 60)
      })
    })
  })

  it('remembers at most 100,000 ids while it never sees EOSE: memory stays flat, the oldest may come twice', () => {
    inVirtualTime({}, {}, ({ conn, network, at }) => {
      let delivered = 0
      req(conn, { kinds: [1] }, { id: 's' }).subscribe((m) => m.type === 'event' && delivered++)
      const send = (n: number): void =>
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(n))))
      at(1, () => {
        for (let n = 0; n < 100_001; n++) send(n) // no EOSE: nothing is pruned
        expect(delivered).toBe(100_001)
        send(100_000) // remembered: dropped
        expect(delivered).toBe(100_001)
        send(0) // the oldest, forgotten to make room: delivered again
        expect(delivered).toBe(100_002)
      })
    })
  })

  it('re-sends an interrupted backfill unchanged, and drops what was already delivered', () => {
    inVirtualTime({}, {}, ({ conn, network, at, reqs }) => {
      const got: string[] = []
      req(conn, { kinds: [1] }, { id: 's' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
      at(1, () => {
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(2, 2000))))
        network.last.end() // before EOSE: older events may not have arrived yet
      })
      at(1003, () => {
        expect(reqs()).toEqual([{ subId: 's', filters: [{ kinds: [1] }] }])
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(2, 2000))))
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(1, 1000))))
        expect(got).toEqual(['id2', 'id1'])
      })
    })
  })

  it('drops duplicates both ways: by id before parsing while they are likely, after parsing past a run of new events', () => {
    inVirtualTime({}, {}, ({ conn, network, at }) => {
      const got: string[] = []
      const errors: string[] = []
      conn.errors$.subscribe((e) => errors.push(e.code))
      req(conn, {}, { id: 's' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
      const send = (text: string): void => network.last.receive(encloseSubscriptionEvent('s', text))
      at(1, () => {
        send(JSON.stringify(event(1)))
        // Early on, a copy is recognised by its id and never parsed: its broken body goes unreported.
        send('{"id":"id1","kind":"not a number"}')
        expect(errors).toEqual([])
        // A long run of new events (with the id last, which only parsing reads)...
        for (let n = 2; n <= 40; n++) {
          const { id, ...rest } = event(n)
          send(JSON.stringify({ ...rest, id }))
        }
        // ...and copies are found after parsing: a broken one is reported as malformed, a sound one dropped.
        send('{"id":"id8","kind":"not a number"}')
        expect(errors).toEqual(['MalformedEnvelope'])
        send(JSON.stringify(event(7)))
        // That duplicate turned it back: the next copy is dropped unread again.
        send('{"id":"id9","kind":"not a number"}')
        expect(errors).toEqual(['MalformedEnvelope'])
        expect(got).toEqual(Array.from({ length: 40 }, (_, i) => `id${i + 1}`))
      })
    })
  })

  describe('copies dropped from their first bytes, undecoded', () => {
    const envelope = (n: number, subId = 's'): string =>
      encloseSubscriptionEvent(subId, JSON.stringify(event(n)))

    it('skips a copy without decoding it, yet counts it and takes it as a sign of life', () => {
      inVirtualTime({}, {}, ({ conn, network, at }) => {
        const got: string[] = []
        req(conn, {}, { id: 's' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
        at(1, () => {
          network.last.receiveBytes(envelope(1))
          network.last.receiveBytes(envelope(1))
          network.last.receiveBytes(envelope(2))
          expect(network.last.decoded).toBe(2)
          expect(got).toEqual(['id1', 'id2'])
          expect(conn.metrics().messagesReceived).toBe(3)
          expect(conn.lastMessageAt).toBe(1)
        })
        // A frame kept by the filter lends its clock reading to that frame only.
        at(7, () => {
          network.last.receive(envelope(3))
          expect(conn.lastMessageAt).toBe(7)
        })
      })
    })

    it('decodes every frame while messages$ or a second events$ subscriber watches', () => {
      inVirtualTime({}, {}, ({ conn, network, at }) => {
        const got: string[] = []
        req(conn, {}, { id: 's' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
        at(1, () => {
          network.last.receiveBytes(envelope(1))
          const seen: string[] = []
          const watching = conn.messages$.subscribe((m) => seen.push(m))
          network.last.receiveBytes(envelope(1))
          watching.unsubscribe()
          const alsoWatching = conn.events$.subscribe((m) => seen.push(m))
          network.last.receiveBytes(envelope(1))
          alsoWatching.unsubscribe()
          network.last.receiveBytes(envelope(1))
          expect(network.last.decoded).toBe(3)
          expect(seen).toEqual([envelope(1), envelope(1)])
          expect(got).toEqual(['id1'])
        })
      })
    })

    it('decodes copies after a run of new events, and frames whose first bytes do not reach the id', () => {
      inVirtualTime({}, {}, ({ conn, network, at }) => {
        const got: string[] = []
        const long = 'L'.repeat(64)
        req(conn, {}, { id: 's' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
        req(conn, {}, { id: long }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
        req(conn, {}, { id: 'é' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
        at(1, () => {
          for (let n = 1; n <= 20; n++) network.last.receiveBytes(envelope(n))
          network.last.receiveBytes(envelope(3)) // parsed first now: decoded, then dropped
          expect(network.last.decoded).toBe(21)
          // An id of 120 characters after a 64-character subscription id ends past the first 192.
          const longId = { ...event(99), id: 'x'.repeat(120) }
          network.last.receiveBytes(encloseSubscriptionEvent(long, JSON.stringify(longId)))
          network.last.receiveBytes(encloseSubscriptionEvent(long, JSON.stringify(longId)))
          // A subscription id that is not ASCII is never read from bytes.
          network.last.receiveBytes(envelope(50, 'é'))
          network.last.receiveBytes(envelope(50, 'é'))
          expect(network.last.decoded).toBe(25)
          expect(got).toEqual([
            ...Array.from({ length: 20 }, (_, i) => `id${i + 1}`),
            'x'.repeat(120),
            'id50',
          ])
        })
      })
    })
  })

  it('reads an event the same however the envelope around it is written', () => {
    inVirtualTime({}, {}, ({ conn, network, at }) => {
      const got: string[] = []
      const errors: string[] = []
      conn.errors$.subscribe((e) => errors.push(e.code))
      req(conn, {}, { id: 's' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
      const body = (n: number): string => JSON.stringify(event(n))
      at(1, () => {
        for (const envelope of [
          `["EVENT","s",${body(1)}]`,
          `["EVENT","s",${body(2)} ]\n`,
          `[ "EVENT", "s", ${body(3)}]`,
          `["EVENT","s",${body(4)},"extra"]`,
          `["EVENT","\\u0073",${body(5)}]`,
          `["EVENT","s",${body(6)}}]`,
          `["EVENT","s",${body(7)}`,
          `["EVENT","s",{"id":"id8"}]`,
        ])
          network.last.receive(envelope)
        expect(got).toEqual(['id1', 'id2', 'id3', 'id4', 'id5'])
        expect(errors).toEqual(['MalformedEnvelope', 'MalformedEnvelope', 'MalformedEnvelope'])
      })
    })
  })

  it('holds REQs beyond the relay limit in a queue and sends each when a slot frees', () => {
    inVirtualTime({ relayLimits: { maxSubscriptions: 2 } }, {}, ({ conn, network, at, reqs }) => {
      const a = req(conn, {}, { id: 'a' }).subscribe()
      req(conn, {}, { id: 'b' }).subscribe()
      req(conn, {}, { id: 'c' }).subscribe()
      req(conn, {}, { id: 'd' }).subscribe()
      at(1, () => {
        expect(reqs().map((r) => r.subId)).toEqual(['a', 'b'])
        a.unsubscribe()
        expect(reqs().map((r) => r.subId)).toEqual(['a', 'b', 'c'])
        network.last.receive(encloseClosed('b', ''))
        expect(reqs().map((r) => r.subId)).toEqual(['a', 'b', 'c', 'd'])
      })
    })
  })

  it('obeys the NIP-11 limits of the relay when a document is available', async () => {
    const { conn, network, step } = stepped(
      {},
      { fetchRelayInfo: async () => ({ limitation: { max_subscriptions: 1, max_message_length: 100 } }) },
    )
    req(conn, {}, { id: 'first' }).subscribe()
    await step()
    req(conn, {}, { id: 'second' }).subscribe()
    let failure: unknown
    req(conn, { search: 'x'.repeat(200) }).subscribe({ error: (e) => (failure = e) })
    await step()
    expect(failure).toMatchObject({ code: 'EnvelopeTooLarge' })
    expect(network.last.sent).toEqual(['["REQ","first",{}]'])
    conn.close()
  })

  it('holds REQs made before the document arrives, so they cannot go past max_subscriptions', async () => {
    let answer: (info: { limitation: { max_subscriptions: number } }) => void = () => undefined
    const document = new Promise<{ limitation: { max_subscriptions: number } }>(
      (resolve) => (answer = resolve),
    )
    const { conn, network, step } = stepped({}, { fetchRelayInfo: () => document })
    const a = req(conn, {}, { id: 'a' }).subscribe()
    req(conn, {}, { id: 'b' }).subscribe()
    req(conn, {}, { id: 'c' }).subscribe()
    await step(50)
    expect(network.last.sent).toEqual([]) // connected, but the limits are not known yet
    answer({ limitation: { max_subscriptions: 1 } })
    await step()
    expect(network.last.sent).toEqual(['["REQ","a",{}]'])
    a.unsubscribe()
    expect(network.last.sent).toEqual(['["REQ","a",{}]', '["CLOSE","a"]', '["REQ","b",{}]'])
    conn.close()
  })

  it('sends held REQs after connectTimeout when the document never comes', async () => {
    const { conn, network, step } = stepped(
      { connectTimeout: 2000 },
      { fetchRelayInfo: () => new Promise(() => undefined) },
    )
    req(conn, {}, { id: 'a' }).subscribe()
    await step(1990)
    expect(network.last.sent).toEqual([])
    await step(3000) // past connectTimeout (step counts from the last timer run, not from 1990)
    expect(network.last.sent).toEqual(['["REQ","a",{}]'])
    conn.close()
  })
})

describe('closing the connection', () => {
  it('completes every req() and ends every publish waiting for its OK with ConnectionClosed', () => {
    inVirtualTime({}, {}, ({ conn, at }) => {
      const ended: string[] = []
      req(conn, { kinds: [1] }).subscribe({ complete: () => ended.push('req complete') })
      publish(conn, event(1)).subscribe({
        error: (e: { code: string; message: string }) => ended.push(`publish ${e.code}: ${e.message}`),
      })
      at(5, () => {
        expect(ended).toEqual([])
        conn.close()
      })
      at(6000, () =>
        expect(ended).toEqual([
          'publish ConnectionClosed: ws://relay.test was closed before it answered id1',
          'req complete',
        ]),
      )
    })
  })
})

describe('sendClose', () => {
  it('closes a req() by its id: CLOSE sent, the observable completes, a reconnect does not re-send it', () => {
    inVirtualTime({ reconnect: { initialDelay: 100, jitter: 0 } }, {}, ({ conn, network, at, reqs }) => {
      let feedDone = false
      let otherDone = false
      req(conn, { kinds: [1] }, { id: 'feed' }).subscribe({ complete: () => (feedDone = true) })
      req(conn, { kinds: [7] }, { id: 'other' }).subscribe({ complete: () => (otherDone = true) })
      at(1, () => {
        expect(reqs().map((r) => r.subId)).toEqual(['feed', 'other'])
        sendClose(conn, 'feed')
        expect(network.last.sent.at(-1)).toBe('["CLOSE","feed"]')
        expect([feedDone, otherDone]).toEqual([true, false])
        expect(
          subscriptionsOf(conn)
            .list()
            .map((s) => s.id),
        ).toEqual(['other'])
        network.last.end()
      })
      at(500, () => expect(reqs().map((r) => r.subId)).toEqual(['other'])) // the new socket's REQs
    })
  })

  it('sends CLOSE for an id it does not know, and refuses an id NIP-01 does not allow', () => {
    inVirtualTime({}, {}, ({ conn, network, at }) => {
      at(1, () => {
        conn.send('["REQ","by-hand",{}]')
        sendClose(conn, 'by-hand')
      })
      at(10, () => {
        expect(network.last.sent).toEqual(['["REQ","by-hand",{}]', '["CLOSE","by-hand"]'])
        expect(() => sendClose(conn, '')).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
        expect(() => sendClose(conn, 'x'.repeat(65))).toThrow(
          expect.objectContaining({ code: 'InvalidArgument' }),
        )
      })
    })
  })
})

describe('publish', () => {
  it('resolves with the OK for its own event only, then completes', () => {
    inVirtualTime({}, {}, ({ conn, network, at }) => {
      const got: OkResult[] = []
      let completed = false
      publish(conn, event(1)).subscribe({ next: (r) => got.push(r), complete: () => (completed = true) })
      at(1, () => {
        expect(network.last.sent).toEqual([`["EVENT",${JSON.stringify(event(1))}]`])
        network.last.receive(encloseOK('id9', true, ''))
        expect(got).toEqual([])
        network.last.receive(encloseOK('id1', false, 'blocked: not on my relay'))
        expect(got).toEqual([
          { eventId: 'id1', accepted: false, message: 'blocked: not on my relay', prefix: 'blocked' },
        ])
        expect(completed).toBe(true)
      })
    })
  })

  it('counts a duplicate: answer as accepted', () => {
    inVirtualTime({}, {}, ({ conn, network, at }) => {
      const got: OkResult[] = []
      publish(conn, JSON.stringify(event(1))).subscribe((r) => got.push(r))
      at(1, () => network.last.receive(encloseOK('id1', false, 'duplicate: have it')))
      at(2, () => expect(got[0]).toMatchObject({ accepted: true, prefix: 'duplicate' }))
    })
  })

  it('fails with a TimeoutError when no OK comes within okTimeout of being connected', () => {
    inVirtualTime({ okTimeout: 3000 }, {}, ({ conn, at }) => {
      let failure: unknown
      publish(conn, event(1)).subscribe({ error: (e) => (failure = e) })
      at(3000, () => expect(failure).toBeUndefined())
      at(3002, () => expect(failure).toMatchObject({ name: 'TimeoutError', code: 'Timeout', timeout: 3000 }))
    })
  })

  it('published while the relay is down: held, sent after reconnect, resolved by its OK', () => {
    inVirtualTime({ okTimeout: 3000 }, {}, ({ conn, network, at }) => {
      network.onSocket = undefined // nothing opens until the test says so
      const got: OkResult[] = []
      let failure: unknown
      publish(conn, event(1)).subscribe({ next: (r) => got.push(r), error: (e) => (failure = e) })
      at(9000, () => network.last.open()) // the first socket opens late: the clock had not started
      at(9001, () => {
        expect(network.last.sent).toEqual([`["EVENT",${JSON.stringify(event(1))}]`])
        network.last.receive(encloseOK('id1', true, ''))
        expect(got).toEqual([{ eventId: 'id1', accepted: true, message: '', prefix: undefined }])
        expect(failure).toBeUndefined()
      })
    })
  })

  it('ends with a ConnectionError when the connection gives up reconnecting, instead of never', () => {
    const reconnect = { maxAttempts: 2, initialDelay: 1000, factor: 1, jitter: 0 }
    inVirtualTime({ okTimeout: 3000, reconnect }, {}, ({ conn, network, at }) => {
      // Every socket fails before opening: the first dial and two retries, then the connection gives up.
      network.onSocket = (socket) => socket.end({ code: 1006, reason: '' })
      let failure: unknown
      let completed = false
      publish(conn, event(1)).subscribe({ error: (e) => (failure = e), complete: () => (completed = true) })
      at(1500, () => expect(failure).toBeUndefined()) // still retrying: the publish waits
      at(10_000, () => {
        expect(conn.status).toBe('error')
        expect(network.sockets).toHaveLength(3)
        expect(failure).toMatchObject({ name: 'ConnectionError', code: 'ConnectionClosed' })
        expect(String((failure as Error).message)).toContain('id1')
        expect(completed).toBe(false)
      })
    })
  })

  it("measures the relay's max_message_length in UTF-8 bytes, as NIP-11 does", () => {
    const limit = 400
    inVirtualTime({ relayLimits: { maxMessageLength: limit } }, {}, ({ conn, network, at }) => {
      // About 260 UTF-16 units, but each € is 3 bytes: about 560 bytes in all.
      const euros = { ...event(1), content: '€'.repeat(150) }
      const ascii = { ...event(2), content: 'e'.repeat(100) }
      let refused: unknown
      publish(conn, euros).subscribe({ error: (e) => (refused = e) })
      publish(conn, ascii).subscribe({ error: () => undefined }) // no OK comes: it times out later
      expect(JSON.stringify(['EVENT', euros]).length).toBeLessThan(limit)
      expect(refused).toMatchObject({ name: 'UsageError', code: 'EnvelopeTooLarge' })
      expect(String((refused as Error).message)).toMatch(/^EVENT of 5\d\d bytes/)
      let reqRefused: unknown
      req(conn, { search: '€'.repeat(150) }).subscribe({ error: (e) => (reqRefused = e) })
      expect(reqRefused).toMatchObject({ code: 'EnvelopeTooLarge' })
      at(10, () => expect(network.last.sent).toEqual([`["EVENT",${JSON.stringify(ascii)}]`]))
    })
  })

  it('refuses an event without an id', () => {
    inVirtualTime({}, {}, ({ conn }) => {
      let failure: unknown
      publish(conn, '{"kind":1}').subscribe({ error: (e) => (failure = e) })
      expect(failure).toMatchObject({ code: 'InvalidArgument' })
    })
  })
})

describe('NIP-42', () => {
  const authEvent = JSON.stringify({ ...event(42), kind: 22242 })

  it('answers a challenge with the hook, and retries an auth-required publish once after authenticating', async () => {
    const challenges: string[] = []
    const { conn, network, step } = stepped(
      {},
      {
        authenticate: async (challenge) => {
          challenges.push(challenge)
          return authEvent
        },
      },
    )
    const got: OkResult[] = []
    publish(conn, event(1)).subscribe((r) => got.push(r))
    await step()
    network.last.receive(encloseAuthChallenge('c1'))
    network.last.receive(encloseOK('id1', false, 'auth-required: sign in first'))
    await step()
    expect(challenges).toEqual(['c1'])
    expect(network.last.sent.at(-1)).toBe(`["AUTH",${authEvent}]`)
    network.last.receive(encloseOK('id42', true, ''))
    await step()
    expect(network.last.sent.at(-1)).toBe(`["EVENT",${JSON.stringify(event(1))}]`)
    network.last.receive(encloseOK('id1', true, ''))
    expect(got).toEqual([{ eventId: 'id1', accepted: true, message: '', prefix: undefined }])
    conn.close()
  })

  it('re-sends a REQ closed with auth-required once authenticated, and ignores challenges without a hook', async () => {
    const { conn, network, step } = stepped({}, { authenticate: async () => authEvent })
    req(conn, { kinds: [4] }, { id: 'dm' }).subscribe()
    await step()
    network.last.receive(encloseAuthChallenge('c1'))
    network.last.receive(encloseClosed('dm', 'auth-required: who are you'))
    await step()
    network.last.receive(encloseOK('id42', true, ''))
    await step()
    expect(network.last.sent.filter((e) => e.startsWith('["REQ"'))).toEqual([
      '["REQ","dm",{"kinds":[4]}]',
      '["REQ","dm",{"kinds":[4]}]',
    ])
    conn.close()

    const plain = stepped({}, {})
    let failure: unknown
    req(plain.conn, {}, { id: 'dm' }).subscribe({ error: (e) => (failure = e) })
    await plain.step()
    plain.network.last.receive(encloseAuthChallenge('c1'))
    plain.network.last.receive(encloseClosed('dm', 'auth-required: who are you'))
    expect(failure).toMatchObject({ name: 'RelayError', code: 'auth-required' })
    expect(plain.network.last.sent.some((e) => e.startsWith('["AUTH"'))).toBe(false)
    plain.conn.close()
  })
})

describe('parseReply', () => {
  it.each([
    ['auth-required: please', 'auth-required'],
    ['rate-limited:slow down', 'rate-limited'],
    ['pow: difficulty 20', 'pow'],
    ['duplicate: already have it', 'duplicate'],
    ['mute: no one was listening', 'mute'],
    ['unknown-prefix: x', undefined],
    ['no prefix here', undefined],
    ['', undefined],
  ])('%s', (message, prefix) => {
    expect(parseReply(message)).toEqual({ prefix, message })
  })
})
