/**
 * @module Health monitoring by heartbeat (spec honeybee §3).
 *
 * The heartbeat is a pure function of time and of when the peer was last heard from. It pings only
 * after `pingInterval` of silence (any incoming message proves the peer alive, so a busy connection is
 * never pinged), waits `pongTimeout` for a sign of life, pings again at once after a miss, and declares
 * the connection unhealthy after `failureThreshold` misses in a row. A half-open connection is
 * therefore detected within `pingInterval + pongTimeout × failureThreshold` (25 + 15 × 3 = 70 s by
 * default).
 *
 * ```
 * silence ≥ pingInterval ──► ping ──pongTimeout──► heard? ──yes──► wait for silence again
 *                             ▲                      │ no
 *                             └──── missed < N ◄─────┘──── missed = N ──► unhealthy (complete)
 * ```
 */
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs'
import type { HealthConfig } from './config.js'

/** What the heartbeat asks of the connection. */
export type HealthSignal =
  /** Send a ping now. */
  | { readonly type: 'ping' }
  /** The last ping went unanswered; `missed` in a row so far (below the threshold). */
  | { readonly type: 'missed'; readonly missed: number }
  /** The threshold was reached: tear the connection down. The stream completes after this. */
  | { readonly type: 'unhealthy'; readonly missed: number }

/**
 * Watches one open socket. mana-ws replaces it with richer policies; the connection only reacts to
 * the signals.
 */
export interface HealthMonitor {
  /**
   * Cold: starts watching on subscribe, stops on unsubscribe.
   * @param lastAliveAt - returns the scheduler time of the last pong or incoming message.
   */
  watch(lastAliveAt: () => number): Observable<HealthSignal>
}

/**
 * The default ping/pong heartbeat.
 * @example
 * ```ts
 * const monitor = createHeartbeat({ enabled: true, pingInterval: 25_000, pongTimeout: 15_000, failureThreshold: 3 })
 * monitor.watch(() => lastMessageAt).subscribe((signal) => signal.type === 'ping' && socket.ping())
 * ```
 */
export function createHeartbeat(
  config: HealthConfig,
  scheduler: SchedulerLike = asyncScheduler,
): HealthMonitor {
  const { pingInterval, pongTimeout, failureThreshold } = config
  return {
    watch: (lastAliveAt) =>
      new Observable<HealthSignal>((subscriber) => {
        if (!config.enabled) return undefined
        let missed = 0
        let pingSentAt = 0
        let timer = scheduler.schedule(checkSilence, pingInterval)

        function checkSilence(): void {
          const quiet = scheduler.now() - lastAliveAt()
          if (quiet < pingInterval) {
            // Heard from the peer since: no ping needed yet.
            timer = scheduler.schedule(checkSilence, pingInterval - quiet)
            return
          }
          ping()
        }

        function ping(): void {
          pingSentAt = scheduler.now()
          subscriber.next({ type: 'ping' })
          timer = scheduler.schedule(checkAnswer, pongTimeout)
        }

        function checkAnswer(): void {
          if (lastAliveAt() >= pingSentAt) {
            missed = 0
            timer = scheduler.schedule(
              checkSilence,
              Math.max(0, lastAliveAt() + pingInterval - scheduler.now()),
            )
            return
          }
          missed++
          if (missed >= failureThreshold) {
            subscriber.next({ type: 'unhealthy', missed })
            subscriber.complete()
            return
          }
          subscriber.next({ type: 'missed', missed })
          ping()
        }

        return () => timer.unsubscribe()
      }),
  }
}
