/**
 * @module `honeybee demo` (what `npm start` runs): three relays, one restarted mid-stream, and a pool
 * that loses nothing. The arguments are here; the demo itself is `demo/run.ts`.
 */
import { integerOption, parseCommandArgs } from '../args.js'
import type { Command } from '../command.js'

const help = `Usage: honeybee demo [--duration MS]

Starts three relays on free loopback ports, connects a pool to all of them, and runs a publisher and
a subscriber through it. A few seconds in, relay B is closed, then restarted on the same port with
the same events; the live view shows the pool reconnect, re-send the subscription and the events it
held, and the subscriber's count catch up with the publisher's. Ends with a summary (lost = 0).
Press q or Ctrl-C to stop early. Without a terminal it prints plain progress lines.

Options:
  --duration MS   how long it runs (default 20000)
  -h, --help      show this help
`

async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: [...argv],
    options: { duration: { type: 'string' } },
    allowPositionals: false,
    strict: true,
  })
  const duration = integerOption('duration', values.duration, 20_000, 2_000, 3_600_000)
  const { runDemo } = await import('../demo/run.js')
  return runDemo(duration)
}

/** `honeybee demo`. */
export const demoCommand: Command = { help, run }
