/**
 * roots-ws: its scanner-based readers against the naive route, `JSON.parse` of the whole envelope and
 * `JSON.stringify` of the parts the reader hands back as raw JSON (events, filters).
 *
 * The naive routes check what the `find*` functions check (label, types, length) so both do the same
 * job; each pair is checked once for equal results before it is timed.
 */
import { deepStrictEqual } from 'node:assert/strict'
import {
  encloseEOSE,
  encloseEvent,
  encloseNotice,
  encloseOK,
  encloseReq,
  encloseSubscriptionEvent,
  findEOSE,
  findEvent,
  findNotice,
  findOK,
  findReq,
  findSubscriptionEvent,
  getLabel,
} from 'roots-ws'
import { type Case, type ComparisonResult, compare } from './harness.js'
import { prng, randomHex, WORDS as SHARED_WORDS } from './sample-text.js'

export const title = 'roots-ws'

// --- Realistic envelopes, built deterministically. ---

const random = prng(0x5eed)
const hex = (chars: number): string => randomHex(random, chars)

// The shared words, plus more that JSON must escape or encode in several bytes.
const WORDS = [...SHARED_WORDS, 'censorship-resistant', 'naïve', 'テスト', '💜', 'tab\there', 'path\\to']

/** Prose of about `bytes` UTF-8 bytes: words, punctuation, some unicode, newlines and quotes. */
function prose(bytes: number): string {
  let s = ''
  let size = 0
  let sentence = 0
  while (size < bytes) {
    let word = WORDS[Math.floor(random() * WORDS.length)]!
    sentence++
    if (sentence > 8 && random() < 0.15) {
      word += random() < 0.3 ? '.\n\n' : '. '
      sentence = 0
    } else {
      word += ' '
    }
    s += word
    size += Buffer.byteLength(word)
  }
  return s
}

interface NostrEvent {
  id: string
  pubkey: string
  created_at: number
  kind: number
  tags: string[][]
  content: string
  sig: string
}

/** A kind 1 text note of about 1 KB: a reply in a thread, mentioning two people, with a hashtag. */
const smallEvent: NostrEvent = {
  id: hex(64),
  pubkey: hex(64),
  created_at: 1_732_233_600,
  kind: 1,
  tags: [
    ['e', hex(64), 'wss://relay.damus.io', 'root'],
    ['e', hex(64), 'wss://nos.lol', 'reply'],
    ['p', hex(64)],
    ['p', hex(64), 'wss://relay.nostr.band'],
    ['t', 'nostr'],
  ],
  content: prose(280),
  sig: hex(128),
}

/** A kind 30023 long-form article of about 64 KB. */
const largeEvent: NostrEvent = {
  id: hex(64),
  pubkey: hex(64),
  created_at: 1_732_233_600,
  kind: 30023,
  tags: [
    ['d', 'on-relays-and-envelopes'],
    ['title', 'On relays, envelopes and the "raw JSON" rule'],
    ['summary', prose(200)],
    ['published_at', '1732233600'],
    ['t', 'nostr'],
    ['t', 'protocol'],
    ['p', hex(64), 'wss://relay.damus.io'],
  ],
  content: prose(63_200),
  sig: hex(128),
}

const smallEventJson = JSON.stringify(smallEvent)
const largeEventJson = JSON.stringify(largeEvent)

/** Five filters a client opens a home feed with. */
const filters = [
  { kinds: [1, 6, 16], authors: Array.from({ length: 20 }, () => hex(64)), limit: 100 },
  { kinds: [1, 7, 9735], '#p': [hex(64)], since: 1_732_147_200 },
  { ids: Array.from({ length: 8 }, () => hex(64)) },
  { kinds: [0, 3, 10002], authors: Array.from({ length: 10 }, () => hex(64)) },
  {
    kinds: [30023],
    '#t': ['nostr', 'bitcoin', 'zaps'],
    since: 1_731_542_400,
    until: 1_732_233_600,
    limit: 20,
  },
]
const filtersJson = filters.map((f) => JSON.stringify(f))

/**
 * An envelope as a WebSocket delivers it: decoded from UTF-8 into one flat string. (A string built by
 * concatenation is a rope in V8, which every reader would pay to flatten on first use.)
 */
function received(env: string): string {
  return Buffer.from(env, 'utf8').toString('utf8')
}

const subEvent1k = received(encloseSubscriptionEvent('home-feed:3', smallEventJson))
const subEvent64k = received(encloseSubscriptionEvent('home-feed:3', largeEventJson))
const clientEvent1k = received(encloseEvent(smallEventJson))
const clientEvent64k = received(encloseEvent(largeEventJson))
const req = received(encloseReq('home-feed:3', filtersJson))
const ok = received(encloseOK(smallEvent.id, false, 'rate-limited: you are noting too much'))
const eose = received(encloseEOSE('home-feed:3'))
const notice = received(encloseNotice('restricted: this relay only accepts events from paid members'))

/** The sample envelopes, for experiments outside this suite. */
export const envelopes = { subEvent1k, subEvent64k, clientEvent1k, clientEvent64k, req, ok, eose, notice }

