/**
 * Unsubscribing while the connection is down: the subscription leaves the registry at once, even though
 * its CLOSE cannot reach the relay then (held while in backoff or connecting, refused after close()),
 * so a reconnect does not bring it back; the subscriptions still active are re-sent. In virtual time:
 * the first socket drops at 1 ms and the redial comes at 1001 ms.
 */
import { describe, expect, it } from 'vitest'
import { inVirtualTime, reqIds } from '../test/connection-rig.js'
import { type Connection, req, subscriptionsOf } from './index.js'

const listed = (conn: Connection): string[] =>
  subscriptionsOf(conn)
    .list()
    .map((s) => s.id)

describe('unsubscribing while the connection is down', () => {
  it('in backoff: gone from the registry at once, and not re-sent after the reconnect', () => {
    inVirtualTime({}, ({ network, conn, at }) => {
      const gone = req(conn, { kinds: [1] }, { id: 'gone' }).subscribe()
      req(conn, { kinds: [2] }, { id: 'kept' }).subscribe()
      at(1, () => {
        expect(reqIds(network.last)).toEqual(['gone', 'kept'])
        network.last.end()
      })
      at(500, () => {
        expect(conn.status).toBe('backoff')
        gone.unsubscribe()
        expect(listed(conn)).toEqual(['kept'])
      })
      at(1003, () => {
        expect(network.sockets).toHaveLength(2)
        expect(conn.status).toBe('connected')
        expect(reqIds(network.last)).toEqual(['kept'])
        expect(listed(conn)).toEqual(['kept'])
      })
    })
  })

  it('while the redial is still connecting: not re-sent once the socket opens', () => {
    inVirtualTime({}, ({ network, conn, at }) => {
      // The second socket opens only when the test says so.
      network.onSocket = (socket) => network.sockets.length === 1 && socket.open()
      const gone = req(conn, { kinds: [1] }, { id: 'gone' }).subscribe()
      req(conn, { kinds: [2] }, { id: 'kept' }).subscribe()
      at(1, () => network.last.end())
      at(1200, () => {
        expect(conn.status).toBe('connecting')
        gone.unsubscribe()
        expect(listed(conn)).toEqual(['kept'])
      })
      at(1500, () => network.last.open())
      at(1501, () => {
        expect(network.sockets).toHaveLength(2)
        expect(reqIds(network.last)).toEqual(['kept'])
      })
    })
  })

  it('the only subscription: nothing is re-sent after the reconnect', () => {
    inVirtualTime({}, ({ network, conn, at }) => {
      const only = req(conn, { kinds: [1] }, { id: 'only' }).subscribe()
      at(1, () => network.last.end())
      at(500, () => {
        only.unsubscribe()
        expect(listed(conn)).toEqual([])
      })
      // Whether or not a socket is dialled again, no REQ goes out on it.
      at(1003, () => expect(network.sockets.flatMap(reqIds)).toEqual(['only']))
    })
  })

  it('after close(): the CLOSE is refused by the connection, yet unsubscribing neither throws nor keeps it', () => {
    inVirtualTime({}, ({ network, conn, at }) => {
      const gone = req(conn, { kinds: [1] }, { id: 'gone' }).subscribe()
      at(1, () => {
        const socket = network.last
        conn.close()
        expect(listed(conn)).toEqual(['gone'])
        expect(() => conn.send('["CLOSE","gone"]')).toThrow(expect.objectContaining({ code: 'InvalidState' }))
        expect(() => gone.unsubscribe()).not.toThrow()
        expect(listed(conn)).toEqual([])
        expect(socket.sent).toEqual(['["REQ","gone",{"kinds":[1]}]'])
      })
    })
  })
})
