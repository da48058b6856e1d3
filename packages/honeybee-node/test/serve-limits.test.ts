/**
 * The responder limits on real sockets: each misbehaving peer is answered per NIP-01 (or cut off,
 * where nothing else protects the process), while a well-behaved connection to the same relay is
 * served as if nothing happened.
 */
import { connect as tcpConnect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { serve } from '../src/index.js'
import { RawPeer } from './helpers/raw-ws.js'
import { answerEverything, event, eventId, openClient, type TestClient } from './helpers/relay-app.js'
import { disposeAfterEach, sleep, until } from './helpers/wait.js'

const track = disposeAfterEach()

/** The well-behaved control: a REQ answered with the two stored events and EOSE, an EVENT with OK true. */
async function expectServed(client: TestClient, tag: string): Promise<void> {
  const before = client.messages.length
  client.send(`["REQ","${tag}",{}]`)
  client.send(`["EVENT",${event('f')}]`)
  await until(() => client.messages.length === before + 4, `the control connection served (${tag})`)
  expect(client.messages.slice(before)).toEqual([
    `["EVENT","${tag}",${event('a')}]`,
    `["EVENT","${tag}",${event('b')}]`,
    `["EOSE","${tag}"]`,
    `["OK","${eventId('f')}",true,""]`,
  ])
}

describe('limits answered per NIP-01', () => {
  it('over-rate, oversized and subscription-hoarding peers get the exact prefixes; a polite peer is unaffected', async () => {
    const relay = track(
      await serve({
        limits: {
          maxMessageSize: 1_000,
          maxSubscriptions: 2,
          // 3 at once, then one every 100 s: nothing refills during the test.
          rateLimit: { enabled: true, messagesPerSecond: 0.01, burst: 3 },
        },
      }),
      (r) => r.close(),
    )
    const app = answerEverything(relay)
    const control = await openClient(relay.url)
    const flooder = await openClient(relay.url)
    const oversized = await openClient(relay.url)
    const hoarder = await openClient(relay.url)
    await until(() => app.length === 4, 'four connections')

    // Three within the burst, then four over it.
    for (const c of ['1', '2', '3', '4']) flooder.send(`["EVENT",${event(c)}]`)
    flooder.send('["REQ","r",{}]')
    flooder.send('["CLOSE","r"]')
    flooder.send('["COUNT","q",{}]')
    const rateLimited = 'rate-limited: more than 0.01 messages per second'
    await until(() => flooder.messages.length === 7, 'the flooder answered seven times')
    expect(flooder.messages).toEqual([
      `["OK","${eventId('1')}",true,""]`,
      `["OK","${eventId('2')}",true,""]`,
      `["OK","${eventId('3')}",true,""]`,
      `["OK","${eventId('4')}",false,"${rateLimited}"]`,
      `["CLOSED","r","${rateLimited}"]`,
      `["NOTICE","${rateLimited}"]`,
      `["CLOSED","q","${rateLimited}"]`,
    ])

    const tooLarge = (envelope: string): string =>
      `invalid: message too large (${envelope.length} > 1000 bytes)`
    const bigEvent = `["EVENT",${event('9', 'x'.repeat(1_000))}]`
    const bigReq = `["REQ","big",{"search":"${'x'.repeat(1_000)}"}]`
    const bigNotice = `["NOTICE","${'x'.repeat(1_000)}"]`
    for (const envelope of [bigEvent, bigReq, bigNotice]) oversized.send(envelope)
    await until(() => oversized.messages.length === 3, 'the oversized peer answered three times')
    expect(oversized.messages).toEqual([
      `["OK","${eventId('9')}",false,"${tooLarge(bigEvent)}"]`,
      `["CLOSED","big","${tooLarge(bigReq)}"]`,
      `["NOTICE","${tooLarge(bigNotice)}"]`,
    ])

    hoarder.send('["REQ","h1",{}]')
    hoarder.send('["REQ","h2",{}]')
    hoarder.send('["REQ","h3",{}]')
    await until(() => hoarder.messages.length === 7, 'the hoarder answered')
    expect(hoarder.messages.at(-1)).toBe('["CLOSED","h3","restricted: too many subscriptions (max 2)"]')
    expect([...app[3]!.conn.subscriptions]).toEqual(['h1', 'h2'])

    expect(app.map((r) => r.errors.map((e) => e.code))).toEqual([
      [],
      ['RateLimitExceeded', 'RateLimitExceeded', 'RateLimitExceeded', 'RateLimitExceeded'],
      ['EnvelopeTooLarge', 'EnvelopeTooLarge', 'EnvelopeTooLarge'],
      ['TooManySubscriptions'],
    ])
    // Every peer kept its connection; the control is served as usual.
    expect(relay.connections.size).toBe(4)
    await expectServed(control, 'c')
    expect(control.messages.filter((m) => m.includes('false') || m.startsWith('["NOTICE"'))).toEqual([])
  })
})

describe('peers that only cutting them off stops', () => {
  it('a slow reader is terminated once over maxBufferedBytes; the other connections are served', async () => {
    const maxBufferedBytes = 1024 * 1024
    const relay = track(await serve({ limits: { maxBufferedBytes } }), (r) => r.close())
    const app = answerEverything(relay)
    const control = await openClient(relay.url)
    const slow = track(await RawPeer.open(relay.url), (p) => p.destroy())
    await until(() => app.length === 2, 'two connections')
    const server = app[1]!

    // The slow peer asks for a flood, then stops reading; the relay streams 64 KiB events at it.
    const chunk = event('e', 'x'.repeat(64 * 1024))
    let sent = 0
    server.conn.reqs$.subscribe(({ subId }) => {
      if (subId !== 'flood') return
      const pump = (): void => {
        for (let i = 0; i < 32; i++) {
          if (!server.conn.sendEvent(subId, chunk)) return
          sent++
        }
        setImmediate(pump)
      }
      setImmediate(pump)
    })
    slow.stopReading()
    slow.sendText('["REQ","flood",{}]')
    await until(() => server.conn.status === 'closed', 'the slow reader to be terminated', { within: 10_000 })

    expect(server.errors.map((e) => e.code)).toEqual(['SlowConsumer'])
    expect(server.errors[0]?.message).toMatch(/not reading: \d+ bytes buffered \(maxBufferedBytes 1048576\)/)
    console.log(`slow reader cut off after ${sent} events (${((sent * chunk.length) / 1e6).toFixed(1)} MB)`)
    expect(relay.connections.size).toBe(1)
    await expectServed(control, 'after-slow')
  })

  it('a message in more than maxFragments frames closes that connection with 1008; others are served', async () => {
    const relay = track(await serve({ maxFragments: 64 }), (r) => r.close())
    const app = answerEverything(relay)
    const control = await openClient(relay.url)
    const fragmenter = track(await RawPeer.open(relay.url), (p) => p.destroy())
    const polite = track(await RawPeer.open(relay.url), (p) => p.destroy())
    await until(() => app.length === 3, 'three connections')

    polite.sendText('["REQ","p",{}]', 64) // exactly at the limit: fine
    fragmenter.sendText(`["EVENT",${event('z', 'x'.repeat(1_000))}]`, 200)
    await until(() => fragmenter.isClosed, 'the fragmenter to be cut off')
    await until(() => polite.texts().length === 3, 'the polite peer served')

    expect(fragmenter.closeFrame()?.code).toBe(1008)
    expect(fragmenter.texts()).toEqual([])
    await until(() => app[1]!.conn.status === 'closed', 'the responder to see the end')
    expect(app[1]!.errors.map((e) => e.code)).toEqual(['ConnectionClosed'])
    expect(app[2]!.conn.status).toBe('connected')
    await expectServed(control, 'after-fragments')
  })

  it('a frame over the hard ceiling (4 × maxMessageSize) closes that connection with 1009; under it, OK false', async () => {
    const relay = track(await serve({ limits: { maxMessageSize: 1_000 } }), (r) => r.close())
    const app = answerEverything(relay)
    const control = await openClient(relay.url)
    const huge = track(await RawPeer.open(relay.url), (p) => p.destroy())
    await until(() => app.length === 2, 'two connections')

    huge.sendText(`["EVENT",${event('h', 'x'.repeat(3_800))}]`) // under 4,000 bytes: answered, connection kept
    await until(() => huge.texts().length === 1, 'the answer to the large event')
    expect(huge.texts()[0]).toMatch(/^\["OK","h{64}",false,"invalid: message too large/)
    huge.sendText(`["EVENT",${event('h', 'x'.repeat(4_000))}]`)
    await until(() => huge.isClosed, 'the huge frame to cut the connection')

    expect(huge.closeFrame()?.code).toBe(1009)
    await until(() => app[1]!.conn.status === 'closed', 'the responder to see the end')
    expect(app[1]!.errors.map((e) => e.code)).toEqual(['EnvelopeTooLarge', 'ConnectionClosed'])
    await expectServed(control, 'after-huge')
  })

  it('a slowloris client (headers dribbled in) is cut off at headersTimeout; WebSockets still open', async () => {
    const headersTimeout = 300
    const relay = track(await serve({ headersTimeout }), (r) => r.close())
    answerEverything(relay)
    const { port } = new URL(relay.url)
    const loris = tcpConnect({ host: '127.0.0.1', port: Number(port) })
    track(loris, (s) => s.destroy())
    let answer = ''
    let closedAt = 0
    loris.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    loris.on('error', () => {})
    loris.on('close', () => (closedAt = Date.now()))
    await new Promise((resolve) => loris.once('connect', resolve))
    const startedAt = Date.now()
    loris.write('GET / HTTP/1.1\r\nHost: relay\r\n')
    // One more header line every 50 ms, for as long as the server listens.
    for (let i = 0; closedAt === 0 && i < 100; i++) {
      loris.write(`X-Slow-${i}: ${'y'.repeat(10)}\r\n`)
      await sleep(50)
    }

    const lasted = closedAt - startedAt
    expect(closedAt).toBeGreaterThan(0)
    expect(lasted).toBeGreaterThanOrEqual(headersTimeout - 20)
    expect(lasted).toBeLessThan(headersTimeout + 1_000)
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
    await expectServed(await openClient(relay.url), 'after-loris')
  })
})
