import { tap } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { config, signals } from '../test/heartbeat-marbles.js'
import { createSharedHeartbeat, sharedHeartbeat } from './shared-heartbeat.js'

const newScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected))

describe('createSharedHeartbeat', () => {
  it('watches many connections with one timer, each on its own times: only the dead are unhealthy', () => {
    const ts = newScheduler()
    ts.run(({ expectObservable, cold }) => {
      const monitor = createSharedHeartbeat(config, ts)
      let talking = 0
      cold('a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a').subscribe(() => {
        talking = ts.now()
      })
      let answering = 0
      const answers = monitor
        .watch(() => answering)
        .pipe(
          tap((signal) => {
            if (signal.type === 'ping') answering = ts.now() // a pong at once
          }),
        )
      const dead = '25ms p 14ms (mp) 11ms (np) 11ms (u|)'
      expectObservable(monitor.watch(() => 0)).toBe(dead, signals)
      // Started 5 ms later, so 5 ms later throughout.
      expectObservable(
        monitor.watch(() => 0),
        '5ms ^',
      ).toBe(`5ms ${dead}`, signals)
      expectObservable(
        monitor.watch(() => talking),
        '^ 110ms !',
      ).toBe('', signals)
      expectObservable(answers, '^ 110ms !').toBe('25ms p 24ms p 24ms p 24ms p', signals)
      // One that stops watching early leaves the others as they were.
      expectObservable(
        monitor.watch(() => 0),
        '^ 30ms !',
      ).toBe('25ms p', signals)
    })
  })

  it('holds one scheduled action for all its watches, and none once nothing is watched', () => {
    const ts = newScheduler()
    const monitor = createSharedHeartbeat(config, ts)
    const watches = Array.from({ length: 100 }, (_, i) => monitor.watch(() => i).subscribe())
    expect(ts.actions).toHaveLength(1)
    for (const watch of watches) watch.unsubscribe()
    expect(ts.actions).toHaveLength(0)
  })

  it('lets a watcher unsubscribe on a signal: it gets no more', () => {
    const ts = newScheduler()
    ts.run(({ expectObservable }) => {
      const monitor = createSharedHeartbeat(config, ts)
      const seen: string[] = []
      const watch = monitor
        .watch(() => 0)
        .subscribe((signal) => {
          seen.push(signal.type)
          watch.unsubscribe()
        })
      expectObservable(
        monitor.watch(() => 0),
        '^ 41ms !',
      ).toBe('25ms p 14ms (mp)', signals)
      ts.flush()
      expect(seen).toEqual(['ping'])
    })
  })
})

describe('sharedHeartbeat', () => {
  it('is one monitor per scheduler and health values, so one timer for all their watches', () => {
    const a = newScheduler()
    const b = newScheduler()
    const monitor = sharedHeartbeat(config, a)
    expect(sharedHeartbeat({ ...config }, a)).toBe(monitor) // the same values in another object
    expect(sharedHeartbeat(config, b)).not.toBe(monitor)
    expect(sharedHeartbeat({ ...config, pongTimeout: 16 }, a)).not.toBe(monitor)
    const watches = [
      monitor.watch(() => 0).subscribe(),
      sharedHeartbeat({ ...config }, a)
        .watch(() => 0)
        .subscribe(),
    ]
    expect(a.actions).toHaveLength(1)
    for (const watch of watches) watch.unsubscribe()
  })

  it('keeps its own copy of the configuration', () => {
    const ts = newScheduler()
    ts.run(({ expectObservable }) => {
      const mutable = { ...config }
      const monitor = sharedHeartbeat(mutable, ts)
      mutable.pingInterval = 1
      expectObservable(
        monitor.watch(() => 0),
        '^ 30ms !',
      ).toBe('25ms p', signals)
    })
  })
})
