/**
 * The embedded relay (`startRelay` from honeybee-cli) as a NIP-01 relay: filters, kinds, deletion,
 * validation, NIP-11, NIP-42 and persistence, driven through honeybee's initiator functions and raw `ws`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type RelayOptions, type RunningRelay, startRelay } from 'honeybee-cli'
import {
  type Connection,
  connect,
  type NodeConnectOptions,
  type NostrEvent,
  RelayError,
  req,
  type SubscriptionMessage,
} from 'honeybee-node'
import { firstValueFrom } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { openClient, type TestClient } from '../../packages/honeybee-node/test/helpers/relay-app.js'
import { disposeAfterEach, sleep, until } from '../../packages/honeybee-node/test/helpers/wait.js'
import { newAuthor, nowSeconds, withBadSignature } from './helpers/events.js'
import { okOf, storedEvents } from './helpers/honeybee.js'

const track = disposeAfterEach()

async function relay(options: RelayOptions = {}): Promise<RunningRelay> {
  return track(await startRelay({ port: 0, ...options }), (r) => r.close())
}

function dial(url: string, options: NodeConnectOptions = {}): Connection {
  return track(connect(url, options), (conn) => conn.close())
}

async function client(url: string): Promise<TestClient> {
  return track(await openClient(url), (c) => c.ws.terminate())
}

const idsOf = (events: readonly NostrEvent[]): string[] => events.map((e) => e.id)

/** Publishes each event and expects the relay to accept it. */
async function publishAll(conn: Connection, events: readonly NostrEvent[]): Promise<void> {
  for (const event of events) expect(await okOf(conn, event), event.content).toMatchObject({ accepted: true })
}

describe('NIP-01 filters', () => {
  it('ids, authors, kinds, #e and #p, since and until, and limit, newest first', async () => {
    const { url } = await relay()
    const conn = dial(url)
    const alice = newAuthor()
    const bob = newAuthor()
    const t = nowSeconds() - 1_000
    const a1 = alice.sign({ kind: 1, created_at: t, content: 'a1' })
    const a2 = alice.sign({ kind: 1, created_at: t + 10, tags: [['e', a1.id]], content: 'a2' })
    const a3 = alice.sign({
      kind: 7,
      created_at: t + 20,
      tags: [
        ['e', a1.id],
        ['p', bob.pubkey],
      ],
      content: '+',
    })
    const b1 = bob.sign({ kind: 1, created_at: t + 30, tags: [['p', alice.pubkey]], content: 'b1' })
    const b2 = bob.sign({ kind: 1, created_at: t + 40, content: 'b2' })
    // Published out of order: the relay sorts.
    await publishAll(conn, [b1, a3, a1, b2, a2])
    const query = async (...filters: Parameters<typeof storedEvents>[1][]) =>
      idsOf(await storedEvents(conn, filters.flat()))

    expect(await query({ ids: [a1.id, b1.id] })).toEqual([b1.id, a1.id])
    expect(await query({ authors: [alice.pubkey] })).toEqual([a3.id, a2.id, a1.id])
    expect(await query({ kinds: [7] })).toEqual([a3.id])
    expect(await query({ kinds: [1] })).toEqual([b2.id, b1.id, a2.id, a1.id])
    expect(await query({ '#e': [a1.id] })).toEqual([a3.id, a2.id])
    expect(await query({ '#p': [bob.pubkey, 'f'.repeat(64)] })).toEqual([a3.id])
    expect(await query({ '#p': [alice.pubkey], kinds: [7] })).toEqual([])
    expect(await query({ since: t + 20 })).toEqual([b2.id, b1.id, a3.id])
    expect(await query({ until: t + 10 })).toEqual([a2.id, a1.id])
    expect(await query({ since: t + 10, until: t + 30 })).toEqual([b1.id, a3.id, a2.id])
    expect(await query({ limit: 2 })).toEqual([b2.id, b1.id])
    expect(await query({ authors: [alice.pubkey], kinds: [1], limit: 1 })).toEqual([a2.id])
    expect(await query({ limit: 0 })).toEqual([])
    // Filters are alternatives; an event two of them match comes once.
    expect(await query({ ids: [a1.id] }, { kinds: [7] }, { authors: [alice.pubkey], limit: 1 })).toEqual([
      a3.id,
      a1.id,
    ])
  })

  it('a live subscription gets exactly the new events its filters match', async () => {
    const { url } = await relay()
    const publisher = dial(url)
    const subscriber = dial(url)
    const alice = newAuthor()
    const messages: SubscriptionMessage[] = []
    track(
      req(subscriber, { authors: [alice.pubkey], kinds: [1] }, { id: 'live' }).subscribe((m) =>
        messages.push(m),
      ),
      (s) => s.unsubscribe(),
    )
    await until(() => messages.length === 1, 'EOSE')
    const wanted = alice.sign({ kind: 1 })
    await publishAll(publisher, [alice.sign({ kind: 7 }), newAuthor().sign({ kind: 1 }), wanted])
    await until(() => messages.length === 2, 'the matching event')
    expect(messages).toEqual([
      { type: 'eose', subId: 'live', timedOut: false },
      { type: 'event', subId: 'live', event: wanted },
    ])
  })
})

