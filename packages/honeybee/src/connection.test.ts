/**
 * The connection's timing rules, in virtual time: activation and keepAlive, backoff, connect timeout,
 * flapping, heartbeat, held writes, rate limit and back pressure. Real sockets are in honeybee-node.
 */
import type { ConnectionStatus } from 'roots-ws'
import type { Subscription } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { FakeNetwork } from '../test/fake-socket.js'
import type { PartialConfig } from './config.js'
import { resolveConfig } from './config.js'
import { type Connection, createConnection } from './connection.js'
import { canTransition } from './connection-status.js'
import type { HoneybeeError } from './errors.js'
import { exponentialBackoff } from './reconnect.js'

interface Rig {
  readonly scheduler: TestScheduler
  readonly network: FakeNetwork
  readonly conn: Connection
  readonly statuses: ConnectionStatus[]
  readonly errors: HoneybeeError[]
  /**
   * Runs `fn` at virtual time `t` (ms from the start). Timers the connection sets for the same instant
   * later than this call run after `fn`, so checks are placed 1 ms after the event they look at.
   */
  at(t: number, fn: () => void): void
  /** Subscribes to status$, errors$ (recording them) and messages$: the connection activates. */
  activate(): Subscription
}

/**
 * Runs `body` in virtual time with a connection on a fake network; jitter fixed at zero. Afterwards it
 * checks that every status change seen was a legal move (`canTransition`), the check the connection
 * itself leaves to these tests.
 */
function inVirtualTime(config: PartialConfig, body: (rig: Rig) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
  scheduler.run(() => {
    const network = new FakeNetwork()
    const resolved = resolveConfig(config)
    const conn = createConnection('ws://relay.test', {
      ...config,
      socketFactory: network.factory,
      scheduler,
      components: { reconnectPolicy: exponentialBackoff(resolved.reconnect, () => 0.5) },
    })
    const statuses: ConnectionStatus[] = []
    /** The statuses each activate() saw, in order: every change while it was subscribed. */
    const watches: ConnectionStatus[][] = []
    const errors: HoneybeeError[] = []
    network.defer = (fn) => scheduler.schedule(fn)
    const rig: Rig = {
      scheduler,
      network,
      conn,
      statuses,
      errors,
      at: (t, fn) => {
        scheduler.schedule(fn, t - scheduler.now())
      },
      activate: () => {
        const seen: ConnectionStatus[] = []
        watches.push(seen)
        const subscription = conn.status$.subscribe((s) => {
          statuses.push(s)
          seen.push(s)
        })
        subscription.add(conn.errors$.subscribe((e) => errors.push(e)))
        subscription.add(conn.messages$.subscribe())
        return subscription
      },
    }
    body(rig)
    // Virtual time would run forever with unlimited retries; every scenario ends by 10 minutes.
    scheduler.schedule(() => conn.close(), 600_000)
    scheduler.flush()
    for (const seen of watches) {
      const illegal = seen.slice(1).filter((next, i) => !canTransition(seen[i]!, next))
      expect(illegal, `illegal move in ${seen.join(' → ')}`).toEqual([])
    }
  })
}

const codes = (errors: HoneybeeError[]): string[] => errors.map((e) => e.code)

