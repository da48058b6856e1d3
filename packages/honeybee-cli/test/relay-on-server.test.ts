/**
 * `startRelay({ server })` on real sockets on 127.0.0.1: the relay takes its WebSockets from an HTTP
 * server it does not own, whose plain HTTP requests stay the server's, and which outlives the relay.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect, publish, req } from 'honeybee-node'
import { finalizeEvent } from 'nostr-tools/pure'
import { firstValueFrom, takeWhile, toArray } from 'rxjs'
import { expect, it } from 'vitest'
import { startRelay } from '../src/index.js'

const key = Uint8Array.from(Buffer.from('6b'.repeat(32), 'hex'))

it('takes WebSockets from the server, leaves it its own routes, and leaves it running on close', async () => {
  const server = createServer((request, response) => {
    if (request.url === '/hello') response.writeHead(200, { 'content-type': 'text/plain' }).end('hello\n')
    else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const hello = async (): Promise<[number, string]> => {
    const response = await fetch(`http://127.0.0.1:${port}/hello`)
    return [response.status, await response.text()]
  }
  try {
    const relay = await startRelay({ server })
    expect(relay.url).toBe(`ws://127.0.0.1:${port}`) // the server's port, not one of its own
    expect(await hello()).toEqual([200, 'hello\n'])
    // Not even NIP-11 is the relay's to answer on a server it does not own.
    const information = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { Accept: 'application/nostr+json' },
    })
    expect(information.status).toBe(404)

    const conn = connect(relay.url)
    const event = finalizeEvent(
      { kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'through a shared port' },
      key,
    )
    expect(await firstValueFrom(publish(conn, event))).toMatchObject({ eventId: event.id, accepted: true })
    const readBack = await firstValueFrom(
      req(conn, { ids: [event.id] }, { id: 'read-back' }).pipe(
        takeWhile((message) => message.type !== 'eose', true),
        toArray(),
      ),
    )
    expect(readBack).toEqual([
      { type: 'event', subId: 'read-back', event: JSON.parse(JSON.stringify(event)) },
      { type: 'eose', subId: 'read-back', timedOut: false },
    ])
    conn.close()

    await relay.close()
    expect(server.listening).toBe(true)
    expect(await hello()).toEqual([200, 'hello\n'])
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})
