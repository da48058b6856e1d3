/**
 * The responder's defences, in virtual time: every limit and its NIP-01 answer (size, subscriptions,
 * rate), the slow reader, and dead-peer detection by ping.
 */
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { FakePeer, withoutPing } from '../test/fake-peer.js'
import { codes, EVENT, ID, inVirtualTime } from '../test/responder-rig.js'
import { ConnectionError } from './errors.js'
import { createResponder } from './responder.js'

describe('maxMessageSize', () => {
  it('refuses larger envelopes by name (OK / CLOSED) or NOTICE, unseen by every stream; the connection stays', () => {
    inVirtualTime({ limits: { maxMessageSize: 100 } }, ({ peer, conn, messages, events, reqs, errors }) => {
      const big = 'x'.repeat(200)
      const withId = `["EVENT",{"content":"${big}","id":"${ID}"}]`
      const withoutId = `["EVENT",{"content":"${big}"}]`
      const req = `["REQ","s",{"search":"${big}"}]`
      const auth = `["AUTH",{"id":"${ID}","content":"${big}"}]`
      for (const envelope of [withId, withoutId, req, auth]) peer.receive(envelope)
      peer.receive('["CLOSE","s"]', 5_000) // the byte length the socket reports is what counts
      const tooLarge = (n: number): string => `invalid: message too large (${n} > 100 bytes)`
      expect(peer.take()).toEqual([
        `["OK","${ID}",false,"${tooLarge(withId.length)}"]`,
        `["NOTICE","${tooLarge(withoutId.length)}"]`,
        `["CLOSED","s","${tooLarge(req.length)}"]`,
        `["OK","${ID}",false,"${tooLarge(auth.length)}"]`,
        `["NOTICE","${tooLarge(5_000)}"]`,
      ])
      expect(codes(errors)).toEqual(Array(5).fill('EnvelopeTooLarge'))
      expect(messages).toEqual([])
      expect(events).toEqual([])
      expect(reqs).toEqual([])
      expect(conn.status).toBe('connected')
      expect(conn.metrics().messagesReceived).toBe(5)
      peer.receive('["REQ","s",{}]')
      expect(reqs).toHaveLength(1)
    })
  })
})

describe('maxSubscriptions', () => {
  it('refuses a REQ beyond it with CLOSED "restricted:", never evicting an older one; a CLOSE makes room', () => {
    inVirtualTime({ limits: { maxSubscriptions: 2 } }, ({ peer, conn, reqs, errors }) => {
      peer.receive('["REQ","a",{}]')
      peer.receive('["REQ","b",{}]')
      peer.receive('["REQ","c",{}]')
      expect(peer.take()).toEqual(['["CLOSED","c","restricted: too many subscriptions (max 2)"]'])
      expect(codes(errors)).toEqual(['TooManySubscriptions'])
      expect([...conn.subscriptions]).toEqual(['a', 'b'])
      expect(conn.sendEvent('a', EVENT)).toBe(true)
      expect(conn.sendEvent('c', EVENT)).toBe(false)

      peer.receive('["CLOSE","a"]')
      peer.receive('["REQ","c",{}]')
      expect(reqs.map((r) => r.subId)).toEqual(['a', 'b', 'c'])
      expect([...conn.subscriptions]).toEqual(['b', 'c'])
    })
  })
})

describe('rate limit on incoming messages', () => {
  it('over the rate: EVENT → OK "rate-limited:", REQ → CLOSED, others → NOTICE; tokens come back with time', () => {
    const limits = { limits: { rateLimit: { enabled: true, messagesPerSecond: 2, burst: 3 } } }
    inVirtualTime(limits, ({ peer, at, events, reqs, closes, messages, errors }) => {
      at(0, () => {
        peer.receive('["REQ","live",{}]')
        peer.receive(`["EVENT",${EVENT}]`)
        peer.receive('["REQ","other",{}]')
        // The bucket (3) is empty now.
        peer.receive(`["EVENT",${EVENT}]`)
        peer.receive('["REQ","x",{}]')
        peer.receive('["REQ","live",{"kinds":[1]}]') // a refused replacement ends the live one
        peer.receive('["CLOSE","other"]')
        const limited = 'rate-limited: more than 2 messages per second'
        expect(peer.take()).toEqual([
          `["OK","${ID}",false,"${limited}"]`,
          `["CLOSED","x","${limited}"]`,
          `["CLOSED","live","${limited}"]`,
          `["NOTICE","${limited}"]`,
        ])
        expect(codes(errors)).toEqual(Array(4).fill('RateLimitExceeded'))
        expect(closes).toEqual(['live'])
        expect(messages).toHaveLength(7) // messages$ sees everything within the size limit
      })
      at(499, () => {
        peer.receive('["CLOSE","other"]')
        expect(peer.take()).toHaveLength(1)
      })
      at(500, () => {
        peer.receive('["CLOSE","other"]') // one token after 500 ms at 2/s
        expect(peer.take()).toEqual([])
        expect(closes).toEqual(['live', 'other'])
      })
      at(2_000, () => {
        peer.receive(`["EVENT",${EVENT}]`)
        expect(events).toHaveLength(2)
        expect(reqs.map((r) => r.subId)).toEqual(['live', 'other'])
      })
    })
  })

  it('is off by default', () => {
    inVirtualTime({}, ({ peer, events }) => {
      for (let i = 0; i < 1_000; i++) peer.receive(`["EVENT",${EVENT}]`)
      expect(events).toHaveLength(1_000)
      expect(peer.sent).toEqual([])
    })
  })
})

