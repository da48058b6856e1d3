/**
 * honeybee-browser in real headless Chromium against a real relay (honeybee-cli's `startRelay`, on
 * honeybee-node's `serve()`) on 127.0.0.1: a backfill of 10,000 events, publish with OK, a relay
 * restart mid-stream, the page's `offline`/`online` and visibility events, and the health probe (and
 * its rest while the page is hidden).
 */
import { createEventStore, type EventStore, type RunningRelay, startRelay } from 'honeybee-cli'
import { connect as connectNode, publish as publishNode } from 'honeybee-node'
import type { Page } from 'playwright-core'
import { firstValueFrom } from 'rxjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Summary } from './fixtures/harness.js'
import { call, type HarnessPage, openHarness, until } from './helpers/chromium.js'
import { signedEvents, storedEvents } from './helpers/events.js'

const STORED = 10_000

let harness: HarnessPage | undefined
let page: Page
let store: EventStore
let relay: RunningRelay
let port: number

const summary = (name: string): Promise<Summary> => call<Summary>(page, 'summary', name)

/** Stops the relay and starts it again on the same port with the same store, once `whileDown` ran. */
async function restartRelay(whileDown: () => Promise<void>): Promise<void> {
  await relay.close()
  await whileDown()
  relay = await startRelay({ port, store })
}

beforeAll(async () => {
  store = createEventStore()
  for (const event of storedEvents(STORED)) store.add(event)
  relay = await startRelay({ port: 0, store })
  port = Number(new URL(relay.url).port)
  harness = await openHarness('honeybee-browser tests')
  page = harness.page
}, 30_000)

afterAll(async () => {
  await harness?.close()
  await relay?.close()
})

