/**
 * @module The responder's heartbeat: the policy of heartbeat.ts, with one timer for many connections.
 *
 * Every watch pings, misses and gives up at exactly the times heartbeat.ts's `createHeartbeat` would
 * (see the diagram there), but all the watches of one monitor share a {@link TimerQueue} instead of
 * holding a timer each: a relay with 10,000 connections keeps one. ws's documentation recommends the
 * same for its heartbeats (one interval for all clients). The responder takes its default heartbeat
 * from {@link sharedHeartbeat}, one per clock and configuration, so the connections of a server share
 * one timer without being told to. A module apart from heartbeat.ts so that an initiator (and the
 * browser bundle) does not carry the queue.
 */
import { asyncScheduler, Observable, type SchedulerLike, type Subscriber, type Unsubscribable } from 'rxjs'
import type { HealthConfig } from './config.js'
import type { HealthMonitor, HealthSignal } from './heartbeat.js'
import { NOT_QUEUED, type TimerEntry, TimerQueue } from './timer-queue.js'

/**
 * A heartbeat whose watches share one timer, whatever their number.
 * @example
 * ```ts
 * const monitor = createSharedHeartbeat(DEFAULT_CONFIG.health)
 * for (const socket of sockets) monitor.watch(() => socket.lastAliveAt).subscribe((s) => s.type === 'ping' && socket.ping())
 * ```
 */
export function createSharedHeartbeat(
  config: HealthConfig,
  scheduler: SchedulerLike = asyncScheduler,
): HealthMonitor {
  const queue = new TimerQueue(scheduler)
  return {
    watch: (lastAliveAt) =>
      new Observable<HealthSignal>((subscriber) => {
        if (!config.enabled) return undefined
        const watch = new Watch(config, queue, subscriber, lastAliveAt)
        queue.schedule(watch, scheduler.now() + config.pingInterval)
        return watch
      }),
  }
}

/** The shared heartbeats made so far, by clock and then by configuration. */
const monitors = new WeakMap<SchedulerLike, Map<string, HealthMonitor>>()

/**
 * The shared heartbeat of `scheduler` and the values of `config`, made on first use: every caller with
 * the same clock and the same values gets the same monitor, and so the same timer.
 */
export function sharedHeartbeat(config: HealthConfig, scheduler: SchedulerLike): HealthMonitor {
  let byConfig = monitors.get(scheduler)
  if (byConfig === undefined) {
    byConfig = new Map()
    monitors.set(scheduler, byConfig)
  }
  const { enabled, pingInterval, pongTimeout, failureThreshold } = config
  const key = `${enabled} ${pingInterval} ${pongTimeout} ${failureThreshold}`
  let monitor = byConfig.get(key)
  if (monitor === undefined) {
    // A copy: the caller's object may change, the monitor's configuration may not.
    monitor = createSharedHeartbeat({ enabled, pingInterval, pongTimeout, failureThreshold }, scheduler)
    byConfig.set(key, monitor)
  }
  return monitor
}

/** One watched connection: where it is in the heartbeat's cycle, as an entry of the shared timer. */
class Watch implements TimerEntry, Unsubscribable {
  due = 0
  position = NOT_QUEUED
  order = 0
  readonly #config: HealthConfig
  readonly #queue: TimerQueue
  readonly #subscriber: Subscriber<HealthSignal>
  readonly #lastAliveAt: () => number
  /** Whether the pending check is for the answer to a ping, rather than for silence. */
  #awaitingAnswer = false
  #missed = 0
  #pingSentAt = 0

  constructor(
    config: HealthConfig,
    queue: TimerQueue,
    subscriber: Subscriber<HealthSignal>,
    lastAliveAt: () => number,
  ) {
    this.#config = config
    this.#queue = queue
    this.#subscriber = subscriber
    this.#lastAliveAt = lastAliveAt
  }

  fire(now: number): void {
    if (this.#awaitingAnswer) this.#checkAnswer(now)
    else this.#checkSilence(now)
  }

  unsubscribe(): void {
    this.#queue.cancel(this)
  }

  #checkSilence(now: number): void {
    const { pingInterval } = this.#config
    const quiet = now - this.#lastAliveAt()
    if (quiet < pingInterval) {
      // Heard from the peer since: no ping needed yet.
      this.#queue.schedule(this, now + pingInterval - quiet)
      return
    }
    this.#ping(now)
  }

  #ping(now: number): void {
    this.#pingSentAt = now
    this.#awaitingAnswer = true
    this.#subscriber.next({ type: 'ping' })
    // The subscriber may have unsubscribed (and so cancelled this entry) on the signal.
    if (!this.#subscriber.closed) this.#queue.schedule(this, now + this.#config.pongTimeout)
  }

  #checkAnswer(now: number): void {
    const lastAlive = this.#lastAliveAt()
    if (lastAlive >= this.#pingSentAt) {
      this.#missed = 0
      this.#awaitingAnswer = false
      this.#queue.schedule(this, Math.max(now, lastAlive + this.#config.pingInterval))
      return
    }
    this.#missed++
    if (this.#missed >= this.#config.failureThreshold) {
      this.#subscriber.next({ type: 'unhealthy', missed: this.#missed })
      this.#subscriber.complete()
      return
    }
    this.#subscriber.next({ type: 'missed', missed: this.#missed })
    if (!this.#subscriber.closed) this.#ping(now)
  }
}
