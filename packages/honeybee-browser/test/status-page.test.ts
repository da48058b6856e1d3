/**
 * The status page in real headless Chromium: a pool of two real relays, one of them restarted, with
 * events flowing; the other one serves the page. Asserts on the page's DOM and saves a screenshot to
 * test-results/ (gitignored) for a person to look at.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type RunningRelay, startRelay } from 'honeybee-cli'
import { createPool, normalizeRelayUrl, type Pool } from 'honeybee-node'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchChromium } from './helpers/chromium.js'
import { signedEvents } from './helpers/events.js'
import { type StatusPageRelay, startStatusPageRelay } from './helpers/status-page.js'

const RESULTS = fileURLToPath(new URL('../../../test-results/honeybee-browser/', import.meta.url))
const SCREENSHOT = `${RESULTS}status-page.png`

let browser: Browser
let page: Page
/** The steady relay, which serves the page too. */
let served: StatusPageRelay
let steady: RunningRelay
let restarted: RunningRelay
let feeder: Pool
let feeding: ReturnType<typeof setInterval>

interface Row {
  readonly relay: string
  readonly status: string
  readonly reconnects: string
  readonly in: string
  readonly out: string
  readonly probe: string
  readonly errors: string
}

/** The table as text, one object per relay. */
function readRows(): Promise<Row[]> {
  return page.$$eval('#relays tbody tr', (trs) =>
    trs.map((tr) => {
      const text = (name: string): string => tr.querySelector(`td.${name}`)?.textContent ?? ''
      return {
        relay: text('relay'),
        status: text('status'),
        reconnects: text('reconnects'),
        in: text('in'),
        out: text('out'),
        probe: text('probe'),
        errors: text('errors'),
      }
    }),
  )
}

beforeAll(async () => {
  const [launched, servedBy, other] = await Promise.all([
    launchChromium(),
    startStatusPageRelay(),
    startRelay({ port: 0 }),
  ])
  browser = launched
  served = servedBy
  steady = served.relay
  restarted = other
  feeder = createPool({ relays: [steady.url, restarted.url], connection: { profile: 'persistent' } })
  // A burst every 600 ms leaves quiet gaps longer than the page's probe interval, so probes run too.
  feeding = setInterval(() => {
    for (const event of signedEvents(5, `status page ${Date.now()}`)) feeder.publish(event).subscribe()
  }, 600)
  page = await browser.newPage({ viewport: { width: 1000, height: 330 } })
  await page.goto(served.pageUrl([steady.url, restarted.url], 250))
}, 30_000)

afterAll(async () => {
  clearInterval(feeding)
  feeder?.close()
  await browser?.close()
  await served?.close() // the steady relay, then its HTTP server
  await restarted?.close()
})

it('shows each relay of the pool live: status, reconnects, rates and probe latency', async () => {
  await page.waitForFunction(
    `[...document.querySelectorAll('#relays td.status')].map((td) => td.textContent).join() === 'connected,connected'`,
    undefined,
    { timeout: 10_000 },
  )
  // The page came from the steady relay's own port, which still answers NIP-11 as the relay.
  const origin = new URL((await page.evaluate('location.href')) as string)
  expect(origin.port).toBe(new URL(steady.url).port)
  const information = await fetch(origin.origin, { headers: { Accept: 'application/nostr+json' } })
  expect(information.headers.get('content-type')).toBe('application/nostr+json')
  expect(await information.json()).toMatchObject({ software: 'honeybee-cli' })

  const port = Number(new URL(restarted.url).port)
  await restarted.close()
  restarted = await startRelay({ port, store: restarted.store })

  // The restarted relay's row counts one reconnect; both rows are connected, probed and receiving.
  await page.waitForFunction(
    `(() => {
      const rows = [...document.querySelectorAll('#relays tbody tr')]
      const cell = (tr, name) => tr.querySelector('td.' + name).textContent
      return rows.length === 2 &&
        rows.every((tr) => cell(tr, 'status') === 'connected' && /^\\d+ ms$/.test(cell(tr, 'probe')) && Number(cell(tr, 'in')) > 0) &&
        cell(rows[1], 'reconnects') === '1'
    })()`,
    undefined,
    { timeout: 15_000, polling: 100 },
  )
  const rows = await readRows()
  expect(rows.map((r) => r.relay)).toEqual([steady.url, restarted.url].map(normalizeRelayUrl))
  expect(rows.map((r) => [r.status, r.reconnects])).toEqual([
    ['connected', '0'],
    ['connected', '1'],
  ])
  for (const row of rows) {
    expect(row.probe).toMatch(/^\d+ ms$/)
    expect(row.in).toMatch(/^\d+\.\d$/)
    expect(Number(row.in)).toBeGreaterThan(0)
    // The page sends only its probes (a REQ and a CLOSE each), so out is a rate, not always above 0.
    expect(row.out).toMatch(/^\d+\.\d$/)
  }
  expect(await page.textContent('#summary')).toMatch(
    /^\d+ distinct live event\(s\) received across 2 relays$/,
  )

  mkdirSync(RESULTS, { recursive: true })
  await page.screenshot({ path: SCREENSHOT, fullPage: true })
}, 40_000)
