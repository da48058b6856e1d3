/**
 * @module A health monitor that rests while the page is hidden.
 *
 * Browsers throttle the timers of hidden pages (to once a minute in Chrome), and a hidden tab's probes
 * only cost the relay and the battery. With `pauseProbesWhenHidden`, the connection's monitor is
 * wrapped so that it is stopped while the page is hidden and started afresh (no misses carried over)
 * when it is visible again. The socket stays open; only the probing rests. The trade: a relay that
 * dies while the page is hidden is noticed after the page comes back, within the usual
 * `pingInterval + pongTimeout × failureThreshold`.
 */
import type { HealthMonitor } from 'honeybee'
import { distinctUntilChanged, NEVER, type Observable, startWith, switchMap } from 'rxjs'

/**
 * `monitor`, stopped while `paused$` last said `true`. Until `paused$` says anything, it runs.
 * @example
 * ```ts
 * const healthMonitor = pausedWhile(createHeartbeat(config.health), pageLifecycle({ document }).hidden$)
 * ```
 */
export function pausedWhile(monitor: HealthMonitor, paused$: Observable<boolean>): HealthMonitor {
  return {
    watch: (lastAliveAt) =>
      paused$.pipe(
        // Run from the start, even if paused$ is slow to say anything.
        startWith(false),
        distinctUntilChanged(),
        // Each resume is a fresh watch: the pause is not counted as silence from the peer.
        switchMap((paused) => (paused ? NEVER : monitor.watch(lastAliveAt))),
      ),
  }
}