describe('kinds', () => {
  it('replaceable kinds (0, 3, 10000–19999) keep only the newest version per author', async () => {
    const { url } = await relay()
    const conn = dial(url)
    const alice = newAuthor()
    const bob = newAuthor()
    const t = nowSeconds() - 100
    for (const kind of [0, 3, 10_002]) {
      const middle = alice.sign({ kind, created_at: t })
      const newest = alice.sign({ kind, created_at: t + 5 })
      const oldest = alice.sign({ kind, created_at: t - 5 })
      const bobs = bob.sign({ kind, created_at: t })
      await publishAll(conn, [middle, newest, bobs])
      // An older version arriving late does not replace the newer one.
      const late = await okOf(conn, oldest)
      expect(late.prefix === 'duplicate' || !late.accepted, `kind ${kind}: ${late.message}`).toBe(true)
      expect(await storedEvents(conn, { kinds: [kind], authors: [alice.pubkey] }), `kind ${kind}`).toEqual([
        newest,
      ])
      expect(idsOf(await storedEvents(conn, { kinds: [kind] }))).toEqual([newest.id, bobs.id])
    }
  })

  it('addressable kinds (30000–39999) keep the newest version per author and d tag', async () => {
    const { url } = await relay()
    const conn = dial(url)
    const alice = newAuthor()
    const t = nowSeconds() - 100
    const x1 = alice.sign({ kind: 30_023, created_at: t, tags: [['d', 'x']] })
    const x2 = alice.sign({ kind: 30_023, created_at: t + 1, tags: [['d', 'x']] })
    const y = alice.sign({ kind: 30_023, created_at: t, tags: [['d', 'y']] })
    await publishAll(conn, [x1, x2, y])
    expect(idsOf(await storedEvents(conn, { kinds: [30_023] }))).toEqual([x2.id, y.id])
  })

  it('ephemeral kinds (20000–29999) are accepted and delivered live, but not stored', async () => {
    const { url } = await relay()
    const subscriber = dial(url)
    const publisher = dial(url)
    const messages: SubscriptionMessage[] = []
    track(
      req(subscriber, { kinds: [20_001] }, { id: 'eph' }).subscribe((m) => messages.push(m)),
      (s) => s.unsubscribe(),
    )
    await until(() => messages.length === 1, 'EOSE')
    const ephemeral = newAuthor().sign({ kind: 20_001 })
    expect(await okOf(publisher, ephemeral)).toMatchObject({ accepted: true })
    await until(() => messages.length === 2, 'the ephemeral event, live')
    expect(messages[1]).toEqual({ type: 'event', subId: 'eph', event: ephemeral })
    expect(await storedEvents(publisher, { kinds: [20_001] })).toEqual([])
    expect(await storedEvents(publisher, { ids: [ephemeral.id] })).toEqual([])
  })
})

