/** @module The pool's de-duplication set: a `Map` of the last `limit` event ids. */
import type { SeenIds } from './subscription-registry.js'

/**
 * The last `limit` ids added, with their `created_at`: adding one more forgets the oldest. Forgetting
 * costs at worst a duplicate (an id forgotten before a slow relay sends it again), never a lost event,
 * and keeps a long-lived live subscription's memory flat. Each pool subscription has its own; it goes
 * with the subscription.
 *
 * A table of ids in typed arrays was tried instead (no id strings kept alive for the garbage
 * collector) and not kept: it was faster when adding new ids and slower when checking copies, which
 * is most of what a pool with several relays does. See BENCHMARKS.md, "pools".
 *
 * @internal
 */
export function boundedSeenIds(limit: number): SeenIds {
  const max = Math.max(1, limit)
  const seen = new Map<string, number>()
  return {
    createdAt: (id) => seen.get(id),
    add(id, createdAt) {
      // One look-up: `set`, then the size says whether the id was new (a copy's created_at, the same
      // for a genuine copy, replaces the one recorded).
      const size = seen.size
      seen.set(id, createdAt)
      if (seen.size === size) return false
      // A Map iterates in insertion order: the first key is the oldest.
      if (seen.size > max) seen.delete(seen.keys().next().value as string)
      return true
    },
  }
}
