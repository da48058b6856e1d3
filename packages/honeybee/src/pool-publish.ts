/**
 * @module One event published to every relay of a pool: one verdict per relay (spec honeybee §12).
 *
 * Failures are values (STYLE G11): a relay that does not answer in time, or cannot take the event,
 * gives `{ accepted: false, error }` like any refusal, and the other relays' verdicts still arrive.
 */
import { peekEventId } from 'roots-ws'
import { Observable, Subscription } from 'rxjs'
import { ConnectionError, type HoneybeeError, UsageError } from './errors.js'
import type { NostrEvent } from './nostr.js'
import { asHoneybeeError, type RelaySet } from './pool-relays.js'
import { type OkResult, type PublishOptions, publish } from './publish.js'

/** One relay's verdict on an event published through a pool. */
export interface PoolOkResult extends OkResult {
  /** The relay (normalized URL) that answered. */
  readonly relay: string
  /**
   * Why there is no verdict from the relay, when there is none: a `TimeoutError` when no OK came in
   * time, a `ConnectionError` (`ConnectionClosed`) when the relay left the pool first, a `UsageError`
   * when it could not take the event (`EnvelopeTooLarge`, …). `accepted` is then `false`, `message`
   * empty and `prefix` undefined. `undefined` when the relay answered.
   */
  readonly error: HoneybeeError | undefined
}

/**
 * Publishes `event` to every relay in the pool when subscribed, for `Pool.publish`. Cold. Emits one
 * {@link PoolOkResult} per relay in the order they answer, then completes; nothing with no relays.
 * Relays that join meanwhile are not asked. Caller errors (no event id, a closed pool) error it.
 * @internal
 */
export function publishAcross(
  relays: RelaySet,
  event: NostrEvent | string,
  options: PublishOptions,
): Observable<PoolOkResult> {
  return new Observable<PoolOkResult>((subscriber) => {
    let json: string
    try {
      relays.assertOpen('publish')
      // Serialized once for every relay.
      json = typeof event === 'string' ? event : JSON.stringify(event)
    } catch (error) {
      subscriber.error(
        error instanceof UsageError
          ? error
          : new UsageError('InvalidArgument', `the event cannot be serialized: ${String(error)}`),
      )
      return undefined
    }
    const eventId = peekEventId(json)
    if (eventId === undefined) {
      subscriber.error(new UsageError('InvalidArgument', 'cannot publish an event without a string id'))
      return undefined
    }

    const targets = relays.current()
    let pending = targets.length
    const parts = new Subscription()
    for (const { url, connection, left$ } of targets) {
      let answered = false
      const answer = (result: PoolOkResult): void => {
        if (answered) return
        answered = true
        subscriber.next(result)
        if (--pending === 0) subscriber.complete()
      }
      const failed = (error: HoneybeeError): void =>
        answer({ relay: url, eventId, accepted: false, message: '', prefix: undefined, error })
      parts.add(
        publish(connection, json, options).subscribe({
          next: (ok) => answer({ ...ok, relay: url, error: undefined }),
          error: (error: unknown) => failed(asHoneybeeError(error, url)),
        }),
      )
      // A relay that leaves never answers: its verdict is that it left.
      parts.add(
        left$.subscribe(() =>
          failed(
            new ConnectionError('ConnectionClosed', `${url} left the pool before it answered ${eventId}`, {
              retriable: false,
            }),
          ),
        ),
      )
    }
    if (targets.length === 0) subscriber.complete()
    return parts
  })
}