describe('maxBufferedBytes', () => {
  it('a peer that stops reading is terminated once more than maxBufferedBytes wait; SlowConsumer', () => {
    const peer = new FakePeer()
    peer.unread = true
    inVirtualTime(
      { limits: { maxBufferedBytes: 1_000 } },
      ({ conn, statuses, errors, completed }) => {
        peer.receive('["REQ","s",{}]')
        let sent = 0
        while (sent < 1_000 && conn.sendEvent('s', EVENT)) sent++
        // All that fit in 1,000 bytes are sent; the one that goes over is handed over, then the peer is cut off.
        const fit = Math.floor(1_000 / `["EVENT","s",${EVENT}]`.length)
        expect(sent).toBe(fit)
        expect(peer.sent).toHaveLength(fit + 1)
        expect(peer.terminated).toBe(true)
        expect(errors[0]).toBeInstanceOf(ConnectionError)
        expect(codes(errors)).toEqual(['SlowConsumer'])
        expect(statuses).toEqual(['connected', 'closed'])
        expect(completed).toContain('reqs$')
        expect(conn.closeInfo?.code).toBe(1006)
      },
      peer,
    )
  })
})

describe('dead-peer detection by ping', () => {
  const health = { pingInterval: 1_000, pongTimeout: 500, failureThreshold: 2 }

  it('pings a quiet peer and terminates it after pingInterval + pongTimeout × failureThreshold', () => {
    inVirtualTime({ health }, ({ peer, at, conn, errors }) => {
      // A timer set later for the same instant runs later: the first ping's was set before these checks,
      // the pong timeouts' after them.
      at(999, () => expect(peer.pings).toBe(0))
      at(1_000, () => expect(peer.pings).toBe(1))
      at(2_000, () => expect(conn.status).toBe('connected'))
      at(2_001, () => {
        expect(peer.terminated).toBe(true)
        expect(conn.status).toBe('closed')
        expect(codes(errors)).toEqual(['PongTimeout', 'ConnectionUnhealthy'])
      })
    })
  })

  it('a peer that answers, or keeps talking, is kept', () => {
    const peer = new FakePeer()
    peer.answerPings = true
    inVirtualTime(
      { health },
      ({ at, conn, errors }) => {
        at(60_001, () => {
          expect(peer.pings).toBe(60)
          expect(conn.status).toBe('connected')
          expect(errors).toEqual([])
          expect(conn.metrics().lastPongLatency).toBe(0)
          conn.terminate()
        })
      },
      peer,
    )
    inVirtualTime({ health }, ({ peer, at, conn }) => {
      for (let t = 0; t < 10_000; t += 900) at(t, () => peer.receive('["CLOSE","x"]'))
      at(10_000, () => {
        expect(peer.pings).toBe(0)
        expect(conn.status).toBe('connected')
        conn.terminate()
      })
    })
  })

  it('a socket without ping, or health disabled, is never pinged nor dropped', () => {
    const peer = new FakePeer()
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const noPing = createResponder(withoutPing(peer), { scheduler, health })
      const disabled = createResponder(new FakePeer().accept, { scheduler, health: { enabled: false } })
      scheduler.schedule(() => {
        expect(noPing.status).toBe('connected')
        expect(disabled.status).toBe('connected')
        noPing.terminate()
        disabled.terminate()
      }, 100_000)
      scheduler.flush()
      expect(peer.terminated).toBe(true)
    })
  })
})
