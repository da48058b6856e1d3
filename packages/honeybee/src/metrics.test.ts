/** Metrics in virtual time: counters, sliding rates, uptime, reset, immutable snapshots, the stream. */
import { map } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { createMetrics, type MetricsCollector, type MetricsSnapshot, metricsStream } from './metrics.js'

function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
}

/** Schedules `record()` every `every` ms in [from, to). */
function steady(scheduler: TestScheduler, record: () => void, every: number, from: number, to: number): void {
  for (let t = from; t < to; t += every) scheduler.schedule(record, t)
}

/** Takes a snapshot at each of `times`, into the returned array (filled as the scheduler is flushed). */
function snapshotsAt(
  scheduler: TestScheduler,
  metrics: MetricsCollector,
  times: number[],
): MetricsSnapshot[] {
  const taken: MetricsSnapshot[] = []
  for (const t of times) scheduler.schedule(() => taken.push(metrics.snapshot()), t)
  return taken
}

describe('createMetrics', () => {
  it('starts empty', () => {
    expect(createMetrics(newTestScheduler()).snapshot()).toEqual({
      messagesSent: 0,
      messagesReceived: 0,
      bytesSent: 0,
      bytesReceived: 0,
      errors: 0,
      reconnections: 0,
      lastMessageSentAt: undefined,
      lastMessageReceivedAt: undefined,
      connectedSince: undefined,
      uptime: 0,
      messagesPerSecondIn: 0,
      messagesPerSecondOut: 0,
      lastPongLatency: undefined,
    })
  })

  it('counts messages, bytes, errors, reconnections and the last pong latency', () => {
    const scheduler = newTestScheduler()
    scheduler.run(() => {
      const metrics = createMetrics(scheduler)
      scheduler.schedule(() => metrics.recordSent(100), 10)
      scheduler.schedule(() => metrics.recordSent(20), 20)
      scheduler.schedule(() => metrics.recordReceived(7), 30)
      scheduler.schedule(() => {
        metrics.recordError()
        metrics.recordError()
        metrics.recordReconnection()
        metrics.recordPongLatency(42)
        metrics.recordPongLatency(17)
      }, 40)
      const taken = snapshotsAt(scheduler, metrics, [50])
      scheduler.flush()
      const [at50] = taken
      expect(at50).toMatchObject({
        messagesSent: 2,
        messagesReceived: 1,
        bytesSent: 120,
        bytesReceived: 7,
        errors: 2,
        reconnections: 1,
        lastMessageSentAt: 20,
        lastMessageReceivedAt: 30,
        lastPongLatency: 17,
      })
    })
  })

  it('keeps the uptime of the current connection only', () => {
    const scheduler = newTestScheduler()
    scheduler.run(() => {
      const metrics = createMetrics(scheduler)
      scheduler.schedule(() => metrics.markConnected(), 1_000)
      scheduler.schedule(() => metrics.markConnected(), 2_000) // already connected: no restart
      scheduler.schedule(() => metrics.markDisconnected(), 5_000)
      scheduler.schedule(() => metrics.markConnected(), 7_000)
      const taken = snapshotsAt(scheduler, metrics, [500, 4_000, 6_000, 7_000, 9_500])
      scheduler.flush()
      expect(taken.map((s) => [s.connectedSince, s.uptime])).toEqual([
        [undefined, 0],
        [1_000, 3_000],
        [undefined, 0],
        [7_000, 0],
        [7_000, 2_500],
      ])
    })
  })

  describe('rates', () => {
    it('averages over the last 5 s by default', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = createMetrics(scheduler)
        steady(scheduler, () => metrics.recordReceived(1), 100, 0, 10_000) // 10/s for 10 s
        steady(scheduler, () => metrics.recordSent(1), 50, 0, 10_000) // 20/s for 10 s
        const taken = snapshotsAt(scheduler, metrics, [10_000])
        scheduler.flush()
        const [at10s] = taken
        expect(at10s).toMatchObject({ messagesPerSecondIn: 10, messagesPerSecondOut: 20 })
      })
    })

    it('ramps up over the first window, slides down after traffic stops, and reaches 0', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = createMetrics(scheduler)
        // 10/s, at 0.05 s, 0.15 s, … 9.95 s.
        steady(scheduler, () => metrics.recordReceived(1), 100, 50, 10_000)
        const taken = snapshotsAt(
          scheduler,
          metrics,
          [2_000, 5_000, 10_000, 12_250, 12_500, 14_000, 15_000, 60_000],
        )
        scheduler.flush()
        expect(taken.map((s) => s.messagesPerSecondIn)).toEqual([
          4, // 20 messages so far, over a 5 s window
          10,
          10,
          // [7.25 s, 12.25 s] holds 27, but buckets are 500 ms: the 5 messages of the bucket [7 s, 7.5 s)
          // count in proportion to its overlap with the window (half), as if spread evenly: 27.5
          5.5,
          5, // [7.5 s, 12.5 s] holds 25
          2, // [9 s, 14 s] holds 10
          0,
          0,
        ])
      })
    })

    it('slides by a tenth of the window with a custom rateWindow', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = createMetrics(scheduler, { rateWindow: 1_000 })
        steady(scheduler, () => metrics.recordSent(1), 10, 0, 3_000) // 100/s for 3 s
        const taken = snapshotsAt(scheduler, metrics, [3_000, 3_500, 3_950, 4_000])
        scheduler.flush()
        expect(taken.map((s) => s.messagesPerSecondOut)).toEqual([100, 50, 5, 0])
      })
    })

    it('forgets buckets from earlier laps of the ring', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = createMetrics(scheduler)
        steady(scheduler, () => metrics.recordReceived(1), 10, 0, 5_000) // 100/s
        // The window at 11 s maps onto ring slots that still hold the buckets of 0–5 s.
        steady(scheduler, () => metrics.recordReceived(1), 500, 10_500, 11_000) // one message
        const taken = snapshotsAt(scheduler, metrics, [11_000])
        scheduler.flush()
        const [afterLap] = taken
        expect(afterLap?.messagesPerSecondIn).toBe(0.2)
      })
    })

    it('counts 200,000 messages in one ms', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = createMetrics(scheduler)
        scheduler.schedule(() => {
          for (let i = 0; i < 200_000; i++) metrics.recordReceived(100)
        }, 1_000)
        const taken = snapshotsAt(scheduler, metrics, [1_001])
        scheduler.flush()
        const [later] = taken
        expect(later).toMatchObject({ messagesReceived: 200_000, bytesReceived: 20_000_000 })
        expect(later?.messagesPerSecondIn).toBe(40_000)
      })
    })

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
      'falls back to 5 s for rateWindow %s',
      (rateWindow) => {
        const scheduler = newTestScheduler()
        scheduler.run(() => {
          const metrics = createMetrics(scheduler, { rateWindow })
          for (let i = 0; i < 10; i++) metrics.recordSent(1)
          const taken = snapshotsAt(scheduler, metrics, [1_000])
          scheduler.flush()
          const [at1s] = taken
          expect(at1s?.messagesPerSecondOut).toBe(2)
        })
      },
    )

    it('uses the run-mode asyncScheduler when no scheduler is passed', () => {
      const scheduler = newTestScheduler()
      scheduler.run(({ flush }) => {
        const metrics = createMetrics()
        for (let i = 0; i < 25; i++) metrics.recordSent(1)
        const rates: number[] = []
        const subscription = metricsStream(metrics, 1_000)
          .pipe(map((s) => s.messagesPerSecondOut))
          .subscribe((r) => rates.push(r))
        scheduler.schedule(() => subscription.unsubscribe(), 6_500)
        flush()
        // 25 messages at 0 stay in the 5 s window until 5 s, then leave it.
        expect(rates).toEqual([5, 5, 5, 5, 5, 5, 0])
      })
    })
  })

  describe('reset', () => {
    function busy(scheduler: TestScheduler): MetricsCollector {
      const metrics = createMetrics(scheduler)
      scheduler.schedule(() => metrics.markConnected(), 100)
      scheduler.schedule(() => {
        metrics.recordSent(10)
        metrics.recordReceived(20)
        metrics.recordError()
        metrics.recordReconnection()
        metrics.recordPongLatency(30)
      }, 200)
      return metrics
    }

    it('zeroes messages, bytes, errors and rates; keeps reconnections, pong latency, timestamps, uptime', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = busy(scheduler)
        scheduler.schedule(() => metrics.reset(), 300)
        const taken = snapshotsAt(scheduler, metrics, [400])
        scheduler.flush()
        const [after] = taken
        expect(after).toEqual({
          messagesSent: 0,
          messagesReceived: 0,
          bytesSent: 0,
          bytesReceived: 0,
          errors: 0,
          reconnections: 1,
          lastMessageSentAt: 200,
          lastMessageReceivedAt: 200,
          connectedSince: 100,
          uptime: 300,
          messagesPerSecondIn: 0,
          messagesPerSecondOut: 0,
          lastPongLatency: 30,
        })
      })
    })

    it('with resetStartTime also clears the timestamps and restarts the uptime clock', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = busy(scheduler)
        scheduler.schedule(() => metrics.reset(true), 300)
        const taken = snapshotsAt(scheduler, metrics, [400])
        scheduler.flush()
        const [after] = taken
        expect(after).toMatchObject({
          messagesSent: 0,
          reconnections: 1,
          lastMessageSentAt: undefined,
          lastMessageReceivedAt: undefined,
          connectedSince: 300,
          uptime: 100,
        })
      })
    })

    it('with resetStartTime while disconnected leaves connectedSince undefined', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = busy(scheduler)
        scheduler.schedule(() => {
          metrics.markDisconnected()
          metrics.reset(true)
        }, 300)
        const taken = snapshotsAt(scheduler, metrics, [400])
        scheduler.flush()
        const [after] = taken
        expect(after).toMatchObject({ connectedSince: undefined, uptime: 0 })
      })
    })

    it('counts afresh after a reset', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = createMetrics(scheduler)
        steady(scheduler, () => metrics.recordReceived(1), 100, 0, 10_000)
        scheduler.schedule(() => metrics.reset(), 8_950)
        const taken = snapshotsAt(scheduler, metrics, [10_000])
        scheduler.flush()
        const [at10s] = taken
        expect(at10s).toMatchObject({ messagesReceived: 10, messagesPerSecondIn: 2 })
      })
    })
  })

  describe('snapshots', () => {
    it('are frozen, new each time, and never change afterwards', () => {
      const scheduler = newTestScheduler()
      scheduler.run(() => {
        const metrics = createMetrics(scheduler)
        metrics.recordSent(5)
        const first = metrics.snapshot()
        const second = metrics.snapshot()
        expect(Object.isFrozen(first)).toBe(true)
        expect(second).not.toBe(first)
        expect(second).toEqual(first)
        expect(() => {
          ;(first as { messagesSent: number }).messagesSent = 99
        }).toThrow(TypeError)
        metrics.recordSent(5)
        metrics.reset(true)
        expect(first.messagesSent).toBe(1)
        expect(first.bytesSent).toBe(5)
      })
    })

    it('the collector itself cannot be altered', () => {
      const metrics = createMetrics(newTestScheduler())
      expect(Object.isFrozen(metrics)).toBe(true)
    })

    it('does not mutate the options', () => {
      const options = Object.freeze({ rateWindow: 2_000 })
      createMetrics(newTestScheduler(), options).recordSent(1)
      expect(options).toEqual({ rateWindow: 2_000 })
    })
  })
})

