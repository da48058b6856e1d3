/**
 * @module The demo's subscriber: one pool subscription to the demo's events on every relay. It counts
 * the distinct events the pool delivers, and every EVENT envelope the relays sent, so the difference
 * is what the pool's de-duplication removed (copies from other relays, and the overlap re-sent after a
 * re-subscription).
 */
import type { Pool } from 'honeybee-node'
import { Subscription } from 'rxjs'
import type { SubscriberCounts } from '../view/demo-panel.js'
import { DEMO_FILTER } from './publisher.js'

/** A subscriber that is running. */
export interface Subscriber {
  /** The counts now. */
  counts(): SubscriberCounts
  /** Whether every relay has sent EOSE (or timed out) once. */
  readonly caughtUp: boolean
  dispose(): void
}

/**
 * Subscribes to the demo's events by `author` on `pool` (so nothing but the publisher's events can
 * count as received); `onCaughtUp` is called at the first `eose-all`.
 */
export function startSubscriber(pool: Pool, author: string, onCaughtUp: () => void): Subscriber {
  const subscriptions = new Subscription()
  const ids = new Set<string>()
  let envelopes = 0
  let deliveries = 0
  let caughtUp = false

  for (const url of pool.relays) {
    subscriptions.add(pool.addRelay(url).events$.subscribe(() => envelopes++))
  }
  subscriptions.add(
    pool.subscribe({ ...DEMO_FILTER, authors: [author] }).subscribe((message) => {
      if (message.type === 'event') {
        deliveries++
        ids.add(message.event.id)
      } else if (message.type === 'eose-all' && !caughtUp) {
        caughtUp = true
        onCaughtUp()
      }
    }),
  )

  return {
    // Counted against deliveries, not distinct ids: a copy the pool let through is not "removed".
    counts: () => ({ received: ids.size, duplicatesRemoved: Math.max(0, envelopes - deliveries) }),
    get caughtUp() {
      return caughtUp
    },
    dispose: () => subscriptions.unsubscribe(),
  }
}
