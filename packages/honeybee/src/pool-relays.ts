/**
 * @module The relays of a pool, and how that set changes: what every pool verb is built on.
 *
 * A relay joins once per normalized URL and leaves through `remove` or the pool's `close`. Each verb
 * (subscribe, publish, statuses, errors) follows the set with {@link watchRelays}: it starts its part on
 * every relay present and every relay that joins later, and each part ends when its relay leaves.
 * @internal
 */
import { type Observable, ReplaySubject, Subject, Subscription } from 'rxjs'
import type { Connection } from './connection.js'
import { ConnectionError, HoneybeeError, UsageError } from './errors.js'
import { normalizeRelayUrl } from './relay-url.js'

/** One relay of a pool. @internal */
export interface PoolRelay {
  /** The normalized URL; the relay's name in every pool message. */
  readonly url: string
  readonly connection: Connection
  /** Emits once, and replays it, when the relay leaves the pool (removed, or the pool closed). */
  readonly left$: Observable<void>
  /**
   * Calls `listener.left()` once when the relay leaves (at once if it has left), unless
   * {@link offLeave} comes first. What `left$.subscribe` does, for the many short waits of publishes
   * in flight: a Set removes in O(1), where a subject's observer array is searched linearly (O(n²) for
   * n publishes), and an object's method needs no closure.
   */
  onLeave(listener: LeaveListener): void
  offLeave(listener: LeaveListener): void
}

/** Called when a relay leaves the pool; see {@link PoolRelay.onLeave}. @internal */
export interface LeaveListener {
  left(): void
}

interface Member extends PoolRelay {
  /** Tells the relay's watchers that it left: `left$` first, then the `onLeave` listeners. */
  leave(): void
}

/** The relays of one pool. @internal */
export class RelaySet {
  readonly #members = new Map<string, Member>()
  readonly #joined = new Subject<PoolRelay>()
  readonly #closed = new ReplaySubject<void>(1)
  readonly #connect: (url: string) => Connection
  #urls: readonly string[] = Object.freeze([])
  #isClosed = false

  /** Every relay that joins from now on. */
  readonly joined$: Observable<PoolRelay> = this.#joined.asObservable()
  /** Emits once, and replays it, when the pool closes. */
  readonly closed$: Observable<void> = this.#closed.asObservable()

  constructor(connect: (url: string) => Connection) {
    this.#connect = connect
  }

  get closed(): boolean {
    return this.#isClosed
  }

  /** The normalized URLs, in the order they joined; a new frozen array after each change. */
  get urls(): readonly string[] {
    return this.#urls
  }

  /** The relays now in the pool, in the order they joined. */
  current(): PoolRelay[] {
    return [...this.#members.values()]
  }

  /** The relay at `url` (normalized here). @throws {UsageError} `RelayNotFound`, `InvalidArgument`. */
  get(url: string): PoolRelay {
    const key = normalizeRelayUrl(url)
    const member = this.#members.get(key)
    if (member === undefined) throw new UsageError('RelayNotFound', `${key} is not in the pool`)
    return member
  }

  /** The relay at `url`, joining it first if it is new. */
  add(url: string): PoolRelay {
    this.assertOpen('add a relay')
    const key = normalizeRelayUrl(url)
    const existing = this.#members.get(key)
    if (existing !== undefined) return existing
    const left = new ReplaySubject<void>(1)
    const listeners = new Set<LeaveListener>()
    let hasLeft = false
    const member: Member = {
      url: key,
      connection: this.#connect(key),
      left$: left.asObservable(),
      onLeave(listener) {
        if (hasLeft) listener.left()
        else listeners.add(listener)
      },
      offLeave(listener) {
        listeners.delete(listener)
      },
      leave() {
        hasLeft = true
        left.next()
        const waiting = [...listeners]
        listeners.clear()
        for (const listener of waiting) listener.left()
        left.complete()
      },
    }
    this.#members.set(key, member)
    this.#urls = Object.freeze([...this.#members.keys()])
    this.#joined.next(member)
    return member
  }

  /** Takes the relay at `url` out: its parts end first (their CLOSEs go out), then it is closed. */
  remove(url: string): void {
    this.assertOpen('remove a relay')
    const member = this.get(url) as Member
    this.#members.delete(member.url)
    this.#urls = Object.freeze([...this.#members.keys()])
    member.leave()
    member.connection.close()
  }

  /**
   * Closes every connection (their last statuses still reach the watchers), then ends every watcher,
   * then tells each relay's remaining parts that it left. Idempotent.
   */
  close(): void {
    if (this.#isClosed) return
    this.#isClosed = true
    const members = [...this.#members.values()]
    for (const member of members) member.connection.close()
    this.#closed.next()
    this.#closed.complete()
    this.#joined.complete()
    for (const member of members) member.leave()
  }

  /** @throws {UsageError} `InvalidState` once the pool is closed. */
  assertOpen(action: string): void {
    if (this.#isClosed) throw new UsageError('InvalidState', `cannot ${action}: the pool is closed`)
  }
}

/**
 * Runs `start` for every relay in the pool now and every relay that joins later, until the returned
 * subscription is unsubscribed. Each `start` returns its part's subscription, which should end when
 * the relay leaves; it is then forgotten, so a long watch over a changing pool does not grow.
 * @internal
 */
export function watchRelays(relays: RelaySet, start: (relay: PoolRelay) => Subscription): Subscription {
  const all = new Subscription()
  const begin = (relay: PoolRelay): void => {
    // A part that ends takes itself out of `all` (RxJS removes a closed subscription from its parents).
    all.add(start(relay))
  }
  for (const relay of relays.current()) begin(relay)
  all.add(relays.joined$.subscribe(begin))
  return all
}

/**
 * `error` as a {@link HoneybeeError}. honeybee's own functions fail only with those; anything else comes
 * from a foreign `Connection` (the pool's `connect` option) and is reported as that connection failing,
 * with the original as `cause`.
 * @internal
 */
export function asHoneybeeError(error: unknown, relay: string): HoneybeeError {
  if (error instanceof HoneybeeError) return error
  const text = error instanceof Error ? error.message : String(error)
  return new ConnectionError('ConnectionFailed', `${relay} failed: ${text}`, {
    cause: error,
    retriable: false,
  })
}
