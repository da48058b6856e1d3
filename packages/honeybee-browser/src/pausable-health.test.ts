/** The hidden-page pause of the health monitor, in marbles. */
import { createHeartbeat } from 'honeybee'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { pausedWhile } from './pausable-health.js'

const config = { enabled: true, pingInterval: 10, pongTimeout: 5, failureThreshold: 3 }

describe('pausedWhile', () => {
  it('watches while not paused, stops while paused, and starts afresh on resume', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(
      ({ cold, expectObservable, expectSubscriptions }) => {
        // A silent peer: the heartbeat pings after 10 ms of silence, unless paused.
        const paused = cold('f 11ms t 29ms f', { f: false, t: true })
        const monitor = pausedWhile(createHeartbeat(config, undefined), paused)
        const signals = monitor.watch(() => -1_000)
        // Pinged at 10; paused at 12 (the pong check at 15 never runs); resumed at 42: a fresh watch pings at 52.
        expectObservable(signals, '^ 54ms !').toBe('10ms p 41ms p', { p: { type: 'ping' } })
        expectSubscriptions(paused.subscriptions).toBe('^ 54ms !')
      },
    )
  })

  it('runs from the start even if paused$ has said nothing yet', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const monitor = pausedWhile(createHeartbeat(config, undefined), cold('-'))
      expectObservable(
        monitor.watch(() => -1_000),
        '^ 12ms !',
      ).toBe('10ms p', { p: { type: 'ping' } })
    })
  })
})
