/**
 * @module `sendClose`: the initiator's CLOSE (NIP-01), for a subscription id rather than an observable.
 *
 * Unsubscribing from {@link req} is the usual way to close; this is for code that holds only the id
 * (a REQ it sent itself with `send`, or a `req()` opened elsewhere in the application).
 */
import { encloseClose } from 'roots-ws'
import type { Connection } from './connection.js'
import { UsageError } from './errors.js'
import { sessionOf } from './session.js'

/**
 * Closes subscription `subId` on `connection`. A `req()` with that id completes, is forgotten by the
 * registry (a reconnect does not re-send it), and its CLOSE goes out if its REQ did. An id the
 * registry does not know (a REQ sent by hand) gets its CLOSE all the same, held like any write while
 * the connection is down.
 * @throws {UsageError} `InvalidArgument` for an id that is not 1 to 64 characters (NIP-01).
 * @example
 * ```ts
 * req(conn, { kinds: [1] }, { id: 'feed' }).subscribe({ complete: () => console.log('closed') })
 * sendClose(conn, 'feed') // sends ["CLOSE","feed"] and logs "closed"
 * ```
 */
export function sendClose(connection: Connection, subId: string): void {
  if (subId.length === 0 || subId.length > 64) {
    throw new UsageError('InvalidArgument', `subscription id must be 1 to 64 characters, got ${subId.length}`)
  }
  const removed = sessionOf(connection).registry.remove(subId)
  if (removed === undefined) connection.send(encloseClose(subId))
  else removed.end?.()
}