describe('activation', () => {
  it('opens nothing until something subscribes, then shares one socket', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const network = new FakeNetwork()
      const conn = createConnection('ws://relay.test', { socketFactory: network.factory, scheduler })
      expect(network.sockets).toHaveLength(0)
      expect(conn.status).toBe('disconnected')
      const a = conn.messages$.subscribe()
      const b = conn.events$.subscribe()
      const c = conn.status$.subscribe()
      expect(network.sockets).toHaveLength(1)
      a.unsubscribe()
      b.unsubscribe()
      c.unsubscribe()
    })
  })

  it('closes gracefully keepAlive ms after the last subscriber leaves, and reopens on demand', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const network = new FakeNetwork()
      const conn = createConnection('ws://relay.test', {
        socketFactory: network.factory,
        scheduler,
        keepAlive: 500,
      })
      const sub = conn.messages$.subscribe()
      network.last.open()
      scheduler.schedule(() => sub.unsubscribe(), 1000)
      scheduler.schedule(() => {
        expect(network.last.closedWith).toBeUndefined() // still within keepAlive
      }, 1499)
      scheduler.schedule(() => {
        expect(network.last.closedWith).toEqual({ code: 1000, reason: 'no subscribers' })
        expect(conn.status).toBe('closing')
        network.last.end({ code: 1000, reason: '' })
        expect(conn.status).toBe('disconnected')
        conn.messages$.subscribe()
        expect(network.sockets).toHaveLength(2)
      }, 1501)
    })
  })

  it('a subscriber arriving within keepAlive keeps the same socket', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const network = new FakeNetwork()
      const conn = createConnection('ws://relay.test', {
        socketFactory: network.factory,
        scheduler,
        keepAlive: 500,
      })
      const first = conn.messages$.subscribe()
      network.last.open()
      scheduler.schedule(() => first.unsubscribe(), 100)
      scheduler.schedule(() => conn.messages$.subscribe(), 400)
      scheduler.schedule(() => {
        expect(network.sockets).toHaveLength(1)
        expect(network.last.closedWith).toBeUndefined()
      }, 5000)
    })
  })
})

