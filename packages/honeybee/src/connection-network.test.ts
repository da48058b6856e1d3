/**
 * `ConnectionOptions.network$`, in virtual time: what a connection does when the environment says the
 * network went away or came back (the browser edition feeds it from `online`/`offline` and page
 * visibility). The browser side of it runs in real Chromium in honeybee-browser's tests.
 */
import type { ConnectionStatus } from 'roots-ws'
import { Subject } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { FakeNetwork } from '../test/fake-socket.js'
import { type PartialConfig, resolveConfig } from './config.js'
import { type Connection, createConnection } from './connection.js'
import type { HoneybeeError } from './errors.js'
import { exponentialBackoff } from './reconnect.js'

interface Rig {
  readonly network: FakeNetwork
  readonly signals: Subject<'online' | 'offline'>
  readonly conn: Connection
  readonly statuses: ConnectionStatus[]
  readonly errors: HoneybeeError[]
  /** Runs `fn` at virtual time `t`; checks go 1 ms after the event they look at. */
  at(t: number, fn: () => void): void
}

/** A connection on a fake network with a `network$` the test drives; jitter fixed at zero. */
function withNetwork(config: PartialConfig, body: (rig: Rig) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
  scheduler.run(() => {
    const network = new FakeNetwork()
    const signals = new Subject<'online' | 'offline'>()
    const conn = createConnection('ws://relay.test', {
      ...config,
      socketFactory: network.factory,
      scheduler,
      network$: signals,
      components: { reconnectPolicy: exponentialBackoff(resolveConfig(config).reconnect, () => 0.5) },
    })
    const statuses: ConnectionStatus[] = []
    const errors: HoneybeeError[] = []
    conn.status$.subscribe((s) => statuses.push(s))
    conn.errors$.subscribe((e) => errors.push(e))
    body({
      network,
      signals,
      conn,
      statuses,
      errors,
      at: (t, fn) => {
        scheduler.schedule(fn, t - scheduler.now())
      },
    })
    scheduler.schedule(() => conn.close(), 600_000)
    scheduler.flush()
  })
}

describe('network$', () => {
  it('online during backoff dials at once instead of waiting out the delay', () => {
    withNetwork({ reconnect: { initialDelay: 10_000 } }, ({ network, signals, at, statuses }) => {
      network.last.open()
      at(100, () => network.last.end())
      at(101, () => expect(statuses.at(-1)).toBe('backoff'))
      at(200, () => signals.next('online'))
      at(201, () => {
        expect(network.sockets).toHaveLength(2)
        expect(statuses.slice(-2)).toEqual(['backoff', 'connecting'])
      })
      at(10_101, () => expect(network.sockets).toHaveLength(2)) // the old timer is gone
    })
  })

  it('offline turns a pending retry into awaiting (no timer runs); online dials at once', () => {
    withNetwork({}, ({ network, signals, at, statuses }) => {
      network.last.open()
      at(100, () => network.last.end())
      at(200, () => signals.next('offline'))
      at(201, () => expect(statuses.slice(-2)).toEqual(['backoff', 'awaiting']))
      at(60_000, () => {
        expect(network.sockets).toHaveLength(1)
        signals.next('online')
      })
      at(60_001, () => {
        expect(network.sockets).toHaveLength(2)
        expect(statuses.at(-1)).toBe('connecting')
      })
    })
  })

  it('sockets lost while offline wait in awaiting and use up no reconnect attempts', () => {
    withNetwork({ reconnect: { maxAttempts: 1 } }, ({ network, signals, at, statuses, errors }) => {
      network.last.open()
      at(100, () => signals.next('offline'))
      at(101, () => expect(statuses.at(-1)).toBe('connected')) // an open socket is left alone
      at(200, () => network.last.end())
      at(201, () => expect(statuses.slice(-2)).toEqual(['connected', 'awaiting']))
      // Five failed dials while offline (each one prompted by `online` then `offline` again).
      for (let i = 0; i < 5; i++) {
        at(1000 + i * 100, () => signals.next('online'))
        at(1001 + i * 100, () => signals.next('offline'))
        at(1002 + i * 100, () => network.last.end())
      }
      at(2000, () => {
        expect(network.sockets).toHaveLength(6)
        expect(statuses.at(-1)).toBe('awaiting')
        expect(errors.map((e) => e.code)).not.toContain('MaxReconnectAttemptsExceeded')
        signals.next('online')
      })
      // Back online, the one allowed attempt is still there: a failure backs off instead of giving up.
      at(2001, () => network.last.end())
      at(2002, () => expect(statuses.at(-1)).toBe('backoff'))
      at(3003, () => expect(network.sockets).toHaveLength(8))
    })
  })

  it('online revives a connection that gave up', () => {
    withNetwork({ reconnect: { maxAttempts: 1 } }, ({ network, signals, at, conn }) => {
      network.last.end()
      at(1001, () => network.last.end())
      at(1002, () => expect(conn.status).toBe('error'))
      at(5000, () => signals.next('online'))
      at(5001, () => {
        expect(network.sockets).toHaveLength(3)
        expect(conn.status).toBe('connecting')
      })
    })
  })

  it('online while connected or connecting changes nothing', () => {
    withNetwork({}, ({ network, signals, at, conn }) => {
      signals.next('online')
      expect(network.sockets).toHaveLength(1)
      at(10, () => network.last.open())
      at(20, () => signals.next('online'))
      at(21, () => {
        expect(network.sockets).toHaveLength(1)
        expect(conn.status).toBe('connected')
      })
    })
  })

  it('is subscribed only while the connection is active', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const network = new FakeNetwork()
      const signals = new Subject<'online' | 'offline'>()
      const conn = createConnection('ws://relay.test', {
        socketFactory: network.factory,
        scheduler,
        keepAlive: 0,
        network$: signals,
      })
      expect(signals.observed).toBe(false)
      const sub = conn.messages$.subscribe()
      expect(signals.observed).toBe(true)
      sub.unsubscribe()
      expect(signals.observed).toBe(false)
      conn.close()
    })
  })
})
