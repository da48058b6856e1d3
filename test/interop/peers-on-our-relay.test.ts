/**
 * Clients no one here wrote talk to our embedded relay (`startRelay`, on honeybee-node's `serve()`):
 * nostr-tools (`Relay`, `SimplePool`), NDK, rx-nostr and Nostrify's `NRelay1`. Each publishes (and gets
 * its OK, or its refusal), reads the stored events up to EOSE, and then gets a live event.
 */
import NDK, { NDKEvent, NDKRelaySet, type NDKSubscription } from '@nostr-dev-kit/ndk'
import { NRelay1 } from '@nostrify/nostrify'
import { type RunningRelay, startRelay } from 'honeybee-cli'
import type { NostrEvent } from 'honeybee-node'
import { SimplePool, useWebSocketImplementation as usePoolWebSocket } from 'nostr-tools/pool'
import { type Event, verifyEvent } from 'nostr-tools/pure'
import { Relay, useWebSocketImplementation as useRelayWebSocket } from 'nostr-tools/relay'
import {
  createRxBackwardReq,
  createRxForwardReq,
  createRxNostr,
  type EventPacket,
  noopSigner,
  type OkPacketAgainstEvent,
} from 'rx-nostr'
import { firstValueFrom, type Observable, throwError, timeout, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { disposeAfterEach, until } from '../../packages/honeybee-node/test/helpers/wait.js'
import { newAuthor, withBadSignature } from './helpers/events.js'
import { installGlobalWebSocket } from './helpers/global-websocket.js'

const track = disposeAfterEach()

async function ourRelay(): Promise<RunningRelay> {
  return track(await startRelay({ port: 0 }), (r) => r.close())
}

/** A copy as nostr-tools types it (mutable tags), without any mark a library put on it. */
const plain = (event: NostrEvent | Event): Event => JSON.parse(JSON.stringify(event)) as Event

describe('nostr-tools', () => {
  // nostr-tools' own way of choosing a socket implementation on Node (module-wide).
  useRelayWebSocket(WebSocket)
  usePoolWebSocket(WebSocket)

  it('Relay: OK on publish, a refusal rejects, stored events then EOSE, then a live event', async () => {
    const { url, store } = await ourRelay()
    const relay = track(await Relay.connect(url), (r) => r.close())
    const alice = newAuthor()
    const stored = alice.sign({})
    await expect(relay.publish(plain(stored))).resolves.toBe('')
    await expect(relay.publish(plain(withBadSignature(alice.sign({}))))).rejects.toThrow(/^invalid: /)
    await expect(relay.publish(plain(stored))).resolves.toMatch(/^duplicate: /)

    const received: Event[] = []
    let eoseAfter = -1
    const sub = relay.subscribe([{ authors: [alice.pubkey] }], {
      onevent: (event) => received.push(event),
      oneose: () => (eoseAfter = received.length),
    })
    track(sub, (s) => s.close())
    await until(() => eoseAfter >= 0, 'EOSE')
    expect({ eoseAfter, received: received.map(plain) }).toEqual({ eoseAfter: 1, received: [stored] })

    const live = alice.sign({})
    await expect(relay.publish(plain(live))).resolves.toBe('')
    await until(() => received.length === 2, 'the live event')
    expect(plain(received[1] as Event)).toEqual(live)
    expect(store.size).toBe(2)
  })

  it('SimplePool: publish, querySync up to EOSE, and a live subscription', async () => {
    const { url } = await ourRelay()
    const pool = track(new SimplePool(), (p) => p.destroy())
    const alice = newAuthor()
    const first = alice.sign({ created_at: 1_700_000_000 })
    const second = alice.sign({ created_at: 1_700_000_001 })
    expect(await Promise.all(pool.publish([url], plain(first)))).toEqual([''])
    expect(await Promise.all(pool.publish([url], plain(second)))).toEqual([''])
    const queried = await pool.querySync([url], { authors: [alice.pubkey] }, { maxWait: 5_000 })
    expect(queried.map(plain)).toEqual([second, first])

    const live: Event[] = []
    let eosed = false
    track(
      pool.subscribeMany(
        [url],
        { authors: [alice.pubkey], since: 1_700_000_001 },
        {
          onevent: (event) => live.push(event),
          oneose: () => (eosed = true),
        },
      ),
      (s) => s.close(),
    )
    await until(() => eosed, 'EOSE')
    const third = alice.sign({})
    expect(await Promise.all(pool.publish([url], plain(third)))).toEqual([''])
    await until(() => live.length === 2, 'the stored and the live event')
    expect(live.map(plain)).toEqual([second, third])
  })
})

describe('NDK', () => {
  /** An NDK on `url` alone: no outbox model, no user relays, nothing but 127.0.0.1. */
  async function ndkOn(url: string): Promise<NDK> {
    const ndk = new NDK({ explicitRelayUrls: [url], enableOutboxModel: false, autoConnectUserRelays: false })
    track(ndk, (n) => {
      for (const relayUrl of [...n.pool.relays.keys()]) n.pool.removeRelay(relayUrl)
    })
    await ndk.connect(5_000)
    return ndk
  }

  it('publishes (OK), is refused (error), and subscribes: stored events, EOSE, then a live event', async () => {
    track(installGlobalWebSocket(), (restore) => restore())
    const { url, store } = await ourRelay()
    const publisher = await ndkOn(url)
    const subscriber = await ndkOn(url)
    const alice = newAuthor()
    const stored = alice.sign({})
    const relays = await new NDKEvent(publisher, plain(stored)).publish(
      NDKRelaySet.fromRelayUrls([url], publisher),
    )
    expect([...relays].map((r) => r.url)).toEqual([`${url}/`])
    expect(store.query([{ ids: [stored.id] }])).toEqual([stored])
    const forged = new NDKEvent(publisher, plain(withBadSignature(alice.sign({}))))
    await expect(forged.publish(NDKRelaySet.fromRelayUrls([url], publisher), 5_000)).rejects.toThrow()
    expect(store.size).toBe(1)

    const received: NostrEvent[] = []
    let eoseAfter = -1
    const sub: NDKSubscription = subscriber.subscribe(
      { authors: [alice.pubkey] },
      {
        closeOnEose: false,
        relayUrls: [url],
        onEvent: (event) => received.push(plain(event.rawEvent() as Event)),
        onEose: () => (eoseAfter = received.length),
      },
    )
    track(sub, (s) => s.stop())
    await until(() => eoseAfter >= 0, 'EOSE')
    expect({ eoseAfter, received }).toEqual({ eoseAfter: 1, received: [stored] })

    const live = alice.sign({})
    await new NDKEvent(publisher, plain(live)).publish(NDKRelaySet.fromRelayUrls([url], publisher))
    await until(() => received.length === 2, 'the live event')
    expect(received[1]).toEqual(live)
  })
})

describe('rx-nostr', () => {
  function rxNostrOn(url: string) {
    const rxNostr = createRxNostr({
      websocketCtor: WebSocket,
      // rx-nostr requires a verifier; nostr-tools' does the real check.
      verifier: async (event) => verifyEvent(plain(event as Event)),
    })
    track(rxNostr, (r) => r.dispose())
    rxNostr.setDefaultRelays([url])
    return rxNostr
  }

  const within = <T>(ms: number) =>
    timeout<T, Observable<never>>({
      first: ms,
      with: () => throwError(() => new Error(`nothing within ${ms} ms`)),
    })

  it('send gets the OK (or the refusal), a backward REQ ends at EOSE, a forward REQ gets the live event', async () => {
    const { url } = await ourRelay()
    const rxNostr = rxNostrOn(url)
    const alice = newAuthor()
    const stored = alice.sign({})
    // noopSigner passes the already signed event through.
    const send = (event: NostrEvent): Promise<OkPacketAgainstEvent> =>
      firstValueFrom(
        rxNostr.send(plain(event), { signer: noopSigner() }).pipe(within<OkPacketAgainstEvent>(5_000)),
      )
    expect(await send(stored)).toMatchObject({ type: 'OK', eventId: stored.id, ok: true })
    const refused = withBadSignature(alice.sign({}))
    expect(await send(refused)).toMatchObject({
      eventId: refused.id,
      ok: false,
      notice: expect.stringMatching(/^invalid: /),
    })

    const eoses: string[] = []
    track(
      rxNostr.createAllMessageObservable().subscribe((packet) => {
        if (packet.type === 'EOSE') eoses.push(packet.subId)
      }),
      (s) => s.unsubscribe(),
    )
    const backward = createRxBackwardReq()
    const backfill = firstValueFrom(rxNostr.use(backward).pipe(toArray(), within<EventPacket[]>(5_000)))
    backward.emit({ authors: [alice.pubkey] })
    backward.over() // completes once every REQ sent so far reached EOSE
    const packets: EventPacket[] = await backfill
    expect(packets.map((p) => plain(p.event))).toEqual([stored])
    expect(eoses).toHaveLength(1)

    const forward = createRxForwardReq()
    const live: EventPacket[] = []
    track(
      rxNostr.use(forward).subscribe((packet) => live.push(packet)),
      (s) => s.unsubscribe(),
    )
    forward.emit({ authors: [alice.pubkey], since: stored.created_at + 1 })
    await until(() => eoses.length === 2, 'EOSE of the forward REQ')
    const next = alice.sign({ created_at: stored.created_at + 1 })
    expect(await send(next)).toMatchObject({ ok: true })
    await until(() => live.length === 1, 'the live event')
    expect(plain(live[0]?.event as Event)).toEqual(next)
    expect(live[0]?.from).toBe(url)
  })
})

describe('Nostrify NRelay1', () => {
  it('event() resolves on OK and throws on a refusal, query() ends at EOSE, req() yields EVENT, EOSE, live EVENT', async () => {
    track(installGlobalWebSocket(), (restore) => restore())
    const { url } = await ourRelay()
    const relay = track(new NRelay1(url, { backoff: false, idleTimeout: false }), (r) => r.close())
    const alice = newAuthor()
    const stored = alice.sign({})
    await expect(relay.event(plain(stored))).resolves.toBeUndefined()
    await expect(relay.event(plain(withBadSignature(alice.sign({}))))).rejects.toThrow(/invalid/)
    expect((await relay.query([{ authors: [alice.pubkey] }])).map(plain)).toEqual([stored])

    const controller = new AbortController()
    track(controller, (c) => c.abort())
    const messages: unknown[][] = []
    const reading = (async () => {
      for await (const message of relay.req([{ authors: [alice.pubkey] }], { signal: controller.signal })) {
        messages.push(message)
      }
    })().catch(() => undefined)
    await until(() => messages.some((m) => m[0] === 'EOSE'), 'EOSE')
    const live = alice.sign({})
    await relay.event(plain(live))
    await until(() => messages.length === 3, 'the live event')
    controller.abort()
    await reading
    expect(messages.map((m) => [m[0], m[0] === 'EVENT' ? plain(m[2] as Event) : undefined])).toEqual([
      ['EVENT', stored],
      ['EOSE', undefined],
      ['EVENT', live],
    ])
  })
})
