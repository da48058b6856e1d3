/**
 * @module What `honeybee demo` does (`npm start` runs it): three embedded relays, one pool, a publisher and a
 * subscriber; one relay is closed and restarted on the same port mid-stream, and the live view shows
 * the pool reconnect, re-subscribe and lose nothing.
 *
 * Timeline, as fractions of `--duration` (20 s by default):
 *
 * ```
 * 0 ──── 0.25 ──────── 0.4 ─────────────── 0.8 ─────────── 1
 * publish every 200 ms ─────────────────────┤ stop; wait for the last OKs and deliveries
 *        close relay B  restart B (same port, same store)        summary
 * ```
 */
import { createPool, type Pool } from 'honeybee-node'
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { monitorPool, type PoolMonitor } from '../pool-monitor.js'
import { type RunningRelay, startRelay } from '../relay/relay.js'
import { openScreen, type Screen } from '../terminal.js'
import {
  type DemoView,
  demoLines,
  type LogEntry,
  logLine,
  missing,
  progressLine,
} from '../view/demo-panel.js'
import { type DemoResult, demoSummary, lost } from '../view/summary.js'
import { DEMO_FILTER, type Publisher, startPublisher } from './publisher.js'
import { type Subscriber, startSubscriber } from './subscriber.js'

const LABELS = ['A', 'B', 'C'] as const
/** The relay that is closed and restarted. */
const VICTIM = 1
const PUBLISH_EVERY_MS = 200
const FRAME_MS = 200
/** How long past `--duration` it waits for the last OKs and deliveries before giving up. */
const SETTLE_GRACE_MS = 5_000

/** Shared by the steps of one run. */
interface Run {
  readonly started: number
  readonly duration: number
  readonly relays: RunningRelay[]
  readonly pool: Pool
  readonly screen: Screen
  readonly log: LogEntry[]
  monitor: PoolMonitor | undefined
  publisher: Publisher | undefined
  subscriber: Subscriber | undefined
  restart: { port: number; closedAt: number; restartedAt: number | undefined } | undefined
  /** Relay B's close, which its restart waits for (the port must be free again). */
  closing: Promise<void> | undefined
  /** The relay whose held events are still awaiting its OKs, after it came back. */
  holding: string | undefined
}

/** Runs the demo for `duration` ms; resolves with the exit code (0 when nothing was lost). */
export async function runDemo(duration: number): Promise<number> {
  const relays = await Promise.all(LABELS.map(() => startRelay({ port: 0 })))
  const pool = createPool({
    relays: relays.map((relay) => relay.url),
    connection: {
      // Never give up, and retry fast: the restarted relay is back within a second or two.
      profile: 'persistent',
      reconnect: { initialDelay: 200, maxDelay: 1_000 },
      // Ping after 100 ms of silence, so the pong column fills in between publishes.
      health: { pingInterval: 100, pongTimeout: 2_000 },
      metricsInterval: 250,
    },
  })

  return new Promise<number>((resolve) => {
    const timers: NodeJS.Timeout[] = []
    let ending = false
    const finish = (interrupted: boolean): void => {
      if (ending) return
      ending = true
      for (const timer of timers) clearTimeout(timer)
      end(state, interrupted).then(resolve, (error: unknown) => {
        state.screen.print([`honeybee demo: ${String(error)}`])
        resolve(1)
      })
    }
    const state: Run = {
      started: Date.now(),
      duration,
      relays,
      pool,
      screen: openScreen(() => finish(true)),
      log: [],
      monitor: undefined,
      publisher: undefined,
      subscriber: undefined,
      restart: undefined,
      closing: undefined,
      holding: undefined,
    }
    const at = (fraction: number, step: () => void | Promise<void>): void => {
      timers.push(
        setTimeout(() => {
          if (!ending)
            void Promise.resolve(step()).catch((error: unknown) => note(state, `failed: ${String(error)}`))
        }, duration * fraction),
      )
    }

    let connectedOnce = false
    state.monitor = monitorPool(pool, ({ url, from, to }) => {
      // The start-up churn is not news; what happens to a connection after that is.
      if (connectedOnce && (from === 'connected' || to === 'connected')) {
        const label = labelOf(state, url)
        if (to !== 'connected') note(state, `pool: relay ${label} ${from} → ${to}; reconnecting`)
        else {
          const held = state.publisher?.pendingOn(url) ?? 0
          if (held > 0) state.holding = url
          note(
            state,
            `pool: relay ${label} connected again; re-sending the subscription and ${held} held events`,
          )
        }
      }
    })
    const secret = generateSecretKey()
    state.subscriber = startSubscriber(pool, getPublicKey(secret), () => {
      connectedOnce = true
      note(
        state,
        `subscriber: subscribed on all ${relays.length} relays (EOSE from each); publishing every ${PUBLISH_EVERY_MS} ms`,
      )
      state.publisher = startPublisher(pool, secret, PUBLISH_EVERY_MS, (result) =>
        note(
          state,
          `publisher: relay ${labelOf(state, result.relay)} refused ${result.eventId.slice(0, 8)}: ${result.error?.message ?? result.message}`,
        ),
      )
    })

    at(0.25, () => closeVictim(state))
    at(0.4, () => restartVictim(state))
    at(0.8, () => {
      state.publisher?.stop()
      note(state, 'publisher: stopped; waiting for the last OKs and deliveries')
    })
    at(1, () => waitUntilSettled(state).then(() => finish(false)))

    const ticker = setInterval(() => {
      if (ending) {
        clearInterval(ticker)
        return
      }
      if (state.holding !== undefined && state.publisher?.pendingOn(state.holding) === 0) {
        note(state, `publisher: relay ${labelOf(state, state.holding)} has OK'd every held event`)
        state.holding = undefined
      }
      if (state.screen.live) state.screen.draw(demoLines(view(state), state.screen.colour))
    }, FRAME_MS)
    const plainTicker = setInterval(
      () => {
        if (ending) clearInterval(plainTicker)
        else if (!state.screen.live) state.screen.print([progressLine(view(state))])
      },
      Math.max(1_000, duration / 10),
    )
  })
}