describe('NIP-09 deletion', () => {
  it("removes the author's event and refuses it from then on; another author's request removes nothing", async () => {
    const { url } = await relay()
    const conn = dial(url)
    const alice = newAuthor()
    const mallory = newAuthor()
    const x = alice.sign({ content: 'x' })
    const y = alice.sign({ content: 'y' })
    await publishAll(conn, [x, y])

    const forged = mallory.sign({ kind: 5, tags: [['e', y.id]] })
    const deletion = alice.sign({ kind: 5, tags: [['e', x.id]] })
    await publishAll(conn, [forged, deletion])
    expect(idsOf(await storedEvents(conn, { authors: [alice.pubkey] }))).toEqual(
      expect.arrayContaining([y.id, deletion.id]),
    )
    expect(await storedEvents(conn, { ids: [x.id, y.id] })).toEqual([y])

    expect(await okOf(conn, x)).toMatchObject({ accepted: false, prefix: 'blocked' })
    expect(await storedEvents(conn, { ids: [x.id] })).toEqual([])
  })

  // Known bug (event-store.ts `add`): `deleted` maps an event id to the last deletion request's author, so
  // anyone's request for an id overwrites the author's own, and the deleted event is accepted again.
  // Remove `.fails` once fixed.
  it("another author's deletion request for a deleted event does not lift the block", async () => {
    const { url } = await relay()
    const conn = dial(url)
    const alice = newAuthor()
    const x = alice.sign({ content: 'x' })
    await publishAll(conn, [x, alice.sign({ kind: 5, tags: [['e', x.id]] })])
    await publishAll(conn, [newAuthor().sign({ kind: 5, tags: [['e', x.id]] })])
    expect(await okOf(conn, x)).toMatchObject({ accepted: false, prefix: 'blocked' })
  })
})

describe('validation', () => {
  it('a copy of an event with a bad signature is refused and does not block the genuine event', async () => {
    const { url } = await relay()
    const conn = dial(url)
    const genuine = newAuthor().sign({})
    const forged = withBadSignature(genuine)
    expect(forged.id).toBe(genuine.id)

    expect(await okOf(conn, forged)).toMatchObject({ accepted: false, prefix: 'invalid' })
    expect(await okOf(conn, genuine)).toEqual({
      eventId: genuine.id,
      accepted: true,
      message: '',
      prefix: undefined,
    })
    expect(await okOf(conn, forged)).toMatchObject({ accepted: false, prefix: 'invalid' })
    expect(await storedEvents(conn, { ids: [genuine.id] })).toEqual([genuine])
  })

  it('created_at more than 15 minutes ahead is refused with invalid:; a minute ahead is accepted', async () => {
    const { url } = await relay()
    const conn = dial(url)
    const alice = newAuthor()
    const far = alice.sign({ created_at: nowSeconds() + 3_600 })
    const near = alice.sign({ created_at: nowSeconds() + 60 })
    const refused = await okOf(conn, far)
    expect(refused).toMatchObject({ accepted: false, prefix: 'invalid' })
    expect(refused.message).toMatch(/^invalid: /)
    expect(await okOf(conn, near)).toMatchObject({ accepted: true })
    expect(idsOf(await storedEvents(conn, { authors: [alice.pubkey] }))).toEqual([near.id])
  })
})

