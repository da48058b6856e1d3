/**
 * honeybee: how fast one connection takes in EVENT envelopes, against the ceiling of a bare `ws` client.
 *
 * - `honeybee events$`: honeybee-node `connect(url)`, counting `conn.events$` (the socket adapter,
 *   `messages$`, metrics and the router).
 * - `ws + getLabel` (the baseline, the ceiling): a raw `ws` client that decodes each message
 *   (`data.toString()`) and counts those whose roots-ws `getLabel` is `EVENT`, the least any client that
 *   routes by label must do.
 *
 * Each call sends one REQ with `limit: 200000`; the relay answers with 200,000 EVENT envelopes of
 * about 400–970 bytes, and the call resolves when the last one is counted. The time is the harness's, from
 * the REQ's send to the last receipt (one loopback round trip, about 0.1 ms, is nothing next to the
 * second or so a call takes). Both clients open their `ws` socket with the options honeybee-node uses
 * (no permessage-deflate, no UTF-8 validation, the same `maxPayload`), so the difference is honeybee.
 *
 * The relay runs in a child process (`honeybee-relay.ts`), not in this one. In one process, its framing
 * and writes would share the event loop with the client being measured, so every round would time
 * relay + client per message: a ratio c_B / c_A of the clients' costs would read as
 * (s + c_B) / (s + c_A), nearer 1 than it is. In its own process the relay (about a third of a core,
 * measured) works on the other core, stays ahead of either client, and each client reads as fast as it
 * can: the rate is the client's. The cores are shared with whatever else runs, so the relay can still
 * fall behind now and then; that noise reaches both cases alike, and the interleaved rounds and the
 * per-round ratio absorb most of it. As a cross-check that does not depend on how much of the machine
 * this process got, the note under the table gives each client's CPU time per message.
 */
import type { ChildProcess } from 'node:child_process'
import { connect, type HoneybeeError } from 'honeybee-node'
import { encloseReq, getLabel } from 'roots-ws'
import { filter, firstValueFrom } from 'rxjs'
import WebSocket from 'ws'
import { startChild, stopChild } from './child-process.js'
import { type ComparisonResult, compare, formatDuration } from './harness.js'
import type { RelayReady } from './honeybee-relay.js'

export const title = 'honeybee: receive throughput'

/** EVENT envelopes per call. */
const MESSAGES = 200_000
/** A call that has not received every message by then fails, so no round waits forever. */
const CALL_TIMEOUT_MS = 30_000
/** The subscription id of the relay's envelopes (honeybee-relay.ts `SUB_ID`). */
const SUB_ID = 'bench'
const REQ = encloseReq(SUB_ID, [`{"kinds":[1],"limit":${MESSAGES}}`])
/** The `ws` options honeybee-node's socket adapter uses (ws-socket.ts). */
const WS_OPTIONS: WebSocket.ClientOptions = {
  perMessageDeflate: false,
  skipUTF8Validation: true,
  maxPayload: 16 * 1024 * 1024,
}

/** This process's CPU time since `start` (a `process.cpuUsage()`), in nanoseconds. */
function cpuNs(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start)
  return (user + system) * 1_000
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Counts messages towards a target; `expect` resolves when it is reached, rejects after a timeout. */
class Countdown {
  #remaining = 0
  #finish: (() => void) | undefined

  /** Counts one message; O(1), the only thing either client does per EVENT besides its own work. */
  hit(): void {
    if (--this.#remaining === 0) this.#finish?.()
  }

  expect(count: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => {
        this.#finish = undefined
        reject(
          new Error(`${what}: ${this.#remaining} of ${count} messages missing after ${CALL_TIMEOUT_MS} ms`),
        )
      }, CALL_TIMEOUT_MS)
      this.#remaining = count
      this.#finish = () => {
        clearTimeout(timeout)
        this.#finish = undefined
        resolve()
      }
    })
  }
}

/** Starts the relay in a child process; resolves with its port and the envelopes' sizes. */
function startRelay(): Promise<{ child: ChildProcess; ready: RelayReady }> {
  return startChild<RelayReady>(new URL('./honeybee-relay.ts', import.meta.url), [], {
    what: 'the relay',
    startTimeout: 10_000,
  })
}

