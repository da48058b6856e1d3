/**
 * The responder on a scripted peer, in virtual time: its identity, routing, malformed input, the send
 * functions and the close handshake. Its limits are in responder-protection.test.ts; real sockets are
 * in honeybee-node's serve tests.
 */
import type { Observable } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { FakePeer } from '../test/fake-peer.js'
import { codes, EVENT, ID, inVirtualTime } from '../test/responder-rig.js'
import { type ConnectionError, ProtocolError, UsageError } from './errors.js'
import { createResponder } from './responder.js'

describe('identity and role', () => {
  it('is a connected responder with a random 16-hex-character id, or the one given', () => {
    inVirtualTime({}, ({ conn }) => {
      const other = createResponder(new FakePeer().accept)
      expect(conn.role).toBe('responder')
      expect(conn.id).toMatch(/^[0-9a-f]{16}$/)
      expect(other.id).not.toBe(conn.id)
      expect(conn.status).toBe('connected')
      expect(createResponder(new FakePeer().accept, { id: 'peer-7' }).id).toBe('peer-7')
      // Initiator operations are not on the type, and not on the object either.
      expect('send' in conn || 'publish' in conn || 'req' in conn).toBe(false)
    })
  })
})

describe('routing what the initiator sends', () => {
  it('delivers REQ, CLOSE, EVENT, AUTH and COUNT as raw JSON, and tracks live subscriptions', () => {
    inVirtualTime({}, ({ peer, conn, reqs, closes, events, auths, counts, messages, errors }) => {
      const filter = '{"kinds":[1], "limit": 2}'
      peer.receive(`["REQ","feed",${filter},{"ids":["x"]}]`)
      expect(reqs).toEqual([{ subId: 'feed', filters: [filter, '{"ids":["x"]}'] }])
      expect(Object.isFrozen(reqs[0])).toBe(true)
      expect([...conn.subscriptions]).toEqual(['feed'])

      peer.receive(`["EVENT", ${EVENT} ]`)
      peer.receive(`["AUTH",${EVENT}]`)
      peer.receive(`["COUNT","q",${filter}]`)
      peer.receive('["EVENT",{"kind":1,"id":7}]') // no string id: still delivered, without one
      expect(events).toEqual([
        { id: ID, event: EVENT },
        { id: undefined, event: '{"kind":1,"id":7}' },
      ])
      expect(auths).toEqual([{ id: ID, event: EVENT }])
      expect(counts).toEqual([{ subId: 'q', filters: [filter] }])
      expect([...conn.subscriptions]).toEqual(['feed']) // a COUNT is not a subscription

      peer.receive('["CLOSE","feed"]')
      peer.receive('["CLOSE","never-opened"]') // ignored: not live
      expect(closes).toEqual(['feed'])
      expect(conn.subscriptions.size).toBe(0)
      expect(messages).toHaveLength(7)
      expect(errors).toEqual([])
      expect(peer.sent).toEqual([])
    })
  })

  it('a REQ reusing a live id replaces that subscription and does not count twice', () => {
    inVirtualTime({ limits: { maxSubscriptions: 1 } }, ({ peer, conn, reqs, errors }) => {
      peer.receive('["REQ","s",{"kinds":[1]}]')
      peer.receive('["REQ","s",{"kinds":[2]}]')
      expect(reqs.map((r) => r.filters[0])).toEqual(['{"kinds":[1]}', '{"kinds":[2]}'])
      expect(conn.subscriptions.size).toBe(1)
      expect(errors).toEqual([])
      expect(peer.sent).toEqual([])
    })
  })

  it('custom labels reach messages$ without a NOTICE; unknown labels get "invalid:" and UnknownEnvelopeType', () => {
    inVirtualTime({ customLabels: ['PING'] }, ({ peer, messages, errors, conn }) => {
      peer.receive('["PING",1]')
      peer.receive('["WHAT","x"]')
      expect(messages).toEqual(['["PING",1]', '["WHAT","x"]'])
      expect(peer.take()).toEqual(['["NOTICE","invalid: unknown message type \\"WHAT\\""]'])
      expect(errors[0]).toBeInstanceOf(ProtocolError)
      expect(codes(errors)).toEqual(['UnknownEnvelopeType'])
      expect(conn.metrics().errors).toBe(1)
    })
  })
})

