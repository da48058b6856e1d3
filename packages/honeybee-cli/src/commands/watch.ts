/**
 * @module `honeybee watch`: a live view of relay connections until `q` or Ctrl-C.
 *
 * One pool with a connection per relay that never gives up (profile `persistent`), pinging after 5 s
 * of silence so the latency column fills in. In a terminal the table is redrawn in place; otherwise
 * each status change is a plain line, and the table is printed every 5 s.
 */
import type { Filter } from 'honeybee-node'
import type { Subscription } from 'rxjs'
import { filtersOption, parseCommandArgs, relayUrls } from '../args.js'
import type { Command } from '../command.js'
import { openPool } from '../open-pool.js'
import { openScreen } from '../terminal.js'
import { formatSeconds } from '../view/format.js'
import { statusChangeLine, watchLines } from '../view/watch-panel.js'

const help = `Usage: honeybee watch <relay-url>... [--filter JSON]...

A live view of each relay's connection: status, reconnects, last ping-to-pong latency (it pings
after 5 s of silence), and messages per second in and out. Connections reconnect on their own; press q or Ctrl-C to quit. With --filter,
it also subscribes and counts the events received (so "in/s" shows the relay's live traffic).
When stdout is not a terminal it prints status changes as lines, and the table every 5 s.

Options:
  --filter JSON   subscribe to this NIP-01 filter (or JSON array of filters); repeatable
  -h, --help      show this help

Example:
  honeybee watch ws://127.0.0.1:7777 --filter '{"kinds":[1],"limit":0}'
`

/** Redraws per second in a terminal. */
const FRAME_MS = 250
/** How often the table is printed when stdout is not a terminal. */
const PLAIN_TABLE_MS = 5_000

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...argv],
    options: { filter: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  })
  const relays = relayUrls(positionals)
  const filters: Filter[] | undefined = values.filter === undefined ? undefined : filtersOption(values.filter)

  const pool = await openPool(relays, {
    profile: 'persistent',
    health: { pingInterval: 5_000 },
    metricsInterval: 500,
  })
  const { monitorPool } = await import('../pool-monitor.js')
  const started = Date.now()
  const elapsed = (): number => Date.now() - started

  return new Promise<number>((resolve) => {
    let events: number | undefined
    let subscription: Subscription | undefined
    const screen = openScreen(() => {
      clearInterval(ticker)
      subscription?.unsubscribe()
      monitor.stop()
      screen.draw(frame())
      screen.close()
      pool.close()
      resolve(0)
    })
    const monitor = monitorPool(pool, ({ url, from, to }) => {
      if (!screen.live) screen.print([statusChangeLine(elapsed(), url, from, to)])
    })
    const frame = (): string[] =>
      watchLines({ elapsed: elapsed(), relays: monitor.rows(), events }, screen.colour)

    if (filters !== undefined) {
      events = 0
      subscription = pool.subscribe(filters).subscribe((message) => {
        if (message.type === 'event') events = (events ?? 0) + 1
      })
    }
    let lastPlain = 0
    const ticker = setInterval(() => {
      if (screen.live) screen.draw(frame())
      else if (elapsed() - lastPlain >= PLAIN_TABLE_MS) {
        lastPlain = elapsed()
        screen.print([`${formatSeconds(lastPlain).padStart(7)}`, ...frame().slice(2)])
      }
    }, FRAME_MS)
    screen.draw(frame())
  })
}

/** `honeybee watch`. */
export const watchCommand: Command = { help, run }
