/**
 * @module The pool: many relays as one (spec honeybee §12).
 *
 * A pool holds one connection per relay (by normalized URL) and gives the verbs of one connection
 * across all of them: `subscribe` (de-duplicated by event id), `publish` (one verdict per relay),
 * `sendTo`, `broadcast`, and the side channels `statuses$` and `errors$`. Failures are values
 * (STYLE G11): one relay refusing, failing or going away never ends a pool stream; the other relays
 * go on.
 *
 * Like a connection, a pool is lazy: creating it and adding relays opens nothing. Each connection
 * opens when a pool stream that needs it is subscribed (or something is sent to it) and closes by
 * itself `keepAlive` ms after the last one leaves. `close()` releases everything at once.
 *
 * | verb | failures of one relay | completes |
 * | --- | --- | --- |
 * | `subscribe` | `{ type: 'error' \| 'closed', relay }` values | only when the pool closes (relays may join later) |
 * | `publish` | `{ relay, accepted: false, error }` values | when every relay answered, timed out or left |
 * | `broadcast` | one {@link BroadcastError} after every relay was tried | (synchronous) |
 * | `statuses$`, `errors$` | (they are the failures) | when the pool closes |
 *
 * @example
 * ```ts
 * import { createPool } from 'honeybee-node'
 * const pool = createPool({ relays: ['wss://relay.one', 'wss://relay.two'] })
 * pool.subscribe({ kinds: [1], limit: 20 }).subscribe((message) => {
 *   if (message.type === 'event') console.log(message.relay, message.event.content)
 *   if (message.type === 'eose-all') console.log('stored events done everywhere')
 * })
 * ```
 */
import type { ConnectionStatus } from 'roots-ws'
import type { Observable } from 'rxjs'
import type { Connection } from './connection.js'
import { HoneybeeError, type HoneybeeErrorCode } from './errors.js'
import type { Filter, NostrEvent } from './nostr.js'
import { type PoolOkResult, publishAcross } from './pool-publish.js'
import { asHoneybeeError, RelaySet } from './pool-relays.js'
import { errorsOf, type PoolError, type PoolStatuses, statusesOf } from './pool-status.js'
import {
  DEFAULT_MAX_SEEN_IDS,
  type PoolMessage,
  type PoolSubscribeOptions,
  subscribeAcross,
} from './pool-subscribe.js'
import type { PublishOptions } from './publish.js'

/** Many relays behind the verbs of one connection; see the module comment. */
export interface Pool {
  /**
   * Adds the relay at `url` (normalized) and returns its connection, or returns the connection it
   * already has: a relay is never connected twice. Live subscriptions are sent to a new relay at once.
   * Close it through {@link Pool.removeRelay}, not directly.
   * @throws {UsageError} `InvalidArgument` for a URL that is not `ws:`/`wss:`, `InvalidState` after `close()`.
   * @example
   * ```ts
   * const conn = pool.addRelay('WSS://Relay.Example/')
   * pool.addRelay('wss://relay.example') === conn // true
   * ```
   */
  addRelay(url: string): Connection
  /**
   * Takes the relay out and closes its connection. Its part of each subscription ends there (a CLOSE
   * is sent first); the other relays go on. It leaves `relays` and `statuses$` at once.
   * @throws {UsageError} `RelayNotFound`, `InvalidArgument`, `InvalidState` after `close()`.
   * @example
   * ```ts
   * pool.removeRelay('wss://relay.example')
   * ```
   */
  removeRelay(url: string): void
  /**
   * Sends an envelope to one relay, with that connection's guarantees (held until connected, in order).
   * @throws {UsageError} `RelayNotFound`, `InvalidArgument`, or what the connection's `send` throws.
   * @example
   * ```ts
   * pool.sendTo('wss://relay.example', encloseReq('feed', ['{"kinds":[1]}']))
   * ```
   */
  sendTo(url: string, envelope: string): void
  /**
   * Sends an envelope to every relay. Every relay is tried; if some could not take it, one
   * {@link BroadcastError} listing them is thrown after all were tried (the others have it).
   * @throws {BroadcastError} when at least one relay's `send` threw; `InvalidState` after `close()`.
   * @example
   * ```ts
   * try {
   *   pool.broadcast(encloseEvent(eventJson))
   * } catch (error) {
   *   if (error instanceof BroadcastError) for (const { relay, error: why } of error.failures) console.log(relay, why.code)
   * }
   * ```
   */
  broadcast(envelope: string): void
  /**
   * Subscribes to `filters` on every relay, relays added later included. Cold: each subscriber opens
   * its own subscription, with one de-duplication set (the last `maxSeenIds` event ids) for all relays.
   * Never completes while the pool is open; completes when it closes. Errors only for the caller's
   * mistakes (a bad id, unserializable filters, a closed pool).
   * @example
   * ```ts
   * pool.subscribe({ kinds: [1] }, { id: 'feed' }).subscribe((m) => {
   *   if (m.type === 'event') console.log(m.relay, m.event.id)
   *   if (m.type === 'error') console.log(m.relay, m.error.code) // e.g. 'restricted'; the others go on
   * })
   * ```
   */
  subscribe(filters: Filter | readonly Filter[], options?: PoolSubscribeOptions): Observable<PoolMessage>
  /**
   * Publishes `event` (an object, or its raw JSON) to every relay in the pool at subscription. Cold.
   * One {@link PoolOkResult} per relay, as they answer; a relay that does not answer within `timeout`
   * ms of being connected gives `{ accepted: false, error: TimeoutError }`. Then completes.
   * Errors only for the caller's mistakes (an event without an id, a closed pool).
   * @example
   * ```ts
   * pool.publish(signedEvent, { timeout: 5000 }).subscribe(({ relay, accepted, message, error }) =>
   *   console.log(relay, accepted, error?.code ?? message),
   * )
   * ```
   */
  publish(event: NostrEvent | string, options?: PublishOptions): Observable<PoolOkResult>
  /**
   * The status of one relay's connection now.
   * @throws {UsageError} `RelayNotFound`, `InvalidArgument`.
   * @example
   * ```ts
   * pool.status('wss://relay.example') // 'connected'
   * ```
   */
  status(url: string): ConnectionStatus
  /**
   * Every relay's status by URL: the current record at once, then a new frozen record per change.
   * Subscribing activates every relay (its socket opens). Completes when the pool closes.
   */
  readonly statuses$: Observable<PoolStatuses>
  /** The normalized URLs of the relays, in the order they were added (a new array after each change). */
  readonly relays: readonly string[]
  /**
   * Every relay's connection errors (`ConnectionError`, `ProtocolError`), with the relay. Subscribing
   * activates every relay. Subscription and publish failures are in those streams, not here.
   * Completes when the pool closes.
   */
  readonly errors$: Observable<PoolError>
  /**
   * Closes every connection (graceful, as `Connection.close`), then completes every pool stream:
   * subscriptions, `statuses$` (after the last statuses) and `errors$`; a publish in flight gives
   * `ConnectionClosed` for each relay that had not answered, then completes. Idempotent; afterwards
   * every other method throws (or errors) `InvalidState`, except `status` and `relays`.
   * @example
   * ```ts
   * pool.close()
   * ```
   */
  close(): void
}

