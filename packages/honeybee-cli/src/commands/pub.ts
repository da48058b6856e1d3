/**
 * @module `honeybee pub`: publish to one relay or many, and print each relay's verdict.
 *
 * Either it signs one event from `--content` (with `--sec`, or a new key whose secret goes to stderr),
 * or it publishes the signed events piped on stdin, one JSON per line, all of them checked before the
 * first is sent. One JSON line per relay per event: `{"relay","id","accepted","message"}`. Exit 1 if
 * any relay refused or did not answer within `--timeout`.
 */
import type { NostrEvent } from 'honeybee-node'
import { decode } from 'nostr-tools/nip19'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { integerOption, parseCommandArgs, relayUrls } from '../args.js'
import { ArgumentError, firstSentence } from '../argument-error.js'
import type { Command } from '../command.js'
import { openPool } from '../open-pool.js'
import { validateEvent } from '../relay/validate.js'

const help = `Usage: honeybee pub <relay-url>... [--sec KEY] --content TEXT [--kind N] [--tag k=v]...
       honeybee pub <relay-url>... < events.jsonl

Signs an event and publishes it, or publishes the signed events on stdin (one JSON object per line,
all checked before the first is sent). Prints one JSON line per relay per event:
{"relay":…,"id":…,"accepted":true|false,"message":…}. Exits 1 if any relay refused or timed out.

Options:
  --content TEXT   the event's content
  --kind N         the event's kind (default 1)
  --tag k=v        a tag ["k","v"]; repeatable, in order
  --sec KEY        the secret key, 64 hex characters or nsec1…; without it a new key is generated
                   and its secret printed on stderr
  --timeout MS     how long to wait for each relay's OK (default 10000)
  -h, --help       show this help

Examples:
  honeybee pub ws://127.0.0.1:7777 --content 'hello' --tag t=honeybee
  honeybee req ws://127.0.0.1:7777 --filter '{"kinds":[1]}' | honeybee pub ws://127.0.0.1:7778
`

/** Any age, any future: a published event's `created_at` is the relay's business. */
const ANY_TIME = { past: Number.POSITIVE_INFINITY, future: Number.POSITIVE_INFINITY }
/** Events in flight at once. */
const CONCURRENCY = 16

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...argv],
    options: {
      sec: { type: 'string' },
      content: { type: 'string' },
      kind: { type: 'string' },
      tag: { type: 'string', multiple: true },
      timeout: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  })
  const relays = relayUrls(positionals)
  const timeout = integerOption('timeout', values.timeout, 10_000, 1, 86_400_000)
  let events: NostrEvent[]
  if (values.content !== undefined) {
    const kind = integerOption('kind', values.kind, 1, 0, 65_535)
    const tags = (values.tag ?? []).map(parseTag)
    const secret = values.sec === undefined ? newKey() : secretKey(values.sec)
    const template = { kind, tags, content: values.content, created_at: Math.floor(Date.now() / 1000) }
    events = [finalizeEvent(template, secret)]
  } else {
    for (const name of ['sec', 'kind', 'tag'] as const) {
      if (values[name] !== undefined)
        throw new ArgumentError(`--${name} needs --content (events on stdin are signed already)`)
    }
    if (process.stdin.isTTY === true) {
      throw new ArgumentError('nothing to publish: give --content TEXT, or pipe signed events on stdin')
    }
    events = signedEvents(await readStdin())
  }

  const pool = await openPool(relays)
  const { publishAll } = await import('../publish-all.js')
  let allAccepted = true
  try {
    await publishAll(pool, events, timeout, CONCURRENCY, (verdict) => {
      if (!verdict.accepted) allAccepted = false
      process.stdout.write(`${JSON.stringify(verdict)}\n`)
    })
  } finally {
    pool.close()
  }
  return allAccepted ? 0 : 1
}

/** `k=v` as the tag `["k","v"]`; the value may contain `=`. */
function parseTag(raw: string): string[] {
  const at = raw.indexOf('=')
  if (at <= 0) throw new ArgumentError(`--tag must be k=v, not ${JSON.stringify(raw)}`)
  return [raw.slice(0, at), raw.slice(at + 1)]
}

/** `--sec` as key bytes: 64 hex characters or a NIP-19 `nsec`. */
function secretKey(raw: string): Uint8Array {
  let key: Uint8Array | undefined
  if (/^[0-9a-fA-F]{64}$/.test(raw)) key = Uint8Array.from(Buffer.from(raw, 'hex'))
  else if (raw.startsWith('nsec1')) {
    try {
      const decoded = decode(raw)
      if (decoded.type === 'nsec') key = decoded.data
    } catch {
      // Reported below, as any other bad key.
    }
  }
  try {
    if (key !== undefined) getPublicKey(key) // throws for 0 and for keys beyond the curve's order
  } catch {
    key = undefined
  }
  if (key === undefined)
    throw new ArgumentError('bad --sec: expected a secret key as 64 hex characters or nsec1…')
  return key
}

/** A new key; its secret is printed on stderr, the only place it will ever be. */
function newKey(): Uint8Array {
  const key = generateSecretKey()
  process.stderr.write(
    `honeybee pub: no --sec given; signed with a new key: sec ${Buffer.from(key).toString('hex')} pubkey ${getPublicKey(key)}\n`,
  )
  return key
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Every non-blank line of `text` as a signed event, or an {@link ArgumentError} naming the first bad line. */
function signedEvents(text: string): NostrEvent[] {
  const events: NostrEvent[] = []
  const now = Math.floor(Date.now() / 1000)
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new ArgumentError(
        `stdin line ${index + 1} is not JSON: ${firstSentence(String((error as Error).message))}`,
      )
    }
    const checked = validateEvent(value, ANY_TIME, now)
    if (!checked.ok) {
      throw new ArgumentError(
        `stdin line ${index + 1} is not a signed event: ${checked.reason.replace(/^invalid: /, '')}`,
      )
    }
    events.push(checked.event)
  }
  if (events.length === 0) throw new ArgumentError('no events on stdin')
  return events
}

/** `honeybee pub`. */
export const pubCommand: Command = { help, run }
