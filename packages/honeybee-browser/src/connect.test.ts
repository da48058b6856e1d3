/**
 * `connect` and `createPool` wire the pieces: the WebSocket option, the probe, the page lifecycle and
 * the hidden-page pause. Against a scripted WebSocket and fake page in Node; Chromium runs the real thing.
 */
import { UsageError } from 'honeybee'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { fakeWebSockets, last } from '../test/helpers/fake-websocket.js'
import { connect } from './connect.js'
import { createPool } from './pool.js'
import { DEFAULT_PROBE_ID, PROBE_FILTER } from './transports/probe.js'

function fakePage(visibilityState = 'visible') {
  const window = Object.assign(new EventTarget(), { navigator: { onLine: true } })
  const document = Object.assign(new EventTarget(), { visibilityState })
  return { window, document }
}

const REQ = `["REQ","${DEFAULT_PROBE_ID}",${PROBE_FILTER}]`

describe('connect', () => {
  it('opens nothing until subscribed, then dials with the given WebSocket', () => {
    const fake = fakeWebSockets()
    const conn = connect('ws://relay.test', { WebSocket: fake.WebSocket, page: false })
    expect(fake.sockets).toHaveLength(0)
    const sub = conn.status$.subscribe()
    expect(fake.sockets.map((s) => s.url)).toEqual(['ws://relay.test'])
    sub.unsubscribe()
    conn.close()
  })

  it('a connection in backoff redials at once when the window comes back online', () => {
    const fake = fakeWebSockets()
    const page = fakePage()
    const conn = connect('ws://relay.test', {
      WebSocket: fake.WebSocket,
      page,
      reconnect: { initialDelay: 60_000 },
    })
    const sub = conn.status$.subscribe()
    last(fake.sockets).fail()
    expect(conn.status).toBe('backoff')
    page.window.dispatchEvent(new Event('offline'))
    expect(conn.status).toBe('awaiting')
    page.window.dispatchEvent(new Event('online'))
    expect(fake.sockets).toHaveLength(2)
    last(fake.sockets).fail()
    page.document.dispatchEvent(new Event('visibilitychange'))
    expect(fake.sockets).toHaveLength(3)
    sub.unsubscribe()
    conn.close()
  })

  it('an explicit network$ wins over the page', () => {
    const fake = fakeWebSockets()
    const page = fakePage()
    const conn = connect('ws://relay.test', {
      WebSocket: fake.WebSocket,
      page,
      network$: { subscribe: () => ({ unsubscribe() {} }) } as never,
      reconnect: { initialDelay: 60_000 },
    })
    const sub = conn.status$.subscribe()
    last(fake.sockets).fail()
    page.window.dispatchEvent(new Event('online'))
    expect(fake.sockets).toHaveLength(1)
    sub.unsubscribe()
    conn.close()
  })

  it('probes on the native WebSocket; with pauseProbesWhenHidden, not while the page is hidden', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const fake = fakeWebSockets()
      const page = fakePage('hidden')
      const options = { WebSocket: fake.WebSocket, page, scheduler, health: { pingInterval: 100 } }
      const always = connect('ws://always.test', options)
      const paused = connect('ws://paused.test', { ...options, pauseProbesWhenHidden: true })
      const subs = [always.status$.subscribe(), paused.status$.subscribe()]
      for (const socket of fake.sockets) socket.open()
      const [alwaysSocket, pausedSocket] = fake.sockets
      scheduler.schedule(() => {
        expect(alwaysSocket?.sent).toEqual([REQ])
        expect(pausedSocket?.sent).toEqual([])
        page.document.visibilityState = 'visible'
        page.document.dispatchEvent(new Event('visibilitychange'))
      }, 101)
      scheduler.schedule(() => expect(pausedSocket?.sent).toEqual([REQ]), 202)
      scheduler.schedule(() => {
        for (const sub of subs) sub.unsubscribe()
        always.close()
        paused.close()
      }, 203)
    })
  })

  it.runIf(!('WebSocket' in globalThis))('without a WebSocket anywhere, says so', () => {
    expect(() => connect('ws://relay.test')).toThrow(UsageError)
  })
})

describe('createPool', () => {
  it('connects every relay with the browser connect and its options, lazily', () => {
    const fake = fakeWebSockets()
    const pool = createPool({
      relays: ['ws://one.test', 'ws://two.test'],
      connection: { WebSocket: fake.WebSocket, page: false },
    })
    expect(fake.sockets).toHaveLength(0)
    const sub = pool.statuses$.subscribe()
    expect(fake.sockets.map((s) => s.url)).toEqual(['ws://one.test', 'ws://two.test'])
    sub.unsubscribe()
    pool.close()
  })
})
