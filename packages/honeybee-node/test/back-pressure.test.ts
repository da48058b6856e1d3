/** Back pressure on a real socket: writes held over the high-water mark go out when TCP drains. */
import { VirtualTimeScheduler } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { connect } from '../src/index.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

describe('back pressure', () => {
  it('sends writes held over the high-water mark when the TCP socket drains, without waiting for a timer', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    // A clock that never moves: the connection's back-pressure look never comes, so only the socket's
    // drain signal can move the held writes.
    const scheduler = new VirtualTimeScheduler()
    const conn = track(connect(relay.url, { scheduler, writeQueue: { highWaterMark: 256 * 1024 } }), (c) =>
      c.close(),
    )
    await statusReached(conn, 'connected')
    const content = 'x'.repeat(64 * 1024)
    const sent = Array.from({ length: 100 }, (_, i) => `["EVENT",{"id":"${i}","content":"${content}"}]`)
    for (const envelope of sent) conn.send(envelope)
    // Most of the 6.4 MB is held by the connection at first.
    expect(conn.bufferedAmount).toBeGreaterThan(4 * 1024 * 1024)
    await until(() => relay.received().length === sent.length, 'every held envelope at the relay')
    expect(relay.received()).toEqual(sent)
  })
})
