/**
 * @module One subscription across every relay of a pool, de-duplicated by event id (spec honeybee §12).
 *
 * Each relay gets its own `req()`, so each survives its relay's reconnects on its own. All of them
 * share one set of ids ({@link boundedSeenIds}): an event id one relay delivered is dropped when
 * another relay sends it, before anything parses it (with four relays sending the same backfill, each
 * event is parsed once).
 * Failures are values (STYLE G11): a relay that refuses or ends the subscription is reported in the
 * stream, and the other relays go on.
 */
import { Observable, type Subscription, takeUntil } from 'rxjs'
import { boundedSeenIds } from './bounded-seen-ids.js'
import { type HoneybeeError, UsageError } from './errors.js'
import type { Filter, NostrEvent } from './nostr.js'
import { asHoneybeeError, type PoolRelay, type RelaySet, watchRelays } from './pool-relays.js'
import type { RelayReply } from './relay-reply.js'
import { req } from './req.js'

/** What a pool subscription delivers; every message from one relay names it. */
export type PoolMessage =
  /** An event, from the first relay that sent it; later copies from other relays are dropped. */
  | { readonly type: 'event'; readonly relay: string; readonly event: NostrEvent }
  /** That relay's stored events are done: it sent EOSE, or `timedOut` after `eoseTimeout` without one. */
  | { readonly type: 'eose'; readonly relay: string; readonly timedOut: boolean }
  /**
   * Once per subscription: every relay subscribed so far has sent EOSE, timed out, ended or failed.
   * Relays that join later still send their own `eose`, but no second `eose-all`.
   */
  | { readonly type: 'eose-all' }
  /** That relay ended the subscription with an unprefixed CLOSED; the other relays go on. */
  | { readonly type: 'closed'; readonly relay: string; readonly reply: RelayReply }
  /** That relay's part failed (a `RelayError` for a prefixed CLOSED, …); the other relays go on. */
  | { readonly type: 'error'; readonly relay: string; readonly error: HoneybeeError }

/** Options for a pool subscription. */
export interface PoolSubscribeOptions {
  /** The subscription id on every relay (1 to 64 characters); each connection makes one up when absent. */
  readonly id?: string
  /** Each relay's EOSE timeout, instead of its connection's `eoseTimeout` (see `ReqOptions`). */
  readonly eoseTimeout?: number
}

/** How many event ids a pool subscription remembers for de-duplication, unless the pool says otherwise. */
export const DEFAULT_MAX_SEEN_IDS = 100_000

/**
 * The subscription of `filters` across `relays`, for `Pool.subscribe`. Cold: each subscriber opens its
 * own. It never completes by itself while the pool is open, since relays may join later; it completes
 * when the pool closes. Caller errors (a bad id or filter, a closed pool) error it at once.
 * @internal
 */
export function subscribeAcross(
  relays: RelaySet,
  filters: Filter | readonly Filter[],
  options: PoolSubscribeOptions,
  maxSeenIds: number,
): Observable<PoolMessage> {
  return new Observable<PoolMessage>((subscriber) => {
    try {
      checkRequest(relays, filters, options)
    } catch (error) {
      subscriber.error(error)
      return undefined
    }
    // Scoped to this subscription and bounded; see boundedSeenIds.
    const seen = boundedSeenIds(maxSeenIds)
    const reqOptions = {
      seen,
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.eoseTimeout === undefined ? {} : { eoseTimeout: options.eoseTimeout }),
    }
    /** Each relay's part: whether its stored events are done (or the part ended). */
    const settled = new Map<string, boolean>()
    let starting = true
    let eoseAllSent = false

    const checkAll = (): void => {
      if (starting || eoseAllSent || settled.size === 0) return
      for (const done of settled.values()) if (!done) return
      eoseAllSent = true
      subscriber.next({ type: 'eose-all' })
    }

    const start = (relay: PoolRelay): Subscription => {
      const { url } = relay
      settled.set(url, false) // a relay that left and joined again starts over
      const settle = (): void => {
        if (settled.get(url) === true) return
        settled.set(url, true)
        checkAll()
      }
      return req(relay.connection, filters, reqOptions)
        .pipe(takeUntil(relay.left$))
        .subscribe({
          next: (message) => {
            if (message.type === 'event') subscriber.next({ type: 'event', relay: url, event: message.event })
            else if (message.type === 'eose') {
              subscriber.next({ type: 'eose', relay: url, timedOut: message.timedOut })
              settle()
            } else subscriber.next({ type: 'closed', relay: url, reply: message.reply })
          },
          error: (error: unknown) => {
            subscriber.next({ type: 'error', relay: url, error: asHoneybeeError(error, url) })
            settle()
          },
          // After a CLOSED, or when the relay left the pool.
          complete: settle,
        })
    }

    const parts = watchRelays(relays, start)
    starting = false
    checkAll() // every relay may have failed at once (a duplicate id, …)
    parts.add(relays.closed$.subscribe(() => subscriber.complete()))
    return parts
  })
}

/** Throws the caller's mistakes before any relay is asked, so they error the stream, not each relay. */
function checkRequest(
  relays: RelaySet,
  filters: Filter | readonly Filter[],
  options: PoolSubscribeOptions,
): void {
  relays.assertOpen('subscribe')
  const { id } = options
  if (id !== undefined && (id.length === 0 || id.length > 64)) {
    throw new UsageError('InvalidArgument', `subscription id must be 1 to 64 characters, got ${id.length}`)
  }
  try {
    JSON.stringify(filters)
  } catch (error) {
    throw new UsageError('InvalidArgument', `filters cannot be serialized: ${String(error)}`)
  }
}
