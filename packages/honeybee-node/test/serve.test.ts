/**
 * `serve` on real sockets: the NIP-11 document, the NIP-01 exchange with a honeybee initiator,
 * `fromSocket` on the application's own `ws` server, attaching to an existing HTTP server, and a
 * bounded `close()`.
 */
import { createServer, request } from 'node:http'
import { encloseClose, encloseEvent, encloseReq, findOK, findSubscriptionEvent } from 'roots-ws'
import { describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { connect, fromSocket, type ResponderConnection, serve } from '../src/index.js'
import { RawPeer } from './helpers/raw-ws.js'
import { answerEverything, event, eventId, openClient } from './helpers/relay-app.js'
import { disposeAfterEach, record, statusReached, until } from './helpers/wait.js'

const track = disposeAfterEach()

/** An HTTP GET to the relay's URL; resolves with the status, headers and body. */
function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, 'http'), { method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the NIP-11 information document', () => {
  it('is served as JSON with CORS headers to Accept: application/nostr+json, with the enforced limits', async () => {
    const relay = track(
      await serve({
        limits: { maxSubscriptions: 7, maxMessageSize: 65_536 },
        info: { name: 'test relay', supported_nips: [1, 11, 45], limitation: { max_limit: 500 } },
      }),
      (r) => r.close(),
    )
    expect(relay.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)

    const answer = await get(relay.url, { Accept: 'text/html;q=0.5, Application/Nostr+JSON' })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('application/nostr+json')
    expect(answer.headers['access-control-allow-origin']).toBe('*')
    expect(answer.headers['access-control-allow-headers']).toBe('*')
    expect(answer.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS')
    expect(JSON.parse(answer.body)).toEqual({
      name: 'test relay',
      supported_nips: [1, 11, 45],
      limitation: { max_limit: 500, max_message_length: 65_536, max_subscriptions: 7, max_subid_length: 64 },
    })
    expect(relay.info).toEqual(JSON.parse(answer.body))

    const preflight = await get(relay.url, { Origin: 'https://app.example' }, 'OPTIONS')
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
  })

  it('without that Accept header, the answer is 426 Upgrade Required in plain text', async () => {
    const relay = track(await serve(), (r) => r.close())
    for (const headers of [{}, { Accept: 'application/json' }, { Accept: 'text/html' }]) {
      const answer = await get(relay.url, headers)
      expect(answer.status).toBe(426)
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(answer.headers.upgrade).toBe('websocket')
      expect(answer.body).toContain('Nostr relay')
    }
  })

  it('with a path, only that path answers; others get 404 and their upgrades are refused', async () => {
    const relay = track(await serve({ path: '/nostr' }), (r) => r.close())
    expect(relay.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/nostr$/)
    expect((await get(relay.url, { Accept: 'application/nostr+json' })).status).toBe(200)
    const elsewhere = relay.url.replace('/nostr', '/other')
    expect((await get(elsewhere, { Accept: 'application/nostr+json' })).status).toBe(404)
    await expect(RawPeer.open(elsewhere)).rejects.toThrow(/404/)
    const peer = await RawPeer.open(`${relay.url}?x=1`)
    await until(() => relay.connections.size === 1, 'the connection on the path')
    peer.destroy()
  })
})

describe('the NIP-01 exchange with a honeybee initiator', () => {
  it('EVENT → OK, REQ → events and EOSE, CLOSE → closes$, COUNT → COUNT', async () => {
    const relay = track(await serve(), (r) => r.close())
    const app = answerEverything(relay)
    const conn = track(connect(relay.url), (c) => c.close())
    const rec = record(conn)
    await statusReached(conn, 'connected')

    conn.send(encloseEvent(event('c')))
    conn.send(encloseReq('feed', ['{"kinds":[1]}']))
    conn.send('["COUNT","n",{}]')
    await until(() => rec.messages.length === 5, 'OK, two events, EOSE and COUNT')

    expect(findOK(rec.messages[0]!)).toEqual({ eventId: eventId('c'), status: true, message: '' })
    expect(rec.messages.slice(1, 3).map((m) => findSubscriptionEvent(m))).toEqual([
      { subId: 'feed', event: event('a') },
      { subId: 'feed', event: event('b') },
    ])
    expect(rec.messages[3]).toBe('["EOSE","feed"]')
    expect(rec.messages[4]).toBe('["COUNT","n",{"count":2}]')
    const server = app[0]!
    expect([...server.conn.subscriptions]).toEqual(['feed'])

    conn.send(encloseClose('feed'))
    await until(() => server.closes.length === 1, 'the CLOSE on the server')
    expect(server.closes).toEqual(['feed'])
    expect(server.conn.subscriptions.size).toBe(0)
    expect(server.errors).toEqual([])
    expect(relay.connections.has(server.conn)).toBe(true)
    expect(server.conn.metrics().messagesReceived).toBe(4)

    conn.close()
    await until(() => relay.connections.size === 0, 'the server to drop the connection')
    expect(server.conn.status).toBe('closed')
    expect(server.conn.closeInfo?.code).toBe(1000)
  })
})

