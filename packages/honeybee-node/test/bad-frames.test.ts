/** Hostile frames from a real relay are dropped and reported; the connection and its streams go on. */
import { describe, expect, it } from 'vitest'
import { connect, ProtocolError } from '../src/index.js'
import { RelayServer } from './helpers/relay-server.js'
import { disposeAfterEach, record, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

const maxMessageSize = 1_024

const event = (id: string): string => `["EVENT","s",{"id":"${id}","kind":1,"content":"ok"}]`

describe('bad frames from the relay', () => {
  it('oversized, non-JSON, binary and unknown-label frames are reported; good messages keep flowing', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url, { maxMessageSize }), (c) => c.close())
    const rec = record(conn)
    const events: string[] = []
    track(
      conn.events$.subscribe((e) => events.push(e)),
      (s) => s.unsubscribe(),
    )
    await statusReached(conn, 'connected')

    relay.send(event('before'))
    relay.send(`["EVENT","s",{"id":"huge","content":"${'x'.repeat(maxMessageSize)}"}]`)
    relay.send(event('after-huge'))
    relay.send('this is not JSON')
    relay.send(event('after-garbage'))
    relay.send(Buffer.from([0xff, 0x00, 0xfe, 0x01])) // a binary frame of garbage
    relay.send(event('after-binary'))
    relay.send(Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22]), { binary: false }) // a text frame of invalid UTF-8
    relay.send('["WHAT","is this"]')
    relay.send('')
    relay.send('{"EVENT":1}')
    relay.send(event('last'))
    await until(() => events.length === 5, 'the five good events')

    expect(events).toEqual([
      event('before'),
      event('after-huge'),
      event('after-garbage'),
      event('after-binary'),
      event('last'),
    ])
    // Every frame except the oversized one reaches messages$; the router sorts out the rest.
    expect(rec.messages).toHaveLength(11)
    expect(rec.errorCodes()).toEqual([
      'EnvelopeTooLarge',
      'MalformedEnvelope', // not JSON
      'MalformedEnvelope', // binary garbage
      'MalformedEnvelope', // invalid UTF-8
      'UnknownEnvelopeType',
      'MalformedEnvelope', // empty
      'MalformedEnvelope', // an object, not an array
    ])
    for (const { value } of rec.errors) expect(value).toBeInstanceOf(ProtocolError)
    expect(conn.status).toBe('connected')
    expect(rec.statusList()).not.toContain('backoff')
    expect(relay.clients).toHaveLength(1)
    expect(relay.client(0).closed).toBeUndefined()
  })

  it('a binary frame holding a valid envelope is delivered like a text frame', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(connect(relay.url), (c) => c.close())
    const events: string[] = []
    track(
      conn.events$.subscribe((e) => events.push(e)),
      (s) => s.unsubscribe(),
    )
    await statusReached(conn, 'connected')

    relay.send(Buffer.from(event('binary')))
    await until(() => events.length === 1, 'the event')

    expect(events).toEqual([event('binary')])
  })

  it('a frame over the transport limit (maxFrameSize) closes with 1009 and the connection comes back', async () => {
    const relay = track(await RelayServer.start(), (r) => r.stop())
    const conn = track(
      connect(relay.url, { maxFrameSize: 4_096, reconnect: { initialDelay: 20, jitter: 0 } }),
      (c) => c.close(),
    )
    const rec = record(conn)
    await statusReached(conn, 'connected')

    relay.send(`["NOTICE","${'y'.repeat(8_192)}"]`)
    await until(() => rec.statusList().filter((s) => s === 'connected').length === 2, 'reconnected')

    // ws refuses the frame and closes toward the relay with 1009; locally the socket just dropped.
    await until(() => relay.client(0).closed !== undefined, 'the relay to see the close')
    expect(relay.client(0).closed?.code).toBe(1009)
    const closed = rec.errors.find((e) => e.value.code === 'ConnectionClosed')?.value
    expect(closed).toMatchObject({ code: 'ConnectionClosed', retriable: true })
    expect(closed?.cause).toMatchObject({ code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' })
    expect(rec.messages).toEqual([])
    relay.send(event('small'), { to: relay.client(1) })
    await until(() => rec.messages.length === 1, 'a small message on the new connection')
  })
})
