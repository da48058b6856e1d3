/** A relay that dies and comes back on the same port: reconnection, hooks, and held writes. */
import { describe, expect, it } from 'vitest'
import { connect, type NodeConnectOptions } from '../src/index.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, record, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

/** Quick, deterministic, unlimited retries. */
const FAST_RETRY: NodeConnectOptions = {
  reconnect: { initialDelay: 20, maxDelay: 50, jitter: 0, maxAttempts: 0 },
}

describe('reconnection against a real relay', () => {
  it('reconnects after the relay is killed and restarted: backoff → connecting → connected, onReconnect fires', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url, FAST_RETRY), (c) => c.close())
    let reconnects = 0
    conn.onReconnect(() => reconnects++)
    const rec = record(conn)
    await statusReached(conn, 'connected')
    expect(reconnects).toBe(0)

    await relay.stop()
    await until(() => rec.statusList().includes('backoff'), 'backoff')
    // At least one refused attempt while the relay is down.
    await until(() => rec.statusList().filter((s) => s === 'connecting').length >= 2, 'a retry')
    await relay.restart()
    await until(() => rec.statusList().filter((s) => s === 'connected').length === 2, 'connected again')

    const afterFirstConnect = rec.statusList().slice(rec.statusList().indexOf('connected') + 1)
    expect(afterFirstConnect[0]).toBe('backoff')
    expect(afterFirstConnect.slice(-3)).toEqual(['backoff', 'connecting', 'connected'])
    // Only the three statuses of a retry loop in between.
    expect(new Set(afterFirstConnect)).toEqual(new Set(['backoff', 'connecting', 'connected']))
    expect(reconnects).toBe(1)
    expect(rec.errorCodes()[0]).toBe('ConnectionClosed')
    expect(
      rec
        .errorCodes()
        .slice(1)
        .every((code) => code === 'ConnectionFailed'),
    ).toBe(true)
    expect(relay.clients).toHaveLength(2)

    // And it is a working connection again.
    conn.send('["REQ","after",{}]')
    relay.send('["NOTICE","back"]')
    await until(() => relay.client(1).messages.length === 1 && rec.messages.length === 1, 'traffic both ways')
    expect(rec.messages).toEqual(['["NOTICE","back"]'])
  })

  it('runs onReconnect hooks before the held writes, and their envelopes go first', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url, FAST_RETRY), (c) => c.close())
    conn.onReconnect(() => conn.send('["REQ","resubscribe",{}]'))
    const rec = record(conn)
    await statusReached(conn, 'connected')

    await relay.stop()
    await until(() => conn.status === 'backoff', 'backoff')
    conn.send('["EVENT",{"id":"held"}]')
    await relay.restart()
    await until(() => relay.received().length === 2, 'both envelopes')

    expect(relay.client(1).messages).toEqual(['["REQ","resubscribe",{}]', '["EVENT",{"id":"held"}]'])
    expect(rec.statusList().filter((s) => s === 'connected')).toHaveLength(2)
  })

  it('delivers 1,000 envelopes sent while the relay is down, in order, exactly once', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url, FAST_RETRY), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    await relay.stop()
    await until(() => conn.status === 'backoff', 'backoff')
    const held = Array.from({ length: 1_000 }, (_, i) => `["EVENT",{"id":"${i}","kind":1,"content":"m${i}"}]`)
    for (const envelope of held) conn.send(envelope)
    expect(conn.bufferedAmount).toBeGreaterThan(0)
    await relay.restart()
    await until(() => relay.received().length >= 1_000, '1,000 envelopes at the relay')
    // A sentinel sent after the flush: once it arrives, any duplicate would have arrived before it.
    conn.send('["CLOSE","sentinel"]')
    await until(() => relay.received().includes('["CLOSE","sentinel"]'), 'the sentinel')

    expect(relay.client(0).messages).toEqual([])
    expect(relay.client(1).messages).toEqual([...held, '["CLOSE","sentinel"]'])
    expect(relay.clients).toHaveLength(2)
    expect(conn.bufferedAmount).toBe(0)
    expect(rec.errorCodes()).not.toContain('WriteQueueFull')
  })
})
