/** The pool preset on real sockets: three `ws` relays on 127.0.0.1 that share some of their events. */
import {
  encloseEOSE,
  encloseOK,
  encloseSubscriptionEvent,
  findEvent,
  findReq,
  getLabel,
  peekEventId,
} from 'roots-ws'
import { filter, firstValueFrom, type Observable, takeWhile, timeout, toArray } from 'rxjs'
import { describe, expect, it, vi } from 'vitest'
import { createPool, type NostrEvent, type PoolMessage } from '../src/index.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach } from './helpers/wait.js'

const track = disposeAfterEach()

function event(n: number): NostrEvent {
  return { id: `id${n}`, pubkey: 'pk', created_at: 1000 + n, kind: 1, tags: [], content: `c${n}`, sig: 'sig' }
}

/** A relay that answers each REQ with `stored` and EOSE, and each EVENT with `verdict`. */
async function relay(
  stored: readonly NostrEvent[],
  verdict: { ok: boolean; message: string },
): Promise<RelayServer> {
  const server = await RelayServer.start({
    onConnection: ({ ws }) =>
      ws.on('message', (data) => {
        const envelope = data.toString()
        if (getLabel(envelope) === 'REQ') {
          const { subId } = findReq(envelope)
          for (const e of stored) ws.send(encloseSubscriptionEvent(subId, JSON.stringify(e)))
          ws.send(encloseEOSE(subId))
        } else if (getLabel(envelope) === 'EVENT') {
          ws.send(encloseOK(peekEventId(findEvent(envelope)) ?? '', verdict.ok, verdict.message))
        }
      }),
  })
  return track(server, (s) => s.stop())
}

/** Everything up to and including the first `eose-all`, or a rejection after 5 s. */
function untilEoseAll(messages: Observable<PoolMessage>): Promise<PoolMessage[]> {
  return firstValueFrom(
    messages.pipe(
      takeWhile((m) => m.type !== 'eose-all', true),
      toArray(),
      timeout({ first: 5_000, with: () => Promise.reject(new Error('no eose-all within 5 s')) }),
    ),
  )
}

describe('createPool (honeybee-node) on real sockets', () => {
  it('subscribes across relays: overlapping events once each, EOSE per relay, then eose-all', async () => {
    const accepted = { ok: true, message: '' }
    const relays = [
      await relay([event(1), event(2), event(3)], accepted),
      await relay([event(2), event(3), event(4)], accepted),
      await relay([event(1), event(4), event(5)], accepted),
    ]
    const pool = track(createPool({ relays: relays.map((r) => r.url) }), (p) => p.close())
    expect(pool.relays).toEqual(relays.map((r) => r.url))

    const messages = await untilEoseAll(pool.subscribe({ kinds: [1] }, { id: 'feed' }))

    const ids = messages.flatMap((m) => (m.type === 'event' ? [m.event.id] : []))
    expect(ids).toHaveLength(5)
    expect(new Set(ids)).toEqual(new Set(['id1', 'id2', 'id3', 'id4', 'id5']))
    const eoses = messages.flatMap((m) => (m.type === 'eose' ? [m.relay] : []))
    expect(new Set(eoses)).toEqual(new Set(relays.map((r) => r.url)))
    expect(eoses).toHaveLength(3)
    expect(messages.at(-1)).toEqual({ type: 'eose-all' })
    expect(messages.filter((m) => m.type === 'error' || m.type === 'closed')).toEqual([])
    for (const r of relays) expect(r.received()).toContain('["REQ","feed",{"kinds":[1]}]')
    // One socket per relay.
    expect(relays.map((r) => r.clients.length)).toEqual([1, 1, 1])
    const statuses = await firstValueFrom(
      pool.statuses$.pipe(filter((record) => Object.values(record).every((s) => s === 'connected'))),
    )
    expect(Object.keys(statuses)).toEqual(relays.map((r) => r.url))
  })

  it('drops copies from other relays without decoding their frames', async () => {
    const stored = Array.from({ length: 200 }, (_, n) => ({
      ...event(n),
      id: n.toString(16).padStart(64, '0'),
    }))
    const accepted = { ok: true, message: '' }
    const relays = [await relay(stored, accepted), await relay(stored, accepted)]
    const pool = track(createPool({ relays: relays.map((r) => r.url) }), (p) => p.close())
    // Counts the EVENT frames decoded to text in this process (the relays here only send them).
    const originalToString = Buffer.prototype.toString
    let decoded = 0
    const spy = vi.spyOn(Buffer.prototype, 'toString').mockImplementation(function (this: Buffer, ...args) {
      if (args[0] === 'utf8' && this.length > 100 && this.toString('latin1', 0, 8) === '["EVENT"') decoded++
      return originalToString.apply(this, args as Parameters<Buffer['toString']>)
    })
    try {
      const messages = await untilEoseAll(pool.subscribe({ kinds: [1] }, { id: 'feed' }))
      const ids = messages.flatMap((m) => (m.type === 'event' ? [m.event.id] : []))
      expect(new Set(ids).size).toBe(200)
      expect(ids).toHaveLength(200)
    } finally {
      spy.mockRestore()
    }
    // 400 frames arrived; the copies among them were recognised from their first bytes.
    expect(decoded).toBeGreaterThanOrEqual(200)
    expect(decoded).toBeLessThan(250)
  })

  it('publishes to every relay: one verdict per relay, then completes', async () => {
    const relays = [
      await relay([], { ok: true, message: '' }),
      await relay([], { ok: false, message: 'blocked: not on this relay' }),
      await relay([], { ok: false, message: 'duplicate: have it' }),
    ]
    const pool = track(createPool({ relays: relays.map((r) => r.url) }), (p) => p.close())

    const results = await firstValueFrom(
      pool
        .publish(event(7), { timeout: 5_000 })
        .pipe(
          toArray(),
          timeout({ first: 5_000, with: () => Promise.reject(new Error('publish did not complete in 5 s')) }),
        ),
    )

    const [first, second, third] = relays.map((r) => results.find((result) => result.relay === r.url))
    expect(results).toHaveLength(3)
    expect(first).toMatchObject({ eventId: 'id7', accepted: true, error: undefined })
    expect(second).toMatchObject({
      accepted: false,
      prefix: 'blocked',
      message: 'blocked: not on this relay',
    })
    expect(third).toMatchObject({ accepted: true, prefix: 'duplicate' })
    for (const r of relays) expect(r.received()).toEqual([`["EVENT",${JSON.stringify(event(7))}]`])
  })
})
