/**
 * The responder side: how fast one event reaches 1,000 subscribers, and what an idle connection costs.
 *
 * (a) Fan-out. 1,000 raw `ws` clients each open one REQ (`{"kinds":[1]}`) on each of three relays
 * running side by side in a child process (`responder-server.ts`): honeybee-cli's `startRelay` as
 * shipped (it verifies the signature, stores, matches filters), honeybee-node's `serve()` with a minimal
 * handler (EOSE for a REQ; OK, then `sendEvent` to every subscription, for an EVENT: the transport
 * alone), and a bare `ws` server doing the same by hand. A publisher client sends one new signed event;
 * the time is from that send until the 1,000th subscriber has it, measured in this process. The
 * relays take turns, round by round. Around each fan-out the child notes its memory: collected
 * (`--expose-gc`) before, read without collecting once every subscriber has the event, with a young
 * generation large enough (64 MB semi-spaces) that no collection runs in between (counted, and
 * reported), so the difference is what the fan-out allocated: JS heap, and outside it (`external`:
 * the frames' Buffers).
 *
 * (b) Idle memory. A child process runs one server: `serve()` or a bare `ws` WebSocketServer, each
 * with no handler (the transport alone: nobody subscribes to `serve()`'s connections) and with the
 * minimal relay handler of (a). Its memory is read with one connection open, then with 10,000 idle
 * connections (no REQ) opened from this process in batches, each time after collecting. The
 * difference, per connection, is what a connection costs the server. Every server runs in its own
 * fresh process.
 */
import { type ChildProcess, spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import WebSocket from 'ws'
import { startChild, stopChild } from './child-process.js'
import type { SuiteResult } from './harness.js'
import type { Memory, ServerReady, ServerReply } from './responder-server.js'

export const title = 'responder: fan-out and idle memory'

const SUBSCRIBERS = 1_000
const FANOUT_ROUNDS = 21
const FANOUT_WARMUP = 4
const IDLE_CONNECTIONS = 10_000
/** Clients opened at once; below the listen backlog (511), so no handshake waits for a retry. */
const BATCH = 250
/** Per connection above a bare `ws` server (goal of the responder issue). */
const GOAL_BYTES_PER_CONNECTION = 10 * 1024
const SERVERS: Readonly<Record<string, string>> = {
  relay: '`startRelay` (honeybee-cli)',
  serve: '`serve()` + minimal handler',
  ws: 'bare `ws` server',
  'serve-bare': '`serve()`, no handler',
  'ws-bare': 'bare `ws` server, no handler',
}
type IdleMode = 'serve' | 'ws' | 'serve-bare' | 'ws-bare'
const CLIENT_OPTIONS: WebSocket.ClientOptions = { perMessageDeflate: false }

// ── Child process and clients. ─────────────────────────────────────────────────────────────────────

interface Server {
  readonly child: ChildProcess
  readonly urls: Readonly<Record<string, string>>
  ask<T extends ServerReply['type']>(message: string, reply: T): Promise<Extract<ServerReply, { type: T }>>
}

async function startServer(mode: string, extraFlags: readonly string[] = []): Promise<Server> {
  const { child, ready } = await startChild<ServerReady>(
    new URL('./responder-server.ts', import.meta.url),
    [mode],
    {
      what: `the ${mode} server`,
      startTimeout: 30_000,
      extraFlags,
    },
  )
  const ask = <T extends ServerReply['type']>(
    message: string,
    reply: T,
  ): Promise<Extract<ServerReply, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error(`no ${reply} from the ${mode} server`)), 30_000)
      child.once('message', (answer) => {
        clearTimeout(timeout)
        const typed = answer as ServerReply
        if (typed.type === reply) resolve(typed as Extract<ServerReply, { type: T }>)
        else reject(new Error(`expected ${reply}, got ${typed.type}`))
      })
      child.send(message)
    })
  return { child, urls: ready.urls, ask }
}

function stopServer(server: Server): Promise<void> {
  return stopChild(server.child, 10_000)
}

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, CLIENT_OPTIONS)
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

