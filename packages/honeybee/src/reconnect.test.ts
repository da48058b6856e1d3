/**
 * Backoff delays and the default reconnect policy: exact sequences with the jitter pinned, jitter bounds
 * as a property, give-up rules, and the resulting retry schedule in virtual time.
 */
import fc from 'fast-check'
import { defer, type Observable, retry, throwError, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, type ReconnectConfig } from './config.js'
import { ConnectionError } from './errors.js'
import { backoffDelay, exponentialBackoff, type ReconnectPolicy } from './reconnect.js'

const defaults = DEFAULT_CONFIG.reconnect
const dropped = new ConnectionError('ConnectionClosed', 'dropped', { closeCode: 1006, retriable: true })
const refused = new ConnectionError('ConnectionClosed', "don't retry", { closeCode: 4000, retriable: false })

function config(overrides: Partial<ReconnectConfig> = {}): ReconnectConfig {
  return { ...defaults, ...overrides }
}

/** The delays a policy gives for attempts 1…n, `undefined` where it gives up. */
function delays(policy: ReconnectPolicy, n: number, error = dropped): (number | undefined)[] {
  return Array.from({ length: n }, (_, i) => policy.nextDelay(i + 1, error))
}

describe('backoffDelay', () => {
  it('doubles from initialDelay and caps at maxDelay when the jitter is centred (random 0.5)', () => {
    const sequence = Array.from({ length: 8 }, (_, i) => backoffDelay(i + 1, defaults, 0.5))
    expect(sequence).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
  })

  it.each([
    { name: 'lowest random', attempt: 1, random: 0, want: 800 },
    { name: 'random just under 1', attempt: 1, random: 0.999999, want: 1200 },
    { name: 'quarter', attempt: 2, random: 0.25, want: 1800 },
    { name: 'three quarters', attempt: 3, random: 0.75, want: 4400 },
    { name: 'cap applies after the jitter', attempt: 5, random: 0.999999, want: 19200 },
    { name: 'at the cap the low end of the jitter still applies', attempt: 7, random: 0, want: 24000 },
    { name: 'at the cap the high end is reflected below it', attempt: 7, random: 0.75, want: 27000 },
  ])('$name: attempt $attempt, random $random → $want', ({ attempt, random, want }) => {
    expect(backoffDelay(attempt, defaults, random)).toBe(want)
  })

  it.each([
    { name: 'no jitter', overrides: { jitter: 0 }, attempt: 2, random: 0, want: 2000 },
    { name: 'factor 1 is a constant delay', overrides: { factor: 1 }, attempt: 9, random: 0.5, want: 1000 },
    { name: 'factor 3', overrides: { factor: 3, maxDelay: 1e9 }, attempt: 4, random: 0.5, want: 27000 },
    {
      name: 'rounds to whole ms',
      overrides: { initialDelay: 333, factor: 1.5 },
      attempt: 2,
      random: 0.5,
      want: 500,
    },
    { name: 'jitter above 1 never goes negative', overrides: { jitter: 3 }, attempt: 1, random: 0, want: 0 },
    { name: 'zero initial delay', overrides: { initialDelay: 0 }, attempt: 4, random: 0.9, want: 0 },
    { name: 'huge attempt is the cap, spread', overrides: {}, attempt: 5000, random: 0.3, want: 27600 },
    { name: 'huge attempt, full jitter', overrides: { jitter: 1 }, attempt: 5000, random: 0, want: 0 },
  ])('$name', ({ overrides, attempt, random, want }) => {
    expect(backoffDelay(attempt, config(overrides), random)).toBe(want)
  })

  it('stays within ±jitter of the capped base delay, never above maxDelay, never negative, whole ms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 120_000 }),
        (attempt, random, initialDelay, factor, jitter, maxDelay) => {
          const c = config({ initialDelay, factor, jitter, maxDelay })
          const delay = backoffDelay(attempt, c, random)
          const base = Math.min(initialDelay * factor ** (attempt - 1), maxDelay)
          expect(Number.isInteger(delay)).toBe(true)
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(maxDelay)
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitter)))
          expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + jitter)))
        },
      ),
    )
  })

  it('spreads delays over the whole jitter range (not just one side of the base)', () => {
    const spread = Array.from({ length: 101 }, (_, i) => backoffDelay(4, defaults, i / 101))
    expect(Math.min(...spread)).toBe(6400)
    expect(Math.max(...spread)).toBeGreaterThan(9500)
  })

  it('does not mutate the config', () => {
    const c = Object.freeze(config())
    expect(() => backoffDelay(3, c, 0.5)).not.toThrow()
    expect(c).toEqual(defaults)
  })
})

