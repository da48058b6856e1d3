/**
 * A stalled WebSocket upgrade (TCP accepted, no answer) fails at connectTimeout with ConnectionTimeout,
 * and the next attempt waits out the backoff. Timings are asserted loosely: order and lower bounds.
 */
import { describe, expect, it } from 'vitest'
import { ConnectionError, connect } from '../src/index.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, record, until } from './helpers/wait.js'

const track = disposeAfterEach()

const connectTimeout = 300
const initialDelay = 200
/** Timers may fire a millisecond or two early relative to Date.now(). */
const SLACK = 10

describe('stalled handshake', () => {
  it('times out at connectTimeout with ConnectionTimeout, then retries after the backoff, then connects', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const proxy = track(new FaultProxy(relay.port, 'stallHandshake'), (p) => p.close())
    const url = await proxy.listen()
    const conn = track(
      connect(url, { connectTimeout, reconnect: { initialDelay, factor: 1, jitter: 0, maxAttempts: 0 } }),
      (c) => c.close(),
    )
    const startedAt = Date.now()
    const rec = record(conn)

    await until(() => proxy.accepted === 2, 'the second attempt', { within: 3_000 })
    const [first, second] = proxy.connections
    // The client gave up on the first attempt's connection at the timeout.
    await first?.whenClientGone()

    const timeouts = rec.errors.filter((e) => e.value.code === 'ConnectionTimeout')
    expect(timeouts.length).toBeGreaterThanOrEqual(1)
    const firstTimeout = timeouts[0]!
    expect(firstTimeout.value).toBeInstanceOf(ConnectionError)
    expect((firstTimeout.value as ConnectionError).retriable).toBe(true)
    expect(rec.errorCodes()[0]).toBe('ConnectionTimeout')
    expect(firstTimeout.at - startedAt).toBeGreaterThanOrEqual(connectTimeout - SLACK)
    const backoffAt = rec.statuses.find((s) => s.value === 'backoff')?.at ?? Number.NaN
    expect(backoffAt).toBeGreaterThanOrEqual(firstTimeout.at)
    expect(second!.acceptedAt - firstTimeout.at).toBeGreaterThanOrEqual(initialDelay - SLACK)
    const fromDial = rec.statusList().slice(rec.statusList().indexOf('connecting'))
    expect(fromDial.slice(0, 3)).toEqual(['connecting', 'backoff', 'connecting'])
    expect(rec.statusList()).not.toContain('connected')

    // Let the relay answer from now on: the next attempt connects.
    proxy.setMode('pass')
    await until(() => conn.status === 'connected', 'connected once the proxy passes', { within: 3_000 })
    expect(rec.errorCodes().every((code) => code === 'ConnectionTimeout')).toBe(true)
  })

  it('a stalled attempt does not hold up close(): closed at once, nothing left open', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const proxy = track(new FaultProxy(relay.port, 'stallHandshake'), (p) => p.close())
    const url = await proxy.listen()
    const conn = track(connect(url, { connectTimeout: 5_000 }), (c) => c.close())
    const rec = record(conn)
    await until(() => proxy.accepted === 1, 'the attempt to reach the proxy')

    conn.close()

    expect(conn.status).toBe('closed')
    await proxy.connection(0).whenClientGone()
    expect(rec.errors).toEqual([])
  })
})
