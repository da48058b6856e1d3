/**
 * honeybee: how fast one connection takes in EVENT envelopes, against the ceiling of a bare `ws` client.
 *
 * - `honeybee events$`: honeybee-node `connect(url)`, counting `conn.events$` (the socket adapter,
 *   `messages$`, metrics, the router and its label filter).
 * - `ws + getLabel` (the baseline, the ceiling): a raw `ws` client that decodes each message
 *   (`data.toString()`) and counts those whose roots-ws `getLabel` is `EVENT`, the least any client that
 *   routes by label must do.
 *
 * Each call sends one REQ with `limit: 200000`; the relay answers with 200,000 EVENT envelopes of
 * 400–1000 bytes, and the call resolves when the last one is counted. The time is the harness's, from
 * the REQ's send to the last receipt (one loopback round trip, about 0.1 ms, is nothing next to the
 * 0.5–1 s a call takes). Both clients open their `ws` socket with the options honeybee-node uses
 * (no permessage-deflate, no UTF-8 validation, the same `maxPayload`), so the difference is honeybee.
 *
 * The relay runs in a child process (`honeybee-relay.ts`), not in this one. In one process, the relay's
 * framing and writes would share the event loop (and the core) with the client being measured: every
 * round would measure client + server per message, which dilutes the difference between the two
 * clients (a client twice as slow would look ~1.4× slower) and lets the server's own work decide the
 * rate. In its own process the relay sends prebuilt frames on the second core and stays ahead of
 * either client (it only frames and writes), so each client reads as fast as it can and the rate is the
 * client's. The two cores are shared, so noise reaches both cases alike; the interleaved rounds and the
 * per-round ratio absorb it.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { connect, type HoneybeeError } from 'honeybee-node'
import { encloseReq, getLabel } from 'roots-ws'
import { filter, firstValueFrom } from 'rxjs'
import WebSocket from 'ws'
import { type ComparisonResult, compare } from './harness.js'
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
        reject(new Error(`${what}: ${this.#remaining} of ${count} messages missing after ${CALL_TIMEOUT_MS} ms`))
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
async function startRelay(): Promise<{ child: ChildProcess; ready: RelayReady }> {
  const child = fork(new URL('./honeybee-relay.ts', import.meta.url), [], {
    // The parent's flags (`--import tsx`, `--expose-gc`), but not a profiler's: profile one side at a time.
    execArgv: process.execArgv.filter((flag) => !flag.startsWith('--cpu-prof') && !flag.startsWith('--prof')),
    // stdout carries the results' Markdown: the relay must not write to it.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const ready = await new Promise<RelayReady>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('the relay did not start within 10 s')), 10_000)
    child.once('message', (message) => {
      clearTimeout(timeout)
      resolve(message as RelayReady)
    })
    child.once('exit', (code) => reject(new Error(`the relay exited with code ${code}`)))
  })
  return { child, ready }
}

async function stopRelay(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.send('exit')
  const timeout = setTimeout(() => child.kill(), 5_000)
  await exited
  clearTimeout(timeout)
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
    let honeybeeCalls = 0
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

    const sizes = `${ready.envelopes} distinct kind 1 envelopes of ${ready.minBytes}–${ready.maxBytes} B (mean ${Math.round(ready.meanBytes)} B), cycled`
    const result = await compare(
      `${MESSAGES.toLocaleString('en')} EVENT envelopes over loopback, one connection`,
      {
        'ws + getLabel': {
          units: MESSAGES,
          fn: () => {
            const done = viaWs.expect(MESSAGES, 'ws + getLabel')
            ws.send(REQ)
            return done
          },
        },
        'honeybee events$': {
          units: MESSAGES,
          fn: () => {
            honeybeeCalls++
            const done = viaHoneybee.expect(MESSAGES, 'honeybee events$')
            conn.send(REQ)
            return done
          },
        },
      },
      { unit: 'msg', goal: 0.85, rounds: 15, warmupRounds: 2, maxMs: 40_000, note: `Relay: ${sizes}.` },
    )

    // Both clients saw the same envelopes, and honeybee saw them all, whole, without complaint.
    if (firstViaHoneybee === undefined || firstViaHoneybee !== firstViaWs)
      throw new Error('the two clients received different envelopes')
    const metrics = conn.metrics()
    if (metrics.messagesReceived !== honeybeeCalls * MESSAGES)
      throw new Error(`honeybee counted ${metrics.messagesReceived} messages, not ${honeybeeCalls * MESSAGES}`)
    if (errors.length > 0) throw new Error(`honeybee reported errors: ${errors.map((e) => e.message).join('; ')}`)

    conn.close()
    ws.close()
    return [result]
  } finally {
    await stopRelay(child)
  }
}
