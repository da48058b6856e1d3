/**
 * @module Outgoing rate limiting (spec honeybee §4): a token bucket clocked by an RxJS scheduler.
 *
 * The bucket holds up to `burst` tokens and starts full; it refills continuously at
 * `messagesPerSecond`. Every message takes one token. {@link RateLimiter.allow} takes one now or
 * refuses; {@link RateLimiter.wait} is a cold Observable that emits once a token is taken for it.
 * Waiters are served first come, first served, and a token that accrues while someone waits is theirs:
 * `allow()` does not jump the queue.
 *
 * Time is read with `scheduler.now()` and every timer runs on the scheduler, so the bucket runs in
 * virtual time under `TestScheduler`. mana-ws's adaptive limiter implements the same interface.
 */
import { asyncScheduler, Observable, of, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs'
import { TimeoutError } from './errors.js'

/** Decides when the next outgoing message may go. */
export interface RateLimiter {
  /** Takes a token if one is available now; false otherwise. */
  allow(): boolean
  /** ms until a token is available (0 if one is available now). Takes nothing. */
  delay(): number
  /**
   * Cold: on subscribe, waits for a token, takes it, emits once (void) and completes; errors with
   * `TimeoutError('RateLimited', …, timeout)` if none comes within `timeout` ms. Unsubscribing early
   * takes nothing.
   * @param timeout - longest wait in ms; `undefined` or `Infinity` waits forever. @default undefined
   */
  wait(timeout?: number): Observable<void>
}

/**
 * One token, in the bucket's unit. The bucket counts credit in token-per-second·milliseconds, so that
 * refilling `elapsed` ms at an integer rate is exact integer arithmetic (10/s for 100 ms is exactly one
 * token, not 0.9999…).
 */
const TOKEN = 1000

/**
 * A bucket holding up to `burst` tokens (starts full), refilled continuously at `messagesPerSecond`,
 * clocked by `scheduler.now()`. A `burst` below 1 is treated as 1; a `messagesPerSecond` of 0 never
 * refills (`delay()` is then `Infinity` once the bucket is empty).
 *
 * @param scheduler - the clock and the timers of `wait`. @default asyncScheduler
 *
 * @example
 * ```ts
 * const limiter = createTokenBucket({ messagesPerSecond: 10, burst: 30 })
 * limiter.allow() // true, 29 tokens left
 * limiter.wait(5_000).pipe(map(() => socket.send(envelope))).subscribe()
 * ```
 */
export function createTokenBucket(
  config: { readonly messagesPerSecond: number; readonly burst: number },
  scheduler: SchedulerLike = asyncScheduler,
): RateLimiter {
  const rate = Math.max(0, config.messagesPerSecond)
  const capacity = Math.max(1, config.burst) * TOKEN
  let credit = capacity
  let refilledAt = scheduler.now()
  /** Waiting subscribers, oldest first. */
  const waiters: Subscriber<void>[] = []
  /** The timer that serves waiters when the next token is due, while anyone waits. */
  let pump: Subscription | undefined

  function refill(): void {
    const now = scheduler.now()
    // A clock that steps back (a wall clock being adjusted) adds nothing rather than taking credit away.
    credit = Math.min(capacity, credit + Math.max(0, now - refilledAt) * rate)
    refilledAt = now
  }

  /** ms until `tokens` whole tokens have accrued, from the current credit. */
  function msUntil(tokens: number): number {
    const missing = tokens * TOKEN - credit
    if (missing <= 0) return 0
    return rate > 0 ? Math.ceil(missing / rate) : Number.POSITIVE_INFINITY
  }

  /** Hands accrued tokens to waiters, oldest first, then arms the timer for the next one. */
  function serve(): void {
    refill()
    while (waiters.length > 0 && credit >= TOKEN) {
      const waiter = waiters.shift()!
      credit -= TOKEN
      // Emitting may re-enter (a waiter's subscriber calls wait() again); the state is settled first.
      waiter.next()
      waiter.complete()
    }
    schedulePump()
  }

  function schedulePump(): void {
    if (waiters.length === 0) {
      pump?.unsubscribe()
      pump = undefined
      return
    }
    if (pump !== undefined) return
    refill()
    const due = msUntil(1)
    if (!Number.isFinite(due)) return
    pump = scheduler.schedule(() => {
      pump = undefined
      serve()
    }, due)
  }

  function take(): boolean {
    refill()
    if (waiters.length > 0 || credit < TOKEN) return false
    credit -= TOKEN
    return true
  }

  return Object.freeze({
    allow: take,

    delay(): number {
      refill()
      // Tokens go to the queued waiters first; a new caller gets the one after theirs.
      return msUntil(waiters.length + 1)
    },

    wait(timeout?: number): Observable<void> {
      return new Observable<void>((subscriber) => {
        if (take()) {
          subscriber.next()
          subscriber.complete()
          return undefined
        }
        waiters.push(subscriber)
        schedulePump()
        const limit = timeout === undefined ? Number.POSITIVE_INFINITY : Math.max(0, timeout)
        const timer = Number.isFinite(limit)
          ? scheduler.schedule(() => {
              // A token due at the very same moment still counts as "within" the limit.
              serve()
              if (!subscriber.closed) {
                subscriber.error(
                  new TimeoutError('RateLimited', `No rate-limit token within ${limit} ms`, limit),
                )
              }
            }, limit)
          : undefined
        return () => {
          timer?.unsubscribe()
          const index = waiters.indexOf(subscriber)
          if (index >= 0) {
            waiters.splice(index, 1)
            schedulePump()
          }
        }
      })
    },
  })
}

/** A limiter that always allows (rate limiting off). */
export const unlimited: RateLimiter = Object.freeze({
  allow: () => true,
  delay: () => 0,
  wait: (): Observable<void> => of(undefined),
})
