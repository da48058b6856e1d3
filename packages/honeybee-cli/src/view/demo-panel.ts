/**
 * @module What `honeybee demo` shows: the relay table, the publisher's and the subscriber's counts, and
 * the log of what happened. Pure: a {@link DemoView} in, lines out, for the live view (TTY) or as plain
 * progress lines (CI).
 */
import { formatSeconds, paint, plural } from './format.js'
import { type RelayRow, relayTable } from './relay-table.js'

/** The publisher's side. */
export interface PublisherCounts {
  /** Events signed and handed to the pool. */
  readonly published: number
  /** Events every relay has acknowledged with OK true. */
  readonly acceptedByAll: number
  /** Relay verdicts still awaited (a relay that is down answers after it is back). */
  readonly pendingOks: number
}

/** The subscriber's side. */
export interface SubscriberCounts {
  /** Distinct events delivered by the pool subscription. */
  readonly received: number
  /** Copies the pool dropped: the same event from another relay, or again after a re-subscription. */
  readonly duplicatesRemoved: number
}

/** One thing that happened, `at` ms into the demo. */
export interface LogEntry {
  readonly at: number
  readonly text: string
}

/** Everything the demo's view shows at one moment. */
export interface DemoView {
  /** ms since the demo started. */
  readonly elapsed: number
  /** How long it runs, in ms. */
  readonly duration: number
  readonly relays: readonly RelayRow[]
  readonly publisher: PublisherCounts
  readonly subscriber: SubscriberCounts
  readonly log: readonly LogEntry[]
}

/** How many log entries the live view keeps on screen. */
const LOG_LINES = 8

/** Published events the subscriber has not (yet) received. */
export function missing(view: Pick<DemoView, 'publisher' | 'subscriber'>): number {
  return Math.max(0, view.publisher.published - view.subscriber.received)
}

/** The publisher's line. */
export function publisherLine(counts: PublisherCounts): string {
  return `publisher   ${plural(counts.published, 'event')} published · ${counts.acceptedByAll} OK'd by every relay · ${plural(counts.pendingOks, 'OK')} pending`
}

/** The subscriber's line; `missing` in red while the subscriber is behind, green when level. */
export function subscriberLine(view: Pick<DemoView, 'publisher' | 'subscriber'>, colour = false): string {
  const behind = missing(view)
  const gap = paint(`${behind} missing`, behind === 0 ? 'green' : 'yellow', colour)
  return `subscriber  ${plural(view.subscriber.received, 'event')} received · ${view.subscriber.duplicatesRemoved} duplicates removed · ${gap}`
}

/** A log entry as a line: `  8.3 s  relay B restarted…`. */
export function logLine(entry: LogEntry): string {
  return `${formatSeconds(entry.at).padStart(7)}  ${entry.text}`
}

/** The live view: title, relay table, counts, the latest log entries. */
export function demoLines(view: DemoView, colour = false): string[] {
  const title = `honeybee demo · ${formatSeconds(Math.min(view.elapsed, view.duration))} of ${formatSeconds(view.duration)} · q to quit`
  return [
    paint(title, 'bold', colour),
    '',
    ...relayTable(view.relays, colour),
    '',
    publisherLine(view.publisher),
    subscriberLine(view, colour),
    '',
    ...view.log.slice(-LOG_LINES).map(logLine),
  ]
}

/** One plain progress line, for output that is not a terminal. */
export function progressLine(view: DemoView): string {
  const statuses = view.relays.map((row) => `${row.label || row.url} ${row.status}`).join(', ')
  return logLine({
    at: view.elapsed,
    text: `published ${view.publisher.published} · received ${view.subscriber.received} · duplicates removed ${view.subscriber.duplicatesRemoved} · missing ${missing(view)} · ${statuses}`,
  })
}
