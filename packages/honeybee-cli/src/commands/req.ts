/**
 * @module `honeybee req`: the events matching a filter, from one relay or many, one JSON line each.
 *
 * One pool subscription across the relays: an event that several relays hold is printed once. Without
 * `--stream` it ends once every relay has sent EOSE, or gone `--timeout` ms without one; a relay that
 * timed out, failed or refused is named on stderr, and the exit code is still 0 (what the others had
 * was printed). With `--stream` it goes on printing new events until Ctrl-C.
 */
import type { PoolMessage } from 'honeybee-node'
import type { Subscription } from 'rxjs'
import { filtersOption, integerOption, parseCommandArgs, relayUrls } from '../args.js'
import type { Command } from '../command.js'
import { openPool } from '../open-pool.js'
import { reqProgress } from '../view/req-progress.js'

const help = `Usage: honeybee req <relay-url>... [--filter JSON]... [--stream] [--timeout MS]

Prints each event matching the filters as one JSON line on stdout; an event held by several relays
is printed once. Ends when every relay has sent its stored events (EOSE), or with --stream keeps
printing new ones until Ctrl-C. A relay that does not answer in time is named on stderr.

Options:
  --filter JSON     a NIP-01 filter object, or a JSON array of them; repeatable (default {})
  --stream          keep printing new events after the stored ones
  --timeout MS      give up on a relay's EOSE after MS without an event (default 10000)
  -h, --help        show this help

Example:
  honeybee req ws://127.0.0.1:7777 --filter '{"kinds":[1],"limit":10}'
`

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...argv],
    options: {
      filter: { type: 'string', multiple: true },
      stream: { type: 'boolean' },
      timeout: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  })
  const relays = relayUrls(positionals)
  const filters = filtersOption(values.filter ?? ['{}'])
  const timeout = integerOption('timeout', values.timeout, 10_000, 1, 86_400_000)
  const stream = values.stream === true

  // A stream never gives up on a relay; a one-off query gives up after the default attempts.
  const pool = await openPool(
    relays,
    stream ? { eoseTimeout: timeout, profile: 'persistent' } : { eoseTimeout: timeout },
  )
  const progress = progressLine(relays.length)
  const reported = new Set<string>()
  const warn = (line: string): void => {
    // Reconnect attempts repeat the same error; say each once.
    if (reported.has(line)) return
    reported.add(line)
    progress.clear()
    process.stderr.write(`honeybee req: ${line}\n`)
  }
  const errors = pool.errors$.subscribe(({ relay, error }) => warn(`${relay}: ${error.message}`))

  return new Promise<number>((resolve) => {
    const timedOut: string[] = []
    let events = 0
    let atEose = 0
    let subscription: Subscription | undefined
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      subscription?.unsubscribe()
      errors.unsubscribe()
      progress.clear()
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, finish)
      pool.close()
      resolve(0)
    }
    subscription = pool.subscribe(filters).subscribe({
      next: (message: PoolMessage) => {
        switch (message.type) {
          case 'event':
            events++
            process.stdout.write(`${JSON.stringify(message.event)}\n`)
            break
          case 'eose':
            atEose++
            if (message.timedOut) timedOut.push(message.relay)
            break
          case 'closed':
            warn(`${message.relay} closed the subscription: ${message.reply.message || '(no reason)'}`)
            break
          case 'error':
            warn(`${message.relay}: ${message.error.message}`)
            break
          case 'eose-all':
            if (timedOut.length > 0) warn(`no EOSE within ${timeout} ms from ${timedOut.join(', ')}`)
            if (!stream) finish()
            break
        }
        progress.update(events, atEose)
      },
      error: (error: unknown) => {
        warn(error instanceof Error ? error.message : String(error))
        finish()
      },
    })
    if (done) subscription.unsubscribe()
    else for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, finish)
  })
}

/** `12 events · 1/2 relays at EOSE` on stderr, rewritten in place, when stderr is a terminal. */
function progressLine(relays: number): { update(events: number, atEose: number): void; clear(): void } {
  const live = process.stderr.isTTY === true
  let shown = false
  let last = 0
  return {
    update(events, atEose) {
      const now = Date.now()
      if (!live || now - last < 100) return
      last = now
      shown = true
      process.stderr.write(`\r\x1b[K${reqProgress(events, atEose, relays)}`)
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K')
      shown = false
    },
  }
}

/** `honeybee req`. */
export const reqCommand: Command = { help, run }
