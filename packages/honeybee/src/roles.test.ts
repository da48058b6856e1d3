/**
 * The two roles are two types (spec ADR 4): the initiator functions take only a `Connection`, and the
 * responder's methods are not on one. Checked at compile time: `tsc -p tsconfig.test.json` type-checks
 * this file, and every `@ts-expect-error` below fails the build if its line compiles (if a responder
 * were accepted). At run time, the same separation on the objects themselves.
 */
import { assertType, describe, expect, it } from 'vitest'
import { FakeNetwork } from '../test/fake-socket.js'
import { inVirtualTime } from '../test/responder-rig.js'
import {
  authenticated,
  type Connection,
  createConnection,
  type NostrEvent,
  publish,
  type ResponderConnection,
  req,
  subscriptionsOf,
} from './index.js'

const EVENT: NostrEvent = {
  id: 'a'.repeat(64),
  pubkey: 'b'.repeat(64),
  created_at: 1,
  kind: 1,
  tags: [],
  content: 'hi',
  sig: 'c'.repeat(128),
}

/**
 * Takes functions only to have them type-checked; never calls them. Each `@ts-expect-error` above an
 * argument then stands for that argument's own error alone (nothing is left unused to satisfy it).
 */
const compileOnly = (..._fns: ((...args: never[]) => unknown)[]): void => undefined

/** A lazy initiator on a fake network: nothing is dialled while nothing subscribes. */
function initiator(): Connection {
  return createConnection('ws://relay.test', { socketFactory: new FakeNetwork().factory })
}

describe('initiator functions do not accept a responder connection', () => {
  it('publish, req, authenticated and subscriptionsOf take a Connection, not a ResponderConnection', () => {
    inVirtualTime({}, ({ conn: responder }) => {
      expect(responder.role).toBe('responder')
      const conn = initiator()
      expect(conn.role).toBe('initiator')

      // The same calls compile with an initiator: the errors below are about the role alone.
      publish(conn, EVENT)
      req(conn, { kinds: [1] })
      authenticated(conn)
      expect(subscriptionsOf(conn).list()).toEqual([])

      // Compiled, never run: a responder has no configuration or session for them to read.
      compileOnly(
        // @ts-expect-error a responder is not a Connection
        () => publish(responder, EVENT),
        // @ts-expect-error a responder is not a Connection
        () => req(responder, { kinds: [1] }),
        // @ts-expect-error a responder is not a Connection
        () => authenticated(responder),
        // @ts-expect-error a responder is not a Connection
        () => subscriptionsOf(responder),
      )
      // @ts-expect-error a responder is not a Connection, as a whole either
      assertType<Connection>(responder)

      // A responder lacks what the initiator functions need of a connection.
      for (const member of ['send', 'url', 'config', 'hooks', 'onReconnect', 'eose$', 'ok$'])
        expect(member in responder, member).toBe(false)
      conn.close()
    })
  })
})

describe('responder methods are not on an initiator Connection', () => {
  it('has no send* methods, subscriptions set or inbound request streams', () => {
    const conn = initiator()
    // Each access is a compile error, and at run time there is nothing there.
    // @ts-expect-error not on a Connection
    expect(conn.sendEvent).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.sendEOSE).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.sendOK).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.sendNotice).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.sendClosed).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.sendAuthChallenge).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.sendCount).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.subscriptions).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.reqs$).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.closes$).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.counts$).toBeUndefined()
    // @ts-expect-error not on a Connection
    expect(conn.terminate).toBeUndefined()
    conn.close()
  })

  it('the role tells the two apart: narrowing on it reaches each side’s own members only', () => {
    // Compiles only because `role` narrows the union: `url` is the initiator's, `id` the responder's.
    const describeSide = (c: Connection | ResponderConnection): string =>
      c.role === 'initiator' ? `initiator of ${c.url}` : `responder ${c.id}`
    // Without narrowing, neither side's own members are reachable.
    compileOnly(
      // @ts-expect-error `url` is on the initiator only
      (c: Connection | ResponderConnection) => c.url,
      // @ts-expect-error `sendNotice` is on the responder only
      (c: Connection | ResponderConnection) => c.sendNotice('hi'),
    )
    // Neither role literal is the other's.
    // @ts-expect-error the role literals differ
    assertType<Connection['role']>('responder')
    // @ts-expect-error the role literals differ
    assertType<ResponderConnection['role']>('initiator')

    const conn = initiator()
    expect(describeSide(conn)).toBe('initiator of ws://relay.test')
    inVirtualTime({ id: 'peer-7' }, ({ conn: responder }) => {
      expect(describeSide(responder)).toBe('responder peer-7')
    })
    conn.close()
  })
})
