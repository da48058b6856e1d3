/**
 * Pools: honeybee-node `createPool` against nostr-tools `SimplePool`, rx-nostr and a raw `ws` client
 * (the ceiling), in one run, on the same relays serving the same events.
 *
 * Workloads (each call is one whole workload; the unit is one event delivered, or one publish answered):
 *
 * - W1: one REQ, 100,000 events from one relay, until EOSE.
 * - W2: one REQ to four relays that all serve the same 50,000 events (200,000 envelopes arrive), until
 *   every relay sent EOSE; each client delivers each event once (honeybee and SimplePool de-duplicate
 *   by themselves, rx-nostr with its `uniq()` operator, the raw client with a `Set` of ids).
 * - W3: 10,000 EVENTs published at once, until every OK arrived.
 *
 * Every client hands the application parsed event objects, as the libraries do; the raw client
 * `JSON.parse`s every envelope (W2 included: it has no cheaper way to find the id). Signature
 * verification is off everywhere, so the transport is what is measured: SimplePool's `verifyEvent`
 * is replaced by `() => true` (a public field, read when each relay connection is made), rx-nostr runs
 * with `skipVerify` and `noopVerifier`, and honeybee verifies nothing (the application's business).
 * Otherwise every library runs as shipped: SimplePool still checks each event against the filter,
 * rx-nostr still checks filters and NIP-40 expiry. Each keeps its connections open between calls
 * (honeybee `keepAlive: 60_000`, rx-nostr `lazy-keep`, SimplePool's 20 s idle timeout), as an
 * application that keeps using its pool would.
 *
 * The relays (`pool-relay.ts`) run in a child process, on the other core: pre-built frames, answered
 * from memory; see there. The raw client opens its sockets with honeybee-node's `ws` options
 * (no permessage-deflate, no UTF-8 validation); the libraries open theirs as they do.
 *
 * Each case's first call (the harness's untimed one) is checked: every event delivered exactly once,
 * every publish accepted. rx-nostr's W3 is quadratic (every `send` filters every OK) and takes 10–40 s
 * a call: it runs one round of its own, right after one of the raw client, instead of the interleaved
 * rounds.
 *
 * Run alone: `npm run bench -- pool`. `setup()` is exported for experiments (profiling a single
 * client: `node --cpu-prof --import tsx` on a script that imports it).
 */
import type { ChildProcess } from 'node:child_process'
import { createPool, type Pool, type PoolMessage } from 'honeybee-node'
import { SimplePool, useWebSocketImplementation } from 'nostr-tools/pool'
import {
  createRxBackwardReq,
  createRxNostr,
  type IWebSocketConstructor,
  noopSigner,
  noopVerifier,
  type RxNostr,
  type RxNostrConfig,
  uniq,
} from 'rx-nostr'
import type { Subscription } from 'rxjs'
import WebSocket from 'ws'
import { startChild, stopChild } from './child-process.js'
import { type CaseResult, type ComparisonResult, compare, formatDuration, timed } from './harness.js'
import { type BenchEvent, generateEvents } from './pool-events.js'
import type { PoolRelayReady } from './pool-relay.js'

export const title = 'pools: honeybee vs nostr-tools vs rx-nostr'

const W1_EVENTS = 100_000
const W2_EVENTS = 50_000
const W2_RELAYS = 4
const W3_PUBLISHES = 10_000
/** The seed of the relays' events, and another for the published ones. */
const RELAY_SEED = 0xbee5
const PUBLISH_SEED = 0x9b1
/** A call that has not finished by then fails, so no round waits forever. */
const CALL_TIMEOUT_MS = 60_000
/** The same for rx-nostr's W3, which is quadratic in the publishes in flight. */
const RX_W3_TIMEOUT_MS = 180_000
/** The `ws` options honeybee-node's socket adapter uses (ws-socket.ts); the raw client uses them too. */
const WS_OPTIONS: WebSocket.ClientOptions = {
  perMessageDeflate: false,
  skipUTF8Validation: true,
  maxPayload: 16 * 1024 * 1024,
}