/** Closes relay B: every connection to it is dropped, and its port refuses new ones. */
async function closeVictim(state: Run): Promise<void> {
  const relay = state.relays[VICTIM]
  if (relay === undefined) return
  const port = Number(new URL(relay.url).port)
  state.restart = { port, closedAt: elapsed(state), restartedAt: undefined }
  note(state, `relay ${LABELS[VICTIM]}: closing (port ${port}, ${relay.store.size} events stored)`)
  state.closing = relay.close()
  await state.closing
}

/** Starts relay B again on the same port with the same store, and shows the REQs it receives. */
async function restartVictim(state: Run): Promise<void> {
  const old = state.relays[VICTIM]
  if (old === undefined || state.restart === undefined) return
  await state.closing
  const relay = await startRelay({ port: state.restart.port, store: old.store })
  state.relays[VICTIM] = relay
  state.restart.restartedAt = elapsed(state)
  note(
    state,
    `relay ${LABELS[VICTIM]} restarted on port ${state.restart.port} with its ${relay.store.size} events`,
  )
  relay.server.connections$.subscribe((connection) =>
    connection.reqs$.subscribe(({ subId, filters }) => {
      const since = filters.map(sinceOf).find((s) => s !== undefined)
      const from = since === undefined ? 'all stored events' : `since ${since}`
      note(state, `relay ${LABELS[VICTIM]} ← REQ ${subId} (${from}): the pool re-subscribed`)
    }),
  )
}

/** A raw filter's `since`, if it has one. */
function sinceOf(filter: string): number | undefined {
  try {
    const { since } = JSON.parse(filter) as { since?: unknown }
    return typeof since === 'number' ? since : undefined
  } catch {
    return undefined
  }
}

/** Resolves once every verdict is in and the subscriber has every event, or after the grace period. */
function waitUntilSettled(state: Run): Promise<void> {
  const deadline = Date.now() + SETTLE_GRACE_MS
  return new Promise((resolve) => {
    const check = (): void => {
      const settled =
        state.publisher === undefined ||
        (state.publisher.counts().pendingOks === 0 && missing(view(state)) === 0)
      if (settled || Date.now() >= deadline) resolve()
      else setTimeout(check, 50)
    }
    check()
  })
}

/** Draws the last frame, prints the summary, and releases everything. */
async function end(state: Run, interrupted: boolean): Promise<number> {
  const final = view(state)
  state.publisher?.dispose()
  state.subscriber?.dispose()
  state.monitor?.stop()
  if (state.screen.live) state.screen.draw(demoLines(final, state.screen.colour))
  else state.screen.print([progressLine(final)])
  state.screen.close()
  const result: DemoResult = {
    elapsed: final.elapsed,
    relayCount: state.relays.length,
    published: final.publisher.published,
    received: final.subscriber.received,
    duplicatesRemoved: final.subscriber.duplicatesRemoved,
    reconnects: state.pool.relays.reduce(
      (sum, url) => sum + state.pool.addRelay(url).metrics().reconnections,
      0,
    ),
    restart: state.restart === undefined ? undefined : { label: LABELS[VICTIM], ...state.restart },
    stored: state.relays.map((relay) => relay.store.query([DEMO_FILTER]).length),
    interrupted,
  }
  state.pool.close()
  await Promise.all(state.relays.map((relay) => relay.close()))
  state.screen.print(['', demoSummary(result)])
  if (interrupted) return 130 // as a shell reports Ctrl-C: nothing was proven either way
  const complete = result.stored.every((count) => count === result.published)
  return result.published > 0 && lost(result) === 0 && complete ? 0 : 1
}

function view(state: Run): DemoView {
  return {
    elapsed: elapsed(state),
    duration: state.duration,
    relays: state.monitor?.rows([...LABELS]) ?? [],
    publisher: state.publisher?.counts() ?? { published: 0, acceptedByAll: 0, pendingOks: 0 },
    subscriber: state.subscriber?.counts() ?? { received: 0, duplicatesRemoved: 0 },
    log: state.log,
  }
}

function note(state: Run, text: string): void {
  const entry = { at: elapsed(state), text }
  state.log.push(entry)
  if (!state.screen.live) state.screen.print([logLine(entry)])
}

function elapsed(state: Run): number {
  return Date.now() - state.started
}

function labelOf(state: Run, url: string): string {
  const index = state.pool.relays.indexOf(url)
  return LABELS[index] ?? url
}
