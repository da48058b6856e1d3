/**
 * @module The demo's publisher: signs a numbered event at a steady pace and publishes it to every
 * relay of the pool, counting each relay's verdict as it arrives (a relay that is down answers after
 * it is back: the pool holds the event for it and sends it again after the reconnect).
 */
import type { Filter, NostrEvent, Pool, PoolOkResult } from 'honeybee-node'
import { finalizeEvent } from 'nostr-tools/pure'
import { Subscription } from 'rxjs'
import type { PublisherCounts } from '../view/demo-panel.js'

/** The tag every demo event carries. */
const DEMO_TAG = ['t', 'honeybee-demo'] as const
/** The demo's events: what the subscriber asks for, and what the summary counts in each relay. */
export const DEMO_FILTER: Filter = { kinds: [1], '#t': ['honeybee-demo'] }

/** A publisher that is running. */
export interface Publisher {
  /** The counts now. */
  counts(): PublisherCounts
  /** Verdicts still awaited from `relay`. */
  pendingOn(relay: string): number
  /** Stops publishing new events; verdicts of those already out keep arriving. */
  stop(): void
  /** Stops everything, verdicts included. */
  dispose(): void
}

/**
 * Starts publishing to `pool` every `interval` ms, signed with `secret`; `onRefusal` hears every verdict
 * that is not OK.
 */
export function startPublisher(
  pool: Pool,
  secret: Uint8Array,
  interval: number,
  onRefusal: (result: PoolOkResult) => void,
): Publisher {
  const publishes = new Subscription()
  const pending = new Map<string, number>()
  let published = 0
  let acceptedByAll = 0

  const publishOne = (): void => {
    const n = published + 1
    const event: NostrEvent = finalizeEvent(
      {
        kind: 1,
        created_at: Math.floor(Date.now() / 1000),
        tags: [[...DEMO_TAG]],
        content: `honeybee demo #${n}`,
      },
      secret,
    )
    published = n
    const relays = pool.relays
    let accepted = 0
    for (const relay of relays) pending.set(relay, (pending.get(relay) ?? 0) + 1)
    publishes.add(
      pool.publish(event).subscribe((result) => {
        pending.set(result.relay, (pending.get(result.relay) ?? 1) - 1)
        if (!result.accepted) onRefusal(result)
        else if (++accepted === relays.length) acceptedByAll++
      }),
    )
  }

  const timer = setInterval(publishOne, interval)
  publishOne()

  return {
    counts: () => ({
      published,
      acceptedByAll,
      pendingOks: [...pending.values()].reduce((sum, count) => sum + count, 0),
    }),
    pendingOn: (relay) => pending.get(relay) ?? 0,
    stop: () => clearInterval(timer),
    dispose: () => {
      clearInterval(timer)
      publishes.unsubscribe()
    },
  }
}
