/**
 * Dead-peer cleanup on the responder side: a peer that goes silent (TCP up, nothing answering, no FIN)
 * is found by ping frames and terminated; a live idle peer answers the pings and stays. Short real
 * timings are acceptable here only because this is a network test.
 */
import { describe, expect, it } from 'vitest'
import { serve } from '../src/index.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { RawPeer } from './helpers/raw-ws.js'
import { answerEverything, openClient } from './helpers/relay-app.js'
import { disposeAfterEach, until } from './helpers/wait.js'

const track = disposeAfterEach()

const health = { pingInterval: 100, pongTimeout: 100, failureThreshold: 2 }

describe('dead-peer cleanup by ping', () => {
  it('terminates a silent peer after pingInterval + pongTimeout × failureThreshold; a live idle peer stays', async () => {
    const relay = track(await serve({ health }), (r) => r.close())
    const app = answerEverything(relay)
    const proxy = track(new FaultProxy(Number(new URL(relay.url).port)), (p) => p.close())
    const proxied = await proxy.listen()
    const doomed = await openClient(proxied)
    const idle = track(await RawPeer.open(relay.url), (p) => p.destroy()) // answers pings, sends nothing
    await until(() => app.length === 2, 'two connections')
    const server = app[0]! // the proxied one: its client was open before the raw peer dialled

    const silencedAt = Date.now()
    proxy.connection(0).setMode('blackhole')
    await until(() => server.conn.status === 'closed', 'the silent peer to be terminated', { within: 3_000 })
    const detectedAfter = Date.now() - silencedAt

    expect(server.errors.map((e) => e.code)).toEqual(['PongTimeout', 'ConnectionUnhealthy'])
    expect(detectedAfter).toBeGreaterThanOrEqual(
      health.pingInterval + health.pongTimeout * health.failureThreshold - 50,
    )
    expect(detectedAfter).toBeLessThan(2_000)
    // The live peer has answered pings all along, and is still connected.
    const pings = idle.frames.filter((f) => f.opcode === 0x9).length
    expect(pings).toBeGreaterThanOrEqual(2)
    expect(relay.connections.size).toBe(1)
    expect(app[1]!.conn.status).toBe('connected')
    expect(app[1]!.errors).toEqual([])
    expect(app[1]!.conn.metrics().lastPongLatency).toBeTypeOf('number')
    expect(doomed.closed).toBeUndefined() // the proxy swallowed the teardown: the client never heard
  })
})
