/** The token bucket in virtual time: bursts, refill, delays, waiting with marbles, timeouts, fairness. */
import { concatMap, from, map, type SchedulerLike } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { TimeoutError } from './errors.js'
import { createTokenBucket, type RateLimiter, unlimited } from './rate-limiter.js'

const spec = { messagesPerSecond: 10, burst: 30 }

function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
}

/** Takes every token there is now; returns how many. */
function drain(limiter: RateLimiter): number {
  let taken = 0
  while (limiter.allow()) taken++
  return taken
}

describe('createTokenBucket', () => {
  it('starts full: a burst of 30 is allowed, the 31st refused', () => {
    const scheduler = newTestScheduler()
    const limiter = createTokenBucket(spec, scheduler)
    const answers = Array.from({ length: 31 }, () => limiter.allow())
    expect(answers.slice(0, 30).every(Boolean)).toBe(true)
    expect(answers[30]).toBe(false)
  })

  it('refills at 10/s: exactly one more token after 100 ms, none after 99 ms', () => {
    const scheduler = newTestScheduler()
    scheduler.run(() => {
      const limiter = createTokenBucket(spec, scheduler)
      const log: string[] = []
      expect(drain(limiter)).toBe(30)
      scheduler.schedule(() => log.push(`99: ${drain(limiter)}`), 99)
      scheduler.schedule(() => log.push(`100: ${drain(limiter)}`), 100)
      scheduler.schedule(() => log.push(`350: ${drain(limiter)}`), 350)
      scheduler.flush()
      expect(log).toEqual(['99: 0', '100: 1', '350: 2'])
    })
  })

  it('refills up to the burst and no further', () => {
    const scheduler = newTestScheduler()
    scheduler.run(() => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      let refilled = 0
      scheduler.schedule(() => {
        refilled = drain(limiter)
      }, 60_000)
      scheduler.flush()
      expect(refilled).toBe(30)
    })
  })

  it('delay() says how long until the next token and takes nothing', () => {
    const scheduler = newTestScheduler()
    scheduler.run(() => {
      const limiter = createTokenBucket(spec, scheduler)
      const log: [number, number][] = []
      const record = () => log.push([scheduler.now(), limiter.delay()])
      record()
      drain(limiter)
      record()
      scheduler.schedule(record, 30)
      scheduler.schedule(record, 99)
      scheduler.schedule(record, 100)
      scheduler.schedule(record, 100)
      scheduler.flush()
      expect(log).toEqual([
        [0, 0],
        [0, 100],
        [30, 70],
        [99, 1],
        [100, 0],
        [100, 0],
      ])
      expect(drain(limiter)).toBe(1)
    })
  })

  it('delay() rounds up to whole ms at rates that do not divide a second', () => {
    const scheduler = newTestScheduler()
    scheduler.run(() => {
      const limiter = createTokenBucket({ messagesPerSecond: 3, burst: 1 }, scheduler)
      expect(limiter.allow()).toBe(true)
      expect(limiter.delay()).toBe(334)
      const log: [number, boolean][] = []
      scheduler.schedule(() => log.push([333, limiter.allow()]), 333)
      scheduler.schedule(() => log.push([334, limiter.allow()]), 334)
      scheduler.flush()
      expect(log).toEqual([
        [333, false],
        [334, true],
      ])
    })
  })

  it('treats a burst below 1 as 1', () => {
    const limiter = createTokenBucket({ messagesPerSecond: 10, burst: 0 }, newTestScheduler())
    expect(drain(limiter)).toBe(1)
  })

  it('never refills at 0 messages per second', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket({ messagesPerSecond: 0, burst: 2 }, scheduler)
      expect(drain(limiter)).toBe(2)
      expect(limiter.delay()).toBe(Number.POSITIVE_INFINITY)
      expectObservable(limiter.wait(), '^ 10000ms !').toBe('')
      expectObservable(limiter.wait(500)).toBe(
        '500ms #',
        undefined,
        new TimeoutError('RateLimited', 'No rate-limit token within 500 ms', 500),
      )
    })
  })

  it('ignores a clock that steps back', () => {
    let now = 1_000
    const timers = newTestScheduler()
    const clock: SchedulerLike = { now: () => now, schedule: timers.schedule.bind(timers) }
    const limiter = createTokenBucket({ messagesPerSecond: 10, burst: 1 }, clock)
    expect(limiter.allow()).toBe(true)
    now = 500
    expect(limiter.allow()).toBe(false)
    now = 600
    expect(limiter.delay()).toBe(0)
    expect(limiter.allow()).toBe(true)
  })
})