describe('reconnection', () => {
  it('redials on the exponential schedule and gives up after maxAttempts', () => {
    inVirtualTime({}, ({ network, activate, statuses, errors, scheduler, at }) => {
      const dialTimes: number[] = []
      network.onSocket = (socket) => {
        dialTimes.push(scheduler.now())
        socket.end() // every attempt fails at once
      }
      activate()
      at(120_000, () => {
        expect(dialTimes).toEqual([0, 1000, 3000, 7000, 15_000, 31_000])
        expect(statuses.at(-1)).toBe('error')
        expect(codes(errors).at(-1)).toBe('MaxReconnectAttemptsExceeded')
        expect(codes(errors).filter((c) => c === 'ConnectionFailed')).toHaveLength(6)
      })
    })
  })

  it('fails an attempt that does not open within connectTimeout and backs off', () => {
    inVirtualTime({ connectTimeout: 10_000 }, ({ network, activate, at, errors, conn }) => {
      activate()
      at(9_999, () => expect(network.last.terminated).toBe(false))
      at(10_001, () => {
        expect(network.last.terminated).toBe(true)
        expect(conn.status).toBe('backoff')
        expect(codes(errors)).toEqual(['ConnectionTimeout'])
      })
      at(11_001, () => expect(network.sockets).toHaveLength(2))
    })
  })

  it('a flapping relay (accepts, drops after 5 ms) sees growing delays, not a reconnect per second', () => {
    inVirtualTime({ reconnect: { maxAttempts: 0 } }, ({ network, activate, scheduler, at }) => {
      const opens: number[] = []
      network.onSocket = (socket) => {
        opens.push(scheduler.now())
        socket.open()
        scheduler.schedule(() => socket.end({ code: 1001, reason: 'bye' }), 5)
      }
      activate()
      at(60_000, () => {
        const gaps = opens.slice(1).map((t, i) => t - (opens[i] ?? 0) - 5)
        expect(gaps).toEqual([1000, 2000, 4000, 8000, 16_000])
        expect(opens).toHaveLength(6) // the 7th would come at 61 s + 30 s
      })
    })
  })

  it('with real jitter, each flap waits within ±20 % of the exponential schedule', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const network = new FakeNetwork()
      network.defer = (fn) => scheduler.schedule(fn)
      const conn = createConnection('ws://relay.test', {
        socketFactory: network.factory,
        scheduler,
        reconnect: { maxAttempts: 0 },
      })
      const opens: number[] = []
      network.onSocket = (socket) => {
        opens.push(scheduler.now())
        socket.open()
        scheduler.schedule(() => socket.end({ code: 1001, reason: 'bye' }), 5)
      }
      conn.messages$.subscribe()
      scheduler.schedule(() => {
        const gaps = opens.slice(1).map((t, i) => t - (opens[i] ?? 0) - 5)
        const bases = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]
        expect(gaps.length).toBeGreaterThanOrEqual(5)
        gaps.forEach((gap, i) => {
          const base = bases[i] ?? 30_000
          expect(gap).toBeGreaterThanOrEqual(Math.floor(base * 0.8))
          expect(gap).toBeLessThanOrEqual(Math.min(30_000, Math.ceil(base * 1.2)))
        })
        conn.close()
      }, 120_000)
    })
  })

  it('resets the attempt counter once a connection has stayed up for stableAfter', () => {
    inVirtualTime({}, ({ network, activate, at }) => {
      activate()
      network.last.open()
      at(500, () => network.last.end()) // lost before stable: next delay 1000
      at(1501, () => {
        expect(network.sockets).toHaveLength(2)
        network.last.open()
      })
      at(2001, () => network.last.end()) // still unstable: attempt 2, delay 2000
      at(4002, () => {
        expect(network.sockets).toHaveLength(3)
        network.last.open()
      })
      at(20_000, () => network.last.end()) // stable for 16 s: counter reset, delay 1000
      at(20_999, () => expect(network.sockets).toHaveLength(3))
      at(21_001, () => expect(network.sockets).toHaveLength(4))
    })
  })

  it('runs onReconnect hooks after a reconnect, and their writes go before held ones', () => {
    inVirtualTime({}, ({ network, activate, at, conn }) => {
      activate()
      conn.onReconnect(() => conn.send('["REQ","restored",{}]'))
      network.last.open()
      at(100, () => {
        network.last.end()
        conn.send('["EVENT",{"held":1}]')
      })
      at(1101, () => network.last.open())
      at(1102, () => expect(network.last.sent).toEqual(['["REQ","restored",{}]', '["EVENT",{"held":1}]']))
    })
  })

  it('does not reconnect after a non-retriable close code', () => {
    inVirtualTime({}, ({ network, activate, at, conn }) => {
      activate()
      network.last.open()
      at(100, () => network.last.end({ code: 4000, reason: 'go away' }))
      at(60_000, () => {
        expect(network.sockets).toHaveLength(1)
        expect(conn.status).toBe('error')
      })
    })
  })

  it('close() during backoff stops every timer', () => {
    inVirtualTime({}, ({ network, activate, at, conn, scheduler }) => {
      activate()
      network.last.end()
      at(10, () => {
        expect(conn.status).toBe('backoff')
        conn.close()
        expect(conn.status).toBe('closed')
        expect(scheduler.actions.filter((a) => a.state !== undefined)).toHaveLength(0)
      })
      at(100_000, () => expect(network.sockets).toHaveLength(1))
    })
  })
})

