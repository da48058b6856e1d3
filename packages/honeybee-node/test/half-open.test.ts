/**
 * A half-open peer (TCP up, nothing answering, no FIN) is found by the ping/pong heartbeat and
 * replaced. Short real timings are acceptable here only because this is a network test.
 */
import { describe, expect, it } from 'vitest'
import { ConnectionError, connect } from '../src/index.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, errorReported, record, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

const health = { pingInterval: 200, pongTimeout: 100, failureThreshold: 2 }

describe('half-open connection', () => {
  it('is detected as ConnectionUnhealthy and replaced by a new connection that carries traffic', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const proxy = track(new FaultProxy(relay.port), (p) => p.close())
    const url = await proxy.listen()
    const conn = track(
      connect(url, { health, reconnect: { initialDelay: 20, jitter: 0, maxAttempts: 0 } }),
      (c) => c.close(),
    )
    const rec = record(conn)
    await statusReached(conn, 'connected')
    expect(proxy.accepted).toBe(1)

    // The first connection goes silent; connections accepted from now on pass.
    const silencedAt = Date.now()
    proxy.connection(0).setMode('blackhole')
    const unhealthy = await errorReported(conn, 'ConnectionUnhealthy', 2_000)
    const detectedAfter = Date.now() - silencedAt
    await until(() => rec.statusList().filter((s) => s === 'connected').length === 2, 'a new connection', {
      within: 2_000,
    })
    const recoveredAfter = Date.now() - silencedAt

    expect(unhealthy).toBeInstanceOf(ConnectionError)
    expect((unhealthy as ConnectionError).retriable).toBe(true)
    // pingInterval + pongTimeout × failureThreshold, give or take the timers' granularity.
    expect(detectedAfter).toBeGreaterThanOrEqual(
      health.pingInterval + health.pongTimeout * health.failureThreshold - 50,
    )
    expect(recoveredAfter).toBeLessThan(2_000)
    expect(rec.errorCodes()).toEqual(['PongTimeout', 'ConnectionUnhealthy'])
    expect(rec.statusList().slice(-3)).toEqual(['backoff', 'connecting', 'connected'])
    expect(proxy.accepted).toBe(2)
    // The silent connection was neither closed nor reset on the relay's side: the proxy swallowed it all.
    expect(relay.client(0).closed).toBeUndefined()
    expect(relay.client(0).pings).toBe(0)

    conn.send('["REQ","after",{}]')
    relay.send('["NOTICE","alive"]', { to: relay.client(1) })
    await until(() => relay.client(1).messages.length === 1 && rec.messages.length === 1, 'traffic both ways')
    expect(relay.client(1).messages).toEqual(['["REQ","after",{}]'])
    expect(rec.messages).toEqual(['["NOTICE","alive"]'])
  })

  it('a healthy but idle connection answers the pings and stays up (the control)', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const proxy = track(new FaultProxy(relay.port), (p) => p.close())
    const url = await proxy.listen()
    const conn = track(connect(url, { health }), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    await until(() => relay.client(0).pings >= 3, 'three pings answered', { within: 2_000 })

    expect(rec.errors).toEqual([])
    expect(conn.status).toBe('connected')
    expect(proxy.accepted).toBe(1)
  })
})
