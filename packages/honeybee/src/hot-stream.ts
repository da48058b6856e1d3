/**
 * @module A hot stream its owner feeds: the responder's `reqs$`, `events$`, `status$` and the rest.
 *
 * It does for its subscribers what a `Subject` behind `asObservable()` does (or, as
 * {@link LatestStream}, a `BehaviorSubject` behind `distinctUntilChanged()`), in less memory: a relay
 * holds one per stream per connection, for tens of thousands of mostly idle connections
 * (bench/responder.bench.ts). One object per stream, no wrapper; its one subscriber (the usual case)
 * in a field, an array only from the second; and nothing kept per subscription besides the subscriber
 * (a `Subject` keeps a teardown `Subscription` and its closure for each, and RxJS an array of
 * finalizers on the subscriber to hold it). So a subscriber that unsubscribes is not removed at once:
 * it is closed, gets nothing more, and is dropped at the next emission or subscription.
 *
 * The owner feeds it with `emit` and `end`, not `next` and `complete`, so that it is never mistaken for
 * an observer; what the owner hands out is typed `Observable<T>`.
 */
import { Observable, type Subscriber } from 'rxjs'

/** Its subscribers: none, one, or several in subscription order (an array never changed in place). */
type Subscribers<T> = Subscriber<T> | readonly Subscriber<T>[] | undefined

export class HotStream<T> extends Observable<T> {
  #subscribers: Subscribers<T> = undefined
  #ended = false

  constructor() {
    // No teardown is returned: RxJS would keep it in an array on every subscriber. Closed ones are pruned.
    super((subscriber) => this.subscribed(subscriber))
  }

  /** Whether {@link end} has run. */
  get ended(): boolean {
    return this.#ended
  }

  /** Sends `value` to the current subscribers; one that subscribes meanwhile does not get it. */
  emit(value: T): void {
    const subscribers = this.#subscribers
    if (subscribers === undefined) return
    if (!Array.isArray(subscribers)) {
      const one = subscribers as Subscriber<T>
      if (one.closed) this.#subscribers = undefined
      else one.next(value)
      return
    }
    let closed = false
    for (const subscriber of subscribers as readonly Subscriber<T>[]) {
      if (subscriber.closed) closed = true
      else subscriber.next(value)
    }
    if (closed) this.#prune()
  }

  /** Completes every subscriber, and every later one at once. Idempotent. */
  end(): void {
    if (this.#ended) return
    this.#ended = true
    const subscribers = this.#subscribers
    this.#subscribers = undefined
    if (subscribers === undefined) return
    if (!Array.isArray(subscribers)) (subscribers as Subscriber<T>).complete()
    else for (const subscriber of subscribers as readonly Subscriber<T>[]) subscriber.complete()
  }

  /** Called on each subscription; {@link LatestStream} replays its value too. */
  protected subscribed(subscriber: Subscriber<T>): void {
    if (this.#ended) {
      subscriber.complete()
      return
    }
    this.#prune()
    const subscribers = this.#subscribers
    if (subscribers === undefined) this.#subscribers = subscriber
    else if (!Array.isArray(subscribers)) this.#subscribers = [subscribers as Subscriber<T>, subscriber]
    else this.#subscribers = [...(subscribers as readonly Subscriber<T>[]), subscriber]
  }

  /** Drops the subscribers that unsubscribed; into a new array, so that an emission under way is unaffected. */
  #prune(): void {
    const subscribers = this.#subscribers
    if (subscribers === undefined) return
    if (!Array.isArray(subscribers)) {
      if ((subscribers as Subscriber<T>).closed) this.#subscribers = undefined
      return
    }
    const open = (subscribers as readonly Subscriber<T>[]).filter((subscriber) => !subscriber.closed)
    if (open.length === subscribers.length) return
    this.#subscribers = open.length === 0 ? undefined : open.length === 1 ? open[0] : open
  }
}

/**
 * A {@link HotStream} with a current value, which it replays to each new subscriber (until ended) and
 * emits only when it changes: a `BehaviorSubject` behind `distinctUntilChanged()`.
 */
export class LatestStream<T> extends HotStream<T> {
  #value: T

  constructor(value: T) {
    super()
    this.#value = value
  }

  /** The current value. */
  get value(): T {
    return this.#value
  }

  /** Makes `value` current and emits it, unless it is current already. */
  override emit(value: T): void {
    if (Object.is(value, this.#value)) return
    this.#value = value
    super.emit(value)
  }

  protected override subscribed(subscriber: Subscriber<T>): void {
    // Added first, as a BehaviorSubject does: a change made while replaying reaches this subscriber too.
    super.subscribed(subscriber)
    if (!this.ended) subscriber.next(this.#value)
  }
}
