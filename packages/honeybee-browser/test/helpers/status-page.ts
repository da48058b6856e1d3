/**
 * The status page (fixtures/status-page.ts, bundled with esbuild) served by a test relay: one
 * `node:http` server on 127.0.0.1 answers the relay's NIP-11 document, the page, and the relay's
 * WebSocket upgrades, so the page comes from the same origin as one of the relays it shows.
 */
import { createServer } from 'node:http'
import { type RunningRelay, startRelay } from 'honeybee-cli'
import { answerUpgradeRequired, handleInformationRequest } from 'honeybee-node'
import { bundleFixture, closeServer, listenOnLoopback, pageRoutes } from './chromium.js'

/** A relay that also serves the status page, from {@link startStatusPageRelay}. */
export interface StatusPageRelay {
  /** The relay; the page's origin is its URL as `http://`. */
  readonly relay: RunningRelay
  /** The page's URL: it shows `relays`, in this order, and probes each every `pingInterval` ms. */
  pageUrl(relays: readonly string[], pingInterval: number): string
  /** Closes the relay, then the HTTP server (which the relay leaves running). */
  close(): Promise<void>
}

/** Starts a relay on a free port of 127.0.0.1 that serves the status page at `/` besides being a relay. */
export async function startStatusPageRelay(): Promise<StatusPageRelay> {
  const routes = pageRoutes('honeybee-browser · relay pool', await bundleFixture('status-page.ts'))
  const server = createServer()
  const port = await listenOnLoopback(server)
  const relay = await startRelay({ server })
  // Only now is the document known; nobody has the port yet, so no request came in meanwhile.
  const information = JSON.stringify(relay.server.info)
  server.on('request', (request, response) => {
    // NIP-11 first: a request for the document asks for `/` too, with another Accept.
    if (handleInformationRequest(request, response, information)) return
    if (routes(request, response)) return
    answerUpgradeRequired(response)
  })
  return {
    relay,
    pageUrl: (relays, pingInterval) => {
      const query = new URLSearchParams([...relays.map((r) => ['relay', r]), ['ping', String(pingInterval)]])
      return `http://127.0.0.1:${port}/?${query}`
    },
    close: async () => {
      await relay.close()
      await closeServer(server)
    },
  }
}
