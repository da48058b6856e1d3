/**
 * @module The pool's side channels: every relay's status in one record, and every relay's errors.
 *
 * Both follow the pool's membership (a relay that joins is watched, one that leaves is dropped) and
 * complete when the pool closes. Both subscribe to each connection's streams, which activates it (the
 * socket opens): that is what a pool is for, but it is why they are lazy: nothing opens until they
 * are subscribed.
 */
import type { ConnectionStatus } from 'roots-ws'
import { Observable, Subscription } from 'rxjs'
import type { HoneybeeError } from './errors.js'
import { type PoolRelay, type RelaySet, watchRelays } from './pool-relays.js'

/** Each relay's status by normalized URL, in the order the relays joined. */
export type PoolStatuses = Readonly<Record<string, ConnectionStatus>>

/** A connection error, with the relay it happened on. */
export interface PoolError {
  readonly relay: string
  readonly error: HoneybeeError
}

/**
 * Every relay's status, as a new frozen record per change (an earlier record is never changed). The
 * first value is the record at subscription; a relay that leaves disappears from the next one. After
 * the pool closed: the last statuses, then complete.
 * @internal
 */
export function statusesOf(relays: RelaySet): Observable<PoolStatuses> {
  return new Observable<PoolStatuses>((subscriber) => {
    let current: PoolStatuses = Object.freeze({})
    let ready = false
    const change = (next: Record<string, ConnectionStatus>): void => {
      current = Object.freeze(next)
      if (ready) subscriber.next(current)
    }
    const watch = (relay: PoolRelay): Subscription => {
      const { url } = relay
      const part = new Subscription()
      part.add(
        relay.connection.status$.subscribe((status) => {
          if (current[url] !== status) change({ ...current, [url]: status })
        }),
      )
      // Apart from status$, which completes if someone closes the connection behind the pool's back.
      part.add(
        relay.left$.subscribe(() => {
          part.unsubscribe()
          const next = { ...current }
          delete next[url]
          change(next)
        }),
      )
      return part
    }
    if (relays.closed) {
      for (const { url, connection } of relays.current()) current = { ...current, [url]: connection.status }
      subscriber.next(Object.freeze(current))
      subscriber.complete()
      return undefined
    }
    // Every relay's status$ replays at once: one first record with all of them, not one per relay.
    const watching = watchRelays(relays, watch)
    ready = true
    subscriber.next(current)
    watching.add(relays.closed$.subscribe(() => subscriber.complete()))
    return watching
  })
}

/** Every relay's connection errors, tagged with the relay, until the pool closes. @internal */
export function errorsOf(relays: RelaySet): Observable<PoolError> {
  return new Observable<PoolError>((subscriber) => {
    if (relays.closed) {
      subscriber.complete()
      return undefined
    }
    const watching = watchRelays(relays, ({ url, connection, left$ }) => {
      const errors = connection.errors$.subscribe((error) => subscriber.next({ relay: url, error }))
      errors.add(left$.subscribe(() => errors.unsubscribe()))
      return errors
    })
    watching.add(relays.closed$.subscribe(() => subscriber.complete()))
    return watching
  })
}