describe('malformed input', () => {
  it('is answered by name where it can be (OK for events, CLOSED for REQ), NOTICE otherwise; never fatal', () => {
    inVirtualTime({}, ({ peer, conn, errors, events, reqs }) => {
      peer.receive('not json')
      peer.receive(`["EVENT",{"id":"${ID}","kind":1},]`) // trailing comma: invalid JSON, id still readable
      peer.receive('["EVENT","not an object"]')
      peer.receive('["REQ","s",42]')
      peer.receive('["REQ"]')
      peer.receive('["CLOSE",7]')
      peer.receive('[]')
      const sent = peer.take()
      expect(sent[0]).toMatch(/^\["NOTICE","invalid: invalid JSON at position 0/)
      expect(sent[1]).toMatch(new RegExp(`^\\["OK","${ID}",false,"invalid: invalid JSON`))
      expect(sent[2]).toBe('["NOTICE","invalid: EVENT element 1 (event) must be a JSON object, got string"]')
      expect(sent[3]).toBe(
        '["CLOSED","s","invalid: REQ element 2 (filter) must be a JSON object, got number"]',
      )
      expect(sent[4]).toMatch(/^\["NOTICE","invalid: envelope has 1 elements/)
      expect(sent[5]).toMatch(/^\["NOTICE","invalid: CLOSE element 1/)
      expect(sent[6]).toMatch(/^\["NOTICE","invalid: envelope is an empty array/)
      expect(sent).toHaveLength(7)
      expect(codes(errors)).toEqual(Array(7).fill('MalformedEnvelope'))
      expect(errors[0]?.cause).toBeDefined()
      expect(events).toEqual([])
      expect(reqs).toEqual([])
      expect(conn.metrics().errors).toBe(7)
      expect(conn.status).toBe('connected')
      peer.receive(`["EVENT",${EVENT}]`)
      expect(events).toHaveLength(1)
    })
  })

  it('refuses an empty or over-long subscription id with CLOSED "invalid:"', () => {
    inVirtualTime({ limits: { maxSubIdLength: 8 } }, ({ peer, reqs, counts, errors }) => {
      peer.receive('["REQ","",{}]')
      peer.receive('["REQ","123456789",{}]')
      peer.receive('["COUNT","123456789",{}]')
      peer.receive('["REQ","12345678",{}]')
      expect(peer.take()).toEqual([
        '["CLOSED","","invalid: subscription id must be 1 to 8 characters"]',
        '["CLOSED","123456789","invalid: subscription id must be 1 to 8 characters"]',
        '["CLOSED","123456789","invalid: subscription id must be 1 to 8 characters"]',
      ])
      expect(reqs.map((r) => r.subId)).toEqual(['12345678'])
      expect(counts).toEqual([])
      expect(codes(errors)).toEqual(['MalformedEnvelope', 'MalformedEnvelope', 'MalformedEnvelope'])
    })
  })
})

describe('sending', () => {
  it('builds each responder envelope; EVENT and EOSE only on a live subscription; CLOSED ends one', () => {
    inVirtualTime({}, ({ peer, conn }) => {
      peer.receive('["REQ","s",{}]')
      expect(conn.sendEvent('s', EVENT)).toBe(true)
      expect(conn.sendEOSE('s')).toBe(true)
      expect(conn.sendEvent('gone', EVENT)).toBe(false)
      expect(conn.sendEOSE('gone')).toBe(false)
      expect(conn.sendOK(ID, true, '')).toBe(true)
      expect(conn.sendOK(ID, false, 'duplicate: have it')).toBe(true)
      expect(conn.sendNotice('hello "you"')).toBe(true)
      expect(conn.sendAuthChallenge('chal')).toBe(true)
      expect(conn.sendCount('q', 42)).toBe(true)
      expect(conn.sendCount('q', 7, true)).toBe(true)
      expect(conn.sendClosed('s', 'error: shutting down')).toBe(true)
      expect(conn.subscriptions.size).toBe(0)
      expect(conn.sendEvent('s', EVENT)).toBe(false)
      expect(peer.take()).toEqual([
        `["EVENT","s",${EVENT}]`,
        '["EOSE","s"]',
        `["OK","${ID}",true,""]`,
        `["OK","${ID}",false,"duplicate: have it"]`,
        '["NOTICE","hello \\"you\\""]',
        '["AUTH","chal"]',
        '["COUNT","q",{"count":42}]',
        '["COUNT","q",{"count":7,"approximate":true}]',
        '["CLOSED","s","error: shutting down"]',
      ])
      const { messagesSent, bytesSent } = conn.metrics()
      expect(messagesSent).toBe(9)
      expect(bytesSent).toBeGreaterThan(100)
      expect(() => conn.sendCount('q', -1)).toThrow(UsageError)
      expect(() => conn.sendCount('q', 1.5)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    })
  })
})

describe('closing', () => {
  it('close() sends a close frame, waits for the peer, then completes every stream; idempotent', () => {
    inVirtualTime({}, ({ peer, at, conn, statuses, completed }) => {
      peer.receive('["REQ","s",{}]')
      at(10, () => {
        conn.close(1001, 'going away')
        conn.close()
        expect(peer.closedWith).toEqual({ code: 1001, reason: 'going away' })
        expect(conn.status).toBe('closing')
        expect(conn.sendNotice('late')).toBe(false)
        peer.receive('["REQ","t",{}]') // input while closing is not processed
      })
      at(20, () => peer.end({ code: 1001, reason: '' }))
      at(21, () => {
        expect(statuses).toEqual(['connected', 'closing', 'closed'])
        expect(completed.sort()).toEqual(
          ['auths$', 'closes$', 'counts$', 'errors$', 'events$', 'messages$', 'reqs$', 'status$'].sort(),
        )
        expect(conn.closeInfo).toEqual({ code: 1001, reason: '' })
        expect(conn.subscriptions.size).toBe(0)
        expect(peer.terminated).toBe(false)
        expect(peer.sent).toEqual([])
      })
    })
  })

  it('a peer that never answers the close handshake is terminated at closeTimeout', () => {
    inVirtualTime({ limits: { closeTimeout: 300 } }, ({ peer, at, conn, errors }) => {
      at(100, () => conn.close())
      at(400, () => expect(conn.status).toBe('closing'))
      at(401, () => {
        expect(peer.terminated).toBe(true)
        expect(conn.status).toBe('closed')
        expect(errors).toEqual([])
      })
    })
  })

  it('rejects close codes that may not be sent and truncates long reasons to 123 bytes', () => {
    inVirtualTime({}, ({ peer, conn }) => {
      for (const code of [999, 1004, 1005, 1006, 1015, 2000, 5000, 1000.5]) {
        expect(() => conn.close(code)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
      }
      expect(conn.status).toBe('connected')
      conn.close(4000, 'é'.repeat(100))
      expect(peer.closedWith?.reason).toBe('é'.repeat(61))
      peer.end()
    })
  })

  it('the peer closing ends it at once; an error in the close is reported', () => {
    inVirtualTime({}, ({ peer, conn, statuses, errors }) => {
      peer.receive('["REQ","s",{}]')
      peer.end({ code: 1009, reason: '', error: new Error('Max payload size exceeded') })
      peer.end() // a second report from the environment is ignored
      expect(statuses).toEqual(['connected', 'closed'])
      expect(codes(errors)).toEqual(['ConnectionClosed'])
      expect((errors[0] as ConnectionError).closeCode).toBe(1009)
      expect(conn.subscriptions.size).toBe(0)
      expect(conn.sendEvent('s', EVENT)).toBe(false)
      expect(conn.metrics().uptime).toBe(0)
    })
    inVirtualTime({}, ({ peer, errors, statuses }) => {
      peer.end({ code: 1000, reason: 'bye' })
      expect(errors).toEqual([])
      expect(statuses).toEqual(['connected', 'closed'])
    })
  })

  it('terminate() ends it at once, and an observer may close it from inside a stream', () => {
    inVirtualTime({}, ({ peer, conn, completed }) => {
      conn.events$.subscribe(() => conn.terminate())
      peer.receive(`["EVENT",${EVENT}]`)
      peer.receive(`["EVENT",${EVENT}]`)
      expect(peer.terminated).toBe(true)
      expect(conn.status).toBe('closed')
      expect(completed).toContain('events$')
      conn.terminate()
      conn.close()
    })
  })
})

describe('streams made on first use', () => {
  it('deliver what arrives after the first subscription, like a Subject; the rest is handled all the same', () => {
    const peer = new FakePeer()
    const conn = createResponder(peer.accept)
    peer.receive('["REQ","early",{}]') // reqs$ not asked for yet: tracked and counted, delivered to nobody
    peer.receive('["AUTH",{"id":"x"}]')
    peer.receive('["WHAT"]') // answered even though errors$ was never asked for
    const reqs: string[] = []
    conn.reqs$.subscribe(({ subId }) => reqs.push(subId))
    expect(conn.reqs$).toBe(conn.reqs$)
    peer.receive('["REQ","late",{}]')
    expect(reqs).toEqual(['late'])
    expect([...conn.subscriptions]).toEqual(['early', 'late'])
    expect(peer.take()).toEqual(['["NOTICE","invalid: unknown message type \\"WHAT\\""]'])
    expect(conn.metrics()).toMatchObject({ messagesReceived: 4, errors: 1 })
    conn.terminate()
  })

  it('first asked for after the connection ended, complete at once; status$ too, without a value', () => {
    const peer = new FakePeer()
    const conn = createResponder(peer.accept)
    const reqs: string[] = []
    conn.reqs$.subscribe({ complete: () => reqs.push('|') })
    peer.end()
    const seen: string[] = []
    const streams: Record<string, Observable<unknown>> = { events$: conn.events$, status$: conn.status$ }
    for (const [name, stream] of Object.entries(streams)) {
      stream.subscribe({
        next: (value) => seen.push(`${name} ${String(value)}`),
        complete: () => seen.push(name),
      })
    }
    expect(reqs).toEqual(['|'])
    expect(seen).toEqual(['events$', 'status$'])
  })

  it('one first asked for while the connection is closing (in a status$ observer) completes with the rest', () => {
    const peer = new FakePeer()
    const conn = createResponder(peer.accept)
    const completed: string[] = []
    conn.status$.subscribe((status) => {
      if (status === 'closed') conn.counts$.subscribe({ complete: () => completed.push('counts$') })
    })
    peer.end()
    expect(completed).toEqual(['counts$'])
  })
})
