/**
 * @module The table of relays that `watch` and `demo` draw: one row per relay with its status,
 * reconnects, last pong latency and message rates. Pure: statuses and metrics in, lines out.
 */
import type { MetricsSnapshot } from 'honeybee-node'
import { formatLatency, formatRate, paint, statusColour } from './format.js'

/** One relay as the table shows it. */
export interface RelayRow {
  /** A short name (`A`, `B`…), or empty. */
  readonly label: string
  readonly url: string
  readonly status: string
  readonly reconnects: number
  /** ms from the last ping to its pong; `undefined` before the first. */
  readonly latency: number | undefined
  readonly inRate: number
  readonly outRate: number
}

/** A row from a relay's status and its latest metrics (none yet: zeros). */
export function relayRow(
  url: string,
  status: string,
  metrics: MetricsSnapshot | undefined,
  label = '',
): RelayRow {
  return {
    label,
    url,
    status,
    reconnects: metrics?.reconnections ?? 0,
    latency: metrics?.lastPongLatency,
    inRate: metrics?.messagesPerSecondIn ?? 0,
    outRate: metrics?.messagesPerSecondOut ?? 0,
  }
}

const STATUS_WIDTH = 12

/** The header and one line per row, columns aligned; the status coloured when `colour`. */
export function relayTable(rows: readonly RelayRow[], colour = false): string[] {
  const labelled = rows.some((row) => row.label !== '')
  const urlWidth = Math.max(5, ...rows.map((row) => row.url.length))
  const lead = (label: string): string => (labelled ? `${label.padEnd(2)}` : '')
  const header = `${lead('')}${'relay'.padEnd(urlWidth)}  ${'status'.padEnd(STATUS_WIDTH)}${'reconnects'.padStart(10)}${'pong'.padStart(10)}${'in/s'.padStart(8)}${'out/s'.padStart(8)}`
  return [
    paint(header, 'dim', colour),
    ...rows.map((row) => {
      // Padded before it is painted, so the escape codes do not count as width.
      const status = paint(row.status.padEnd(STATUS_WIDTH), statusColour(row.status), colour)
      return `${lead(row.label)}${row.url.padEnd(urlWidth)}  ${status}${String(row.reconnects).padStart(10)}${formatLatency(row.latency).padStart(10)}${formatRate(row.inRate).padStart(8)}${formatRate(row.outRate).padStart(8)}`
    }),
  ]
}
