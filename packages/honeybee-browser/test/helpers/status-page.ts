/** Serves the status page (fixtures/status-page.ts, bundled with esbuild) for a set of relays. */
import { bundleFixture, type ServedPage, servePage } from './chromium.js'

/** The status page, served from 127.0.0.1; `url` already names the relays and the probe interval. */
export async function serveStatusPage(relays: readonly string[], pingInterval: number): Promise<ServedPage> {
  const served = await servePage('honeybee-browser · relay pool', await bundleFixture('status-page.ts'))
  const query = new URLSearchParams([...relays.map((r) => ['relay', r]), ['ping', String(pingInterval)]])
  return { url: `${served.url}?${query}`, close: () => served.close() }
}
