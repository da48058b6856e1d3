/**
 * Bad arguments and bad input: exit code 2, one line on stderr that names the problem, nothing on
 * stdout, never a stack trace.
 */
import { finalizeEvent } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { run } from './helpers/cli.js'

const RELAY = 'ws://127.0.0.1:1' // never contacted: every case fails before connecting

const signed = finalizeEvent(
  { kind: 1, created_at: 1, tags: [], content: 'signed' },
  new Uint8Array(32).fill(7),
)
const tampered = JSON.stringify({ ...signed, content: 'changed after signing' })

const CASES: readonly { name: string; args: string[]; input?: string; says: RegExp }[] = [
  { name: 'unknown command', args: ['fly'], says: /^honeybee: unknown command "fly"/ },
  { name: 'unknown flag', args: ['req', RELAY, '--nope'], says: /^honeybee req: unknown option '--nope'/ },
  {
    name: 'flag without its value',
    args: ['req', RELAY, '--filter'],
    says: /^honeybee req: option '--filter <value>' argument missing/,
  },
  {
    name: 'no relay URL',
    args: ['req', '--filter', '{}'],
    says: /^honeybee req: give at least one relay URL/,
  },
  {
    name: 'not a relay URL',
    args: ['pub', 'http://relay.example', '--content', 'x'],
    says: /"http:\/\/relay\.example" is not a relay URL/,
  },
  {
    name: 'bad --filter JSON',
    args: ['req', RELAY, '--filter', '{"kinds":[1]'],
    says: /^honeybee req: bad --filter JSON: /,
  },
  {
    name: '--filter of the wrong shape',
    args: ['req', RELAY, '--filter', '{"kinds":"1"}'],
    says: /bad --filter: kinds must be an array of integers/,
  },
  {
    name: '--filter that is not an object',
    args: ['watch', RELAY, '--filter', '[1]'],
    says: /bad --filter: a filter must be a JSON object/,
  },
  { name: 'bad --timeout', args: ['req', RELAY, '--timeout=-5'], says: /--timeout must be an integer/ },
  {
    name: 'bad --sec',
    args: ['pub', RELAY, '--sec', 'abc', '--content', 'x'],
    says: /^honeybee pub: bad --sec: /,
  },
  {
    name: '--sec of 64 hex characters beyond the curve',
    args: ['pub', RELAY, '--sec', 'f'.repeat(64), '--content', 'x'],
    says: /bad --sec/,
  },
  {
    name: 'bad --kind',
    args: ['pub', RELAY, '--content', 'x', '--kind', '70000'],
    says: /--kind must be an integer from 0 to 65535/,
  },
  {
    name: 'bad --tag',
    args: ['pub', RELAY, '--content', 'x', '--tag', 'novalue'],
    says: /--tag must be k=v/,
  },
  {
    name: '--sec without --content',
    args: ['pub', RELAY, '--sec', '1'.repeat(64)],
    input: '',
    says: /--sec needs --content/,
  },
  {
    name: 'bad stdin JSON',
    args: ['pub', RELAY],
    input: '{"id":\n',
    says: /^honeybee pub: stdin line 1 is not JSON: /,
  },
  {
    name: 'stdin JSON that is not a signed event',
    args: ['pub', RELAY],
    input: '\n{"kind":1}\n',
    says: /stdin line 2 is not a signed event: id must be/,
  },
  {
    name: 'stdin event whose signature does not match',
    args: ['pub', RELAY],
    input: `${tampered}\n`,
    says: /stdin line 1 is not a signed event: bad id or signature/,
  },
  { name: 'empty stdin', args: ['pub', RELAY], input: '', says: /no events on stdin/ },
  {
    name: 'bad --port',
    args: ['relay', '--port', '80000'],
    says: /^honeybee relay: --port must be an integer from 0 to 65535/,
  },
  {
    name: 'relay takes no positionals',
    args: ['relay', 'extra'],
    says: /^honeybee relay: unexpected argument 'extra'/,
  },
  {
    name: 'bad --rate-limit',
    args: ['relay', '--rate-limit', 'fast'],
    says: /--rate-limit must be a positive number/,
  },
  {
    name: 'bad --duration',
    args: ['demo', '--duration', '1s'],
    says: /^honeybee demo: --duration must be an integer/,
  },
]

describe('bad input', { timeout: 60_000 }, () => {
  it.concurrent.each(CASES)('$name → exit 2, one line on stderr, no stack', async ({ args, input, says }) => {
    const { code, stdout, stderr } = await run(args, input)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.endsWith('\n')).toBe(true)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(says)
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+/) // a stack frame
  })
})
