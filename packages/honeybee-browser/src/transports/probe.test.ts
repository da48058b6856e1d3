/**
 * The health probe: on its own against a scripted WebSocket, then inside a core connection in virtual
 * time, where the core's heartbeat decides when to probe and when to give up (same thresholds as Node).
 */
import { createConnection, type HoneybeeError, type SocketFactory } from 'honeybee'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { fakeWebSockets, last } from '../../test/helpers/fake-websocket.js'
import { browserSocketFactory } from './browser.js'
import { DEFAULT_PROBE_ID, PROBE_FILTER, probeReply, withProbe } from './probe.js'

const REQ = `["REQ","${DEFAULT_PROBE_ID}",${PROBE_FILTER}]`
const EOSE = `["EOSE","${DEFAULT_PROBE_ID}"]`

function probed() {
  const fake = fakeWebSockets()
  const seen: string[] = []
  let pongs = 0
  const socket = withProbe(browserSocketFactory({ WebSocket: fake.WebSocket }))('ws://relay.test', {
    onOpen: () => {},
    onMessage: (data) => seen.push(data),
    onPong: () => pongs++,
    onClose: () => {},
  })
  const ws = last(fake.sockets)
  ws.open()
  return { socket, ws, seen, pongs: () => pongs }
}

describe('withProbe', () => {
  it('asks for nothing that can match', () => {
    expect(JSON.parse(PROBE_FILTER)).toEqual({ ids: ['0'.repeat(64)], limit: 0 })
  })

  it('pings with a REQ; its EOSE is a pong, not a message, and is followed by CLOSE', () => {
    const { socket, ws, seen, pongs } = probed()
    socket.ping?.()
    expect(ws.sent).toEqual([REQ])
    ws.receive('["EOSE","feed"]')
    ws.receive(EOSE)
    expect(seen).toEqual(['["EOSE","feed"]'])
    expect(pongs()).toBe(1)
    expect(ws.sent).toEqual([REQ, `["CLOSE","${DEFAULT_PROBE_ID}"]`])
  })

  it('a CLOSED refusing the probe is a pong too (the relay is alive), with no CLOSE after it', () => {
    const { socket, ws, seen, pongs } = probed()
    socket.ping?.()
    ws.receive(`["CLOSED","${DEFAULT_PROBE_ID}","auth-required: sign in first"]`)
    ws.receive('["CLOSED","feed","error: shutting down"]')
    expect(pongs()).toBe(1)
    expect(seen).toEqual(['["CLOSED","feed","error: shutting down"]'])
    expect(ws.sent).toEqual([REQ])
  })

  it('leaves malformed frames and other labels to the core', () => {
    expect(probeReply('not json', DEFAULT_PROBE_ID)).toBeUndefined()
    expect(probeReply('["EOSE"]', DEFAULT_PROBE_ID)).toBeUndefined()
    expect(probeReply(`["EVENT","${DEFAULT_PROBE_ID}",{}]`, DEFAULT_PROBE_ID)).toBeUndefined()
    expect(probeReply(`[ "EOSE" , "${DEFAULT_PROBE_ID}" ]`, DEFAULT_PROBE_ID)).toBe('EOSE')
  })

  it('takes another id', () => {
    const fake = fakeWebSockets()
    const socket = withProbe(browserSocketFactory({ WebSocket: fake.WebSocket }), { id: 'alive?' })(
      'ws://r',
      {
        onOpen: () => {},
        onMessage: () => {},
        onPong: () => {},
        onClose: () => {},
      },
    )
    last(fake.sockets).open()
    socket.ping?.()
    expect(last(fake.sockets).sent).toEqual([`["REQ","alive?",${PROBE_FILTER}]`])
  })

  it('returns a socket that can ping frames unchanged', () => {
    const native = {
      bufferedAmount: 0,
      send: () => true,
      close: () => {},
      terminate: () => {},
      ping: () => {},
    }
    const factory: SocketFactory = () => native
    expect(withProbe(factory)('ws://r', { onOpen() {}, onMessage() {}, onPong() {}, onClose() {} })).toBe(
      native,
    )
  })
})

describe('the probe in a connection (virtual time)', () => {
  function inVirtualTime(
    body: (scheduler: TestScheduler, fake: ReturnType<typeof fakeWebSockets>) => void,
  ): void {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const fake = fakeWebSockets()
      body(scheduler, fake)
      scheduler.flush()
    })
  }

  it('probes after pingInterval of silence, records the latency, and delivers nothing', () => {
    inVirtualTime((scheduler, fake) => {
      const conn = createConnection('ws://relay.test', {
        socketFactory: withProbe(browserSocketFactory({ WebSocket: fake.WebSocket })),
        scheduler,
      })
      const messages: string[] = []
      const sub = conn.messages$.subscribe((m) => messages.push(m))
      last(fake.sockets).open()
      scheduler.schedule(() => expect(last(fake.sockets).sent).toEqual([]), 24_999)
      scheduler.schedule(() => {
        expect(last(fake.sockets).sent).toEqual([REQ])
        last(fake.sockets).receive(EOSE)
      }, 25_040)
      scheduler.schedule(() => {
        expect(conn.metrics().lastPongLatency).toBe(40)
        expect(conn.metrics().messagesReceived).toBe(0)
        expect(messages).toEqual([])
        expect(conn.status).toBe('connected')
        sub.unsubscribe()
        conn.close()
      }, 25_041)
    })
  })

  it('a relay that never answers is unhealthy after pingInterval + pongTimeout × failureThreshold, as on Node', () => {
    inVirtualTime((scheduler, fake) => {
      const conn = createConnection('ws://relay.test', {
        socketFactory: withProbe(browserSocketFactory({ WebSocket: fake.WebSocket })),
        scheduler,
      })
      const errors: HoneybeeError[] = []
      const sub = conn.errors$.subscribe((e) => errors.push(e))
      last(fake.sockets).open()
      scheduler.schedule(() => expect(conn.status).toBe('connected'), 69_999)
      scheduler.schedule(() => {
        expect(errors.map((e) => e.code)).toEqual(['PongTimeout', 'PongTimeout', 'ConnectionUnhealthy'])
        expect(conn.status).toBe('backoff')
        expect(fake.sockets[0]?.sent).toEqual([REQ, REQ, REQ])
        sub.unsubscribe()
        conn.close()
      }, 70_001)
    })
  })
})
