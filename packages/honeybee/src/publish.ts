/**
 * @module `publish`: send an event and wait for the relay's OK (spec honeybee §9, NIP-01 EVENT/OK).
 *
 * One value, then complete. An OK for another event is not taken. The OK clock runs only while the
 * connection is connected, so an event published while the relay is down is held, sent after the
 * reconnect, and answered then; a copy that had reached a socket is sent again after each reconnect
 * until answered (it may have gone down with the old socket), and a relay's `duplicate:` answer counts
 * as accepted.
 * Nothing is reported accepted without an OK.
 *
 * @example
 * ```ts
 * publish(conn, signedEvent).subscribe(({ accepted, message }) => console.log(accepted, message))
 * ```
 */
import { encloseEvent, peekEventId } from 'roots-ws'
import { EMPTY, Observable, type Subscription, switchMap, tap, timer } from 'rxjs'
import type { Connection } from './connection.js'
import { TimeoutError, UsageError } from './errors.js'
import type { NostrEvent } from './nostr.js'
import { parseReply, type ReplyPrefix } from './relay-reply.js'
import { authenticated } from './req.js'
import { sessionOf } from './session.js'

/** The relay's verdict on a published event. */
export interface OkResult {
  readonly eventId: string
  /** True when the relay stored it, or already had it (`duplicate:`). */
  readonly accepted: boolean
  /** The relay's message, as sent. */
  readonly message: string
  /** The message's NIP-01 machine-readable prefix, if it has a standard one. */
  readonly prefix: ReplyPrefix | undefined
}

/** Options for {@link publish}. */
export interface PublishOptions {
  /** How long to wait for the OK while connected, in ms. @default connection.config.okTimeout */
  readonly timeout?: number
}

/**
 * Publishes `event` (an object, or its raw JSON text) on `connection`. Cold: each subscription sends.
 * @throws via the stream: `UsageError` (`InvalidArgument` without an id, `EnvelopeTooLarge` over the
 * relay's limit), `TimeoutError` when no OK arrives in time.
 */
export function publish(connection: Connection, event: NostrEvent | string, options: PublishOptions = {}): Observable<OkResult> {
  return new Observable<OkResult>((subscriber) => {
    const session = sessionOf(connection)
    const json = typeof event === 'string' ? event : JSON.stringify(event)
    const eventId = typeof event === 'string' ? peekEventId(json) : event.id
    const envelope = encloseEvent(json)
    if (eventId === undefined) {
      subscriber.error(new UsageError('InvalidArgument', 'cannot publish an event without a string id'))
      return undefined
    }
    if (envelope.length > session.maxMessageLength()) {
      subscriber.error(
        new UsageError('EnvelopeTooLarge', `EVENT of ${envelope.length} bytes exceeds the relay's ${session.maxMessageLength()}`),
      )
      return undefined
    }

    const limit = options.timeout ?? connection.config.okTimeout
    const release = session.hold()
    let authRetried = false
    let waitForAuth: Subscription | undefined
    // Whether a copy reached a socket that may since have died (then a reconnect must send it again).
    let handedToSocket = false
    const send = (): void => {
      try {
        handedToSocket = connection.send(envelope)
      } catch (error) {
        subscriber.error(error)
      }
    }
    const resendAfterReconnect = (): void => {
      // Reconnect hooks run before held writes are flushed: a copy still held goes out right after.
      if (handedToSocket) send()
    }
    const settle = (accepted: boolean, message: string, prefix: ReplyPrefix | undefined): void => {
      subscriber.next({ eventId, accepted, message, prefix })
      subscriber.complete()
    }

    const stopWaiting = session.awaitOk(eventId, (ok) => {
      const { prefix } = parseReply(ok.message)
      if (!ok.accepted && prefix === 'auth-required' && connection.hooks.authenticate !== undefined && !authRetried) {
        authRetried = true
        waitForAuth = authenticated(connection).subscribe({
          next: send,
          error: () => settle(false, ok.message, prefix),
        })
        return
      }
      settle(ok.accepted || prefix === 'duplicate', ok.message, prefix)
    })
    const undoResend = connection.onReconnect(resendAfterReconnect)
    // The clock runs only while connected: a relay that is down is the reconnect logic's business.
    const clock = connection.status$
      .pipe(
        tap((status) => {
          // Connected: a held copy is flushed once the connection's own reconnect work is done.
          if (status === 'connected' && !handedToSocket) void Promise.resolve().then(() => (handedToSocket = true))
        }),
        switchMap((status) => (status === 'connected' ? timer(limit, connection.scheduler) : EMPTY)),
      )
      .subscribe(() =>
        subscriber.error(new TimeoutError('Timeout', `no OK from ${connection.url} for ${eventId} in ${limit} ms`, limit)),
      )
    send()
    return () => {
      clock.unsubscribe()
      undoResend()
      stopWaiting()
      waitForAuth?.unsubscribe()
      release()
    }
  })
}