describe('exponentialBackoff', () => {
  it('gives the backoff sequence, then gives up after maxAttempts (default 5)', () => {
    expect(
      delays(
        exponentialBackoff(defaults, () => 0.5),
        7,
      ),
    ).toEqual([1000, 2000, 4000, 8000, 16000, undefined, undefined])
  })

  it('never gives up when maxAttempts is 0 (unlimited)', () => {
    const policy = exponentialBackoff(config({ maxAttempts: 0 }), () => 0.5)
    expect(delays(policy, 8)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
    expect(policy.nextDelay(1_000_000, dropped)).toBe(30000)
  })

  it('gives up at once when reconnection is disabled', () => {
    expect(
      delays(
        exponentialBackoff(config({ enabled: false }), () => 0.5),
        3,
      ),
    ).toEqual([undefined, undefined, undefined])
  })

  it('gives up at once on an error that is not retriable', () => {
    const policy = exponentialBackoff(config({ maxAttempts: 0 }), () => 0.5)
    expect(policy.nextDelay(1, refused)).toBeUndefined()
    expect(policy.nextDelay(1, dropped)).toBe(1000)
  })

  it('draws one random number per delay', () => {
    const randoms = [0, 0.999999, 0.5]
    let calls = 0
    const policy = exponentialBackoff(defaults, () => randoms[calls++] ?? 0.5)
    expect(delays(policy, 3)).toEqual([800, 2400, 4000])
    expect(calls).toBe(3)
  })

  it('jitters with Math.random by default, within ±20 %', () => {
    const policy = exponentialBackoff(defaults)
    for (let i = 0; i < 100; i++) {
      const delay = policy.nextDelay(2, dropped)
      expect(delay).toBeGreaterThanOrEqual(1600)
      expect(delay).toBeLessThanOrEqual(2400)
    }
  })

  it('is not affected by later changes to the caller’s config object', () => {
    const mutable: { -readonly [K in keyof ReconnectConfig]: ReconnectConfig[K] } = { ...defaults }
    const policy = exponentialBackoff(mutable, () => 0.5)
    mutable.initialDelay = 5
    mutable.enabled = false
    expect(policy.nextDelay(1, dropped)).toBe(1000)
  })
})

describe('retry schedule in virtual time', () => {
  /**
   * A connect that always fails, retried with the policy's delays the way a connection does:
   * retry `count` waits `nextDelay(count, error)`, or the error goes through when the policy gives up.
   */
  function connectWithRetries(policy: ReconnectPolicy, scheduler: TestScheduler, attempts: number[]) {
    const connect: Observable<never> = defer(() => {
      attempts.push(scheduler.now())
      return throwError(() => dropped)
    })
    return connect.pipe(
      retry({
        delay: (error: ConnectionError, count) => {
          const delay = policy.nextDelay(count, error)
          return delay === undefined ? throwError(() => error) : timer(delay, scheduler)
        },
      }),
    )
  }

  it('attempts at 0, 1 s, 3 s, 7 s, 15 s and 31 s, then fails', () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    testScheduler.run(({ expectObservable }) => {
      const attempts: number[] = []
      const policy = exponentialBackoff(defaults, () => 0.5)
      expectObservable(connectWithRetries(policy, testScheduler, attempts)).toBe(
        '31000ms #',
        undefined,
        dropped,
      )
      testScheduler.flush()
      expect(attempts).toEqual([0, 1000, 3000, 7000, 15000, 31000])
    })
  })

  it('with unlimited attempts keeps retrying every maxDelay once capped', () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    testScheduler.run(({ expectObservable }) => {
      const attempts: number[] = []
      const policy = exponentialBackoff(config({ maxAttempts: 0 }), () => 0.5)
      // Watch for 5 minutes, then unsubscribe: the retries are still going.
      expectObservable(connectWithRetries(policy, testScheduler, attempts), '300000ms !').toBe('')
      testScheduler.flush()
      expect(attempts.slice(0, 8)).toEqual([0, 1000, 3000, 7000, 15000, 31000, 61000, 91000])
      const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? 0))
      expect(gaps.slice(5).every((gap) => gap === 30000)).toBe(true)
      expect(attempts.at(-1)).toBe(271000)
    })
  })

  it('does not retry a non-retriable error at all', () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    testScheduler.run(({ expectObservable }) => {
      const policy = exponentialBackoff(defaults, () => 0.5)
      const attempts: number[] = []
      const source = defer(() => {
        attempts.push(testScheduler.now())
        return throwError(() => refused)
      }).pipe(
        retry({
          delay: (error: ConnectionError, count) => {
            const delay = policy.nextDelay(count, error)
            return delay === undefined ? throwError(() => error) : timer(delay, testScheduler)
          },
        }),
      )
      expectObservable(source).toBe('#', undefined, refused)
      testScheduler.flush()
      expect(attempts).toEqual([0])
    })
  })
})