/** Options for {@link createPool}. */
export interface PoolOptions {
  /** The relays to start with. @default [] */
  readonly relays?: readonly string[]
  /** Makes the connection for a (normalized) relay URL; the environment packages bind it. */
  readonly connect: (url: string) => Connection
  /**
   * Most event ids a pool subscription remembers to drop copies from other relays; the oldest is
   * forgotten first (at worst a late copy gets through twice). @default 100000
   */
  readonly maxSeenIds?: number
}

/**
 * Creates a pool. Opens nothing: relays connect when a pool stream needs them.
 * Environment packages wrap this with their `connect` bound (`createPool` in honeybee-node).
 * @throws {UsageError} `InvalidArgument` when a URL in `relays` is not a relay URL.
 * @example
 * ```ts
 * const pool = createPool({
 *   relays: ['wss://relay.one', 'wss://relay.two'],
 *   connect: (url) => createConnection(url, { socketFactory }),
 * })
 * pool.publish(signedEvent).subscribe((result) => console.log(result.relay, result.accepted))
 * ```
 */
export function createPool(options: PoolOptions): Pool {
  const relays = new RelaySet(options.connect)
  const maxSeenIds = Math.max(1, options.maxSeenIds ?? DEFAULT_MAX_SEEN_IDS)
  const pool: Pool = {
    statuses$: statusesOf(relays),
    errors$: errorsOf(relays),
    get relays() {
      return relays.urls
    },
    addRelay: (url) => relays.add(url).connection,
    removeRelay: (url) => relays.remove(url),
    sendTo(url, envelope) {
      relays.get(url).connection.send(envelope)
    },
    broadcast(envelope) {
      relays.assertOpen('broadcast')
      const failures: { relay: string; error: HoneybeeError }[] = []
      for (const { url, connection } of relays.current()) {
        try {
          connection.send(envelope)
        } catch (error) {
          failures.push({ relay: url, error: asHoneybeeError(error, url) })
        }
      }
      if (failures.length > 0) throw new BroadcastError(failures)
    },
    subscribe: (filters, subscribeOptions = {}) =>
      subscribeAcross(relays, filters, subscribeOptions, maxSeenIds),
    publish: (event, publishOptions = {}) => publishAcross(relays, event, publishOptions),
    status: (url) => relays.get(url).connection.status,
    close: () => relays.close(),
  }
  for (const url of options.relays ?? []) relays.add(url)
  return pool
}

/**
 * `broadcast()` could not hand the envelope to some relays; every other relay has it. `code` is the
 * first failure's (usually all share it, e.g. `WriteQueueFull` while the network is down); `failures`
 * lists each relay with its error, and `errors` the errors alone, as `AggregateError` does.
 */
export class BroadcastError extends HoneybeeError {
  override readonly name = 'BroadcastError'
  declare readonly code: HoneybeeErrorCode
  declare readonly failures: readonly { readonly relay: string; readonly error: HoneybeeError }[]
  declare readonly errors: readonly HoneybeeError[]

  constructor(failures: readonly { readonly relay: string; readonly error: HoneybeeError }[]) {
    const first = failures[0]
    if (first === undefined) throw new RangeError('a BroadcastError needs at least one failure')
    const list = failures.map(({ relay, error }) => `${relay}: ${error.code}`).join(', ')
    super(`broadcast failed on ${failures.length} relay(s): ${list}`, { cause: first.error })
    this.code = first.error.code
    this.failures = Object.freeze([...failures])
    this.errors = Object.freeze(failures.map((f) => f.error))
  }
}