const RAW = 'raw ws + JSON.parse'
const OURS = 'honeybee createPool'
const NOSTR_TOOLS = 'nostr-tools SimplePool'
const RX_NOSTR = 'rx-nostr'

/** Resolves when `finish` is called; rejects after CALL_TIMEOUT_MS saying what was missing. */
function deadline<T>(
  what: string,
  body: (finish: (value: T) => void, fail: (e: unknown) => void) => () => string,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let status = (): string => ''
    const timer = setTimeout(
      () => reject(new Error(`${what}: not done after ${timeoutMs} ms (${status()})`)),
      timeoutMs,
    )
    status = body(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/** Where the cases put what they delivered while the deliveries are being checked (not while timed). */
let checking: Set<string> | undefined
let duplicates = 0
function record(id: string): void {
  if (checking === undefined) return
  if (checking.has(id)) duplicates++
  checking.add(id)
}

function openWs(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, WS_OPTIONS)
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

function startRelays(): Promise<{ child: ChildProcess; ready: PoolRelayReady }> {
  return startChild<PoolRelayReady>(
    new URL('./pool-relay.ts', import.meta.url),
    [String(W2_RELAYS), String(W1_EVENTS), String(RELAY_SEED)],
    { what: 'the relays', startTimeout: 60_000 },
  )
}

// ── The clients, one function per workload each. ──────────────────────────────────────────────────

type Call = () => Promise<number>
type Workload = 'w1' | 'w2' | 'w3'

/** honeybee: `pool.subscribe` until `eose-all`; `pool.publish` per event until each relay answered. */
function honeybeeCalls(one: Pool, four: Pool, toPublish: readonly BenchEvent[]): Record<Workload, Call> {
  const fetch = (pool: Pool, limit: number, relays: number): Promise<number> =>
    deadline(`${OURS} REQ`, (finish, fail) => {
      let events = 0
      let subscription: Subscription | undefined
      let done = false
      const next = (message: PoolMessage): void => {
        if (message.type === 'event') {
          events++
          record(message.event.id)
        } else if (message.type === 'eose-all') {
          done = true
          subscription?.unsubscribe()
          finish(events)
        } else if (message.type !== 'eose') fail(new Error(`${OURS}: ${JSON.stringify(message)}`))
      }
      subscription = pool.subscribe({ kinds: [1], limit }).subscribe({ next, error: fail })
      if (done) subscription.unsubscribe()
      return () => `${events} events from ${relays} relay(s)`
    })
  return {
    w1: () => fetch(one, W1_EVENTS, 1),
    w2: () => fetch(four, W2_EVENTS, W2_RELAYS),
    w3: () =>
      deadline(`${OURS} publish`, (finish, fail) => {
        let answered = 0
        let accepted = 0
        for (const event of toPublish) {
          one.publish(event).subscribe({
            next: (result) => {
              if (result.accepted) accepted++
              else fail(new Error(`${OURS}: ${result.error?.message ?? result.message}`))
            },
            complete: () => {
              if (++answered === toPublish.length) finish(accepted)
            },
            error: fail,
          })
        }
        return () => `${answered} answered`
      }),
  }
}

/** nostr-tools: `subscribeMany` until `oneose` (all relays); `publish` per event. */
function nostrToolsCalls(
  pool: SimplePool,
  urls: readonly string[],
  toPublish: readonly BenchEvent[],
): Record<Workload, Call> {
  const fetch = (relays: string[], limit: number): Promise<number> =>
    deadline(`${NOSTR_TOOLS} REQ`, (finish, fail) => {
      let events = 0
      let closed = false
      const sub = pool.subscribeMany(
        relays,
        { kinds: [1], limit },
        {
          onevent: (event) => {
            events++
            record(event.id)
          },
          oneose: () => {
            closed = true
            sub.close()
            finish(events)
          },
          // Before EOSE, only when a relay failed or refused.
          onclose: (reasons) => closed || fail(new Error(`${NOSTR_TOOLS}: ${JSON.stringify(reasons)}`)),
        },
      )
      return () => `${events} events from ${relays.length} relay(s)`
    })
  const first = [urls[0]!]
  const all = [...urls]
  return {
    w1: () => fetch(first, W1_EVENTS),
    w2: () => fetch(all, W2_EVENTS),
    w3: async () => {
      const answers = await Promise.all(toPublish.map((event) => pool.publish(first, event)[0]!))
      return answers.length
    },
  }
}

/** rx-nostr: a backward REQ until it completes (EOSE everywhere), with `uniq()` on W2; `send` per event. */
function rxNostrCalls(one: RxNostr, four: RxNostr, toPublish: readonly BenchEvent[]): Record<Workload, Call> {
  const signer = noopSigner()
  return {
    w1: () =>
      deadline(`${RX_NOSTR} REQ`, (finish, fail) => {
        let events = 0
        const rxReq = createRxBackwardReq()
        one.use(rxReq).subscribe({
          next: (packet) => {
            events++
            record(packet.event.id)
          },
          complete: () => finish(events),
          error: fail,
        })
        rxReq.emit({ kinds: [1], limit: W1_EVENTS })
        rxReq.over()
        return () => `${events} events`
      }),
    w2: () =>
      deadline(`${RX_NOSTR} REQ`, (finish, fail) => {
        let events = 0
        const rxReq = createRxBackwardReq()
        four
          .use(rxReq)
          .pipe(uniq())
          .subscribe({
            next: (packet) => {
              events++
              record(packet.event.id)
            },
            complete: () => finish(events),
            error: fail,
          })
        rxReq.emit({ kinds: [1], limit: W2_EVENTS })
        rxReq.over()
        return () => `${events} events`
      }),
    w3: () =>
      deadline(
        `${RX_NOSTR} send`,
        (finish, fail) => {
          let completed = 0
          let accepted = 0
          for (const event of toPublish) {
            one.send(event, { signer }).subscribe({
              next: (packet) => {
                if (packet.ok) accepted++
              },
              complete: () => {
                if (++completed === toPublish.length) finish(accepted)
              },
              error: fail,
            })
          }
          return () => `${completed} completed, ${accepted} accepted`
        },
        RX_W3_TIMEOUT_MS,
      ),
  }
}

/** The ceiling: `ws` sockets, `JSON.parse` of every envelope, a `Set` of ids on W2. */
async function rawCalls(
  urls: readonly string[],
  toPublish: readonly BenchEvent[],
): Promise<{ calls: Record<Workload, Call>; close: () => void }> {
  const one = await openWs(urls[0]!)
  const four = await Promise.all(urls.map(openWs))
  let onMessage: (envelope: unknown[]) => void = () => {}
  const listen = (ws: WebSocket): void => {
    ws.on('message', (data: Buffer) => onMessage(JSON.parse(data.toString()) as unknown[]))
  }
  listen(one)
  for (const ws of four) listen(ws)
  let serial = 0
  const close = (): void => {
    for (const ws of [one, ...four]) ws.close()
  }
  const calls: Record<Workload, Call> = {
    w1: () =>
      deadline(`${RAW} REQ`, (finish) => {
        let events = 0
        const subId = `raw:${serial++}`
        onMessage = (envelope) => {
          if (envelope[0] === 'EVENT' && envelope[1] === subId) {
            events++
            record((envelope[2] as BenchEvent).id)
          } else if (envelope[0] === 'EOSE' && envelope[1] === subId) {
            one.send(JSON.stringify(['CLOSE', subId]))
            finish(events)
          }
        }
        one.send(JSON.stringify(['REQ', subId, { kinds: [1], limit: W1_EVENTS }]))
        return () => `${events} events`
      }),
    w2: () =>
      deadline(`${RAW} REQ`, (finish) => {
        const seen = new Set<string>()
        let eosed = 0
        const subId = `raw:${serial++}`
        onMessage = (envelope) => {
          if (envelope[0] === 'EVENT' && envelope[1] === subId) {
            const { id } = envelope[2] as BenchEvent
            if (!seen.has(id)) {
              seen.add(id)
              record(id)
            }
          } else if (envelope[0] === 'EOSE' && envelope[1] === subId && ++eosed === four.length) {
            for (const ws of four) ws.send(JSON.stringify(['CLOSE', subId]))
            finish(seen.size)
          }
        }
        const req = JSON.stringify(['REQ', subId, { kinds: [1], limit: W2_EVENTS }])
        for (const ws of four) ws.send(req)
        return () => `${seen.size} events, ${eosed} EOSE`
      }),
    w3: () =>
      deadline(`${RAW} publish`, (finish) => {
        let answered = 0
        onMessage = (envelope) => {
          if (envelope[0] === 'OK' && envelope[2] === true && ++answered === toPublish.length)
            finish(answered)
        }
        for (const event of toPublish) one.send(JSON.stringify(['EVENT', event]))
        return () => `${answered} answered`
      }),
  }
  return { calls, close }
}

// ── The comparisons. ──────────────────────────────────────────────────────────────────────────────

/** Which time a ratio compares: wall time, or the process's CPU time. */
type Clock = 'wall' | 'cpu'

function roundsOf(c: CaseResult, clock: Clock): readonly number[] {
  return clock === 'wall' ? c.roundsNsPerCall : c.roundsCpuNsPerCall
}

/**
 * The median and interquartile range of `a`'s speed over `b`'s on `clock`, round by round; against a
 * case of a single round, that round over `a`'s median.
 */
function roundRatio(a: CaseResult, b: CaseResult, clock: Clock): { median: number; iqr: [number, number] } {
  const aRounds = roundsOf(a, clock)
  const bRounds = roundsOf(b, clock)
  if (bRounds.length === 1) {
    const median = [...aRounds].sort((x, y) => x - y)[aRounds.length >> 1]!
    const r = bRounds[0]! / b.units / (median / a.units)
    return { median: r, iqr: [r, r] }
  }
  const ratios = aRounds
    .map((ns, i) => (bRounds[i] ?? Number.NaN) / b.units / (ns / a.units))
    .filter(Number.isFinite)
    .sort((x, y) => x - y)
  const q = (p: number): number => {
    const pos = (ratios.length - 1) * p
    const lo = Math.floor(pos)
    const hi = Math.ceil(pos)
    return ratios[lo]! + (ratios[hi]! - ratios[lo]!) * (pos - lo)
  }
  return { median: q(0.5), iqr: [q(0.25), q(0.75)] }
}

const GOAL_VS_NOSTR_TOOLS = 1.1
const GOAL_VS_RX_NOSTR = 2.5

function ratioText(r: { median: number; iqr: [number, number] }): string {
  return `${r.median.toFixed(2)}× (IQR ${r.iqr[0].toFixed(2)}×–${r.iqr[1].toFixed(2)}×)`
}

/**
 * The note under each table: honeybee against each library, with the goals (on wall time), and the
 * same ratio on the client process's CPU time, which this shared 2-core machine disturbs less.
 */
function goalsNote(result: ComparisonResult, extra: string): string {
  const byName = new Map(result.cases.map((c) => [c.name, c]))
  const ours = byName.get(OURS)!
  const cpuPerUnit = result.cases
    .map((c) => `\`${c.name}\` ${formatDuration(c.medianCpuNsPerUnit)}`)
    .join(', ')
  const lines = [
    extra,
    '',
    '| honeybee against | speed ratio, per round (IQR) | goal | verdict | CPU-time ratio, per round (IQR) |',
    '| --- | ---: | ---: | --- | ---: |',
  ]
  for (const [name, goal] of [
    [NOSTR_TOOLS, GOAL_VS_NOSTR_TOOLS],
    [RX_NOSTR, GOAL_VS_RX_NOSTR],
  ] as const) {
    const other = byName.get(name)!
    const r = roundRatio(ours, other, 'wall')
    const cpu = roundRatio(ours, other, 'cpu')
    lines.push(
      `| \`${name}\` | ${ratioText(r)} | ≥ ${goal}× | ${r.median >= goal ? 'met' : '**missed**'} | ${ratioText(cpu)} |`,
    )
  }
  lines.push(
    '',
    `Median process CPU time per ${result.unit} (all threads of the client process): ${cpuPerUnit}.`,
  )
  return lines.join('\n')
}

/**
 * `call`, whose first run is checked: every event delivered once (`expected` of them, no duplicates;
 * the relays serve only that many distinct events, so that is every one), or every publish accepted.
 * The first run is the harness's untimed one (it finds out whether a case is asynchronous).
 */
function checkedOnFirstCall(name: string, call: Call, expected: number, events: boolean): Call {
  let first = true
  return async () => {
    if (!first) return call()
    first = false
    checking = events ? new Set() : undefined
    duplicates = 0
    try {
      const result = await call()
      if (!events) {
        if (result !== expected) throw new Error(`${name}: ${result} of ${expected} publishes accepted`)
        return result
      }
      const delivered = checking?.size ?? 0
      if (duplicates > 0) throw new Error(`${name}: ${duplicates} events delivered twice`)
      if (delivered !== expected || result !== expected)
        throw new Error(
          `${name}: delivered ${delivered} distinct events (counted ${result}), not ${expected}`,
        )
      return result
    } finally {
      checking = undefined
    }
  }
}

/**
 * Recorded rounds per workload, kept low: each call is a whole workload (0.2–5 s here). W1 and W3 get
 * more: their clients differ by less than this machine's round-to-round noise (rounds of one client
 * here fall in two groups, about 0.8 s and 1.1 s in W1), and five rounds gave medians that swung from
 * 0.98× to 1.13× between runs of the same code.
 * No warm-up rounds: the harness's first call (checked, see above) and its calibration call already
 * run each case twice first.
 */
const ROUNDS = { w1: 15, w2: 7, w3: 11 } as const

/** The relays and the four clients, connected; for this suite and for experiments (profiling) outside it. */
export async function setup(): Promise<{
  clients: Record<string, Record<Workload, Call>>
  ready: PoolRelayReady
  close: () => Promise<void>
}> {
  const { child, ready } = await startRelays()
  const urls = ready.ports.map((port) => `ws://127.0.0.1:${port}`)
  const toPublish = generateEvents(W3_PUBLISHES, PUBLISH_SEED)

  const oursOne = createPool({ relays: [urls[0]!], connection: { keepAlive: 60_000 } })
  const oursFour = createPool({ relays: urls, connection: { keepAlive: 60_000 } })
  useWebSocketImplementation(WebSocket)
  const nostrTools = new SimplePool()
  nostrTools.verifyEvent = () => true
  const rxConfig: RxNostrConfig = {
    websocketCtor: WebSocket as unknown as IWebSocketConstructor,
    verifier: noopVerifier,
    skipVerify: true,
    skipFetchNip11: true,
    connectionStrategy: 'lazy-keep',
    // W3 takes rx-nostr longer than its default 30 s: wait for every OK rather than time out.
    okTimeout: RX_W3_TIMEOUT_MS,
  }
  const rxOne = createRxNostr(rxConfig)
  rxOne.setDefaultRelays([urls[0]!])
  const rxFour = createRxNostr(rxConfig)
  rxFour.setDefaultRelays(urls)
  const raw = await rawCalls(urls, toPublish)
  const close = async (): Promise<void> => {
    raw.close()
    oursOne.close()
    oursFour.close()
    nostrTools.destroy()
    rxOne.dispose()
    rxFour.dispose()
    await stopChild(child)
  }
  return {
    clients: {
      [RAW]: raw.calls,
      [OURS]: honeybeeCalls(oursOne, oursFour, toPublish),
      [NOSTR_TOOLS]: nostrToolsCalls(nostrTools, urls, toPublish),
      [RX_NOSTR]: rxNostrCalls(rxOne, rxFour, toPublish),
    },
    ready,
    close,
  }
}

export async function run(): Promise<ComparisonResult[]> {
  process.stderr.write('  generating events, starting the relays\n')
  const { clients, ready, close } = await setup()
  try {
    const relayNote = `Relays: ${ready.events.toLocaleString('en')} distinct kind 1 events, envelopes of ${ready.minBytes}–${ready.maxBytes} B (mean ${Math.round(ready.meanBytes)} B), served from a child process. Recorded rounds: ${ROUNDS.w1} for W1, ${ROUNDS.w2} for W2, ${ROUNDS.w3} for W3 (fewer if a comparison reaches its time budget); each case's first call checked and untimed.`
    const workloads = [
      {
        key: 'w1',
        name: `W1: ${W1_EVENTS.toLocaleString('en')} events from 1 relay until EOSE`,
        units: W1_EVENTS,
        unit: 'event',
        maxMs: 90_000,
      },
      {
        key: 'w2',
        name: `W2: the same ${W2_EVENTS.toLocaleString('en')} events from ${W2_RELAYS} relays, de-duplicated`,
        units: W2_EVENTS,
        unit: 'event',
        maxMs: 60_000,
      },
      {
        key: 'w3',
        name: `W3: ${W3_PUBLISHES.toLocaleString('en')} publishes in flight until every OK`,
        units: W3_PUBLISHES,
        unit: 'publish',
        maxMs: 20_000,
      },
    ] as const
    const results: ComparisonResult[] = []
    for (const w of workloads) {
      process.stderr.write(`  ${w.name}\n`)
      // rx-nostr's W3 is quadratic (each send filters every OK), a call takes 10–40 s: it gets one
      // round of its own below instead of the interleaved rounds.
      const names = Object.keys(clients).filter((name) => w.key !== 'w3' || name !== RX_NOSTR)
      const cases = Object.fromEntries(
        names.map((name) => [
          name,
          {
            units: w.units,
            fn: checkedOnFirstCall(`${name} ${w.key}`, clients[name]![w.key], w.units, w.key !== 'w3'),
          },
        ]),
      )
      let result = await compare(w.name, cases, {
        rounds: ROUNDS[w.key],
        warmupRounds: 0,
        unit: w.unit,
        maxMs: w.maxMs,
      })
      let extra = ''
      if (w.key === 'w3') {
        const rx = await singleRound(
          clients[RAW]!.w3,
          checkedOnFirstCall(`${RX_NOSTR} w3`, clients[RX_NOSTR]!.w3, w.units, false),
          w.units,
        )
        result = { ...result, cases: [...result.cases, rx] }
        extra = ` \`${RX_NOSTR}\` ran one round of its own (a call takes ${(rx.medianNsPerCall / 1e9).toFixed(1)} s), right after one of \`${RAW}\`, which is its ratio's baseline; its ratios to honeybee use that round and honeybee's median.`
      }
      results.push({ ...result, note: goalsNote(result, relayNote + extra) })
    }
    return results
  } finally {
    await close()
  }
}

/**
 * One round of `slow` right after one of `baseline` (its first call, checked, is the timed one: at
 * tens of seconds a call, warming up does not matter), as a {@link CaseResult} for the table.
 */
async function singleRound(baseline: Call, slow: Call, units: number): Promise<CaseResult> {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const base = await timed(baseline)
  gc?.()
  const { ns, cpuNs } = await timed(slow)
  return {
    name: RX_NOSTR,
    medianNsPerCall: ns,
    medianNsPerUnit: ns / units,
    unitsPerSecond: (1e9 * units) / ns,
    ratio: base.ns / ns,
    ratioIqr: [base.ns / ns, base.ns / ns],
    relativeIqr: 0,
    roundsNsPerCall: [ns],
    roundsCpuNsPerCall: [cpuNs],
    medianCpuNsPerUnit: cpuNs / units,
    callsPerRound: 1,
    units,
    async: true,
  }
}