describe('health', () => {
  it('pings after pingInterval of silence and declares a silent peer unhealthy within interval + timeout × threshold', () => {
    inVirtualTime({}, ({ network, activate, at, errors, conn }) => {
      activate()
      const first = network.last
      first.open()
      at(24_999, () => expect(first.pings).toBe(0))
      at(25_000, () => expect(first.pings).toBe(1))
      at(40_001, () => {
        expect(codes(errors)).toEqual(['PongTimeout'])
        expect(first.pings).toBe(2)
      })
      at(69_999, () => expect(conn.status).toBe('connected'))
      at(70_001, () => {
        expect(codes(errors)).toEqual(['PongTimeout', 'PongTimeout', 'ConnectionUnhealthy'])
        expect(first.terminated).toBe(true)
        expect(conn.status).toBe('backoff')
      })
      at(71_001, () => expect(network.sockets).toHaveLength(2))
    })
  })

  it('a pong, or any message, keeps the connection healthy and records latency', () => {
    inVirtualTime({}, ({ network, activate, at, errors, conn }) => {
      activate()
      const socket = network.last
      socket.open()
      at(25_040, () => socket.pong())
      at(40_000, () => socket.receive('["NOTICE","still here"]'))
      // Silent again after 40 s: the next ping is due at 65 s.
      at(64_999, () => {
        expect(socket.pings).toBe(1)
        expect(conn.status).toBe('connected')
        expect(codes(errors)).toEqual([])
        expect(conn.metrics().lastPongLatency).toBe(40)
      })
    })
  })

  it('writes made while an unhealthy socket is torn down are held and delivered after reconnect', () => {
    inVirtualTime({}, ({ network, activate, at, conn }) => {
      activate()
      network.last.open()
      at(70_001, () => {
        expect(conn.status).toBe('backoff') // the unhealthy socket was terminated at 70 s
        conn.send('["EVENT",{"n":1}]')
      })
      at(71_001, () => network.last.open())
      at(71_002, () => {
        expect(network.sockets[0]?.sent).toEqual([])
        expect(network.last.sent).toEqual(['["EVENT",{"n":1}]'])
      })
    })
  })
})

describe('writes', () => {
  it('send alone activates; writes are held while connecting and flushed in order exactly once', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
    scheduler.run(() => {
      const network = new FakeNetwork()
      const conn = createConnection('ws://relay.test', { socketFactory: network.factory, scheduler })
      for (let i = 0; i < 1000; i++) conn.send(`["EVENT",{"n":${i}}]`)
      expect(network.sockets).toHaveLength(1)
      scheduler.schedule(() => network.last.open(), 50)
      scheduler.schedule(() => {
        expect(network.last.sent).toEqual(Array.from({ length: 1000 }, (_, i) => `["EVENT",{"n":${i}}]`))
        expect(conn.bufferedAmount).toBe(0)
      }, 51)
      // With the writes flushed and nobody subscribed, the connection closes after keepAlive.
      scheduler.schedule(() => expect(network.last.closedWith?.code).toBe(1000), 1051)
    })
  })

  it('refuses writes over the queue limit with WriteQueueFull, and oversized ones with EnvelopeTooLarge', () => {
    inVirtualTime({ writeQueue: { maxMessages: 2 }, maxMessageSize: 100 }, ({ conn }) => {
      conn.send('["A"]')
      conn.send('["B"]')
      expect(() => conn.send('["C"]')).toThrow(expect.objectContaining({ code: 'WriteQueueFull' }))
      expect(() => conn.send(`["${'x'.repeat(200)}"]`)).toThrow(
        expect.objectContaining({ code: 'EnvelopeTooLarge' }),
      )
      conn.close()
      expect(() => conn.send('["D"]')).toThrow(expect.objectContaining({ code: 'InvalidState' }))
    })
  })

  it('paces writes by the rate limit when it is on', () => {
    inVirtualTime(
      { rateLimit: { enabled: true, messagesPerSecond: 10, burst: 30 } },
      ({ network, conn, activate, at }) => {
        activate()
        network.last.open()
        for (let i = 0; i < 50; i++) conn.send(`["N",${i}]`)
        expect(network.last.sent).toHaveLength(30)
        at(1001, () => expect(network.last.sent).toHaveLength(40))
        at(2001, () => expect(network.last.sent.at(-1)).toBe('["N",49]'))
      },
    )
  })

  it('holds writes while the socket buffers more than the high-water mark', () => {
    inVirtualTime({ writeQueue: { highWaterMark: 1000 } }, ({ network, conn, activate, at }) => {
      activate()
      network.last.open()
      network.last.bufferedAmount = 5000
      conn.send('["HELD"]')
      expect(network.last.sent).toEqual([])
      expect(conn.bufferedAmount).toBe(5000 + '["HELD"]'.length)
      at(30, () => {
        network.last.bufferedAmount = 0
      })
      at(50, () => expect(network.last.sent).toEqual(['["HELD"]']))
    })
  })

  it('sends held writes as soon as the socket reports it drained, not at the next look', () => {
    inVirtualTime({ writeQueue: { highWaterMark: 1000 } }, ({ network, conn, activate, at }) => {
      activate()
      network.last.open()
      network.last.bufferedAmount = 5000
      conn.send('["HELD"]')
      at(3, () => {
        network.last.drain()
        expect(network.last.sent).toEqual(['["HELD"]'])
        // Nothing held: a drain then sends nothing, twice or otherwise.
        network.last.drain()
        expect(network.last.sent).toEqual(['["HELD"]'])
      })
    })
  })
})

