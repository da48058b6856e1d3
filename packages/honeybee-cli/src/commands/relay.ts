/**
 * @module `honeybee relay`: runs the embedded relay until SIGINT or SIGTERM.
 *
 * Its first line on stdout is `listening ws://HOST:PORT` (the real port with `--port 0`), so scripts and
 * tests can wait for it; everything else it says goes to stderr.
 */
import type { PartialResponderLimits } from 'honeybee-node'
import { integerOption, parseCommandArgs, positiveNumberOption } from '../args.js'
import type { Command } from '../command.js'
import type { RunningRelay } from '../relay/relay.js'

const help = `Usage: honeybee relay [options]

Runs a Nostr relay (NIP-01, 09, 11, 42, 45) on this machine. Prints "listening ws://HOST:PORT" on
stdout once it accepts connections, logs to stderr, and closes gracefully on Ctrl-C or SIGTERM.
Events live in memory, or with --data in an append-only journal that is on disk before each OK.

Options:
  --host HOST                 interface to listen on (default 127.0.0.1)
  --port PORT                 port to listen on; 0 picks a free one (default 7777)
  --data DIR                  keep events in DIR/events.jsonl, and load them at start
  --max-message-size BYTES    largest message a client may send (default 1048576)
  --rate-limit PER_SEC        messages per second each connection may send, in bursts of up to
                              max(30, PER_SEC) (default: no limit)
  --auth                      require NIP-42 authentication before REQ and EVENT
  -h, --help                  show this help

Example:
  honeybee relay --port 7777 --data ./relay-data
`

/** The ways the process is asked to stop. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      'max-message-size': { type: 'string' },
      'rate-limit': { type: 'string' },
      auth: { type: 'boolean' },
    },
    allowPositionals: false,
    strict: true,
  })
  const host = values.host ?? '127.0.0.1'
  const port = integerOption('port', values.port, 7777, 0, 65_535)
  const maxMessageSize = integerOption(
    'max-message-size',
    values['max-message-size'],
    1024 * 1024,
    256,
    2 ** 30,
  )
  const rate = positiveNumberOption('rate-limit', values['rate-limit'])
  const limits: PartialResponderLimits = {
    maxMessageSize,
    // Bursts of a second's worth, and never fewer than the default 30.
    ...(rate === undefined
      ? {}
      : { rateLimit: { enabled: true, messagesPerSecond: rate, burst: Math.max(30, Math.ceil(rate)) } }),
  }

  const { startRelay } = await import('../relay/relay.js')
  let relay: RunningRelay
  try {
    relay = await startRelay({
      host,
      port,
      limits,
      auth: values.auth === true,
      ...(values.data === undefined ? {} : { dataDir: values.data }),
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new Error(`cannot listen on ${host}:${port}: the port is in use`)
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot listen on ${host}: no such local address`)
    throw error
  }

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      for (const name of STOP_SIGNALS) process.off(name, stop)
      // A second signal while closing stops at once.
      for (const name of STOP_SIGNALS) process.once(name, () => resolve(1))
      log(`${signal}: closing`)
      relay.close().then(
        () => {
          log(`closed with ${relay.store.size} events stored`)
          resolve(0)
        },
        (error: unknown) => {
          log(`close failed: ${String(error)}`)
          resolve(1)
        },
      )
    }
    // Before the first line: whoever waits for it may signal at once.
    for (const name of STOP_SIGNALS) process.on(name, stop)

    process.stdout.write(`listening ${relay.url}\n`)
    if (values.data !== undefined) log(`${relay.store.size} events loaded from ${values.data}`)
    relay.server.connections$.subscribe((connection) => {
      log(`connection ${connection.id} opened (${relay.server.connections.size} open)`)
      // status$ completes once the connection is closed and gone from `connections`.
      connection.status$.subscribe({
        complete: () => log(`connection ${connection.id} closed (${relay.server.connections.size} open)`),
      })
    })
  })
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`)
}

/** `honeybee relay`. */
export const relayCommand: Command = { help, run }
