/**
 * @module Publishing events to every relay of a pool, with one verdict per relay per event and a
 * deadline that also covers relays that never connect.
 */
import { type NostrEvent, type Pool, type PoolOkResult, TimeoutError } from 'honeybee-node'
import { from, lastValueFrom, mergeMap, Observable, takeUntil, tap, timer } from 'rxjs'

/** One relay's verdict on one event, as `honeybee pub` prints it. */
export interface Verdict {
  readonly relay: string
  readonly id: string
  readonly accepted: boolean
  /** The relay's message, or `timeout: …` / `error: …` when it gave none. */
  readonly message: string
}

/**
 * Publishes `events` (`concurrency` at a time) to every relay in `pool`; `onVerdict` hears each verdict
 * as it arrives. Resolves when every relay has answered every event, or timed out.
 */
export async function publishAll(
  pool: Pool,
  events: readonly NostrEvent[],
  timeout: number,
  concurrency: number,
  onVerdict: (verdict: Verdict) => void,
): Promise<void> {
  await lastValueFrom(
    from(events).pipe(
      mergeMap((event) => publishEverywhere(pool, event, timeout), concurrency),
      tap(onVerdict),
    ),
    { defaultValue: undefined },
  )
}

/**
 * Each relay's verdict on `event`; a relay that has not answered within `limit` ms gets a timeout. The
 * pool's own clock runs only while a relay is connected; this one also covers a relay that never is.
 */
function publishEverywhere(pool: Pool, event: NostrEvent, limit: number): Observable<Verdict> {
  const timedOut = `timeout: no OK within ${limit} ms`
  return new Observable<Verdict>((subscriber) => {
    const answered = new Set<string>()
    return pool
      .publish(event, { timeout: limit })
      .pipe(takeUntil(timer(limit)))
      .subscribe({
        next: (result) => {
          answered.add(result.relay)
          subscriber.next(verdictOf(result, timedOut))
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          for (const relay of pool.relays) {
            if (!answered.has(relay))
              subscriber.next({ relay, id: event.id, accepted: false, message: timedOut })
          }
          subscriber.complete()
        },
      })
  })
}

function verdictOf(result: PoolOkResult, timedOut: string): Verdict {
  const { relay, eventId: id, accepted, error } = result
  if (error === undefined) return { relay, id, accepted, message: result.message }
  return {
    relay,
    id,
    accepted: false,
    message: error instanceof TimeoutError ? timedOut : `error: ${error.message}`,
  }
}