describe('metricsStream', () => {
  it('emits a snapshot at once, then every interval, while subscribed', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const metrics = createMetrics(scheduler)
      steady(scheduler, () => metrics.recordSent(1), 300, 300, 10_000)
      const sent = metricsStream(metrics, 1_000, scheduler).pipe(map((s) => s.messagesSent))
      expectObservable(sent, '^ 3500ms !').toBe('a 999ms b 999ms c 999ms d', { a: 0, b: 3, c: 6, d: 10 })
    })
  })

  it('is cold: each subscriber gets its own ticks from its own start', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const metrics = createMetrics(scheduler)
      scheduler.schedule(() => metrics.markConnected(), 0)
      const uptime = metricsStream(metrics, 1_000, scheduler).pipe(map((s) => s.uptime))
      expectObservable(uptime, '^ 1500ms !').toBe('a 999ms b', { a: 0, b: 1_000 })
      expectObservable(uptime, '500ms ^ 1500ms !').toBe('500ms a 999ms b', { a: 500, b: 1_500 })
    })
  })

  it('emits the first snapshot synchronously on subscribe', () => {
    const metrics = createMetrics(newTestScheduler())
    metrics.recordReceived(3)
    const seen: MetricsSnapshot[] = []
    metricsStream(metrics, 1_000, newTestScheduler())
      .subscribe((s) => seen.push(s))
      .unsubscribe()
    expect(seen.map((s) => s.bytesReceived)).toEqual([3])
  })

  it('clamps an interval below 1 ms to 1 ms', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const metrics = createMetrics(scheduler)
      expectObservable(metricsStream(metrics, 0, scheduler).pipe(map(() => 'x')), '^ 2ms !').toBe('xxx')
    })
  })

  it('emits once and completes for a non-finite interval', () => {
    const scheduler = newTestScheduler()
    scheduler.run(({ expectObservable }) => {
      const metrics = createMetrics(scheduler)
      const stream = metricsStream(metrics, Number.POSITIVE_INFINITY, scheduler).pipe(map(() => 'x'))
      expectObservable(stream).toBe('(x|)')
    })
  })
})
