/**
 * `npm run status-page`: the status page for a person to look at. Starts two local relays, the first
 * of which serves the page, feeds them a burst of events every second, and restarts the second every
 * 20 s so that the reconnect count moves. Open the printed URL in a browser; Ctrl-C stops it.
 */
import { startRelay } from 'honeybee-cli'
import { createPool } from 'honeybee-node'
import { signedEvents } from './helpers/events.js'
import { startStatusPageRelay } from './helpers/status-page.js'

const served = await startStatusPageRelay()
const first = served.relay
let second = await startRelay({ port: 0 })
const secondPort = Number(new URL(second.url).port)
const feeder = createPool({ relays: [first.url, second.url], connection: { profile: 'persistent' } })

const feeding = setInterval(() => {
  for (const event of signedEvents(10, `status page ${Date.now()}`)) feeder.publish(event).subscribe()
}, 1_000)
const restarting = setInterval(async () => {
  await second.close()
  second = await startRelay({ port: secondPort, store: second.store })
}, 20_000)

console.log(`status page: ${served.pageUrl([first.url, second.url], 1_000)}`)
process.once('SIGINT', async () => {
  clearInterval(feeding)
  clearInterval(restarting)
  feeder.close()
  await Promise.all([served.close(), second.close()]) // served: the first relay, then its server
  process.exit(0)
})
