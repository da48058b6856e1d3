/** permessage-deflate on a real socket: negotiated when enabled, not when not, and messages round-trip. */
import { describe, expect, it } from 'vitest'
import { connect } from '../src/index.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, record, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

/** A large, very compressible event. */
const bigEvent = `["EVENT","s",{"id":"big","kind":1,"content":"${'nostr '.repeat(5_000)}"}]`

async function deflatingRelayBehindProxy(): Promise<{ relay: RelayServer; proxy: FaultProxy; url: string }> {
  const relay = track(await RelayServer.start({ perMessageDeflate: { threshold: 0 } }), (r) => r.stop())
  const proxy = track(new FaultProxy(relay.port), (p) => p.close())
  return { relay, proxy, url: await proxy.listen() }
}

describe('compression', () => {
  it('with compression enabled, permessage-deflate is negotiated and large messages cross compressed', async () => {
    const { relay, proxy, url } = await deflatingRelayBehindProxy()
    const conn = track(connect(url, { compression: { enabled: true, threshold: 0 } }), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    expect(relay.client(0).request.headers['sec-websocket-extensions']).toContain('permessage-deflate')
    expect(relay.client(0).ws.extensions).toContain('permessage-deflate')

    const before = { up: proxy.connection(0).up.bytes, down: proxy.connection(0).down.bytes }
    conn.send(bigEvent)
    relay.send(bigEvent)
    await until(() => relay.received().length === 1 && rec.messages.length === 1, 'the event both ways')

    expect(relay.received()).toEqual([bigEvent])
    expect(rec.messages).toEqual([bigEvent])
    // ~30 kB of repetitive text crosses the wire in far fewer bytes each way.
    expect(proxy.connection(0).up.bytes - before.up).toBeLessThan(bigEvent.length / 10)
    expect(proxy.connection(0).down.bytes - before.down).toBeLessThan(bigEvent.length / 10)
  })

  it('small messages below the threshold and many messages in a row still round-trip in order', async () => {
    const { relay, url } = await deflatingRelayBehindProxy()
    const conn = track(connect(url, { compression: { enabled: true } }), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    const sent = Array.from(
      { length: 200 },
      (_, i) => `["EVENT",{"id":"${i}","content":"${'z'.repeat(i * 10)}"}]`,
    )
    for (const envelope of sent) {
      conn.send(envelope)
      relay.send(envelope)
    }
    await until(() => relay.received().length === 200 && rec.messages.length === 200, 'all 200 both ways')

    expect(relay.received()).toEqual(sent)
    expect(rec.messages).toEqual(sent)
    expect(relay.client(0).ws.extensions).toContain('permessage-deflate')
  })

  it('without compression (the default), nothing is offered and bytes cross uncompressed (the control)', async () => {
    const { relay, proxy, url } = await deflatingRelayBehindProxy()
    const conn = track(connect(url), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    expect(relay.client(0).request.headers['sec-websocket-extensions']).toBeUndefined()
    expect(relay.client(0).ws.extensions).toBe('')

    const before = proxy.connection(0).down.bytes
    relay.send(bigEvent)
    await until(() => rec.messages.length === 1, 'the event')
    expect(rec.messages).toEqual([bigEvent])
    expect(proxy.connection(0).down.bytes - before).toBeGreaterThanOrEqual(bigEvent.length)
  })
})
