/** @module The progress line `honeybee req` keeps on stderr when it is a terminal. Pure. */
import { plural } from './format.js'

/** `12 events · 1/2 relays at EOSE`. */
export function reqProgress(events: number, atEose: number, relays: number): string {
  return `${plural(events, 'event')} · ${atEose}/${plural(relays, 'relay')} at EOSE`
}
