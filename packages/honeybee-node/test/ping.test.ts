/** The heartbeat sends real WebSocket ping frames, only when the connection is quiet. */
import { describe, expect, it } from 'vitest'
import { connect } from '../src/index.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, record, sleep, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

describe('ping frames', () => {
  it('a quiet connection sends ping frames every pingInterval, and the pongs keep it healthy', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const pingInterval = 50
    const conn = track(connect(relay.url, { health: { pingInterval, pongTimeout: 100 } }), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')
    const connectedAt = Date.now()

    await until(() => relay.client(0).pings >= 4, 'four pings')
    const elapsed = Date.now() - connectedAt

    // Four pings, each after at least pingInterval of silence.
    expect(elapsed).toBeGreaterThanOrEqual(4 * pingInterval - 10)
    expect(rec.errors).toEqual([])
    expect(conn.status).toBe('connected')
    expect(relay.clients).toHaveLength(1)
  })

  it('a connection that keeps receiving messages is not pinged', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url, { health: { pingInterval: 150, pongTimeout: 100 } }), (c) =>
      c.close(),
    )
    const rec = record(conn)
    await statusReached(conn, 'connected')

    // A message every ~20 ms for ~400 ms: never 150 ms of silence.
    for (let i = 0; i < 20; i++) {
      relay.send(`["NOTICE","${i}"]`)
      await sleep(20)
    }

    expect(rec.messages).toHaveLength(20)
    expect(relay.client(0).pings).toBe(0)
    // Once it goes quiet, the pings start.
    await until(() => relay.client(0).pings >= 1, 'a ping after the traffic stops')
  })
})
