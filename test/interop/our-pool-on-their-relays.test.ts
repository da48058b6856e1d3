/**
 * Our initiator side (honeybee-node `connect` with `req`/`publish`, and the pool) on relays we did not
 * write: `@nostr-relay/core` with its SQLite repository, and Nostrify's in-memory `MockRelay`, each behind
 * the small `ws` server in helpers/their-relays.ts.
 */
import {
  type Connection,
  connect,
  createPool,
  type NodeConnectOptions,
  type NostrEvent,
  type PoolMessage,
  type PoolOkResult,
  req,
  type SubscriptionMessage,
} from 'honeybee-node'
import { firstValueFrom, timeout, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { disposeAfterEach, until } from '../../packages/honeybee-node/test/helpers/wait.js'
import { newAuthor, nowSeconds, withBadSignature } from './helpers/events.js'
import { okOf } from './helpers/honeybee.js'
import { type ForeignRelay, startNostrifyRelay, startNostrRelayCore } from './helpers/their-relays.js'

const track = disposeAfterEach()

const FAST_RECONNECT: NodeConnectOptions = { reconnect: { initialDelay: 50, maxDelay: 200, maxAttempts: 0 } }

function dial(url: string, options: NodeConnectOptions = {}): Connection {
  return track(connect(url, { ...FAST_RECONNECT, ...options }), (conn) => conn.close())
}

/** Records a subscription's messages until the test ends. */
function record(conn: Connection, filters: Parameters<typeof req>[1]): SubscriptionMessage[] {
  const messages: SubscriptionMessage[] = []
  track(
    req(conn, filters).subscribe((m) => messages.push(m)),
    (s) => s.unsubscribe(),
  )
  return messages
}

const eventsIn = (messages: readonly SubscriptionMessage[]): NostrEvent[] =>
  messages.flatMap((m) => (m.type === 'event' ? [m.event] : []))
const byId = (a: NostrEvent, b: NostrEvent): number => (a.id < b.id ? -1 : 1)

interface Foreign {
  readonly name: string
  readonly start: () => Promise<ForeignRelay>
  /** Whether it checks signatures (Nostrify's MockRelay stores whatever it is given). */
  readonly verifies: boolean
}

const FOREIGN: readonly Foreign[] = [
  { name: '@nostr-relay/core on SQLite', start: startNostrRelayCore, verifies: true },
  { name: 'Nostrify MockRelay', start: startNostrifyRelay, verifies: false },
]

for (const foreign of FOREIGN) {
  describe(`honeybee connect on ${foreign.name}`, () => {
    it('publish gets the OK; req gets the stored events, EOSE, then a live event', async () => {
      const relay = track(await foreign.start(), (r) => r.close())
      const conn = dial(relay.url)
      const alice = newAuthor()
      const t = nowSeconds() - 10
      const first = alice.sign({ created_at: t })
      const second = alice.sign({ created_at: t + 1 })
      expect(await okOf(conn, first)).toMatchObject({ eventId: first.id, accepted: true })
      expect(await okOf(conn, second)).toMatchObject({ eventId: second.id, accepted: true })
      // Publishing again is not a failure, whatever the relay says about it.
      expect(await okOf(conn, first)).toMatchObject({ eventId: first.id, accepted: true })
      if (foreign.verifies) {
        expect(await okOf(conn, withBadSignature(alice.sign({})))).toMatchObject({
          accepted: false,
          prefix: 'invalid',
        })
      }

      const messages = record(conn, { authors: [alice.pubkey] })
      await until(() => messages.some((m) => m.type === 'eose'), 'EOSE')
      expect(eventsIn(messages).sort(byId)).toEqual([first, second].sort(byId))
      expect(messages.at(-1)).toMatchObject({ type: 'eose', timedOut: false })

      const live = alice.sign({})
      expect(await okOf(dial(relay.url), live)).toMatchObject({ accepted: true })
      await until(() => eventsIn(messages).length === 3, 'the live event')
      expect(eventsIn(messages)[2]).toEqual(live)
    })

    it('a subscription survives the relay dropping every connection: the REQ is sent again, live events resume', async () => {
      const relay = track(await foreign.start(), (r) => r.close())
      const conn = dial(relay.url)
      const alice = newAuthor()
      const before = alice.sign({ created_at: nowSeconds() - 5 })
      expect(await okOf(conn, before)).toMatchObject({ accepted: true })
      // EOSE envelopes as they arrive, the re-sent subscription's included (honeybee reports only the first).
      let eoses = 0
      track(
        conn.eose$.subscribe(() => eoses++),
        (s) => s.unsubscribe(),
      )
      const messages = record(conn, { authors: [alice.pubkey] })
      await until(() => messages.some((m) => m.type === 'eose'), 'EOSE')

      relay.dropConnections()
      // Answered again: the relay has the subscription back (@nostr-relay/core registers it at EOSE).
      await until(() => eoses === 2, 'the re-sent REQ answered', { within: 5_000 })
      const after = alice.sign({})
      expect(await okOf(dial(relay.url), after)).toMatchObject({ accepted: true })
      await until(
        () => eventsIn(messages).some((e) => e.id === after.id),
        'the live event after the reconnect',
      )
      // One copy of everything, one EOSE, and the REQ went out twice (the second with a `since`).
      expect(eventsIn(messages)).toEqual([before, after])
      expect(messages.filter((m) => m.type === 'eose')).toHaveLength(1)
      const sent = relay.received.filter((m) => m.startsWith('["REQ"')).map((m) => JSON.parse(m) as unknown[])
      expect(sent).toHaveLength(2)
      expect(sent[1]?.[2]).toMatchObject({ authors: [alice.pubkey], since: expect.any(Number) })
    })
  })
}

describe('the honeybee pool on both foreign relays', () => {
  it('publishes to both (one OK each), subscribes across both (one copy of each event), and survives one dropping out', async () => {
    const core = track(await startNostrRelayCore(), (r) => r.close())
    const nostrify = track(await startNostrifyRelay(), (r) => r.close())
    const pool = track(createPool({ relays: [core.url, nostrify.url], connection: FAST_RECONNECT }), (p) =>
      p.close(),
    )
    const [coreUrl, nostrifyUrl] = pool.relays
    const alice = newAuthor()
    const publishToAll = (event: NostrEvent): Promise<PoolOkResult[]> =>
      firstValueFrom(
        pool
          .publish(event)
          .pipe(
            toArray(),
            timeout({ first: 5_000, with: () => Promise.reject(new Error('no OK from every relay')) }),
          ),
      )

    const first = alice.sign({ created_at: nowSeconds() - 5 })
    const oks = await publishToAll(first)
    expect(oks.map((ok) => [ok.relay, ok.accepted, ok.error]).sort()).toEqual(
      [
        [coreUrl, true, undefined],
        [nostrifyUrl, true, undefined],
      ].sort(),
    )

    const messages: PoolMessage[] = []
    track(
      pool.subscribe({ authors: [alice.pubkey] }).subscribe((m) => messages.push(m)),
      (s) => s.unsubscribe(),
    )
    await until(() => messages.some((m) => m.type === 'eose-all'), 'eose-all')
    const poolEvents = () => messages.flatMap((m) => (m.type === 'event' ? [m.event.id] : []))
    expect(poolEvents()).toEqual([first.id])
    expect(
      messages
        .filter((m) => m.type === 'eose')
        .map((m) => m.relay)
        .sort(),
    ).toEqual([coreUrl, nostrifyUrl].sort())

    // On both relays: one copy. On one relay only: delivered from that one.
    const second = alice.sign({})
    expect((await publishToAll(second)).every((ok) => ok.accepted)).toBe(true)
    const onlyNostrify = alice.sign({})
    expect(await okOf(dial(nostrify.url), onlyNostrify)).toMatchObject({ accepted: true })
    await until(() => poolEvents().length === 3, 'the live events')
    expect(poolEvents()).toEqual([first.id, second.id, onlyNostrify.id])
    expect(messages.find((m) => m.type === 'event' && m.event.id === onlyNostrify.id)).toMatchObject({
      relay: nostrifyUrl,
    })

    // One relay drops every connection: the pool stream goes on, and that relay comes back into it.
    let coreEoses = 0
    track(
      pool.addRelay(core.url).eose$.subscribe(() => coreEoses++),
      (s) => s.unsubscribe(),
    )
    core.dropConnections()
    await until(() => coreEoses === 1, 'the re-sent REQ answered by the reconnected relay', { within: 5_000 })
    const onlyCore = alice.sign({})
    expect(await okOf(dial(core.url), onlyCore)).toMatchObject({ accepted: true })
    await until(() => poolEvents().includes(onlyCore.id), 'the event only the reconnected relay has')
    expect(messages.filter((m) => m.type === 'error')).toEqual([])
    expect(poolEvents()).toEqual([first.id, second.id, onlyNostrify.id, onlyCore.id])
  })
})