describe('NIP-11', () => {
  it('serves the information document, with CORS and the limitation the relay enforces', async () => {
    const { url } = await relay({ limits: { maxSubscriptions: 7, maxMessageSize: 65_536 } })
    const response = await fetch(url.replace('ws://', 'http://'), {
      headers: { Accept: 'application/nostr+json' },
      signal: AbortSignal.timeout(5_000),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/nostr+json')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const document = (await response.json()) as Record<string, unknown>
    expect(document).toMatchObject({
      name: 'honeybee relay',
      software: 'honeybee-cli',
      supported_nips: expect.arrayContaining([1, 9, 11]),
      limitation: { max_message_length: 65_536, max_subscriptions: 7, max_subid_length: 64 },
    })

    const plain = await fetch(url.replace('ws://', 'http://'), { signal: AbortSignal.timeout(5_000) })
    expect(plain.status).toBe(426)
  })
})

describe('NIP-42 authentication', () => {
  it('before authenticating: the challenge comes first, REQ is CLOSED and EVENT refused with auth-required:', async () => {
    const { url } = await relay({ auth: true })
    const raw = await client(url)
    await until(() => raw.messages.length === 1, 'the AUTH challenge')
    expect(JSON.parse(raw.messages[0] ?? '')).toEqual(['AUTH', expect.stringMatching(/^[0-9a-f]{32}$/)])
    const event = newAuthor().sign({})
    raw.send('["REQ","early",{}]')
    raw.send(JSON.stringify(['EVENT', event]))
    await until(() => raw.messages.length === 3, 'CLOSED and OK')
    const replies = raw.messages.slice(1).map((m) => JSON.parse(m) as unknown[])
    expect(replies).toContainEqual(['CLOSED', 'early', expect.stringMatching(/^auth-required: /)])
    expect(replies).toContainEqual(['OK', event.id, false, expect.stringMatching(/^auth-required: /)])

    // honeybee without an authenticate hook: the refusal is final.
    const conn = dial(url)
    const error = await firstValueFrom(req(conn, { kinds: [1] })).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RelayError)
    expect(error).toMatchObject({ code: 'auth-required' })
    expect(await okOf(conn, newAuthor().sign({}))).toMatchObject({ accepted: false, prefix: 'auth-required' })

    // The document says so.
    const response = await fetch(url.replace('ws://', 'http://'), {
      headers: { Accept: 'application/nostr+json' },
    })
    expect(await response.json()).toMatchObject({ limitation: { auth_required: true } })
  })

  it('honeybee with an authenticate hook signs kind 22242 with the relay and challenge tags, and gets through', async () => {
    const { url } = await relay({ auth: true })
    const alice = newAuthor()
    const challenges: { challenge: string; relayUrl: string }[] = []
    const conn = dial(url, {
      hooks: {
        authenticate: async (challenge, relayUrl) => {
          challenges.push({ challenge, relayUrl })
          const auth = alice.sign({
            kind: 22_242,
            tags: [
              ['relay', relayUrl],
              ['challenge', challenge],
            ],
            content: '',
          })
          return JSON.stringify(auth)
        },
      },
    })
    const note = alice.sign({})
    // The REQ and the EVENT race the challenge: both are refused first, then retried once authenticated.
    const messages: SubscriptionMessage[] = []
    const errors: unknown[] = []
    track(
      req(conn, { authors: [alice.pubkey] }, { id: 'mine' }).subscribe({
        next: (m) => messages.push(m),
        error: (e) => errors.push(e),
      }),
      (s) => s.unsubscribe(),
    )
    expect(await okOf(conn, note)).toEqual({
      eventId: note.id,
      accepted: true,
      message: '',
      prefix: undefined,
    })
    await until(() => messages.some((m) => m.type === 'event'), 'the note on the subscription')
    expect(errors).toEqual([])
    expect(messages.filter((m) => m.type !== 'eose')).toEqual([{ type: 'event', subId: 'mine', event: note }])
    expect(await storedEvents(conn, { authors: [alice.pubkey] })).toEqual([note])
    expect(challenges).toEqual([{ challenge: expect.stringMatching(/^[0-9a-f]{32}$/), relayUrl: url }])
  })

  it('an AUTH event with the wrong challenge, kind or signature is refused with OK false', async () => {
    const { url } = await relay({ auth: true })
    const raw = await client(url)
    await until(() => raw.messages.length === 1, 'the AUTH challenge')
    const challenge = (JSON.parse(raw.messages[0] ?? '') as string[])[1] ?? ''
    const alice = newAuthor()
    const tags = (c: string) => [
      ['relay', url],
      ['challenge', c],
    ]
    const attempts = [
      alice.sign({ kind: 22_242, tags: tags('0'.repeat(32)), content: '' }),
      alice.sign({ kind: 1, tags: tags(challenge), content: '' }),
      withBadSignature(alice.sign({ kind: 22_242, tags: tags(challenge), content: '' })),
    ]
    for (const attempt of attempts) raw.send(JSON.stringify(['AUTH', attempt]))
    await until(() => raw.messages.length === 4, 'three OKs')
    expect(raw.messages.slice(1).map((m) => JSON.parse(m) as unknown[])).toEqual(
      attempts.map((a) => ['OK', a.id, false, expect.stringMatching(/^invalid: /)]),
    )
    raw.send('["REQ","still",{}]')
    await until(() => raw.messages.length === 5, 'CLOSED')
    expect(JSON.parse(raw.messages[4] ?? '')).toEqual([
      'CLOSED',
      'still',
      expect.stringMatching(/^auth-required: /),
    ])
  })

  // Known bug (relay.ts `onEvent`): kind 22242 is in the ephemeral range, so an AUTH event sent as an EVENT
  // is accepted and broadcast to every matching subscription; NIP-42: "Relays MUST exclude kind: 22242
  // events from being broadcasted to any client". Remove `.fails` once fixed.
  it('a kind 22242 event published with EVENT is refused, not broadcast', async () => {
    const { url } = await relay()
    const subscriber = dial(url)
    const messages: SubscriptionMessage[] = []
    track(
      req(subscriber, { kinds: [22_242] }).subscribe((m) => messages.push(m)),
      (s) => s.unsubscribe(),
    )
    await until(() => messages.length === 1, 'EOSE')
    const auth = newAuthor().sign({
      kind: 22_242,
      tags: [
        ['relay', url],
        ['challenge', 'c'],
      ],
      content: '',
    })
    await okOf(dial(url), auth)
    // Proving it does not come: a broadcast goes out right after the OK.
    await sleep(100)
    expect(messages.filter((m) => m.type === 'event')).toEqual([])
  })

  // Known bug (relay.ts `onAuth`): the `relay` tag is never compared with the relay's URL, so an AUTH event
  // signed for another relay is accepted (NIP-42: "the URL of the relay must match"). Remove `.fails` once fixed.
  it('an AUTH event whose relay tag names another relay is refused', async () => {
    const { url } = await relay({ auth: true })
    const raw = await client(url)
    await until(() => raw.messages.length === 1, 'the AUTH challenge')
    const challenge = (JSON.parse(raw.messages[0] ?? '') as string[])[1] ?? ''
    const auth = newAuthor().sign({
      kind: 22_242,
      tags: [
        ['relay', 'wss://another.relay.example'],
        ['challenge', challenge],
      ],
      content: '',
    })
    raw.send(JSON.stringify(['AUTH', auth]))
    await until(() => raw.messages.length === 2, 'the OK')
    expect(JSON.parse(raw.messages[1] ?? '')).toEqual([
      'OK',
      auth.id,
      false,
      expect.stringMatching(/^invalid: /),
    ])
  })
})

describe('persistence', () => {
  it('with dataDir, everything that was OK’d is there after close and restart, and nothing else', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'honeybee-relay-'))
    track(dataDir, (dir) => rm(dir, { recursive: true, force: true }))
    const first = await startRelay({ port: 0, dataDir })
    const conn = connect(first.url)
    const alice = newAuthor()
    const t = nowSeconds() - 100
    const notes = Array.from({ length: 10 }, (_, i) =>
      alice.sign({ created_at: t + i, content: `note ${i}` }),
    )
    const profileOld = alice.sign({ kind: 0, created_at: t, content: '{"name":"old"}' })
    const profileNew = alice.sign({ kind: 0, created_at: t + 1, content: '{"name":"new"}' })
    const deletion = alice.sign({ kind: 5, created_at: t + 20, tags: [['e', notes[0]?.id ?? '']] })
    const refused = withBadSignature(alice.sign({ content: 'forged' }))
    await publishAll(conn, [...notes, profileOld, profileNew, deletion])
    expect(await okOf(conn, refused)).toMatchObject({ accepted: false })
    const before = await storedEvents(conn, {})
    conn.close()
    await first.close()

    const second = await relay({ dataDir })
    const after = await storedEvents(dial(second.url), {})
    expect(after).toEqual(before)
    expect(idsOf(after)).toEqual(
      expect.arrayContaining([...notes.slice(1).map((n) => n.id), profileNew.id, deletion.id]),
    )
    expect(after).toHaveLength(notes.length - 1 + 2)
    expect(await okOf(dial(second.url), notes[0] as NostrEvent)).toMatchObject({
      accepted: false,
      prefix: 'blocked',
    })
  })
})

