/** @module Numbers and states as the live views print them. Pure. */

/** `<1 ms`, `2.4 ms`, `12 ms`; `—` before the first pong. (Clocks in whole ms make loopback pongs 0.) */
export function formatLatency(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 1) return '<1 ms'
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** Messages per second with one decimal: `12.5`. */
export function formatRate(perSecond: number): string {
  return Number.isFinite(perSecond) ? perSecond.toFixed(1) : '—'
}

/** Milliseconds as seconds with one decimal: `7.4 s`. */
export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`
}

/** `1 event`, `2 events`. */
export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`
}

/** SGR colours the views use; nothing else. */
export type Colour = 'green' | 'yellow' | 'red' | 'dim' | 'bold'

const SGR: Readonly<Record<Colour, string>> = { green: '32', yellow: '33', red: '31', dim: '2', bold: '1' }

/** `text` in `colour` when `enabled`, as is otherwise. */
export function paint(text: string, colour: Colour, enabled: boolean): string {
  return enabled ? `\x1b[${SGR[colour]}m${text}\x1b[0m` : text
}

/** How a connection status is coloured: green when up, yellow on the way, red when given up. */
export function statusColour(status: string): Colour {
  switch (status) {
    case 'connected':
      return 'green'
    case 'connecting':
    case 'upgrading':
    case 'backoff':
    case 'awaiting':
      return 'yellow'
    case 'error':
    case 'closed':
      return 'red'
    default:
      return 'dim'
  }
}