function kb(s: string): string {
  const bytes = Buffer.byteLength(s)
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`
}

// --- The naive routes: parse everything, re-serialize the raw parts. ---

function invalid(): never {
  throw new Error('invalid envelope')
}

function naiveLabel(env: string): string {
  return (JSON.parse(env) as unknown[])[0] as string
}

function naiveSubscriptionEvent(env: string): { subId: string; event: string } {
  const a = JSON.parse(env) as unknown[]
  const [label, subId, event] = a
  if (label !== 'EVENT' || typeof subId !== 'string' || typeof event !== 'object' || event === null) invalid()
  if (Array.isArray(event)) invalid()
  return { subId, event: JSON.stringify(event) }
}

function naiveEvent(env: string): string {
  const a = JSON.parse(env) as unknown[]
  const [label, event] = a
  if (label !== 'EVENT' || typeof event !== 'object' || event === null || Array.isArray(event)) invalid()
  return JSON.stringify(event)
}

function naiveReq(env: string): { subId: string; filters: string[] } {
  const a = JSON.parse(env) as unknown[]
  const [label, subId] = a
  if (label !== 'REQ' || typeof subId !== 'string') invalid()
  const out: string[] = []
  for (let i = 2; i < a.length; i++) {
    const f = a[i]
    if (typeof f !== 'object' || f === null || Array.isArray(f)) invalid()
    out.push(JSON.stringify(f))
  }
  return { subId, filters: out }
}

function naiveOK(env: string): { eventId: string; status: boolean; message: string } {
  const a = JSON.parse(env) as unknown[]
  const [label, eventId, status, message] = a
  if (label !== 'OK' || typeof eventId !== 'string' || typeof status !== 'boolean') invalid()
  if (typeof message !== 'string') invalid()
  return { eventId, status, message }
}

function naiveEOSE(env: string): string {
  const [label, subId] = JSON.parse(env) as unknown[]
  if (label !== 'EOSE' || typeof subId !== 'string') invalid()
  return subId
}

function naiveNotice(env: string): string {
  const [label, message] = JSON.parse(env) as unknown[]
  if (label !== 'NOTICE' || typeof message !== 'string') invalid()
  return message
}

// --- The comparisons. ---

type Reader = (env: string) => unknown

interface Pair {
  readonly name: string
  readonly env: string
  readonly naive: readonly [string, Reader]
  readonly fast: readonly [string, Reader]
  readonly goal?: number
}

const parseLabel = ['JSON.parse(env)[0]', naiveLabel] as const
const label = ['getLabel(env)', getLabel] as const
const parseEvent = 'JSON.parse + JSON.stringify(event)'

/** The comparisons, each naive route first; the goals are those of the roots-ws issue. */
const PAIRS: readonly Pair[] = [
  {
    name: `getLabel — EVENT (subscription), ${kb(subEvent64k)}`,
    env: subEvent64k,
    naive: parseLabel,
    fast: label,
    goal: 20,
  },
  {
    name: `getLabel — EVENT (subscription), ${kb(subEvent1k)}`,
    env: subEvent1k,
    naive: parseLabel,
    fast: label,
  },
  { name: `getLabel — REQ with 5 filters, ${kb(req)}`, env: req, naive: parseLabel, fast: label },
  {
    name: `findSubscriptionEvent — ${kb(subEvent64k)}`,
    env: subEvent64k,
    naive: [parseEvent, naiveSubscriptionEvent],
    fast: ['findSubscriptionEvent', findSubscriptionEvent],
    goal: 1.5,
  },
  {
    name: `findSubscriptionEvent — ${kb(subEvent1k)}`,
    env: subEvent1k,
    naive: [parseEvent, naiveSubscriptionEvent],
    fast: ['findSubscriptionEvent', findSubscriptionEvent],
    goal: 1.5,
  },
  {
    name: `findEvent (client EVENT) — ${kb(clientEvent64k)}`,
    env: clientEvent64k,
    naive: [parseEvent, naiveEvent],
    fast: ['findEvent', findEvent],
  },
  {
    name: `findEvent (client EVENT) — ${kb(clientEvent1k)}`,
    env: clientEvent1k,
    naive: [parseEvent, naiveEvent],
    fast: ['findEvent', findEvent],
  },
  {
    name: `findReq — 5 filters, ${kb(req)}`,
    env: req,
    naive: ['JSON.parse + JSON.stringify(filters)', naiveReq],
    fast: ['findReq', findReq],
  },
  { name: `findOK — ${kb(ok)}`, env: ok, naive: ['JSON.parse', naiveOK], fast: ['findOK', findOK] },
  {
    name: `findEOSE — ${kb(eose)}`,
    env: eose,
    naive: ['JSON.parse', naiveEOSE],
    fast: ['findEOSE', findEOSE],
  },
  {
    name: `findNotice — ${kb(notice)}`,
    env: notice,
    naive: ['JSON.parse', naiveNotice],
    fast: ['findNotice', findNotice],
  },
]

/** Runs every roots-ws comparison, after checking each pair agrees; progress goes to stderr. */
export async function run(): Promise<ComparisonResult[]> {
  for (const { name, env, naive, fast } of PAIRS) deepStrictEqual(fast[1](env), naive[1](env), name)
  const results: ComparisonResult[] = []
  // Assigned more than once, so V8 cannot fold the envelope into the compiled loop as a constant.
  let subject = ''
  for (const { name, env, naive, fast, goal } of PAIRS) {
    process.stderr.write(`  ${name}\n`)
    subject = env
    const [naiveName, naiveFn] = naive
    const [fastName, fastFn] = fast
    const cases: Record<string, Case> = {
      [naiveName]: () => naiveFn(subject),
      [fastName]: () => fastFn(subject),
    }
    results.push(await compare(name, cases, goal === undefined ? {} : { goal }))
  }
  return results
}
