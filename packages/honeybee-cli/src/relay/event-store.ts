/**
 * @module The relay's in-memory event store, with NIP-01 replaceable/ephemeral/addressable kinds and
 * NIP-09 deletion.
 *
 * Events are kept sorted by (`created_at`, `id`), so a query walks newest first and stops at each
 * filter's `limit`. The store trusts its input: callers verify ids and signatures before adding.
 */
import type { Filter, NostrEvent } from 'honeybee-node'
import { DELETION_KIND, kindClass } from './event-kind.js'
import { matchFilter } from './filter.js'

/** What became of an event handed to {@link EventStore.add}. */
export type AddResult =
  /** Stored (and, for replaceable kinds, the older version dropped). */
  | { readonly stored: true }
  /** Ephemeral: not stored, only broadcast. */
  | { readonly stored: false; readonly ephemeral: true }
  /** Not stored; `reason` carries a NIP-01 prefix, `duplicate:` meaning the relay already has it. */
  | { readonly stored: false; readonly ephemeral: false; readonly reason: string }

/** The relay's events. */
export interface EventStore {
  /** Stores an already verified event, applying NIP-01 kinds and NIP-09 deletions. */
  add(event: NostrEvent): AddResult
  /** Stored events matching any filter, newest first; each filter returns at most its `limit`. */
  query(filters: readonly Filter[]): NostrEvent[]
  /** Events stored. */
  readonly size: number
}

const newerFirst = (a: NostrEvent, b: NostrEvent): number =>
  b.created_at - a.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Creates an empty store. */
export function createEventStore(): EventStore {
  /** Oldest first, so the common case (a new event) is an append. */
  const events: NostrEvent[] = []
  const byId = new Map<string, NostrEvent>()
  /** Replaceable and addressable events by their address. */
  const byAddress = new Map<string, NostrEvent>()
  /** NIP-09: `id:pubkey` for every deletion request, so only the author's own request blocks an event. */
  const deleted = new Set<string>()

  function insert(event: NostrEvent): void {
    // Binary search for the first stored event that sorts after this one.
    let low = 0
    let high = events.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (newerFirst(events[mid] as NostrEvent, event) > 0) low = mid + 1
      else high = mid
    }
    events.splice(low, 0, event)
    byId.set(event.id, event)
  }

  function remove(event: NostrEvent): void {
    const index = events.indexOf(event)
    if (index >= 0) events.splice(index, 1)
    byId.delete(event.id)
  }

  function addressOf(event: NostrEvent): string | undefined {
    const kindOf = kindClass(event.kind)
    if (kindOf === 'replaceable') return `${event.kind}:${event.pubkey}`
    if (kindOf === 'addressable')
      return `${event.kind}:${event.pubkey}:${event.tags.find((t) => t[0] === 'd')?.[1] ?? ''}`
    return undefined
  }

  return {
    get size() {
      return events.length
    },

    add(event) {
      if (byId.has(event.id))
        return { stored: false, ephemeral: false, reason: 'duplicate: already have this event' }
      if (deleted.has(`${event.id}:${event.pubkey}`)) {
        return { stored: false, ephemeral: false, reason: 'blocked: this event was deleted by its author' }
      }
      if (kindClass(event.kind) === 'ephemeral') return { stored: false, ephemeral: true }
      const address = addressOf(event)
      if (address !== undefined) {
        const current = byAddress.get(address)
        if (current !== undefined) {
          // The newest wins; on a tie, the lowest id (NIP-01).
          if (newerFirst(current, event) < 0) {
            return { stored: false, ephemeral: false, reason: 'duplicate: a newer version is stored' }
          }
          remove(current)
        }
        byAddress.set(address, event)
      }
      if (event.kind === DELETION_KIND) {
        for (const tag of event.tags) {
          const id = tag[0] === 'e' ? tag[1] : undefined
          if (id === undefined) continue
          deleted.add(`${id}:${event.pubkey}`)
          const target = byId.get(id)
          if (target !== undefined && target.pubkey === event.pubkey) remove(target)
        }
      }
      insert(event)
      return { stored: true }
    },

    query(filters) {
      const found = new Map<string, NostrEvent>()
      for (const filter of filters) {
        const limit = filter.limit ?? Number.POSITIVE_INFINITY
        if (filter.ids !== undefined) {
          // Direct look-ups instead of a scan.
          const hits = filter.ids.flatMap((id) => {
            const event = byId.get(id)
            return event !== undefined && matchFilter(filter, event) ? [event] : []
          })
          for (const event of hits.sort(newerFirst).slice(0, limit)) found.set(event.id, event)
          continue
        }
        let taken = 0
        for (let i = events.length - 1; i >= 0 && taken < limit; i--) {
          const event = events[i] as NostrEvent
          if (filter.until !== undefined && event.created_at > filter.until) continue
          if (filter.since !== undefined && event.created_at < filter.since) break
          if (matchFilter(filter, event)) {
            found.set(event.id, event)
            taken++
          }
        }
      }
      return [...found.values()].sort(newerFirst)
    },
  }
}
