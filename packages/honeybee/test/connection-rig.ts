/**
 * A connection in virtual time on a scripted network, for tests of the initiator side: sockets open
 * at once (unless a test replaces `network.onSocket`), a lost one is redialled after 1000 ms without
 * jitter (unless the config says otherwise), and the connection closes at 600 s, so that every timer
 * the test left ends.
 */
import { findReq } from 'roots-ws'
import { TestScheduler } from 'rxjs/testing'
import { expect } from 'vitest'
import { type Connection, createConnection } from '../src/connection.js'
import type { ConnectionOptions } from '../src/connection-api.js'
import type { Filter, NostrEvent } from '../src/nostr.js'
import { FakeNetwork, type FakeSocket } from './fake-socket.js'

export interface ConnectionRig {
  readonly scheduler: TestScheduler
  readonly network: FakeNetwork
  readonly conn: Connection
  /** Runs `fn` at virtual time `t`. */
  at(t: number, fn: () => void): void
}

/** Runs `body` in virtual time with a connection to `ws://relay.test` made with `options`. */
export function inVirtualTime(
  options: Omit<ConnectionOptions, 'socketFactory' | 'scheduler'>,
  body: (rig: ConnectionRig) => void,
): void {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))
  scheduler.run(() => {
    const network = new FakeNetwork()
    network.defer = (fn) => scheduler.schedule(fn)
    network.onSocket = (socket) => socket.open()
    const conn = createConnection('ws://relay.test', {
      ...options,
      reconnect: { jitter: 0, initialDelay: 1000, ...options.reconnect },
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

/** The REQs `socket` received, parsed, in order. */
export function sentReqs(socket: FakeSocket): { subId: string; filters: Filter[] }[] {
  return socket.sent
    .filter((e) => e.startsWith('["REQ"'))
    .map((e) => {
      const { subId, filters } = findReq(e)
      return { subId, filters: filters.map((f) => JSON.parse(f) as Filter) }
    })
}

/** Event number `n`: id `id<n>`, created at `createdAt`; nothing in it is checked by the initiator side. */
export function testEvent(n: number, createdAt = 1000 + n): NostrEvent {
  return {
    id: `id${n}`,
    pubkey: 'pk',
    created_at: createdAt,
    kind: 1,
    tags: [],
    content: `c${n}`,
    sig: 'sig',
  }
}
