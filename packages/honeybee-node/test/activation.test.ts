/** Lazy activation, one shared socket, and keepAlive, counted in real TCP connections. */
import { describe, expect, it } from 'vitest'
import { connect } from '../src/index.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, sleep, until } from './helpers/wait.js'

const track = disposeAfterEach()

async function relayBehindProxy(): Promise<{ relay: RelayServer; proxy: FaultProxy; url: string }> {
  const relay = track(await RelayServer.start(), (r) => r.stop())
  const proxy = track(new FaultProxy(relay.port), (p) => p.close())
  return { relay, proxy, url: await proxy.listen() }
}

describe('activation on a real socket', () => {
  it('opens no TCP connection until the first subscriber, nor on reading status', async () => {
    const { proxy, url } = await relayBehindProxy()
    const conn = track(connect(url), (c) => c.close())

    expect(conn.status).toBe('disconnected')
    expect(conn.url).toBe(url)
    await sleep(50)
    expect(proxy.accepted).toBe(0)
    expect(conn.status).toBe('disconnected')

    const sub = track(conn.messages$.subscribe(), (s) => s.unsubscribe())
    await until(() => conn.status === 'connected', 'connected')
    expect(proxy.accepted).toBe(1)
    sub.unsubscribe()
  })

  it('shares one socket between subscribers; each gets every message', async () => {
    const { relay, proxy, url } = await relayBehindProxy()
    const conn = track(connect(url), (c) => c.close())
    const a: string[] = []
    const b: string[] = []
    const events: string[] = []
    track(
      conn.messages$.subscribe((m) => a.push(m)),
      (s) => s.unsubscribe(),
    )
    track(
      conn.messages$.subscribe((m) => b.push(m)),
      (s) => s.unsubscribe(),
    )
    track(
      conn.events$.subscribe((m) => events.push(m)),
      (s) => s.unsubscribe(),
    )
    await until(() => conn.status === 'connected', 'connected')

    relay.send('["EVENT","s",{"id":"1"}]')
    relay.send('["NOTICE","hello"]')
    await until(
      () => a.length === 2 && b.length === 2 && events.length === 1,
      'both messages on every stream',
    )

    expect(a).toEqual(['["EVENT","s",{"id":"1"}]', '["NOTICE","hello"]'])
    expect(b).toEqual(a)
    expect(events).toEqual(['["EVENT","s",{"id":"1"}]'])
    expect(proxy.accepted).toBe(1)
    expect(relay.clients).toHaveLength(1)
    expect(relay.wss.clients.size).toBe(1)
  })

  it('closes keepAlive ms after the last subscriber leaves, with 1000 "no subscribers"', async () => {
    const { relay, proxy, url } = await relayBehindProxy()
    const keepAlive = 100
    const conn = track(connect(url, { keepAlive }), (c) => c.close())
    const first = conn.messages$.subscribe()
    const second = conn.status$.subscribe()
    await until(() => conn.status === 'connected', 'connected')

    first.unsubscribe()
    await sleep(20)
    expect(conn.status).toBe('connected') // one subscriber left
    const leftAt = Date.now()
    second.unsubscribe()
    await until(() => conn.status === 'disconnected', 'disconnected after keepAlive')
    const closedAfter = Date.now() - leftAt

    expect(closedAfter).toBeGreaterThanOrEqual(keepAlive - 5)
    await until(() => relay.client(0).closed !== undefined, 'the relay to see the close')
    expect(relay.client(0).closed).toEqual({ code: 1000, reason: 'no subscribers' })
    expect(proxy.accepted).toBe(1)
    expect(relay.wss.clients.size).toBe(0)
  })

  it('a subscriber arriving within keepAlive keeps the same socket; one arriving later opens a new one', async () => {
    const { relay, proxy, url } = await relayBehindProxy()
    const keepAlive = 80
    const conn = track(connect(url, { keepAlive }), (c) => c.close())
    const first = conn.messages$.subscribe()
    await until(() => conn.status === 'connected', 'connected')
    first.unsubscribe()
    await sleep(20)
    const back = conn.messages$.subscribe()
    await sleep(100) // well past keepAlive since the first subscriber left
    expect(conn.status).toBe('connected')
    expect(proxy.accepted).toBe(1)

    back.unsubscribe()
    await until(() => conn.status === 'disconnected', 'disconnected')
    const again = track(conn.messages$.subscribe(), (s) => s.unsubscribe())
    await until(() => conn.status === 'connected', 'connected again')
    expect(proxy.accepted).toBe(2)
    expect(relay.clients).toHaveLength(2)
    again.unsubscribe()
  })

  it('send() alone activates the connection and delivers', async () => {
    const { relay, proxy, url } = await relayBehindProxy()
    const conn = track(connect(url), (c) => c.close())
    await sleep(20)
    expect(proxy.accepted).toBe(0)

    conn.send('["REQ","lazy",{}]')

    await until(() => relay.received().length === 1, 'the held write to arrive')
    expect(relay.received()).toEqual(['["REQ","lazy",{}]'])
    expect(proxy.accepted).toBe(1)
  })
})
