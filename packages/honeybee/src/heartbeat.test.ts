import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { config, signals } from '../test/heartbeat-marbles.js'
import { createHeartbeat } from './heartbeat.js'
import { createSharedHeartbeat } from './shared-heartbeat.js'

function run(
  body: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0], ts: TestScheduler) => void,
): void {
  const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
  ts.run((helpers) => body(helpers, ts))
}

// The policy, for each implementation: a timer per watch, and one timer shared by all watches.
describe.each([
  ['createHeartbeat', createHeartbeat],
  ['createSharedHeartbeat', createSharedHeartbeat],
])('heartbeat (%s)', (_, createHeartbeat) => {
  it('pings after silence, again at once after each miss, and is unhealthy at pingInterval + pongTimeout × threshold', () => {
    run(({ expectObservable }, ts) => {
      const monitor = createHeartbeat(config, ts)
      expectObservable(monitor.watch(() => 0)).toBe('25ms p 14ms (mp) 11ms (np) 11ms (u|)', signals)
    })
  })

  it('an answer resets the count; the next ping waits for pingInterval of silence after it', () => {
    run(({ expectObservable, cold }, ts) => {
      let lastAlive = 0
      cold('30ms a').subscribe(() => (lastAlive = ts.now())) // the pong to the ping at 25
      const monitor = createHeartbeat(config, ts)
      // ping 25, answered at 30, checked at 40; next ping at 30 + 25 = 55; missed at 70 and ping again.
      expectObservable(
        monitor.watch(() => lastAlive),
        '^ 80ms !',
      ).toBe('25ms p 29ms p 14ms (mp)', signals)
    })
  })

  it('traffic postpones the ping, so a busy connection is never pinged', () => {
    run(({ expectObservable, cold }, ts) => {
      let lastAlive = 0
      cold('a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a').subscribe(
        () => (lastAlive = ts.now()),
      )
      const monitor = createHeartbeat(config, ts)
      expectObservable(
        monitor.watch(() => lastAlive),
        '^ 110ms !',
      ).toBe('', signals)
    })
  })

  it('unsubscribing stops every timer', () => {
    run(({ expectObservable }, ts) => {
      const monitor = createHeartbeat(config, ts)
      expectObservable(
        monitor.watch(() => 0),
        '^ 30ms !',
      ).toBe('25ms p', signals)
    })
  })

  it('does nothing when disabled', () => {
    run(({ expectObservable }, ts) => {
      const monitor = createHeartbeat({ ...config, enabled: false }, ts)
      expectObservable(
        monitor.watch(() => 0),
        '^ 1000ms !',
      ).toBe('', signals)
    })
  })
})
