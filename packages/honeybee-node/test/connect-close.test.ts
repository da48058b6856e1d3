/** Connecting to and closing a real `ws` relay: the status sequence, completion, idempotence. */
import { describe, expect, it } from 'vitest'
import { connect, UsageError } from '../src/index.js'
import { FaultProxy } from './helpers/fault-proxy.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, record, sleep, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

describe('connect and close on a real socket', () => {
  // status$ "replays the current status to each new subscriber, then every change", and the module's
  // @example promises 'disconnected', 'connecting', 'connected' to the first subscriber.
  it('goes disconnected → connecting → connected, and the relay sees one client', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url), (c) => c.close())
    expect(conn.status).toBe('disconnected')

    const rec = record(conn)
    await statusReached(conn, 'connected')

    expect(rec.statusList()).toEqual(['disconnected', 'connecting', 'connected'])
    expect(relay.clients).toHaveLength(1)
    expect(rec.errors).toEqual([])
  })

  it('close() moves to closed through closing, completes every stream, and closes with 1000', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url), (c) => c.close())
    const rec = record(conn)
    const events = { completed: false }
    track(conn.events$.subscribe({ complete: () => (events.completed = true) }), (s) => s.unsubscribe())
    await statusReached(conn, 'connected')

    conn.close()
    await until(() => rec.completed.has('status$'), 'status$ to complete')

    // From the dial on; whether status$ replays 'disconnected' first is the previous test's concern.
    const fromDial = rec.statusList().slice(rec.statusList().indexOf('connecting'))
    expect(fromDial).toEqual(['connecting', 'connected', 'closing', 'closed'])
    expect(conn.status).toBe('closed')
    expect([...rec.completed].sort()).toEqual(['errors$', 'messages$', 'status$'])
    expect(events.completed).toBe(true)
    await until(() => relay.client(0).closed !== undefined, 'the relay to see the close')
    expect(relay.client(0).closed?.code).toBe(1000)
    expect(rec.errors).toEqual([])
  })

  it('close() is idempotent, and send() after it throws InvalidState', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    conn.close()
    conn.close()
    await until(() => conn.status === 'closed', 'closed')
    conn.close()

    expect(rec.statusList().filter((s) => s === 'closed')).toHaveLength(1)
    expect(rec.statusList().filter((s) => s === 'closing')).toHaveLength(1)
    expect(() => conn.send('["REQ","x",{}]')).toThrow(UsageError)
    try {
      conn.send('["REQ","x",{}]')
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError)
      expect((error as UsageError).code).toBe('InvalidState')
    }
    expect(relay.clients).toHaveLength(1)
  })

  it('close() while the handshake is in flight ends at closed and leaves no client on the relay', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url), (c) => c.close())
    const rec = record(conn)
    expect(conn.status).toBe('connecting')

    conn.close()

    expect(conn.status).toBe('closed')
    expect(rec.completed.has('status$')).toBe(true)
    // The relay may have accepted the TCP connection, but it must not be left with an open client.
    await until(() => relay.open.length === 0 && relay.wss.clients.size === 0, 'no open client on the relay')
  })

  it('messages flow both ways while connected', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    conn.send('["REQ","feed",{"kinds":[1]}]')
    relay.send('["EOSE","feed"]')

    await until(() => relay.received().length === 1 && rec.messages.length === 1, 'one message each way')
    expect(relay.received()).toEqual(['["REQ","feed",{"kinds":[1]}]'])
    expect(rec.messages).toEqual(['["EOSE","feed"]'])
  })

  it('close() from inside a status$ callback during a redial leaves no socket open', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const proxy = track(new FaultProxy(relay.port), (p) => p.close())
    const url = await proxy.listen()
    const conn = track(connect(url, { reconnect: { initialDelay: 10, jitter: 0 } }), (c) => c.close())
    let connecting = 0
    track(
      conn.status$.subscribe((status) => {
        // The redial after the reset below: a subscriber that closes as soon as it sees it.
        if (status === 'connecting' && ++connecting === 2) conn.close()
      }),
      (s) => s.unsubscribe(),
    )
    await until(() => conn.status === 'connected', 'connected')

    proxy.connection(0).setMode('reset')
    await until(() => conn.status === 'closed', 'closed')
    // Enough for a socket opened by mistake after close() to reach the relay over loopback.
    await sleep(100)

    expect(connecting).toBe(2)
    expect(relay.wss.clients.size).toBe(0)
    expect(relay.open).toEqual([])
  })
})
