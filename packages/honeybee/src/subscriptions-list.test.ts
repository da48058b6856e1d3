/**
 * The registry of a connection's subscriptions, as the public API lists it (`subscriptionsOf(conn)`):
 * what `req()` adds, what unsubscribing or the relay's CLOSED removes, and which are queued behind the
 * relay's limit. In virtual time on a scripted socket (the rig of initiator.test.ts, cut down).
 */
import { encloseClosed } from 'roots-ws'
import { describe, expect, it } from 'vitest'
import { inVirtualTime, reqIds } from '../test/connection-rig.js'
import { createConnection, req, subscriptionsOf } from './index.js'

describe('subscriptionsOf(conn).list()', () => {
  it('lists each req() with its id and filters, and forgets each one unsubscribed', () => {
    inVirtualTime({}, ({ network, conn, at }) => {
      const registry = subscriptionsOf(conn)
      expect(registry.list()).toEqual([])
      const a = req(conn, { kinds: [1] }, { id: 'a' }).subscribe()
      // No id given: the generated one is listed; filters given as JSON text are listed parsed.
      const b = req(conn, ['{"kinds":[7]}', '{"authors":["pk"]}']).subscribe()
      at(1, () => {
        const generated = reqIds(network.last)[1]
        expect(reqIds(network.last)).toEqual(['a', generated])
        expect(registry.list()).toEqual([
          { id: 'a', filters: [{ kinds: [1] }], state: 'open' },
          { id: generated, filters: [{ kinds: [7] }, { authors: ['pk'] }], state: 'open' },
        ])
        // The same registry however it is asked for.
        expect(subscriptionsOf(conn)).toBe(registry)

        a.unsubscribe()
        expect(registry.list()).toEqual([
          { id: generated, filters: [{ kinds: [7] }, { authors: ['pk'] }], state: 'open' },
        ])
        b.unsubscribe()
        expect(registry.list()).toEqual([])
        expect(network.last.sent.filter((e) => e.startsWith('["CLOSE"'))).toEqual([
          '["CLOSE","a"]',
          `["CLOSE","${generated}"]`,
        ])
      })
    })
  })

  it('keeps one registry per connection', () => {
    inVirtualTime({}, ({ network, conn }) => {
      const other = createConnection('ws://other.test', { socketFactory: network.factory })
      const sub = req(conn, { kinds: [1] }, { id: 'a' }).subscribe()
      expect(
        subscriptionsOf(conn)
          .list()
          .map((s) => s.id),
      ).toEqual(['a'])
      expect(subscriptionsOf(other).list()).toEqual([])
      sub.unsubscribe()
      other.close()
    })
  })

  it('shows the ones waiting behind the relay limit as queued, until a slot frees', () => {
    inVirtualTime({ relayLimits: { maxSubscriptions: 1 } }, ({ conn, at }) => {
      const registry = subscriptionsOf(conn)
      const a = req(conn, {}, { id: 'a' }).subscribe()
      req(conn, {}, { id: 'b' }).subscribe()
      at(1, () => {
        expect(registry.list().map((s) => [s.id, s.state])).toEqual([
          ['a', 'open'],
          ['b', 'queued'],
        ])
        a.unsubscribe()
        expect(registry.list().map((s) => [s.id, s.state])).toEqual([['b', 'open']])
      })
    })
  })

  it('drops a subscription the relay ended with CLOSED', () => {
    inVirtualTime({}, ({ network, conn, at }) => {
      const registry = subscriptionsOf(conn)
      let completed = false
      req(conn, {}, { id: 'a' }).subscribe({ complete: () => (completed = true) })
      req(conn, {}, { id: 'b' }).subscribe()
      at(1, () => {
        network.last.receive(encloseClosed('a', 'done'))
        expect(completed).toBe(true)
        expect(registry.list().map((s) => s.id)).toEqual(['b'])
      })
    })
  })
})
