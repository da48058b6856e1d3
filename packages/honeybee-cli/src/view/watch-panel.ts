/** @module What `honeybee watch` shows: the relay table, and what a `--filter` subscription received. Pure. */
import { formatSeconds, paint, plural } from './format.js'
import { type RelayRow, relayTable } from './relay-table.js'

/** Everything the watch view shows at one moment. */
export interface WatchView {
  /** ms since watching started. */
  readonly elapsed: number
  readonly relays: readonly RelayRow[]
  /** Distinct events received by the `--filter` subscription; `undefined` without one. */
  readonly events: number | undefined
}

/** The live view: title, relay table, and the event count when subscribed. */
export function watchLines(view: WatchView, colour = false): string[] {
  const title = `honeybee watch · ${plural(view.relays.length, 'relay')} · ${formatSeconds(view.elapsed)} · q to quit`
  const lines = [paint(title, 'bold', colour), '', ...relayTable(view.relays, colour)]
  if (view.events !== undefined) lines.push('', `${plural(view.events, 'event')} received`)
  return lines
}

/** A status change as a plain line, for output that is not a terminal. */
export function statusChangeLine(elapsed: number, url: string, from: string | undefined, to: string): string {
  return `${formatSeconds(elapsed).padStart(7)}  ${url} ${from === undefined ? to : `${from} → ${to}`}`
}
