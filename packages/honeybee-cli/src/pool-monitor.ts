/**
 * @module What the live views read from a pool: every relay's status (`pool.statuses$`) and its
 * latest metrics (each connection's `metrics$`), and each status change as it happens.
 *
 * Watching activates every relay (its socket opens), as `statuses$` does.
 */
import type { MetricsSnapshot, Pool, PoolStatuses } from 'honeybee-node'
import { Subscription } from 'rxjs'
import { type RelayRow, relayRow } from './view/relay-table.js'

/** A relay's status changed: `from` is `undefined` the first time it is seen. */
export interface StatusChange {
  readonly url: string
  readonly from: string | undefined
  readonly to: string
}

/** A pool under watch. */
export interface PoolMonitor {
  /** The table rows now, in the pool's order; `labels[i]` names the i-th relay. */
  rows(labels?: readonly string[]): RelayRow[]
  /** The latest metrics of `url`'s connection, if any arrived yet. */
  metrics(url: string): MetricsSnapshot | undefined
  /** Stops watching. */
  stop(): void
}

/** The changes between two status records, in the order of `next`; relays that left are not reported. */
export function statusChanges(previous: PoolStatuses, next: PoolStatuses): StatusChange[] {
  return Object.entries(next)
    .filter(([url, status]) => previous[url] !== status)
    .map(([url, to]) => ({ url, from: previous[url], to }))
}

/** Watches `pool`; `onChange` hears every status change (the first record's included). */
export function monitorPool(pool: Pool, onChange: (change: StatusChange) => void = () => {}): PoolMonitor {
  const subscriptions = new Subscription()
  const latest = new Map<string, MetricsSnapshot>()
  let statuses: PoolStatuses = {}

  for (const url of pool.relays) {
    subscriptions.add(pool.addRelay(url).metrics$.subscribe((snapshot) => latest.set(url, snapshot)))
  }
  subscriptions.add(
    pool.statuses$.subscribe((next) => {
      const changes = statusChanges(statuses, next)
      statuses = next
      for (const change of changes) onChange(change)
    }),
  )

  return {
    rows: (labels = []) =>
      pool.relays.map((url, i) =>
        relayRow(url, statuses[url] ?? 'disconnected', latest.get(url), labels[i] ?? ''),
      ),
    metrics: (url) => latest.get(url),
    stop: () => subscriptions.unsubscribe(),
  }
}
