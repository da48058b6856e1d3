/**
 * @module One event published to every relay of a pool: one verdict per relay (spec honeybee §12).
 *
 * Failures are values (STYLE G11): a relay that does not answer in time, or cannot take the event,
 * gives `{ accepted: false, error }` like any refusal, and the other relays' verdicts still arrive.
 */
import { peekEventId } from 'roots-ws'
import { Observable, type Subscriber } from 'rxjs'
import { ConnectionError, type HoneybeeError, UsageError } from './errors.js'
import type { NostrEvent } from './nostr.js'
import { asHoneybeeError, type LeaveListener, type PoolRelay, type RelaySet } from './pool-relays.js'
import {
  type OkResult,
  type PublishInFlight,
  type PublishOptions,
  type PublishReport,
  startPublish,
} from './publish.js'

/** One relay's verdict on an event published through a pool. */
export interface PoolOkResult extends OkResult {
  /** The relay (normalized URL) that answered. */
  readonly relay: string
  /**
   * Why there is no verdict from the relay, when there is none: a `TimeoutError` when no OK came in
   * time, a `ConnectionError` (`ConnectionClosed`) when the relay left the pool first, a `UsageError`
   * when it could not take the event (`EnvelopeTooLarge`, …). `accepted` is then `false`, `message`
   * empty and `prefix` undefined. `undefined` when the relay answered.
   */
  readonly error: HoneybeeError | undefined
}

/**
 * Publishes `event` to every relay in the pool when subscribed, for `Pool.publish`. Cold. Emits one
 * {@link PoolOkResult} per relay in the order they answer, then completes; nothing with no relays.
 * Relays that join meanwhile are not asked. Caller errors (no event id, a closed pool) error it.
 * @internal
 */
export function publishAcross(
  relays: RelaySet,
  event: NostrEvent | string,
  options: PublishOptions,
): Observable<PoolOkResult> {
  return new Observable<PoolOkResult>((subscriber) => {
    let json: string
    try {
      relays.assertOpen('publish')
      // Serialized once for every relay.
      json = typeof event === 'string' ? event : JSON.stringify(event)
    } catch (error) {
      subscriber.error(
        error instanceof UsageError
          ? error
          : new UsageError('InvalidArgument', `the event cannot be serialized: ${String(error)}`),
      )
      return undefined
    }
    const eventId = peekEventId(json)
    if (eventId === undefined) {
      subscriber.error(new UsageError('InvalidArgument', 'cannot publish an event without a string id'))
      return undefined
    }

    const targets = relays.current()
    const round: Round = { subscriber, pending: targets.length }
    // One small object per relay, whose methods are called back (PublishReport, LeaveListener), rather
    // than closures and Subscriptions: less to allocate and hold while the OKs are awaited.
    // `map`, not `push`: an array that grows by push reserves room for 16 more.
    const verdicts = targets.map((relay) => new RelayVerdict(relay, eventId, round))
    for (const verdict of verdicts) {
      const relay = verdict.relay
      // startPublish is publish() without its Observable and subscriber.
      verdict.inFlight = startPublish(relay.connection, json, eventId, options, verdict)
      // A relay that leaves never answers: its verdict is that it left. (onLeave, not left$: see there.)
      relay.onLeave(verdict)
    }
    if (targets.length === 0) subscriber.complete()
    return () => {
      for (const verdict of verdicts) verdict.stop()
    }
  })
}

/** One pool publish: where the verdicts go, and how many are still awaited. */
interface Round {
  readonly subscriber: Subscriber<PoolOkResult>
  pending: number
}

/** One relay's part of a pool publish. */
class RelayVerdict implements PublishReport, LeaveListener {
  readonly relay: PoolRelay
  readonly #eventId: string
  readonly #round: Round
  #answered = false
  inFlight: PublishInFlight | undefined

  constructor(relay: PoolRelay, eventId: string, round: Round) {
    this.relay = relay
    this.#eventId = eventId
    this.#round = round
  }

  result(ok: OkResult): void {
    // Spelled out rather than `{ ...ok, relay, error }`: spreading is slow, and these are all of it.
    this.#answer({
      eventId: ok.eventId,
      accepted: ok.accepted,
      message: ok.message,
      prefix: ok.prefix,
      relay: this.relay.url,
      error: undefined,
    })
  }

  error(error: unknown): void {
    this.#failed(asHoneybeeError(error, this.relay.url))
  }

  left(): void {
    const url = this.relay.url
    this.#failed(
      new ConnectionError('ConnectionClosed', `${url} left the pool before it answered ${this.#eventId}`, {
        retriable: false,
      }),
    )
  }

  stop(): void {
    this.inFlight?.stop()
    this.relay.offLeave(this)
  }

  #failed(error: HoneybeeError): void {
    this.#answer({
      relay: this.relay.url,
      eventId: this.#eventId,
      accepted: false,
      message: '',
      prefix: undefined,
      error,
    })
  }

  #answer(result: PoolOkResult): void {
    if (this.#answered) return
    this.#answered = true
    const round = this.#round
    round.subscriber.next(result)
    if (--round.pending === 0) round.subscriber.complete()
  }
}
