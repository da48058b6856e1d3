/**
 * Back pressure in real headless Chromium: the native WebSocket's `bufferedAmount` holds writes in the
 * connection's write queue once it passes the high-water mark, and what is held goes out, in order and
 * all of it, once the peer reads again. The peer is a `ws` server on 127.0.0.1 whose TCP socket stops
 * reading, so the browser's buffer really fills.
 */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { call, type HarnessPage, openHarness, until } from './helpers/chromium.js'

const FRAMES = 400
const FRAME_BYTES = 64 * 1024
const HIGH_WATER = 1024 * 1024

let harness: HarnessPage | undefined
let page: Page
let server: WebSocketServer
let url: string
/** The TCP socket of the page's connection, paused until the test resumes it. */
let peerSocket: IncomingMessage['socket'] | undefined
/** The numbers of the FLOOD envelopes the server read, in arrival order. */
const arrived: number[] = []

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 2 * FRAME_BYTES })
  server.on('connection', (ws, request) => {
    peerSocket = request.socket
    peerSocket.pause() // reads nothing: the page's buffer fills
    ws.on('message', (data) => {
      const envelope = JSON.parse(String(data)) as [string, number]
      if (envelope[0] === 'FLOOD') arrived.push(envelope[1])
    })
  })
  await new Promise<void>((resolve) => server.once('listening', resolve))
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
  harness = await openHarness('honeybee-browser back pressure')
  page = harness.page
}, 30_000)

afterAll(async () => {
  await harness?.close()
  for (const client of server?.clients ?? []) client.terminate()
  await new Promise((resolve) => server?.close(resolve))
})

it('holds writes past the high-water mark of bufferedAmount, then sends every one in order', async () => {
  const options = {
    health: { enabled: false }, // no probes: only the flood is written
    writeQueue: { highWaterMark: HIGH_WATER, maxBytes: 64 * 1024 * 1024, maxMessages: 10_000 },
  }
  await call(page, 'open', 'bp', url, options)
  await until(page, `window.harness.summary('bp').status === 'connected'`)
  const sentBefore = await call<number>(page, 'sent', 'bp') // the REQ of the harness's subscription

  const { handed } = await call<{ handed: number }>(page, 'flood', 'bp', FRAMES, FRAME_BYTES)
  // In one task nothing drains: writes stop once bufferedAmount reaches the mark (16 frames of 64 KiB).
  expect(handed).toBeGreaterThan(0)
  expect(handed).toBeLessThanOrEqual(HIGH_WATER / FRAME_BYTES + 1)

  // The peer reads nothing: some frames are still held a while later (the kernel buffers far less
  // than the 25 MiB sent), and the server has read none of them.
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect((await call<number>(page, 'sent', 'bp')) - sentBefore).toBeLessThan(FRAMES)
  expect(arrived).toEqual([])

  peerSocket?.resume()
  await until(page, `window.harness.sent('bp') - ${sentBefore} === ${FRAMES}`, 20_000)
  const deadline = Date.now() + 20_000
  while (arrived.length < FRAMES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  expect(arrived).toEqual(Array.from({ length: FRAMES }, (_, i) => i))
  const summary = await call<{ errors: unknown[] }>(page, 'summary', 'bp')
  expect(summary.errors).toEqual([])
}, 60_000)
