/**
 * Each socket gets each open subscription's REQ exactly once, however the REQ was made: on a socket,
 * before the first one opened, during a backoff (held in the write queue, which is flushed right after
 * the reconnect re-sends what was open), or held on a live socket by the rate limiter. A second REQ
 * with the same id would make the relay replace the subscription and replay its backfill. In virtual
 * time: sockets drop when the test ends them, and a redial comes 1000 ms later.
 */
import { describe, expect, it } from 'vitest'
import { inVirtualTime, reqIds } from '../test/connection-rig.js'
import { req } from './index.js'

describe('one REQ per subscription per socket', () => {
  it('made during a backoff: once on the next socket, and once again after a later reconnect', () => {
    inVirtualTime({ reconnect: { factor: 1 } }, ({ network, conn, at }) => {
      req(conn, { kinds: [1] }, { id: 'early' }).subscribe()
      at(1, () => network.last.end())
      at(500, () => {
        expect(conn.status).toBe('backoff')
        req(conn, { kinds: [2] }, { id: 'late' }).subscribe()
      })
      at(1003, () => {
        expect(network.sockets).toHaveLength(2)
        expect(reqIds(network.last)).toEqual(['early', 'late'])
        network.last.end()
      })
      at(2010, () => {
        expect(network.sockets).toHaveLength(3)
        expect(reqIds(network.last)).toEqual(['early', 'late'])
      })
    })
  })

  it('made before the first socket opened: once on it, and once again after a reconnect', () => {
    inVirtualTime({}, ({ network, conn, at }) => {
      network.onSocket = undefined // the first socket opens when the test says
      req(conn, { kinds: [1] }, { id: 'a' }).subscribe()
      at(100, () => network.last.open())
      at(101, () => {
        expect(reqIds(network.last)).toEqual(['a'])
        network.onSocket = (socket) => socket.open()
        network.last.end()
      })
      at(1110, () => {
        expect(network.sockets).toHaveLength(2)
        expect(reqIds(network.last)).toEqual(['a'])
      })
    })
  })

  it('held on a live socket by the rate limiter: sent there, and re-sent once after a reconnect', () => {
    const rateLimit = { enabled: true, messagesPerSecond: 1, burst: 1 }
    inVirtualTime({ rateLimit }, ({ network, conn, at }) => {
      at(1, () => {
        req(conn, { kinds: [1] }, { id: 'a' }).subscribe()
        req(conn, { kinds: [2] }, { id: 'b' }).subscribe() // over the burst: held, sent a second later
      })
      at(1500, () => {
        expect(reqIds(network.last)).toEqual(['a', 'b'])
        network.last.end()
      })
      at(5000, () => {
        expect(network.sockets).toHaveLength(2)
        expect(reqIds(network.last)).toEqual(['a', 'b'])
      })
    })
  })

  it('promoted from the queue during a backoff (a slot freed): once on the next socket', () => {
    inVirtualTime({ relayLimits: { maxSubscriptions: 1 } }, ({ network, conn, at }) => {
      const first = req(conn, { kinds: [1] }, { id: 'first' }).subscribe()
      req(conn, { kinds: [2] }, { id: 'waiting' }).subscribe()
      at(1, () => {
        expect(reqIds(network.last)).toEqual(['first'])
        network.last.end()
      })
      at(500, () => first.unsubscribe()) // in backoff: 'waiting' takes the slot, its REQ is held
      at(1003, () => expect(reqIds(network.last)).toEqual(['waiting']))
    })
  })
})