/** Opens `count` clients to `url`, `BATCH` at a time; `ready` runs on each once open. */
async function openMany(
  url: string,
  count: number,
  ready?: (ws: WebSocket) => Promise<void>,
): Promise<WebSocket[]> {
  const all: WebSocket[] = []
  for (let start = 0; start < count; start += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, count - start) }, async () => {
        const ws = await open(url)
        ws.on('error', () => {})
        await ready?.(ws)
        return ws
      }),
    )
    all.push(...batch)
  }
  return all
}

/** The soft limit on open files, or undefined when it cannot be read. */
function fileLimit(): number | undefined {
  const result = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' })
  const limit = Number.parseInt(result.stdout ?? '', 10)
  return Number.isFinite(limit) ? limit : undefined
}

// ── Statistics and formatting. ────────────────────────────────────────────────────────────────────

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

function ms(value: number): string {
  return value >= 100
    ? `${value.toFixed(0)} ms`
    : value >= 10
      ? `${value.toFixed(1)} ms`
      : `${value.toFixed(2)} ms`
}

function bytes(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MB`
  if (abs >= 1024) return `${(value / 1024).toFixed(1)} KB`
  return `${value.toFixed(0)} B`
}

// ── (a) Fan-out. ───────────────────────────────────────────────────────────────────────────────────

interface FanoutRound {
  readonly ms: number
  readonly delta: Memory
  readonly collections: number
}

async function fanout(): Promise<SuiteResult> {
  // A young generation large enough that a fan-out (a few MB) never triggers a collection.
  const server = await startServer('fanout', ['--min-semi-space-size=64', '--max-semi-space-size=64'])
  const names = Object.keys(server.urls)
  const secret = generateSecretKey()
  const content = `${'Fan-out benchmark note: a short text as people post, with a link https://example.com/a/b and some words. '.repeat(5)}`
  let serial = 0
  const sockets: WebSocket[] = []
  try {
    const targets = await Promise.all(
      names.map(async (name) => {
        const url = server.urls[name]!
        let expected = ''
        let remaining = 0
        let done: (() => void) | undefined
        const subscribers = await openMany(url, SUBSCRIBERS, (ws) => {
          const eose = new Promise<void>((resolve) => {
            ws.once('message', () => resolve()) // the EOSE: nothing is stored yet
          })
          ws.send('["REQ","fan",{"kinds":[1]}]')
          return eose.then(() => {
            ws.on('message', (data: Buffer) => {
              if (remaining > 0 && data.toString().includes(expected) && --remaining === 0) done?.()
            })
          })
        })
        sockets.push(...subscribers)
        const publisher = await open(url)
        publisher.on('error', () => {})
        sockets.push(publisher)
        /** Publishes one new event; resolves with the time until every subscriber had it. */
        const publish = (): Promise<number> => {
          const event = finalizeEvent(
            {
              kind: 1,
              created_at: Math.floor(Date.now() / 1000),
              tags: [['t', 'bench']],
              content: `${content} #${serial++}`,
            },
            secret,
          )
          expected = event.id
          remaining = SUBSCRIBERS
          const envelope = JSON.stringify(['EVENT', event])
          return new Promise<number>((resolve, reject) => {
            const timeout = setTimeout(
              () => reject(new Error(`${name}: ${remaining} subscribers missing after 30 s`)),
              30_000,
            )
            const start = performance.now()
            done = () => {
              clearTimeout(timeout)
              resolve(performance.now() - start)
            }
            publisher.send(envelope)
          })
        }
        return { name, publish }
      }),
    )

    const rounds: Record<string, FanoutRound[]> = Object.fromEntries(names.map((n) => [n, []]))
    for (let round = 0; round < FANOUT_WARMUP + FANOUT_ROUNDS; round++) {
      // The relays take turns, each starting a round in its turn.
      for (let k = 0; k < targets.length; k++) {
        const target = targets[(round + k) % targets.length]!
        await server.ask('mark', 'marked')
        const time = await target.publish()
        const { delta, collections } = await server.ask('measure', 'measured')
        if (round >= FANOUT_WARMUP) rounds[target.name]!.push({ ms: time, delta, collections })
      }
    }

    const base = rounds.ws!
    const lines = [
      `| relay | publish → 1,000th delivery, median (IQR) | per delivery | vs bare \`ws\`, per round (IQR) | JS heap allocated per fan-out | per delivery | external (Buffers) per fan-out | collections during |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ]
    const data: Record<string, unknown> = {}
    for (const name of names) {
      const r = rounds[name]!
      const times = r.map((x) => x.ms)
      const heap = r.map((x) => x.delta.heapUsed)
      const external = r.map((x) => x.delta.external)
      const collections = r.reduce((sum, x) => sum + x.collections, 0)
      const ratios = r.map((x, i) => base[i]!.ms / x.ms)
      const ratio =
        name === 'ws'
          ? '1 (baseline)'
          : `${quantile(ratios, 0.5).toFixed(2)}× (${quantile(ratios, 0.25).toFixed(2)}×–${quantile(ratios, 0.75).toFixed(2)}×)`
      lines.push(
        `| ${SERVERS[name]} | ${ms(quantile(times, 0.5))} (${ms(quantile(times, 0.25))}–${ms(quantile(times, 0.75))}) | ${((quantile(times, 0.5) * 1000) / SUBSCRIBERS).toFixed(1)} µs | ${ratio} | ${bytes(quantile(heap, 0.5))} | ${bytes(quantile(heap, 0.5) / SUBSCRIBERS)} | ${bytes(quantile(external, 0.5))} | ${collections} in ${r.length} rounds |`,
      )
      data[name] = r
    }
    lines.push(
      '',
      `${FANOUT_ROUNDS} recorded rounds per relay after ${FANOUT_WARMUP} warm-up rounds, taking turns; the event is a signed kind 1 note of ${Buffer.byteLength(JSON.stringify(finalizeEvent({ kind: 1, created_at: 0, tags: [['t', 'bench']], content: `${content} #0` }, secret)))} B. ` +
        'The time includes each subscriber receiving its frame in this process (the same for every relay); ' +
        "the memory is the relay process's, from its collected state before the publish to the moment the last subscriber had the event. " +
        '`startRelay` also verifies the signature and stores the event; `serve()` + minimal handler and the bare server only forward it.',
    )
    return {
      name: `Fan-out: one event to ${SUBSCRIBERS.toLocaleString('en')} subscribed connections`,
      markdown: lines.join('\n'),
      data,
    }
  } finally {
    for (const ws of sockets) ws.terminate()
    await stopServer(server)
  }
}

// ── (b) Idle memory per connection. ────────────────────────────────────────────────────────────────

interface IdleMemory {
  readonly connections: number
  readonly baseline: Memory
  readonly loaded: Memory
}

async function idleMemory(mode: IdleMode, connections: number): Promise<IdleMemory> {
  const server = await startServer(mode)
  let clients: WebSocket[] = []
  try {
    const url = server.urls[mode]!
    // The first connection loads code paths (and their compiled code) that every later one shares:
    // the baseline is taken with one connection open, and the rest are counted.
    const first = await open(url)
    first.on('error', () => {})
    clients.push(first)
    const baseline = (await server.ask('settle', 'settled')).memory
    clients = clients.concat(await openMany(url, connections - 1))
    await new Promise((resolve) => setTimeout(resolve, 500))
    const settled = await server.ask('settle', 'settled')
    const seen = settled.connections[mode]
    if (seen !== connections)
      throw new Error(`${mode}: the server has ${seen} connections, not ${connections}`)
    return { connections, baseline, loaded: settled.memory }
  } finally {
    for (const ws of clients) ws.terminate()
    await stopServer(server)
  }
}

async function idle(): Promise<SuiteResult> {
  const limit = fileLimit()
  // Each side holds one descriptor per connection, plus some for itself.
  const feasible = limit === undefined ? IDLE_CONNECTIONS : Math.min(IDLE_CONNECTIONS, limit - 256)
  const results: Record<IdleMode, IdleMemory> = {
    'serve-bare': await idleMemory('serve-bare', feasible),
    'ws-bare': await idleMemory('ws-bare', feasible),
    serve: await idleMemory('serve', feasible),
    ws: await idleMemory('ws', feasible),
  }
  const per = (m: IdleMemory, key: keyof Memory): number =>
    (m.loaded[key] - m.baseline[key]) / (m.connections - 1)
  const lines = [
    '| server | RSS per connection | JS heap per connection | external per connection |',
    '| --- | ---: | ---: | ---: |',
  ]
  const above = (ours: IdleMode, theirs: IdleMode): Record<keyof Memory, number> => ({
    rss: per(results[ours], 'rss') - per(results[theirs], 'rss'),
    heapUsed: per(results[ours], 'heapUsed') - per(results[theirs], 'heapUsed'),
    external: per(results[ours], 'external') - per(results[theirs], 'external'),
  })
  const row = (label: string, m: Record<keyof Memory, number>, bold = false): string => {
    const b = (text: string): string => (bold ? `**${text}**` : text)
    return `| ${label} | ${b(bytes(m.rss))} | ${b(bytes(m.heapUsed))} | ${bytes(m.external)} |`
  }
  const perConnection = (mode: IdleMode): Record<keyof Memory, number> => ({
    rss: per(results[mode], 'rss'),
    heapUsed: per(results[mode], 'heapUsed'),
    external: per(results[mode], 'external'),
  })
  const transport = above('serve-bare', 'ws-bare')
  const withHandler = above('serve', 'ws')
  lines.push(
    row(SERVERS['serve-bare']!, perConnection('serve-bare')),
    row(SERVERS['ws-bare']!, perConnection('ws-bare')),
    row('`serve()` − bare `ws`, no handler', transport, true),
    row(SERVERS.serve!, perConnection('serve')),
    row(SERVERS.ws!, perConnection('ws')),
    row('`serve()` − bare `ws`, minimal handlers', withHandler, true),
  )
  const verdict = (value: number): string => (value <= GOAL_BYTES_PER_CONNECTION ? 'met' : '**missed**')
  lines.push(
    '',
    `Goal: ≤ ${bytes(GOAL_BYTES_PER_CONNECTION)} per connection above a bare \`ws\` server. Without handlers (the transport alone): RSS ${bytes(transport.rss)}, ${verdict(transport.rss)}; JS heap ${bytes(transport.heapUsed)}, ${verdict(transport.heapUsed)}. ` +
      `With the minimal relay handlers of the fan-out on both: RSS ${bytes(withHandler.rss)}, ${verdict(withHandler.rss)}; JS heap ${bytes(withHandler.heapUsed)}, ${verdict(withHandler.heapUsed)}.`,
    '',
    `${feasible.toLocaleString('en')} idle connections (open, no REQ) per server, each server in a fresh child process; memory read after collecting, first with one connection open, then with all; per connection = the difference / ${(feasible - 1).toLocaleString('en')}. ` +
      `\`serve()\` runs its defaults (ping-based health checks, one timer for all connections). Open-file limit: ${limit ?? 'unknown'}` +
      (feasible < IDLE_CONNECTIONS
        ? `, so ${feasible.toLocaleString('en')} connections, not ${IDLE_CONNECTIONS.toLocaleString('en')}.`
        : '.'),
  )
  return {
    name: `Idle memory per connection, ${feasible.toLocaleString('en')} connections`,
    markdown: lines.join('\n'),
    data: results,
  }
}

export async function run(): Promise<SuiteResult[]> {
  process.stderr.write(`  fan-out to ${SUBSCRIBERS} subscribers\n`)
  const a = await fanout()
  process.stderr.write(`  idle memory, ${IDLE_CONNECTIONS} connections\n`)
  const b = await idle()
  return [a, b]
}
