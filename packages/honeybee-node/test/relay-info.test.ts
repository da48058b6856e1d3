/**
 * NIP-11 over real sockets: `connect(url, { relayInfo: true })` fetches the relay's information
 * document from the `serve()` relay on the same port, and obeys its `max_subscriptions` from the first
 * REQ on: REQs made before the document arrived wait for it instead of being refused by the relay.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { connect, createRelayInfoFetcher, req, type SubscriptionMessage, serve } from '../src/index.js'
import { answerEverything } from './helpers/relay-app.js'
import { disposeAfterEach, until } from './helpers/wait.js'

const track = disposeAfterEach()

describe('NIP-11 limits from the relay', () => {
  it('REQs made at once, before the document arrived, wait for a slot instead of being refused', async () => {
    const relay = track(await serve({ limits: { maxSubscriptions: 1 } }), (r) => r.close())
    const app = answerEverything(relay)
    const conn = track(connect(relay.url, { relayInfo: true }), (c) => c.close())
    const got: Record<string, string[]> = { a: [], b: [], c: [] }
    const record = (id: string) => (m: SubscriptionMessage) => got[id]?.push(m.type)
    const failures: unknown[] = []
    const a = req(conn, {}, { id: 'a' }).subscribe({ next: record('a'), error: (e) => failures.push(e) })
    const b = req(conn, {}, { id: 'b' }).subscribe({ next: record('b'), error: (e) => failures.push(e) })
    req(conn, {}, { id: 'c' }).subscribe({ next: record('c'), error: (e) => failures.push(e) })

    await until(() => got.a?.includes('eose') === true, 'EOSE on a')
    expect(got).toEqual({ a: ['eose'], b: [], c: [] }) // b and c wait (the helper's events are not full NIP-01 events)
    a.unsubscribe()
    await until(() => got.b?.includes('eose') === true, 'EOSE on b, once a closed')
    b.unsubscribe()
    await until(() => got.c?.includes('eose') === true, 'EOSE on c, once b closed')
    expect(failures).toEqual([])
    expect(app.flatMap((r) => r.errors)).toEqual([]) // the relay refused nothing
  })
})

describe('the Node fetcher', () => {
  it('asks for application/nostr+json over HTTP at the relay URL, once for many connections', async () => {
    const accepts: (string | undefined)[] = []
    const server = createServer((request, response) => {
      accepts.push(request.headers.accept)
      response
        .writeHead(200, { 'content-type': 'application/nostr+json' })
        .end(JSON.stringify({ name: 'counted', limitation: { max_subscriptions: 7 } }))
    })
    track(server, (s) => s.close())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
    const fetchInfo = createRelayInfoFetcher({
      fetch: (target, { headers, timeout }) =>
        fetch(target, { headers, signal: AbortSignal.timeout(timeout) }),
    })
    const [first, second] = await Promise.all([fetchInfo(url), fetchInfo(url)])
    const third = await fetchInfo(url)
    expect([first, second, third].map((info) => info.limitation?.max_subscriptions)).toEqual([7, 7, 7])
    expect(accepts).toEqual(['application/nostr+json'])
  })

  it('gives up after its timeout on a server that never answers, and asks again next time', async () => {
    let requests = 0
    const server = createServer(() => {
      requests++ // and never answer
    })
    track(server, (s) => {
      s.closeAllConnections()
      s.close()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
    const fetchInfo = createRelayInfoFetcher({
      timeout: 150,
      fetch: (target, { headers, timeout }) =>
        fetch(target, { headers, signal: AbortSignal.timeout(timeout) }),
    })
    await expect(fetchInfo(url)).rejects.toMatchObject({ name: 'TimeoutError', timeout: 150 })
    await expect(fetchInfo(url)).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(requests).toBe(2) // a failure is not cached
  })
})
