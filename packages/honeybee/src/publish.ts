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
import { Observable, type Subscription } from 'rxjs'
import type { Connection } from './connection.js'
import { ConnectionError, TimeoutError, UsageError } from './errors.js'
import type { NostrEvent } from './nostr.js'
import { parseReply, type ReplyPrefix } from './relay-reply.js'
import { authenticated } from './req.js'
import { type ConnectedWatcher, type OkMessage, type OkWaiter, type Session, sessionOf } from './session.js'
import { exceedsUtf8, utf8Length } from './utf8-length.js'

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
export function publish(
  connection: Connection,
  event: NostrEvent | string,
  options: PublishOptions = {},
): Observable<OkResult> {
  return new Observable<OkResult>((subscriber) => {
    const json = typeof event === 'string' ? event : JSON.stringify(event)
    const eventId = typeof event === 'string' ? peekEventId(json) : event.id
    const pending = startPublish(connection, json, eventId, options, {
      result: (ok) => {
        subscriber.next(ok)
        subscriber.complete()
      },
      error: (error) => subscriber.error(error),
    })
    return () => pending.stop()
  })
}

/** Where {@link startPublish} reports: one call of either, once. @internal */
export interface PublishReport {
  result(ok: OkResult): void
  error(error: unknown): void
}

/** A publish under way, from {@link startPublish}. @internal */
export interface PublishInFlight {
  /** Stops waiting and releases everything, without reporting (unsubscribe). Idempotent. */
  stop(): void
}

/**
 * The body of {@link publish}, reporting to an object instead of a subscriber: `publishAcross` runs
 * one per relay of a pool. Reports once, then releases everything, as a subscriber that completes or
 * errors does. Reports synchronously, before returning, when the event cannot be sent at all.
 *
 * The state of a publish is one object ({@link PendingPublish}) whose methods the session calls,
 * rather than a dozen closures and their contexts: with 10,000 publishes awaiting their OK, what each
 * holds is what the garbage collector copies, again and again (bench/pool.bench.ts W3).
 * @internal
 */
export function startPublish(
  connection: Connection,
  json: string,
  eventId: string | undefined,
  options: PublishOptions,
  report: PublishReport,
): PublishInFlight {
  const session = sessionOf(connection)
  if (eventId === undefined) {
    report.error(new UsageError('InvalidArgument', 'cannot publish an event without a string id'))
    return STOPPED
  }
  // The envelope is built again at each send rather than kept: only the event JSON stays in memory
  // while the OK is awaited.
  const envelope = encloseEvent(json)
  if (exceedsUtf8(envelope, session.maxMessageLength())) {
    report.error(
      new UsageError(
        'EnvelopeTooLarge',
        `EVENT of ${utf8Length(envelope)} bytes exceeds the relay's ${session.maxMessageLength()}`,
      ),
    )
    return STOPPED
  }
  const pending = new PendingPublish(
    connection,
    session,
    json,
    eventId,
    options.timeout ?? connection.config.okTimeout,
    report,
  )
  pending.start()
  return pending
}

const STOPPED: PublishInFlight = { stop: () => undefined }

/** Fires a publish's OK timeout; a function of the module, so that no closure is made per publish. */
function timeOut(this: unknown, pending?: PendingPublish): void {
  pending?.timedOut()
}

/** Marks a copy as handed to the socket, in a microtask. */
function markHanded(pending: PendingPublish): void {
  pending.handedToSocket = true
}

class PendingPublish implements PublishInFlight, OkWaiter, ConnectedWatcher {
  readonly #connection: Connection
  readonly #session: Session
  readonly #json: string
  readonly #eventId: string
  readonly #limit: number
  readonly #report: PublishReport
  #closed = false
  #authRetried = false
  #waitForAuth: Subscription | undefined
  /** Whether a copy reached a socket that may since have died (then a reconnect must send it again). */
  handedToSocket = false
  #clock: Subscription | undefined
  #release: (() => void) | undefined
  #undoResend: (() => void) | undefined

  constructor(
    connection: Connection,
    session: Session,
    json: string,
    eventId: string,
    limit: number,
    report: PublishReport,
  ) {
    this.#connection = connection
    this.#session = session
    this.#json = json
    this.#eventId = eventId
    this.#limit = limit
    this.#report = report
  }

  start(): void {
    this.#release = this.#session.hold()
    this.#session.addOkWaiter(this.#eventId, this)
    // Reconnect hooks run before held writes are flushed: a copy still held goes out right after.
    this.#undoResend = this.#connection.onReconnect(() => {
      if (this.handedToSocket) this.#send()
    })
    // The clock runs only while connected (see onConnectedChange); the session calls back at once.
    this.#session.watchConnected(this)
    this.#send()
  }

  /** The relay answered (session). */
  onOk(ok: OkMessage): void {
    const { prefix } = parseReply(ok.message)
    const connection = this.#connection
    if (
      !ok.accepted &&
      prefix === 'auth-required' &&
      connection.hooks.authenticate !== undefined &&
      !this.#authRetried
    ) {
      this.#authRetried = true
      this.#waitForAuth = authenticated(connection).subscribe({
        next: () => this.#send(),
        error: () => this.#settle(false, ok.message, prefix),
      })
      return
    }
    this.#settle(ok.accepted || prefix === 'duplicate', ok.message, prefix)
  }

  /**
   * The connection came up or went down (session). The clock runs only while connected, restarting at
   * each (re)connection: a relay that is down is the reconnect logic's business.
   */
  onConnectedChange(connected: boolean): void {
    this.#clock?.unsubscribe()
    this.#clock = undefined
    if (!connected) return
    // Connected: a held copy is flushed once the connection's own reconnect work is done.
    if (!this.handedToSocket) void Promise.resolve(this).then(markHanded)
    this.#clock = this.#connection.scheduler.schedule(timeOut, this.#limit, this)
  }

  /**
   * The connection gave up reconnecting, or was closed (session): without a socket no OK can come,
   * so the publish ends now rather than never. After giving up, the copy it holds stays queued and
   * goes out if the connection is revived: "not answered" is not a promise that the relay never sees it.
   */
  onEnded(status: 'error' | 'closed'): void {
    const what = status === 'closed' ? 'was closed' : 'stopped reconnecting'
    this.#fail(
      new ConnectionError(
        'ConnectionClosed',
        `${this.#connection.url} ${what} before it answered ${this.#eventId}`,
      ),
    )
  }

  timedOut(): void {
    this.#clock = undefined
    const limit = this.#limit
    this.#fail(
      new TimeoutError(
        'Timeout',
        `no OK from ${this.#connection.url} for ${this.#eventId} in ${limit} ms`,
        limit,
      ),
    )
  }

  stop(): void {
    if (this.#closed) return
    this.#closed = true
    this.#session.unwatchConnected(this)
    this.#clock?.unsubscribe()
    this.#undoResend?.()
    this.#session.removeOkWaiter(this.#eventId, this)
    this.#waitForAuth?.unsubscribe()
    this.#release?.()
  }

  #send(): void {
    try {
      this.handedToSocket = this.#connection.send(encloseEvent(this.#json))
    } catch (error) {
      this.#fail(error)
    }
  }

  #fail(error: unknown): void {
    if (this.#closed) return
    this.#report.error(error)
    this.stop()
  }

  #settle(accepted: boolean, message: string, prefix: ReplyPrefix | undefined): void {
    if (this.#closed) return
    this.#report.result({ eventId: this.#eventId, accepted, message, prefix })
    this.stop()
  }
}
