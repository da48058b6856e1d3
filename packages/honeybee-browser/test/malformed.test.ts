/**
 * A relay that sends a malformed frame mid-stream, in real headless Chromium: the frame is reported on
 * `errors$` and the stream goes on. The relay is a raw `ws` server, so it can send anything.
 */
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { encloseEOSE, encloseSubscriptionEvent, findReq, getLabel } from 'roots-ws'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import type { Summary } from './fixtures/harness.js'
import { call, type HarnessPage, openHarness, until } from './helpers/chromium.js'
import { storedEvents } from './helpers/events.js'

let harness: HarnessPage | undefined
let page: Page
let relay: WebSocketServer

/** Cut off mid-event, not JSON, not an array: each one is dropped and reported. */
const MALFORMED = (subId: string): string[] => [
  `["EVENT","${subId}",{"id":`,
  'not json at all',
  '{"EVENT":1}',
]

beforeAll(async () => {
  const [first, second] = storedEvents(2).map((e) => JSON.stringify(e))
  relay = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => relay.once('listening', resolve))
  relay.on('connection', (socket) =>
    socket.on('message', (data) => {
      const text = String(data)
      if (getLabel(text) !== 'REQ') return
      const { subId } = findReq(text)
      socket.send(encloseSubscriptionEvent(subId, first ?? ''))
      for (const frame of MALFORMED(subId)) socket.send(frame)
      socket.send(encloseSubscriptionEvent(subId, second ?? ''))
      socket.send(encloseEOSE(subId))
    }),
  )
  harness = await openHarness('honeybee-browser: malformed frames')
  page = harness.page
}, 30_000)

afterAll(async () => {
  await harness?.close()
  for (const client of relay?.clients ?? []) client.terminate()
  await new Promise((resolve) => relay?.close(resolve))
})

it('reports malformed frames on errors$ and keeps the stream going', async () => {
  const { port } = relay.address() as AddressInfo
  await call(page, 'open', 'bad', `ws://127.0.0.1:${port}`)
  await until(page, `window.harness.summary('bad').eose === 1`)
  const seen = await call<Summary>(page, 'summary', 'bad')
  expect(seen.received).toBe(2) // the events on both sides of the bad frames
  expect(seen.status).toBe('connected')
  expect(seen.errors).toHaveLength(MALFORMED('').length)
  for (const error of seen.errors)
    expect(error).toMatchObject({ name: 'ProtocolError', code: 'MalformedEnvelope' })
  expect(seen.metrics.errors).toBe(MALFORMED('').length)
}, 30_000)