describe('honeybee-browser in Chromium, on a real relay', () => {
  it('connects, receives a backfill of 10,000 events, and publishes with OK', async () => {
    await call(page, 'open', 'main', relay.url)
    await until(page, `window.harness.summary('main').eose === 1`, 20_000)
    const backfill = await summary('main')
    expect(backfill.received).toBe(STORED)
    expect(backfill.unique).toBe(STORED)
    expect(backfill.status).toBe('connected')
    expect(backfill.errors).toEqual([])

    const [event] = signedEvents(1, 'published from the page')
    const ok = await call<{ accepted: boolean; eventId: string }>(
      page,
      'publish',
      'main',
      JSON.stringify(event),
    )
    expect(ok).toMatchObject({ accepted: true, eventId: event?.id })
    // The relay fans the event out to the page's own live subscription.
    await until(page, `window.harness.summary('main').received === ${STORED + 1}`)
  }, 30_000)

  it('survives a relay restart: backoff, reconnect, re-subscribe, no duplicate delivery', async () => {
    const duringOutage = signedEvents(5, 'stored while the page was away')
    const [heldEvent] = signedEvents(1, 'published by the page while the relay was down')
    await restartRelay(async () => {
      await until(page, `window.harness.reached('main', 'backoff') >= 0`)
      for (const event of duringOutage) store.add(event)
      // Sent while not open: held by the write queue, sent once after the reconnect.
      await call(page, 'publishHeld', 'main', JSON.stringify(heldEvent))
    })
    await until(page, `window.harness.summary('main').metrics.reconnections === 1`)
    expect(await page.evaluate('window.harness.held()')).toMatchObject({
      accepted: true,
      eventId: heldEvent?.id,
    })
    await until(page, `window.harness.summary('main').received === ${STORED + 7}`)

    // Someone else publishes while the page listens: the re-sent subscription is live.
    const publisher = connectNode(relay.url)
    for (const event of signedEvents(5, 'published live after the restart')) {
      expect((await firstValueFrom(publishNode(publisher, event))).accepted).toBe(true)
    }
    publisher.close()
    await until(page, `window.harness.summary('main').received === ${STORED + 12}`)

    const after = await summary('main')
    expect(after.unique).toBe(after.received) // the re-subscription's overlap was de-duplicated
    const statuses = after.statuses.map((s) => s.status)
    expect(statuses.slice(statuses.indexOf('backoff'))).toContain('connected')
    expect(after.status).toBe('connected')
    expect(after.errors.map((e) => e.code)).toContain('ConnectionClosed')
  }, 30_000)

  it('online after offline retries at once instead of waiting out the backoff delay', async () => {
    const slow = { reconnect: { initialDelay: 20_000, maxDelay: 30_000, jitter: 0 } }
    await call(page, 'open', 'slow', relay.url, slow)
    await until(page, `window.harness.summary('slow').eose === 1`, 20_000)
    const lostAt = (await page.evaluate('performance.now()')) as number
    await restartRelay(() => until(page, `window.harness.reached('slow', 'backoff', ${lostAt}) >= 0`))

    await call(page, 'dispatch', 'window', 'offline')
    expect((await summary('slow')).status).toBe('awaiting') // no timer, no attempt used
    const onlineAt = await call<number>(page, 'dispatch', 'window', 'online')
    await until(page, `window.harness.reached('slow', 'connected', ${onlineAt}) >= 0`, 5_000)
    const reconnectedAt = await call<number>(page, 'reached', 'slow', 'connected', onlineAt)
    expect(reconnectedAt - onlineAt).toBeLessThan(3_000) // the backoff delay was 20 s

    const statuses = (await summary('slow')).statuses.filter((s) => s.at >= lostAt).map((s) => s.status)
    expect(statuses).toEqual(['backoff', 'awaiting', 'connecting', 'connected'])
  }, 30_000)

  it('the page becoming visible retries at once too', async () => {
    const lostAt = (await page.evaluate('performance.now()')) as number
    await restartRelay(() => until(page, `window.harness.reached('slow', 'backoff', ${lostAt}) >= 0`))
    const visibleAt = await call<number>(page, 'dispatch', 'document', 'visibilitychange')
    await until(page, `window.harness.reached('slow', 'connected', ${visibleAt}) >= 0`, 5_000)
    const reconnectedAt = await call<number>(page, 'reached', 'slow', 'connected', visibleAt)
    expect(reconnectedAt - visibleAt).toBeLessThan(3_000)
    await call(page, 'close', 'slow')
  }, 30_000)

  it('checks health with a REQ probe whose EOSE is counted as a pong and never delivered', async () => {
    const health = { pingInterval: 200, pongTimeout: 2_000, failureThreshold: 2 }
    const before = new Set(relay.server.connections)
    await call(page, 'open', 'probed', relay.url, { health }, { kinds: [30_999] })
    await until(page, `window.harness.summary('probed').metrics.lastPongLatency !== undefined`)
    // Several probe rounds on a quiet connection, counted where the relay receives them: the
    // subscription's REQ, then a REQ and a CLOSE per probe.
    const relaySide = [...relay.server.connections].find((c) => !before.has(c))
    await pollUntil(() => (relaySide?.metrics().messagesReceived ?? 0) >= 1 + 2 * 3, 10_000)
    const probed = await summary('probed')
    expect(probed.status).toBe('connected')
    expect(probed.errors).toEqual([])
    expect(probed.probeLeaks).toBe(0)
    expect(probed.eose).toBe(1) // the subscription's own EOSE only
    expect(probed.metrics.messagesReceived).toBe(1) // probe replies are pongs, not messages
    expect(probed.metrics.lastPongLatency).toBeGreaterThanOrEqual(0)
    expect(probed.metrics.lastPongLatency).toBeLessThan(1_000)
    await call(page, 'close', 'probed')
  }, 30_000)

  it('with pauseProbesWhenHidden, probes rest while the page is hidden and resume when it is visible', async () => {
    // A probe every 200 ms (the pong is awaited for 150 ms before the next quiet period counts).
    const health = { pingInterval: 200, pongTimeout: 150, failureThreshold: 3 }
    const before = new Set(relay.server.connections)
    const options = { health, pauseProbesWhenHidden: true }
    await call(page, 'open', 'resting', relay.url, options, { kinds: [30_998] })
    await until(page, `window.harness.summary('resting').metrics.lastPongLatency !== undefined`)
    const relaySide = [...relay.server.connections].find((c) => !before.has(c))
    expect(relaySide).toBeDefined()
    // Counted where the relay receives them: the subscription's REQ, then a REQ and a CLOSE per probe.
    const received = (): number => relaySide?.metrics().messagesReceived ?? 0
    const visibleStart = received()
    await sleep(1_000)
    expect(received() - visibleStart).toBeGreaterThanOrEqual(2 * 3) // probing while visible

    await call(page, 'setVisibility', 'hidden')
    await sleep(300) // a probe already in flight may still close
    const hiddenStart = received()
    await sleep(1_000) // five probe intervals
    expect(received()).toBe(hiddenStart)
    expect((await summary('resting')).status).toBe('connected') // resting, not failing

    await call(page, 'setVisibility', 'visible')
    await pollUntil(() => received() >= hiddenStart + 2 * 2, 5_000)
    const resting = await summary('resting')
    expect(resting.errors).toEqual([])
    expect(resting.probeLeaks).toBe(0)
    await call(page, 'close', 'resting')
  }, 30_000)
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves once `condition()` holds, checking every 20 ms; fails after `timeout` ms. */
async function pollUntil(condition: () => boolean, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
