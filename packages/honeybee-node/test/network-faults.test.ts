/** TCP faults under an open connection (RST, FIN without a close frame, latency) and how it recovers. */
import { describe, expect, it } from 'vitest'
import { connect, type NodeConnectOptions } from '../src/index.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, record, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

const FAST_RETRY: NodeConnectOptions = { reconnect: { initialDelay: 20, jitter: 0, maxAttempts: 0 } }

async function relayBehindProxy(): Promise<{ relay: RelayServer; proxy: FaultProxy; url: string }> {
  const relay = track(await RelayServer.start(), (r) => r.stop())
  const proxy = track(new FaultProxy(relay.port), (p) => p.close())
  return { relay, proxy, url: await proxy.listen() }
}

describe('network faults under an open connection', () => {
  for (const fault of ['reset', 'fin'] as const) {
    it(`${fault}: reported as ConnectionClosed 1006 (no close frame), reconnected, traffic resumes`, async () => {
      const { relay, proxy, url } = await relayBehindProxy()
      const conn = track(connect(url, FAST_RETRY), (c) => c.close())
      let reconnects = 0
      conn.onReconnect(() => reconnects++)
      const rec = record(conn)
      await statusReached(conn, 'connected')

      proxy.connection(0).setMode(fault)
      await until(() => rec.statusList().filter((s) => s === 'connected').length === 2, 'reconnected')

      expect(rec.errorCodes()).toEqual(['ConnectionClosed'])
      expect(rec.errors[0]?.value).toMatchObject({ closeCode: 1006, retriable: true })
      expect(reconnects).toBe(1)
      expect(proxy.accepted).toBe(2)
      conn.send('["REQ","again",{}]')
      await until(() => relay.client(1).messages.length === 1, 'the REQ on the new connection')
    })
  }

  it('a relay that closes normally (1000) while we still want the connection is reconnected', async () => {
    const { relay, url } = await relayBehindProxy()
    const conn = track(connect(url, FAST_RETRY), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    relay.client(0).ws.close(1000, 'bye')
    await until(() => rec.statusList().filter((s) => s === 'connected').length === 2, 'reconnected')

    expect(rec.errors[0]?.value).toMatchObject({ code: 'ConnectionClosed', closeCode: 1000, retriable: true })
  })

  it('a relay that closes with 4000 (do not retry) is not reconnected: status error', async () => {
    const { relay, proxy, url } = await relayBehindProxy()
    const conn = track(connect(url, FAST_RETRY), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    relay.client(0).ws.close(4000, 'go away')
    await until(() => conn.status === 'error', 'status error')

    expect(rec.errors[0]?.value).toMatchObject({
      code: 'ConnectionClosed',
      closeCode: 4000,
      retriable: false,
    })
    expect(rec.errors[0]?.value.message).toContain('go away')
    expect(proxy.accepted).toBe(1)
  })

  it('delay: latency slows delivery but keeps order, and the connection stays up', async () => {
    const { relay, proxy, url } = await relayBehindProxy()
    const conn = track(connect(url), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')
    const latency = 60
    proxy.connection(0).setMode({ delay: latency })

    const sentAt = Date.now()
    const envelopes = Array.from({ length: 100 }, (_, i) => `["NOTICE","${i}"]`)
    for (const envelope of envelopes) {
      relay.send(envelope)
      conn.send(envelope.replace('NOTICE', 'CLOSE'))
    }
    await until(() => rec.messages.length >= 1, 'the first delayed message')
    const firstAfter = Date.now() - sentAt
    await until(
      () => rec.messages.length === 100 && relay.received().length === 100,
      'all of them, both ways',
    )

    expect(firstAfter).toBeGreaterThanOrEqual(latency - 5)
    expect(rec.messages).toEqual(envelopes)
    expect(relay.received()).toEqual(envelopes.map((e) => e.replace('NOTICE', 'CLOSE')))
    expect(rec.errors).toEqual([])
    expect(conn.status).toBe('connected')
  })
})
