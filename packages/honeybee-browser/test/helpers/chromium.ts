/**
 * Real headless Chromium for honeybee-browser's tests: Debian's `chromium` driven by playwright-core
 * (which never downloads a browser of its own), and pages bundled with esbuild from the package's
 * TypeScript source, served over HTTP from 127.0.0.1 so they have a real origin.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { type Browser, chromium, type Page } from 'playwright-core'

/** Debian's Chromium; `.ci/run` installs it. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Launches headless Chromium with everything that would reach the network switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Bundles `fixture` (a file in test/fixtures) for the browser: workspace packages from source, rxjs included. */
export async function bundleFixture(fixture: string): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    conditions: ['honeybee-source'],
    write: false,
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]
  if (output === undefined) throw new Error(`esbuild produced nothing for ${fixture}`)
  return output.text
}

/**
 * A page's routes, for any `node:http` server: answers a request for `/` or `/app.js` and returns
 * true, or returns false having written nothing, so the server can answer the rest its own way.
 */
export type PageRoutes = (request: IncomingMessage, response: ServerResponse) => boolean

/** The routes of a page titled `title` running `script` (a module), with `body` as its markup: `/` is the HTML, `/app.js` the script. */
export function pageRoutes(title: string, script: string, body = ''): PageRoutes {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}<script type="module" src="/app.js"></script></body></html>`
  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script)
    } else if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
    } else {
      return false
    }
    return true
  }
}

/** Listens on a free port of 127.0.0.1 and returns the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** Stops `server`, cutting its open connections (a browser's keep-alives) rather than waiting them out. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

/** A page served from 127.0.0.1: `/` is the HTML, `/app.js` the bundled script. */
export interface ServedPage {
  readonly url: string
  close(): Promise<void>
}

/** Serves `script` (a module) in a page titled `title`, with `body` as its markup, on a server of its own. */
export async function servePage(title: string, script: string, body = ''): Promise<ServedPage> {
  const routes = pageRoutes(title, script, body)
  const server = createServer((request, response) => {
    if (!routes(request, response)) response.writeHead(404).end()
  })
  const port = await listenOnLoopback(server)
  return { url: `http://127.0.0.1:${port}/`, close: () => closeServer(server) }
}

/**
 * Calls `window.harness[method](...args)` in the page and returns its (JSON) result. The call is sent
 * as source text, so nothing of the test's own compiled code is serialized into the page.
 */
export function call<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  const list = args.map((arg) => JSON.stringify(arg)).join(', ')
  return page.evaluate(`window.harness.${method}(${list})`) as Promise<T>
}

/** Waits until `window.harness[method](...args)` is truthy in the page. */
export async function until(page: Page, expression: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(`Boolean(${expression})`, undefined, { timeout, polling: 25 })
}

/** Chromium with the test harness (fixtures/harness.ts) loaded in a page, ready for {@link call}. */
export interface HarnessPage {
  readonly browser: Browser
  readonly page: Page
  /** Closes the browser, then the server of the page. */
  close(): Promise<void>
}

/** Launches Chromium and opens the harness page, titled `title`, served from 127.0.0.1. */
export async function openHarness(title: string): Promise<HarnessPage> {
  const [script, browser] = await Promise.all([bundleFixture('harness.ts'), launchChromium()])
  const served = await servePage(title, script)
  const page = await browser.newPage()
  await page.goto(served.url)
  await page.waitForFunction('window.harness !== undefined')
  return {
    browser,
    page,
    close: async () => {
      await browser.close()
      await served.close()
    },
  }
}
