/**
 * A server that answers the upgrade request with an HTTP status instead of 101: 4xx (here 404) is not
 * retried, 503 is, within maxAttempts.
 */
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ConnectionError, connect } from '../src/index.js'
import { disposeAfterEach, record, sleep, until } from './helpers/wait.js'

const track = disposeAfterEach()

interface StatusServer {
  readonly url: string
  /** Upgrade requests received. */
  readonly requests: () => number
  close(): Promise<void>
}

/** A plain HTTP server on 127.0.0.1 that answers every upgrade request with `status`. */
async function startStatusServer(status: number, reason: string): Promise<StatusServer> {
  let requests = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((_request, response) => response.writeHead(status).end())
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('upgrade', (_request, socket: Socket) => {
    requests++
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return {
    url: `ws://127.0.0.1:${address.port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('HTTP status on upgrade', () => {
  it('404 is a non-retriable ConnectionFailed: status error, one request, no retries', async () => {
    const server = track(await startStatusServer(404, 'Not Found'), (s) => s.close())
    const conn = track(
      connect(server.url, { reconnect: { initialDelay: 5, maxDelay: 5, jitter: 0, maxAttempts: 0 } }),
      (c) => c.close(),
    )
    const rec = record(conn)

    await until(() => conn.status === 'error', 'status error')
    // With unlimited 5 ms retries, a retry storm would show many requests within this window.
    await sleep(100)

    expect(server.requests()).toBe(1)
    expect(conn.status).toBe('error')
    expect(rec.errorCodes()).toEqual(['ConnectionFailed'])
    const failed = rec.errors[0]?.value
    expect(failed).toBeInstanceOf(ConnectionError)
    expect(failed).toMatchObject({ code: 'ConnectionFailed', retriable: false })
    expect(failed?.message).toContain('HTTP 404')
    expect(rec.statusList()).not.toContain('backoff')
  })

  it('503 is retried with backoff until maxAttempts, then MaxReconnectAttemptsExceeded', async () => {
    const server = track(await startStatusServer(503, 'Service Unavailable'), (s) => s.close())
    const conn = track(
      connect(server.url, { reconnect: { initialDelay: 20, factor: 2, jitter: 0, maxAttempts: 2 } }),
      (c) => c.close(),
    )
    const rec = record(conn)

    await until(() => conn.status === 'error', 'status error after the retries')

    expect(server.requests()).toBe(3) // the first attempt and two retries
    expect(rec.errorCodes()).toEqual([
      'ConnectionFailed',
      'ConnectionFailed',
      'ConnectionFailed',
      'MaxReconnectAttemptsExceeded',
    ])
    for (const { value } of rec.errors.slice(0, 3)) {
      expect(value).toMatchObject({ code: 'ConnectionFailed', retriable: true })
      expect(value.message).toContain('HTTP 503')
    }
    const fromDial = rec.statusList().slice(rec.statusList().indexOf('connecting'))
    expect(fromDial).toEqual(['connecting', 'backoff', 'connecting', 'backoff', 'connecting', 'error'])
    // The retries waited out the backoff: 20 ms, then 40 ms.
    const connectingAt = rec.statuses.filter((s) => s.value === 'connecting').map((s) => s.at)
    const backoffAt = rec.statuses.filter((s) => s.value === 'backoff').map((s) => s.at)
    expect(connectingAt[1]! - backoffAt[0]!).toBeGreaterThanOrEqual(20 - 5)
    expect(connectingAt[2]! - backoffAt[1]!).toBeGreaterThanOrEqual(40 - 5)
  })

  it('a send() on a connection in error revives it (one more request)', async () => {
    const server = track(await startStatusServer(404, 'Not Found'), (s) => s.close())
    const conn = track(connect(server.url), (c) => c.close())
    const rec = record(conn)
    await until(() => conn.status === 'error', 'status error')

    conn.send('["REQ","again",{}]')

    await until(() => server.requests() === 2, 'a second request')
    await until(() => conn.status === 'error', 'status error again')
    expect(rec.errorCodes()).toEqual(['ConnectionFailed', 'ConnectionFailed'])
  })
})