describe('fromSocket', () => {
  it('makes a responder of a socket from the application’s own ws server', async () => {
    const wss = track(new WebSocketServer({ host: '127.0.0.1', port: 0 }), (s) => {
      for (const client of s.clients) client.terminate()
      return new Promise((resolve) => s.close(resolve))
    })
    await new Promise((resolve) => wss.once('listening', resolve))
    const accepted: ResponderConnection[] = []
    wss.on('connection', (ws) => {
      const conn = fromSocket(ws, { id: `peer-${accepted.length}`, limits: { maxSubscriptions: 1 } })
      accepted.push(conn)
      conn.reqs$.subscribe(({ subId }) => conn.sendEOSE(subId))
    })
    const { port } = wss.address() as { port: number }
    const client = await openClient(`ws://127.0.0.1:${port}`)
    client.send('["REQ","a",{}]')
    client.send('["REQ","b",{}]')
    await until(() => client.messages.length === 2, 'EOSE and CLOSED')
    expect(client.messages).toEqual([
      '["EOSE","a"]',
      '["CLOSED","b","restricted: too many subscriptions (max 1)"]',
    ])
    expect(accepted.map((c) => c.id)).toEqual(['peer-0'])
    client.ws.close()
    await until(() => accepted[0]?.status === 'closed', 'the responder to close')
  })
  it('refuses to wrap a socket twice: one socket has one owner, and the first keeps it', async () => {
    const wss = track(new WebSocketServer({ host: '127.0.0.1', port: 0 }), (s) => {
      for (const client of s.clients) client.terminate()
      return new Promise((resolve) => s.close(resolve))
    })
    await new Promise((resolve) => wss.once('listening', resolve))
    const refusals: unknown[] = []
    wss.on('connection', (ws) => {
      const conn = fromSocket(ws)
      conn.reqs$.subscribe(({ subId }) => conn.sendEOSE(subId))
      try {
        fromSocket(ws)
      } catch (error) {
        refusals.push(error)
      }
    })
    const { port } = wss.address() as { port: number }
    const client = await openClient(`ws://127.0.0.1:${port}`)
    client.send('["REQ","a",{}]')
    await until(() => client.messages.length === 1, 'EOSE')
    expect(refusals).toEqual([expect.objectContaining({ name: 'UsageError', code: 'InvalidArgument' })])
    expect(client.messages).toEqual(['["EOSE","a"]']) // once: no second owner answered too
  })
})

describe('serve on an existing HTTP server', () => {
  it('takes the upgrades on its path, leaves plain requests to the application, and leaves the server running', async () => {
    const http = track(
      createServer((_req, res) => res.end('app')),
      (s) => new Promise((resolve) => s.close(resolve)),
    )
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const relay = await serve({ server: http, path: '/relay' })
    const { port } = http.address() as { port: number }
    expect(relay.url).toBe(`ws://127.0.0.1:${port}/relay`)
    answerEverything(relay)

    const client = await openClient(relay.url)
    client.send('["REQ","s",{}]')
    await until(() => client.messages.length === 3, 'two events and EOSE')
    expect((await get(relay.url, { Accept: 'application/nostr+json' })).body).toBe('app')

    await relay.close()
    await until(() => client.closed !== undefined, 'the client to be closed')
    expect(client.closed?.code).toBe(1001)
    expect(http.listening).toBe(true)
    expect((await get(`ws://127.0.0.1:${port}/`)).body).toBe('app')
  })
})

describe('close()', () => {
  it('closes every connection within closeTimeout, even a peer that never answers the close handshake', async () => {
    const closeTimeout = 300
    const relay = await serve({ limits: { closeTimeout } })
    let completed = false
    relay.connections$.subscribe({ complete: () => (completed = true) })
    const polite = await openClient(relay.url)
    const silent = await RawPeer.open(relay.url)
    await until(() => relay.connections.size === 2, 'both connections')
    silent.stopReading() // never sees the close frame, never answers it

    const started = Date.now()
    await Promise.all([relay.close(), relay.close()])
    const took = Date.now() - started

    expect(took).toBeGreaterThanOrEqual(closeTimeout - 20)
    expect(took).toBeLessThan(closeTimeout + 1_000)
    expect(relay.connections.size).toBe(0)
    expect(completed).toBe(true)
    silent.socket.resume() // a paused socket does not see its end
    await until(() => polite.closed !== undefined && silent.isClosed, 'both sockets closed')
    expect(polite.closed).toEqual({ code: 1001, reason: 'relay shutting down' })
    await expect(openClient(relay.url)).rejects.toThrow()
  })

  it('is quick when every peer answers', async () => {
    const relay = await serve()
    const clients = await Promise.all(Array.from({ length: 20 }, () => openClient(relay.url)))
    await until(() => relay.connections.size === 20, 'twenty connections')
    const started = Date.now()
    await relay.close()
    expect(Date.now() - started).toBeLessThan(500)
    await until(() => clients.every((c) => c.closed?.code === 1001), 'every client closed with 1001')
  })
})