describe('incoming', () => {
  it('tells when the last message arrived, on its own clock', () => {
    inVirtualTime({}, ({ network, conn, activate, at }) => {
      activate()
      expect(conn.lastMessageAt).toBeUndefined()
      at(5, () => {
        network.last.open()
        network.last.receive('["NOTICE","hi"]')
      })
      at(9, () => expect(conn.lastMessageAt).toBe(5))
    })
  })

  it('drops and reports an oversized envelope, and the stream goes on', () => {
    inVirtualTime({ maxMessageSize: 50 }, ({ network, conn, errors, activate }) => {
      activate()
      const got: string[] = []
      conn.messages$.subscribe((m) => got.push(m))
      network.last.open()
      network.last.receive(`["NOTICE","${'x'.repeat(100)}"]`)
      network.last.receive('["NOTICE","ok"]')
      expect(got).toEqual(['["NOTICE","ok"]'])
      expect(codes(errors)).toEqual(['EnvelopeTooLarge'])
      expect(conn.metrics().errors).toBe(1)
    })
  })

  it('routes by label and reports malformed and unknown envelopes without ending the streams', () => {
    inVirtualTime({ customLabels: ['COUNT'] }, ({ network, conn, errors, activate }) => {
      activate()
      const eose: string[] = []
      const count: string[] = []
      conn.eose$.subscribe((m) => eose.push(m))
      conn.label$('COUNT').subscribe((m) => count.push(m))
      network.last.open()
      for (const m of [
        '["EOSE","a"]',
        'not json',
        '["WHAT",1]',
        '["COUNT","q",{"count":1}]',
        '["EOSE","b"]',
      ]) {
        network.last.receive(m)
      }
      expect(eose).toEqual(['["EOSE","a"]', '["EOSE","b"]'])
      expect(count).toEqual(['["COUNT","q",{"count":1}]'])
      expect(codes(errors)).toEqual(['MalformedEnvelope', 'UnknownEnvelopeType'])
    })
  })
})

describe('close', () => {
  it('flushes held writes, closes gracefully, completes every stream, and is idempotent', () => {
    inVirtualTime({ rateLimit: { enabled: true, burst: 1 } }, ({ network, conn, activate }) => {
      let completed = 0
      conn.messages$.subscribe({ complete: () => completed++ })
      conn.status$.subscribe({ complete: () => completed++ })
      activate()
      network.last.open()
      conn.send('["A"]')
      conn.send('["B"]') // held by the rate limit
      conn.close()
      conn.close()
      expect(network.last.sent).toEqual(['["A"]', '["B"]'])
      expect(network.last.closedWith?.code).toBe(1000)
      expect(conn.status).toBe('closing')
      network.last.end({ code: 1000, reason: '' })
      expect(conn.status).toBe('closed')
      expect(completed).toBe(2)
    })
  })

  it('terminates a peer that never answers the close handshake after closeTimeout', () => {
    inVirtualTime({ closeTimeout: 2000 }, ({ network, conn, activate, at }) => {
      activate()
      network.last.open()
      conn.close()
      at(1999, () => expect(network.last.terminated).toBe(false))
      at(2000, () => {
        expect(network.last.terminated).toBe(true)
        expect(conn.status).toBe('closed')
      })
    })
  })
})