const FIXTURE = fileURLToPath(new URL('./fixtures/relay-process.ts', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The relay in a child process; resolves with its URL and whether it is still running. */
async function relayProcess(): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  // `honeybee-source` resolves the workspace packages to their TypeScript, as vitest does.
  const child = track(
    spawn(process.execPath, ['--conditions=honeybee-source', '--import', 'tsx', FIXTURE], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    (c) => {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // Generous for tsx start-up on a loaded machine.
  await until(() => stdout.includes('\n') || child.exitCode !== null, 'the relay process to start', {
    within: 15_000,
  })
  const url = stdout.split('\n')[0] ?? ''
  expect(url, stderr).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
  return { url, child, output: () => stderr }
}

describe('hostile input (a relay in its own process)', () => {
  // In a child process: an exception thrown from a subscriber, or a rejected backfill, would kill the
  // whole process, which in-process would take the test runner's worker down with it.
  it('malformed AUTH events and filters are refused, and the process keeps serving', async () => {
    const { url, child, output } = await relayProcess()
    const raw = await client(url)
    const hostile: readonly [string, unknown[]][] = [
      ['["AUTH",{}]', ['OK', '', false, expect.stringMatching(/^invalid: /)]],
      ['["REQ","kinds",{"kinds":1}]', ['CLOSED', 'kinds', expect.stringMatching(/^invalid: /)]],
      ['["REQ","ids",{"ids":"abc"}]', ['CLOSED', 'ids', expect.stringMatching(/^invalid: /)]],
      ['["REQ","authors",{"authors":null}]', ['CLOSED', 'authors', expect.stringMatching(/^invalid: /)]],
      ['["REQ","tag",{"#e":"not an array"}]', ['CLOSED', 'tag', expect.stringMatching(/^invalid: /)]],
      ['["COUNT","count",{"kinds":1}]', ['CLOSED', 'count', expect.stringMatching(/^invalid: /)]],
      ['["EVENT",{"id":1}]', ['OK', '', false, expect.stringMatching(/^invalid: /)]],
    ]
    for (const [message] of hostile) raw.send(message)
    // A well-formed REQ after all of it, and a live event for it: the process still matches and serves.
    raw.send('["REQ","probe",{"kinds":[1]}]')
    const live = newAuthor().sign({ kind: 1 })
    raw.send(JSON.stringify(['EVENT', live]))
    await until(
      () =>
        raw.messages.some((m) => m.startsWith('["EVENT","probe",') && m.includes(live.id)) ||
        child.exitCode !== null,
      'the probe served',
      { within: 5_000 },
    )
    expect({ exitCode: child.exitCode, stderr: output() }).toEqual({ exitCode: null, stderr: '' })
    const replies = raw.messages.map((m) => JSON.parse(m) as unknown[])
    for (const [message, reply] of hostile) expect(replies, message).toContainEqual(reply)
    expect(replies).toContainEqual(['EOSE', 'probe'])
    expect(replies).toContainEqual(['OK', live.id, true, ''])
  })
})
