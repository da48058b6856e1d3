/**
 * A connection in virtual time on a scripted network, for tests of the initiator side: sockets open
 * at once (unless a test replaces `network.onSocket`), a lost one is redialled after 1000 ms without
 * jitter (unless the config says otherwise), and the connection closes at 600 s, so that every timer
 * the test left ends.
 */
import { findReq } from 'roots-ws'
import { TestScheduler } from 'rxjs/testing'
import { expect } from 'vitest'
import type { PartialConfig } from '../src/config.js'
import { type Connection, createConnection } from '../src/connection.js'
import { FakeNetwork, type FakeSocket } from './fake-socket.js'

export interface ConnectionRig {
  readonly scheduler: TestScheduler
  readonly network: FakeNetwork
  readonly conn: Connection
  /** Runs `fn` at virtual time `t`. */
  at(t: number, fn: () => void): void
}

/** Runs `body` in virtual time with a connection to `ws://relay.test` made with `config`. */
export function inVirtualTime(config: PartialConfig, body: (rig: ConnectionRig) => void): void {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
  scheduler.run(() => {
    const network = new FakeNetwork()
    network.defer = (fn) => scheduler.schedule(fn)
    network.onSocket = (socket) => socket.open()
    const conn = createConnection('ws://relay.test', {
      ...config,
      reconnect: { jitter: 0, initialDelay: 1000, ...config.reconnect },
      socketFactory: network.factory,
      scheduler,
    })
    body({ scheduler, network, conn, at: (t, fn) => scheduler.schedule(fn, t - scheduler.now()) })
    scheduler.schedule(() => conn.close(), 600_000)
    scheduler.flush()
  })
}

/** The subscription ids of the REQs `socket` received, in order. */
export function reqIds(socket: FakeSocket | undefined): string[] {
  return (socket?.sent ?? []).filter((e) => e.startsWith('["REQ"')).map((e) => findReq(e).subId)
}
