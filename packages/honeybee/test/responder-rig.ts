/**
 * A responder on a {@link FakePeer}, in virtual time, with every stream recorded: the rig of the
 * responder's unit tests.
 */
import type { ConnectionStatus } from 'roots-ws'
import type { Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { expect } from 'vitest'
import type { HoneybeeError } from '../src/errors.js'
import { createResponder } from '../src/responder.js'
import type {
  InboundEvent,
  InboundRequest,
  ResponderConnection,
  ResponderOptions,
} from '../src/responder-connection.js'
import { FakePeer } from './fake-peer.js'

export const ID = 'a'.repeat(64)
export const EVENT = `{"id":"${ID}","kind":1,"content":"hi"}`

export interface Rig {
  readonly scheduler: TestScheduler
  readonly peer: FakePeer
  readonly conn: ResponderConnection
  readonly statuses: ConnectionStatus[]
  readonly errors: HoneybeeError[]
  readonly messages: string[]
  readonly reqs: InboundRequest[]
  readonly closes: string[]
  readonly events: InboundEvent[]
  readonly auths: InboundEvent[]
  readonly counts: InboundRequest[]
  /** Streams that completed. */
  readonly completed: string[]
  /** Runs `fn` at virtual time `t`. */
  at(t: number, fn: () => void): void
}

/** Runs `body` against a responder on a fake peer, in virtual time; the scheduler is flushed after. */
export function inVirtualTime(
  options: ResponderOptions,
  body: (rig: Rig) => void,
  peer = new FakePeer(),
): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
  scheduler.run(() => {
    const conn = createResponder(peer.accept, { ...options, scheduler })
    const rig: Rig = {
      scheduler,
      peer,
      conn,
      statuses: [],
      errors: [],
      messages: [],
      reqs: [],
      closes: [],
      events: [],
      auths: [],
      counts: [],
      completed: [],
      at: (t, fn) => void scheduler.schedule(fn, t - scheduler.now()),
    }
    const watch = <T>(name: string, stream: Observable<T>, into: T[]): void => {
      stream.subscribe({ next: (value) => into.push(value), complete: () => rig.completed.push(name) })
    }
    watch('status$', conn.status$, rig.statuses)
    watch('errors$', conn.errors$, rig.errors)
    watch('messages$', conn.messages$, rig.messages)
    watch('reqs$', conn.reqs$, rig.reqs)
    watch('closes$', conn.closes$, rig.closes)
    watch('events$', conn.events$, rig.events)
    watch('auths$', conn.auths$, rig.auths)
    watch('counts$', conn.counts$, rig.counts)
    body(rig)
    scheduler.flush()
  })
}

export const codes = (errors: HoneybeeError[]): string[] => errors.map((e) => e.code)