/** Runs the comparison against a relay in a child process. */
export async function run(): Promise<ComparisonResult[]> {
  const { child, ready } = await startRelay()
  const url = `ws://127.0.0.1:${ready.port}`
  try {
    // A: honeybee.
    const conn = connect(url)
    const errors: HoneybeeError[] = []
    conn.errors$.subscribe((error) => errors.push(error))
    const viaHoneybee = new Countdown()
    let firstViaHoneybee: string | undefined
    conn.events$.subscribe((envelope) => {
      firstViaHoneybee ??= envelope
      viaHoneybee.hit()
    })
    // The events$ subscription above opened the socket; it stays open for the whole run.
    await firstValueFrom(conn.status$.pipe(filter((status) => status === 'connected')))

    // B: the bare ws client.
    const ws = new WebSocket(url, WS_OPTIONS)
    const viaWs = new Countdown()
    let firstViaWs: string | undefined
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const envelope = isBinary ? data.toString('utf8') : data.toString()
      if (getLabel(envelope) === 'EVENT') {
        firstViaWs ??= envelope
        viaWs.hit()
      }
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })

    // The CPU time of each call, in ns, in call order.
    const cpuWsNs: number[] = []
    const cpuHoneybeeNs: number[] = []
    /** One call: a REQ through `send`, resolved by the last of its EVENTs; notes the CPU time it took. */
    const call = (name: string, countdown: Countdown, send: () => void, cpuNsPerCall: number[]) => () => {
      const start = process.cpuUsage()
      const done = countdown.expect(MESSAGES, name).then(() => {
        cpuNsPerCall.push(cpuNs(start))
      })
      send()
      return done
    }
    const result = await compare(
      `${MESSAGES.toLocaleString('en')} EVENT envelopes over loopback, one connection`,
      {
        'ws + getLabel': { units: MESSAGES, fn: call('ws + getLabel', viaWs, () => ws.send(REQ), cpuWsNs) },
        'honeybee events$': {
          units: MESSAGES,
          fn: call('honeybee events$', viaHoneybee, () => conn.send(REQ), cpuHoneybeeNs),
        },
      },
      { unit: 'msg', goal: 0.85, rounds: 15, warmupRounds: 2, maxMs: 40_000 },
    )

    // The recorded rounds are the last calls; before them came the first call, calibration and warm-up.
    const recorded = result.cases[0]!.roundsNsPerCall.length
    const cpuPerMessage = (samples: number[]): number => median(samples.slice(-recorded)) / MESSAGES
    const cpuWs = cpuPerMessage(cpuWsNs)
    const cpuHoneybee = cpuPerMessage(cpuHoneybeeNs)
    const note = [
      `Relay: ${ready.envelopes} distinct kind 1 envelopes of ${ready.minBytes}–${ready.maxBytes} B (mean ${Math.round(ready.meanBytes)} B), cycled.`,
      `CPU time of this process per message (median of the recorded rounds; the relay's is not counted): \`ws + getLabel\` ${formatDuration(cpuWs)}, \`honeybee events$\` ${formatDuration(cpuHoneybee)}, a ratio of ${(cpuWs / cpuHoneybee).toFixed(2)}×.`,
    ].join('\n\n')

    // Both clients saw the same envelopes, and honeybee saw them all, whole, without complaint.
    if (firstViaHoneybee === undefined || firstViaHoneybee !== firstViaWs)
      throw new Error('the two clients received different envelopes')
    const metrics = conn.metrics()
    const expected = cpuHoneybeeNs.length * MESSAGES // one CPU sample per call
    if (metrics.messagesReceived !== expected)
      throw new Error(`honeybee counted ${metrics.messagesReceived} messages, not ${expected}`)
    if (errors.length > 0)
      throw new Error(`honeybee reported errors: ${errors.map((e) => e.message).join('; ')}`)

    conn.close()
    ws.close()
    return [{ ...result, note }]
  } finally {
    await stopChild(child)
  }
}