describe('wait', () => {
  it('emits at once while tokens last', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      expectObservable(limiter.wait()).toBe('(a|)', { a: undefined })
      expectObservable(limiter.wait(0)).toBe('(a|)', { a: undefined })
    })
  })

  it('emits when the next token accrues', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      expectObservable(limiter.wait()).toBe('100ms (a|)', { a: undefined })
    })
  })

  it('works on the run-mode asyncScheduler when no scheduler is passed', () => {
    newTestScheduler().run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec)
      drain(limiter)
      expectObservable(limiter.wait()).toBe('100ms (a|)', { a: undefined })
    })
  })

  it('is cold: each subscription takes its own token', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      const wait = limiter.wait()
      expectObservable(wait).toBe('100ms (a|)', { a: undefined })
      expectObservable(wait).toBe('200ms (a|)', { a: undefined })
    })
  })

  it('errors with TimeoutError RateLimited when no token comes in time', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      expectObservable(limiter.wait(50)).toBe(
        '50ms #',
        undefined,
        new TimeoutError('RateLimited', 'No rate-limit token within 50 ms', 50),
      )
      expectObservable(limiter.wait(0)).toBe(
        '#',
        undefined,
        new TimeoutError('RateLimited', 'No rate-limit token within 0 ms', 0),
      )
    })
  })

  it('reports the error as a TimeoutError with code and timeout', () => {
    const scheduler = newTestScheduler()
    let caught: unknown
    scheduler.run(() => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      limiter.wait(20).subscribe({ error: (error: unknown) => (caught = error) })
    })
    expect(caught).toBeInstanceOf(TimeoutError)
    expect(caught).toMatchObject({ name: 'TimeoutError', code: 'RateLimited', timeout: 20 })
  })

  it('a token due exactly at the timeout still counts', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      expectObservable(limiter.wait(100)).toBe('100ms (a|)', { a: undefined })
    })
  })

  it('a timed-out waiter takes no token and leaves the queue', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      expectObservable(limiter.wait(50)).toBe(
        '50ms #',
        undefined,
        new TimeoutError('RateLimited', 'No rate-limit token within 50 ms', 50),
      )
      expectObservable(limiter.wait()).toBe('100ms (a|)', { a: undefined })
    })
  })

  it('unsubscribing early takes no token', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      expectObservable(limiter.wait(), '50ms !').toBe('')
      const log: [number, number][] = []
      scheduler.schedule(() => log.push([scheduler.now(), limiter.delay()]), 60)
      scheduler.schedule(() => log.push([scheduler.now(), drain(limiter)]), 250)
      scheduler.flush()
      // Had the cancelled wait reserved anything, the delay would be 140 and only 1 token left at 250.
      expect(log).toEqual([
        [60, 40],
        [250, 2],
      ])
    })
  })

  it('serves concurrent waiters in order, one token each', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      expectObservable(limiter.wait()).toBe('100ms (a|)', { a: undefined })
      expectObservable(limiter.wait()).toBe('200ms (a|)', { a: undefined })
      expectObservable(limiter.wait(1_000)).toBe('300ms (a|)', { a: undefined })
      expectObservable(limiter.wait()).toBe('400ms (a|)', { a: undefined })
      let leftAt400 = -1
      scheduler.schedule(() => {
        leftAt400 = drain(limiter)
      }, 400)
      scheduler.flush()
      expect(leftAt400).toBe(0)
    })
  })

  it('moves the queue up when a waiter in the middle leaves', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      expectObservable(limiter.wait()).toBe('100ms (a|)', { a: undefined })
      expectObservable(limiter.wait(), '^ 149ms !').toBe('')
      expectObservable(limiter.wait()).toBe('200ms (a|)', { a: undefined })
    })
  })

  it('allow() does not jump the queue, and delay() counts the queued waiters', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket(spec, scheduler)
      drain(limiter)
      const log: string[] = []
      // Scheduled before the waiters subscribe, so at frame 100 it runs before the timer that serves them.
      scheduler.schedule(() => log.push(`allow at 100: ${limiter.allow()}`), 100)
      expectObservable(limiter.wait()).toBe('100ms (a|)', { a: undefined })
      expectObservable(limiter.wait()).toBe('200ms (a|)', { a: undefined })
      // Scheduled after them, so at frame 0 it runs once both are queued.
      scheduler.schedule(() => log.push(`delay with 2 waiting: ${limiter.delay()}`), 0)
      scheduler.schedule(() => log.push(`allow at 300: ${limiter.allow()}`), 300)
      scheduler.flush()
      expect(log).toEqual(['delay with 2 waiting: 300', 'allow at 100: false', 'allow at 300: true'])
    })
  })

  it('paces a sequence of sends: burst first, then one per refill', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const limiter = createTokenBucket({ messagesPerSecond: 10, burst: 2 }, scheduler)
      const sends = from(['a', 'b', 'c', 'd', 'e']).pipe(
        concatMap((message) => limiter.wait().pipe(map(() => message))),
      )
      expectObservable(sends).toBe('(ab) 96ms c 99ms d 99ms (e|)')
    })
  })

  it('does not mutate the config', () => {
    const config = Object.freeze({ messagesPerSecond: 10, burst: 30 })
    drain(createTokenBucket(config, newTestScheduler()))
    expect(config).toEqual({ messagesPerSecond: 10, burst: 30 })
  })
})

describe('unlimited', () => {
  it('always allows, never delays, and a wait emits at once', () => {
    const scheduler = newTestScheduler()
    expect(Array.from({ length: 10_000 }, () => unlimited.allow()).every(Boolean)).toBe(true)
    expect(unlimited.delay()).toBe(0)
    scheduler.run(({ expectObservable }) => {
      expectObservable(unlimited.wait()).toBe('(a|)', { a: undefined })
      expectObservable(unlimited.wait(0)).toBe('(a|)', { a: undefined })
    })
  })
})
