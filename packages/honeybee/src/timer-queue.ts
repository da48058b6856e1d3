/**
 * @module One timer for many deadlines: the heartbeats of all of a server's connections.
 *
 * A binary min-heap of entries by due time, and one scheduler action armed for the earliest. Each
 * entry fires at its own due time, exactly as if it had a timer of its own (entries due at the same
 * time fire in the order they were queued), but a server with 10,000 connections keeps one timer
 * instead of 10,000 (a `Timeout`, an `AsyncAction` and a bound function each, about 300 bytes;
 * bench/responder.bench.ts). ws's documentation recommends the same for its heartbeats: one interval
 * for all clients. Adding, moving or removing an entry is O(log n).
 *
 * The heap is intrusive: the queue keeps its bookkeeping (`due`, `position`, `order`) on the entries,
 * so that it allocates nothing per entry.
 */
import type { SchedulerLike, Subscription } from 'rxjs'

/** Something to do at a given time; the queue owns the three fields. */
export interface TimerEntry {
  /** When it is due, as `scheduler.now()` ms. Set by {@link TimerQueue.schedule}. */
  due: number
  /** Its index in the heap; {@link NOT_QUEUED} when not queued. Initialise it so. */
  position: number
  /** When it was queued, to fire entries due at the same time in that order. */
  order: number
  /** Called once the entry is due, and taken off the queue; it may queue itself again. */
  fire(now: number): void
}

/** The {@link TimerEntry.position} of an entry that is not queued. */
export const NOT_QUEUED = -1
/** The position of an entry taken off the heap to fire in the current run. */
const FIRING = -2

export class TimerQueue {
  readonly #scheduler: SchedulerLike
  readonly #heap: TimerEntry[] = []
  #queued = 0
  /** The armed action, and the time it was armed for. */
  #action: Subscription | undefined
  #armedFor = 0
  readonly #run = (): void => this.#fireDue()

  constructor(scheduler: SchedulerLike) {
    this.#scheduler = scheduler
  }

  /** How many entries are queued. */
  get size(): number {
    return this.#heap.length
  }

  /** Queues `entry` to fire at `due`, or moves it there if it is queued already. */
  schedule(entry: TimerEntry, due: number): void {
    if (entry.position >= 0) this.#removeAt(entry.position)
    entry.due = due
    entry.order = this.#queued++
    entry.position = this.#heap.length
    this.#heap.push(entry)
    this.#up(entry.position)
    this.#arm()
  }

  /** Takes `entry` off the queue, if it is on it; it will not fire. */
  cancel(entry: TimerEntry): void {
    if (entry.position >= 0) {
      this.#removeAt(entry.position)
      this.#arm()
    }
    entry.position = NOT_QUEUED
  }

  /** Fires every entry due by now, earliest first, then arms the timer for the next. */
  #fireDue(): void {
    this.#action = undefined
    const now = this.#scheduler.now()
    const due: TimerEntry[] = []
    // Taken off first, fired after: an entry that queues itself again for now fires in a later run.
    while (this.#heap.length > 0 && this.#heap[0]!.due <= now) {
      const entry = this.#heap[0]!
      this.#removeAt(0)
      entry.position = FIRING
      due.push(entry)
    }
    for (const entry of due) {
      // Cancelled or moved by an entry that fired before it in this run.
      if (entry.position !== FIRING) continue
      entry.position = NOT_QUEUED
      entry.fire(now)
    }
    this.#arm()
  }

  /** Keeps one action armed for the earliest entry, and none when the queue is empty. */
  #arm(): void {
    const next = this.#heap[0]
    if (next === undefined) {
      this.#action?.unsubscribe()
      this.#action = undefined
      return
    }
    // Armed early enough: a run that finds nothing due arms again.
    if (this.#action !== undefined && this.#armedFor <= next.due) return
    this.#action?.unsubscribe()
    this.#armedFor = next.due
    this.#action = this.#scheduler.schedule(this.#run, Math.max(0, next.due - this.#scheduler.now()))
  }

  // ── the heap ─────────────────────────────────────────────────────────────────────────────────

  #removeAt(index: number): void {
    const heap = this.#heap
    const last = heap.pop()!
    if (index === heap.length) return
    heap[index] = last
    last.position = index
    this.#up(index)
    this.#down(last.position)
  }

  #up(index: number): void {
    const heap = this.#heap
    const entry = heap[index]!
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = heap[parentIndex]!
      if (!before(entry, parent)) break
      heap[index] = parent
      parent.position = index
      index = parentIndex
    }
    heap[index] = entry
    entry.position = index
  }

  #down(index: number): void {
    const heap = this.#heap
    const entry = heap[index]!
    for (;;) {
      const left = 2 * index + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left
      if (!before(heap[child]!, entry)) break
      heap[index] = heap[child]!
      heap[index]!.position = index
      index = child
    }
    heap[index] = entry
    entry.position = index
  }
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order)
}
