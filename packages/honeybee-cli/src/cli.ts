#!/usr/bin/env node
/**
 * @module The `honeybee` command: picks the subcommand and turns every failure into one line on stderr.
 *
 * Exit codes: 0 done, 1 failed (a relay refused, a port was taken…), 2 bad arguments or input. No stack
 * trace reaches the user unless `HONEYBEE_DEBUG` is set. Each subcommand is loaded only when it runs,
 * so `--help` and argument errors answer at once.
 */
import { ArgumentError, oneLine } from './argument-error.js'
import type { Command } from './command.js'

const COMMANDS: Readonly<
  Record<string, { readonly summary: string; readonly load: () => Promise<Command> }>
> = {
  relay: {
    summary: 'run a local Nostr relay',
    load: async () => (await import('./commands/relay.js')).relayCommand,
  },
  req: {
    summary: 'print the events matching a filter, one JSON line each',
    load: async () => (await import('./commands/req.js')).reqCommand,
  },
  pub: {
    summary: 'sign and publish an event, or publish signed events from stdin',
    load: async () => (await import('./commands/pub.js')).pubCommand,
  },
  watch: {
    summary: 'a live view of relay connections: status, reconnects, latency, traffic',
    load: async () => (await import('./commands/watch.js')).watchCommand,
  },
  demo: {
    summary: 'three relays, one restarted mid-stream: watch the pool lose nothing',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
}

const help = `Usage: honeybee <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(8)}${summary}`)
  .join('\n')}

Run "honeybee <command> --help" for a command's options.
Exit codes: 0 done, 1 failed (a relay refused or timed out, a port was taken…), 2 bad arguments or input.
`

/** Whether the user asked for help anywhere before a `--`. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false
    if (arg === '--help' || arg === '-h') return true
  }
  return false
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help)
    return 0
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (entry === undefined) {
    fail(
      'honeybee',
      `unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')})`,
    )
    return 2
  }
  const command = await entry.load()
  if (wantsHelp(rest)) {
    process.stdout.write(command.help)
    return 0
  }
  try {
    return await command.run(rest)
  } catch (error) {
    if (error instanceof ArgumentError) {
      fail(`honeybee ${name}`, `${error.message} (see honeybee ${name} --help)`)
      return 2
    }
    fail(`honeybee ${name}`, error)
    return 1
  }
}

/** Says what went wrong on one line; the stack only with HONEYBEE_DEBUG. */
function fail(who: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`${who}: ${oneLine(message)}\n`)
  if (process.env.HONEYBEE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`)
}

/** Exits once what was written to stdout and stderr has been handed to the OS. */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

// The reader went away (\`honeybee req … | head -1\`): nothing more to say, and nothing went wrong.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  fail('honeybee', error)
  process.exit(1)
})
// A bug must still end in one line, not a stack trace.
process.on('uncaughtException', (error) => {
  fail('honeybee', error)
  exit(1)
})
process.on('unhandledRejection', (error) => {
  fail('honeybee', error)
  exit(1)
})

main(process.argv.slice(2)).then(exit, (error: unknown) => {
  fail('honeybee', error)
  exit(1)
})
