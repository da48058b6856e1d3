/**
 * `npm run status-page`: the status page for a person to look at. Starts two local relays, feeds them
 * a burst of events every second, serves the page, and restarts one relay every 20 s so that the
 * reconnect count moves. Open the printed URL in a browser; Ctrl-C stops it.
 */
import { startRelay } from 'honeybee-cli'
import { createPool } from 'honeybee-node'
import { signedEvents } from './helpers/events.js'
import { serveStatusPage } from './helpers/status-page.js'

const first = await startRelay({ port: 0 })
let second = await startRelay({ port: 0 })
const secondPort = Number(new URL(second.url).port)
const page = await serveStatusPage([first.url, second.url], 1_000)
const feeder = createPool({ relays: [first.url, second.url], connection: { profile: 'persistent' } })

const feeding = setInterval(() => {
  for (const event of signedEvents(10, `status page ${Date.now()}`)) feeder.publish(event).subscribe()
}, 1_000)
const restarting = setInterval(async () => {
  await second.close()
  second = await startRelay({ port: secondPort, store: second.store })
}, 20_000)

console.log(`status page: ${page.url}`)
process.once('SIGINT', async () => {
  clearInterval(feeding)
  clearInterval(restarting)
  feeder.close()
  await Promise.all([page.close(), first.close(), second.close()])
  process.exit(0)
})
