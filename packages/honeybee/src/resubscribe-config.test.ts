/**
 * The `resubscribe` options of a connection (`adjustSince`, `overlap`): which filters the REQ re-sent
 * after a reconnect carries. Once the relay sent EOSE, `since` moves up to the newest delivered
 * `created_at` minus `overlap` (never down); before EOSE, or with `adjustSince: false`, the caller's
 * filters go out unchanged. In virtual time: the socket drops at 1 ms, the redial opens at 1001 ms.
 */
import { encloseEOSE, encloseSubscriptionEvent } from 'roots-ws'
import { describe, expect, it } from 'vitest'
import { type ConnectionRig, inVirtualTime, sentReqs, testEvent } from '../test/connection-rig.js'
import { type Filter, type NostrEvent, req } from './index.js'

const event = testEvent
const reqs = sentReqs

/**
 * Subscribes `filters` as `s`; at 1 ms the relay delivers `events` (then EOSE when `eose`) and the socket
 * drops. Returns a function giving the REQs of the socket redialled.
 */
function reconnectAfter(
  rig: ConnectionRig,
  filters: Filter | Filter[],
  events: NostrEvent[],
  eose: boolean,
): () => { subId: string; filters: Filter[] }[] {
  const { network, conn, at } = rig
  req(conn, filters, { id: 's' }).subscribe()
  at(1, () => {
    for (const e of events) network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(e)))
    if (eose) network.last.receive(encloseEOSE('s'))
    network.last.end()
  })
  return () => {
    expect(network.sockets).toHaveLength(2)
    return reqs(network.last)
  }
}

describe('resubscribe.overlap', () => {
  it('after EOSE, re-sends since = newest delivered created_at − overlap, on every filter', () => {
    inVirtualTime({ resubscribe: { overlap: 10 } }, (rig) => {
      const filters: Filter[] = [{ kinds: [1] }, { authors: ['pk'], since: 100 }]
      // The newest is not the last delivered: created_at is not monotonic.
      const resent = reconnectAfter(rig, filters, [event(1, 4000), event(2, 5000), event(3, 4500)], true)
      rig.at(1003, () => {
        expect(resent()).toEqual([
          {
            subId: 's',
            filters: [
              { kinds: [1], since: 4990 },
              { authors: ['pk'], since: 4990 },
            ],
          },
        ])
        // New filter objects: the caller's are untouched.
        expect(filters).toEqual([{ kinds: [1] }, { authors: ['pk'], since: 100 }])
      })
    })
  })

  it('never moves since down: a filter whose own since is later keeps it', () => {
    inVirtualTime({ resubscribe: { overlap: 10 } }, (rig) => {
      const resent = reconnectAfter(rig, { kinds: [1], since: 4995 }, [event(1, 5000)], true)
      rig.at(1003, () => expect(resent()).toEqual([{ subId: 's', filters: [{ kinds: [1], since: 4995 }] }]))
    })
  })

  it('counts live events delivered after EOSE as well', () => {
    inVirtualTime({ resubscribe: { overlap: 10 } }, ({ network, conn, at }) => {
      req(conn, { kinds: [1] }, { id: 's' }).subscribe()
      at(1, () => {
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(1, 5000))))
        network.last.receive(encloseEOSE('s'))
      })
      at(2, () => {
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(2, 6000))))
        network.last.end()
      })
      at(1004, () =>
        expect(reqs(network.last)).toEqual([{ subId: 's', filters: [{ kinds: [1], since: 5990 }] }]),
      )
    })
  })

  it('re-sends the original filters before EOSE: the backfill may be incomplete', () => {
    inVirtualTime({ resubscribe: { overlap: 10 } }, (rig) => {
      const resent = reconnectAfter(rig, { kinds: [1] }, [event(1, 5000)], false)
      rig.at(1003, () => expect(resent()).toEqual([{ subId: 's', filters: [{ kinds: [1] }] }]))
    })
  })

  it('re-sends the original filters after an EOSE with no event delivered', () => {
    inVirtualTime({ resubscribe: { overlap: 10 } }, (rig) => {
      const resent = reconnectAfter(rig, { kinds: [1], since: 100 }, [], true)
      rig.at(1003, () => expect(resent()).toEqual([{ subId: 's', filters: [{ kinds: [1], since: 100 }] }]))
    })
  })
})

describe('resubscribe.adjustSince: false', () => {
  it('re-sends the caller’s filters unchanged even after EOSE', () => {
    inVirtualTime({ resubscribe: { adjustSince: false, overlap: 10 } }, (rig) => {
      const filters: Filter[] = [{ kinds: [1], since: 100 }, { authors: ['pk'] }]
      const resent = reconnectAfter(rig, filters, [event(1, 5000)], true)
      rig.at(1003, () =>
        expect(resent()).toEqual([
          { subId: 's', filters: [{ kinds: [1], since: 100 }, { authors: ['pk'] }] },
        ]),
      )
    })
  })

  it('still drops the events already delivered when the relay sends them again', () => {
    inVirtualTime({ resubscribe: { adjustSince: false } }, ({ network, conn, at }) => {
      const got: string[] = []
      req(conn, { kinds: [1] }, { id: 's' }).subscribe((m) => m.type === 'event' && got.push(m.event.id))
      at(1, () => {
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(1, 5000))))
        network.last.receive(encloseEOSE('s'))
        network.last.end()
      })
      at(1003, () => {
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(1, 5000))))
        network.last.receive(encloseSubscriptionEvent('s', JSON.stringify(event(2, 5001))))
        expect(got).toEqual(['id1', 'id2'])
      })
    })
  })
})
