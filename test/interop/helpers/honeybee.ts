/**
 * Shorthands over honeybee's `req` and `publish` for tests that want a promise with a deadline.
 */
import {
  type Connection,
  type Filter,
  type NostrEvent,
  type OkResult,
  publish,
  req,
  type SubscriptionMessage,
} from 'honeybee-node'
import { filter, firstValueFrom, map, type Observable, takeWhile, throwError, timeout, toArray } from 'rxjs'

/** The stored events `filters` match on `conn`, in the order the relay sent them; resolves at EOSE. */
export function storedEvents(
  conn: Connection,
  filters: Filter | readonly Filter[],
  within = 5_000,
): Promise<NostrEvent[]> {
  return firstValueFrom(
    req(conn, filters).pipe(
      takeWhile((m) => m.type === 'event'),
      map((m) => (m as Extract<SubscriptionMessage, { type: 'event' }>).event),
      toArray(),
      timeout({ first: within, with: () => Promise.reject(new Error(`no EOSE within ${within} ms`)) }),
    ),
  )
}

/** The relay's verdict on `event`; rejects on honeybee's own OK timeout or after `within` ms. */
export function okOf(conn: Connection, event: NostrEvent | string, within = 5_000): Promise<OkResult> {
  return firstValueFrom(
    publish(conn, event).pipe(
      timeout({ first: within, with: () => Promise.reject(new Error(`no OK within ${within} ms`)) }),
    ),
  )
}

/** The first message of `type` on a subscription; rejects after `within` ms. */
export function firstOfType<T extends SubscriptionMessage['type']>(
  messages: Observable<SubscriptionMessage>,
  type: T,
  within = 5_000,
): Promise<Extract<SubscriptionMessage, { type: T }>> {
  type Wanted = Extract<SubscriptionMessage, { type: T }>
  return firstValueFrom(
    messages.pipe(
      filter((m): m is Wanted => m.type === type),
      timeout<Wanted, Observable<never>>({
        first: within,
        with: () => throwError(() => new Error(`no ${type} within ${within} ms`)),
      }),
    ),
  )
}
