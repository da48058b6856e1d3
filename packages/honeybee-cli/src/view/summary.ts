/** @module The paragraph `honeybee demo` ends with. Pure. */
import { formatSeconds, plural } from './format.js'

/** What the demo did, as the summary tells it. */
export interface DemoResult {
  /** ms the demo ran. */
  readonly elapsed: number
  readonly relayCount: number
  readonly published: number
  readonly received: number
  readonly duplicatesRemoved: number
  /** Reconnections of the pool's connections, all relays together. */
  readonly reconnects: number
  /** The relay that was closed and started again, if it got that far. */
  readonly restart:
    | {
        readonly label: string
        readonly port: number
        readonly closedAt: number
        readonly restartedAt: number | undefined
      }
    | undefined
  /** Demo events each relay holds at the end, in relay order. */
  readonly stored: readonly number[]
  /** Ended by the user before its time. */
  readonly interrupted: boolean
}

/** Published events the subscriber never received. */
export function lost(result: Pick<DemoResult, 'published' | 'received'>): number {
  return Math.max(0, result.published - result.received)
}

/** The summary, one paragraph ending in `lost = N.` */
export function demoSummary(result: DemoResult): string {
  const sentences = [
    `${result.interrupted ? 'Stopped after' : 'In'} ${formatSeconds(result.elapsed)} the publisher published ${plural(result.published, 'event')} to ${plural(result.relayCount, 'relay')} and the subscriber received ${result.received} of them once each; the pool removed ${plural(result.duplicatesRemoved, 'duplicate')} (the same event from several relays, and the overlap a re-subscription asks for again).`,
  ]
  const { restart } = result
  if (restart !== undefined) {
    const back =
      restart.restartedAt === undefined
        ? 'was not restarted'
        : `was restarted on the same port at ${formatSeconds(restart.restartedAt)}`
    sentences.push(
      `Relay ${restart.label} (port ${restart.port}) was closed at ${formatSeconds(restart.closedAt)} and ${back}; the pool reconnected ${plural(result.reconnects, 'time')}, re-sent the subscription and delivered the events held for it.`,
    )
  }
  const everywhere = result.stored.every((count) => count === result.published)
  sentences.push(
    everywhere
      ? `Every relay stores all ${plural(result.published, 'event')}.`
      : `The relays store ${result.stored.join(', ')} of the ${plural(result.published, 'event')}.`,
  )
  sentences.push(`lost = ${lost(result)}.`)
  return sentences.join(' ')
}
