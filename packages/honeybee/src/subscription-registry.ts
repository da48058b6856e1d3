/**
 * @module The subscriptions of one connection (spec honeybee §11): they survive reconnects.
 *
 * Every `req()` on a connection registers here. The registry sends each REQ (holding it in a queue
 * while the relay's `max_subscriptions` is reached), routes incoming EVENT, EOSE and CLOSED envelopes
 * to their subscription, drops duplicates by event id before parsing, and after every reconnect sends
 * each open REQ again. By default the re-sent filters start `overlap` seconds before the newest
 * `created_at` already delivered, as new filter objects (the caller's are never changed); the events
 * of the overlap that were already delivered are dropped by id. A subscription whose backfill was cut
 * off before EOSE is re-sent unchanged, since its older events may not have arrived yet.
 */
import { encloseClose, encloseReq, findClosed, findEOSE, peekSubscriptionEvent } from 'roots-ws'
import type { SchedulerLike, Subscription } from 'rxjs'
import type { ResubscribeConfig } from './config.js'
import { type HoneybeeError, ProtocolError, UsageError } from './errors.js'
import type { Filter, NostrEvent } from './nostr.js'
import { parseReply, type RelayReply } from './relay-reply.js'

/** What a subscription delivers. */
export type SubscriptionMessage =
  /** A stored or live event, parsed. */
  | { readonly type: 'event'; readonly subId: string; readonly event: NostrEvent }
  /** End of stored events: the relay said so, or `timedOut` after `eoseTimeout` without a word. */
  | { readonly type: 'eose'; readonly subId: string; readonly timedOut: boolean }
  /** The relay ended the subscription with CLOSED; the stream completes after this. */
  | { readonly type: 'closed'; readonly subId: string; readonly reply: RelayReply }

/** One registered subscription, as {@link SubscriptionRegistry.list} reports it. */
export interface SubscriptionInfo {
  readonly id: string
  readonly filters: readonly Filter[]
  /** `queued` while the relay's subscription limit is reached; `open` once its REQ went out. */
  readonly state: 'queued' | 'open'
}

/** Ids already delivered; a pool shares one across its relays to drop cross-relay duplicates. */
export interface SeenIds {
  /** The `created_at` of `id` if it was delivered, else `undefined`. */
  createdAt(id: string): number | undefined
  /**
   * Records a delivered event; `false` if its id was there already (a copy of the same event: its
   * `created_at` may replace the one recorded, which is the same for a genuine copy).
   */
  add(id: string, createdAt: number): boolean
}

/** What a new subscription is made of. */
export interface SubscriptionRequest {
  readonly id: string
  readonly filters: readonly Filter[]
  readonly deliver: (message: SubscriptionMessage) => void
  /** A set shared with other subscriptions (the pool's); checked before parsing, added to after. */
  readonly seen?: SeenIds
  /** Called when the subscription is closed from outside its owner (`sendClose`): it has ended. */
  readonly end?: () => void
  /** Its EOSE timeout in ms, instead of the connection's `eoseTimeout`. */
  readonly eoseTimeout?: number
}

/** The registry of one connection's subscriptions. */
export interface SubscriptionRegistry {
  /**
   * Registers a subscription and sends its REQ (or queues it behind the relay's limit).
   * @throws {UsageError} `SubscriptionDuplicate` when the id is already registered.
   */
  add(request: SubscriptionRequest): void
  /**
   * Unregisters a subscription, sending CLOSE if its REQ went out, and returns its request; `undefined`
   * (no error) if it is gone already.
   */
  remove(id: string): SubscriptionRequest | undefined
  /** Every registered subscription. */
  list(): readonly SubscriptionInfo[]
  /** Changes the number of subscriptions open at once (from the relay's NIP-11 document). */
  setMaxSubscriptions(max: number): void
  /**
   * While `true`, new REQs wait in the queue (the relay's limits are being fetched); `false` sends
   * what the limit allows.
   */
  holdRequests(hold: boolean): void
  /** Sends every open subscription's REQ again; called after a reconnect. */
  restore(): void
  /** The connection closed: every subscription is dropped, and told that it ended. */
  endAll(): void
  /** Routes an incoming EVENT envelope. */
  handleEvent(envelope: string): void
  /** Whether a subscription expects copies now, so that {@link dropCopy} may find one. */
  expectsCopies(): boolean
  /**
   * Drops a copy of an event already delivered, from the envelope's leading text alone (at least as
   * far as the event id): `true` if it was one, for a subscription that expects copies; else `false`,
   * nothing done, and the envelope goes the usual way.
   */
  dropCopy(head: string): boolean
  /** Routes an incoming EOSE envelope. */
  handleEose(envelope: string): void
  /** Routes an incoming CLOSED envelope. */
  handleClosed(envelope: string): void
}

/** What a registry needs from its connection. */
export interface RegistryContext {
  /** Sends, or holds in the write queue: `true` when handed to the socket, `false` when held. */
  readonly send: (envelope: string) => boolean
  /**
   * The number of the connection: how many times it connected so far, counting the current one; and
   * whether it is connected now. Both change before {@link SubscriptionRegistry.restore} runs.
   */
  readonly connects: () => number
  readonly connected: () => boolean
  readonly report: (error: HoneybeeError) => void
  readonly scheduler: SchedulerLike
  /** When the envelope being handled arrived (the connection read the clock for it already). */
  readonly arrivedAt: () => number
  readonly resubscribe: ResubscribeConfig
  readonly eoseTimeout: number
  readonly maxSubscriptions: number
}

interface Entry {
  readonly request: SubscriptionRequest
  state: 'queued' | 'open'
  eosed: boolean
  eoseDelivered: boolean
  /** Newest `created_at` delivered. */
  newest: number
  /**
   * Ids delivered on this subscription, with their `created_at`, pruned to the overlap after EOSE.
   * Unused when the request brings a shared map (`seen`), which then holds them.
   */
  delivered: Map<string, number>
  prunedAt: number
  lastEventAt: number
  eoseTimer: Subscription | undefined
  /** New events in a row since the last duplicate: from {@link PARSE_FIRST_AFTER} on, parse first. */
  newInARow: number
  /**
   * When its last REQ was held in the connection's write queue, the number of the connection that
   * sends it (see {@link RegistryContext.connects}); 0 when it was handed to a socket.
   */
  heldFor: number
}

/** Creates an empty registry. */
export function createSubscriptionRegistry(context: RegistryContext): SubscriptionRegistry {
  const entries = new Map<string, Entry>()
  let maxSubscriptions = context.maxSubscriptions
  let holding = false
  /** How many subscriptions expect copies (fewer than PARSE_FIRST_AFTER new events in a row). */
  let expectingCopies = 0

  /** Counts `entry`'s events in a row: one more new one, or a copy (`0`). */
  function countNew(entry: Entry, newInARow: number): void {
    const before = entry.newInARow < PARSE_FIRST_AFTER
    const after = newInARow < PARSE_FIRST_AFTER
    entry.newInARow = newInARow
    if (before !== after) expectingCopies += after ? 1 : -1
  }
  const { scheduler } = context

  const openCount = (): number => {
    let count = 0
    for (const entry of entries.values()) if (entry.state === 'open') count++
    return count
  }

  function sendReq(entry: Entry, filters: readonly Filter[]): void {
    entry.state = 'open'
    const handed = context.send(
      encloseReq(
        entry.request.id,
        filters.map((f) => JSON.stringify(f)),
      ),
    )
    // Held while disconnected: the next connection flushes it. Held while connected (rate limit,
    // back pressure): this one does.
    entry.heldFor = handed ? 0 : context.connected() ? context.connects() : context.connects() + 1
  }

  function armEoseTimer(entry: Entry): void {
    entry.eoseTimer?.unsubscribe()
    const limit = entry.request.eoseTimeout ?? context.eoseTimeout
    const check = (): void => {
      if (entry.eosed || entry.eoseDelivered || !entries.has(entry.request.id)) return
      const quiet = scheduler.now() - entry.lastEventAt
      if (quiet < limit) {
        // Events are still arriving: a long backfill is not cut off.
        entry.eoseTimer = scheduler.schedule(check, limit - quiet)
        return
      }
      entry.eoseDelivered = true
      entry.request.deliver({ type: 'eose', subId: entry.request.id, timedOut: true })
    }
    entry.lastEventAt = scheduler.now()
    entry.eoseTimer = scheduler.schedule(check, limit)
  }

  function open(entry: Entry): void {
    sendReq(entry, entry.request.filters)
    armEoseTimer(entry)
  }

  function promoteQueued(): void {
    for (const entry of entries.values()) {
      if (holding || openCount() >= maxSubscriptions) return
      if (entry.state === 'queued') open(entry)
    }
  }

  /** The filters to re-send after a reconnect: `since` moved up once the backfill is complete. */
  function resumeFilters(entry: Entry): readonly Filter[] {
    const { adjustSince, overlap } = context.resubscribe
    if (!adjustSince || !entry.eosed || entry.newest === Number.NEGATIVE_INFINITY)
      return entry.request.filters
    const since = resumePoint(entry) - overlap
    return entry.request.filters.map((filter) => ({ ...filter, since: Math.max(filter.since ?? 0, since) }))
  }

  function prune(entry: Entry): void {
    const floor = resumePoint(entry) - context.resubscribe.overlap
    let kept = 0
    for (const createdAt of entry.delivered.values()) if (createdAt >= floor) kept++
    if (kept * 2 < entry.delivered.size) {
      // Most go (the end of a backfill): copying the few that stay into a new Map is cheaper than
      // deleting the many one by one, each delete leaving a hole and the table shrinking in steps.
      // Same entries, same order.
      const delivered = new Map<string, number>()
      for (const [id, createdAt] of entry.delivered) if (createdAt >= floor) delivered.set(id, createdAt)
      entry.delivered = delivered
    } else {
      for (const [id, createdAt] of entry.delivered) if (createdAt < floor) entry.delivered.delete(id)
    }
    entry.prunedAt = entry.delivered.size
  }

  function drop(id: string): Entry | undefined {
    const entry = entries.get(id)
    if (entry === undefined) return undefined
    entries.delete(id)
    entry.eoseTimer?.unsubscribe()
    if (entry.newInARow < PARSE_FIRST_AFTER) expectingCopies--
    return entry
  }

  return {
    add(request) {
      if (entries.has(request.id)) {
        throw new UsageError(
          'SubscriptionDuplicate',
          `subscription id ${JSON.stringify(request.id)} is already open`,
        )
      }
      const entry: Entry = {
        request,
        state: 'queued',
        eosed: false,
        eoseDelivered: false,
        newest: Number.NEGATIVE_INFINITY,
        delivered: new Map(),
        prunedAt: 0,
        lastEventAt: scheduler.now(),
        eoseTimer: undefined,
        newInARow: 0,
        heldFor: 0,
      }
      entries.set(request.id, entry)
      expectingCopies++ // a new subscription starts expecting copies
      if (!holding && openCount() < maxSubscriptions) open(entry)
    },

    remove(id) {
      const entry = drop(id)
      if (entry === undefined) return undefined
      if (entry.state === 'open') {
        try {
          context.send(encloseClose(id))
        } catch {
          // Removed all the same: a CLOSE that cannot be sent (connection closed) has nothing to close.
        }
      }
      promoteQueued()
      return entry.request
    },

    list: () =>
      [...entries.values()].map((e) => ({ id: e.request.id, filters: e.request.filters, state: e.state })),

    setMaxSubscriptions(max) {
      maxSubscriptions = Math.max(1, max)
      promoteQueued()
    },

    holdRequests(hold) {
      holding = hold
      promoteQueued()
    },

    endAll() {
      for (const id of [...entries.keys()]) drop(id)?.request.end?.()
    },

    restore() {
      for (const entry of entries.values()) {
        if (entry.state !== 'open') continue
        // A REQ made while disconnected still waits in the write queue, which goes out right after
        // this: sending it again would make the relay replace the subscription and replay its backfill.
        if (entry.heldFor === context.connects()) entry.heldFor = 0
        else sendReq(entry, resumeFilters(entry))
      }
    },

    handleEvent(envelope) {
      const head = quickHead(envelope)
      const peeked = head === undefined ? peekSubscriptionEvent(envelope) : undefined
      const subId = head?.subId ?? peeked?.subId
      if (subId === undefined) {
        context.report(new ProtocolError('MalformedEnvelope', 'dropped an EVENT without a subscription id'))
        return
      }
      const entry = entries.get(subId)
      if (entry === undefined) return // a late event for a subscription already closed
      // Any event, even a duplicate, shows the backfill is still flowing: it holds off the EOSE timeout.
      entry.lastEventAt = context.arrivedAt()
      // While duplicates are likely (several relays sending one backfill, a resubscription's overlap),
      // the id is read first and a duplicate is dropped before anything parses it. After a run of new
      // events, parsing first is cheaper: the parsed id is hashed once, by `record` below.
      if (entry.newInARow < PARSE_FIRST_AFTER || head === undefined) {
        const id = head === undefined ? peeked?.eventId : quickId(envelope, head.eventStart)
        if (id !== undefined && isDuplicate(entry, id)) return
      }
      const event = (head !== undefined && parseEventAt(envelope, head.eventStart)) || parseEvent(envelope)
      if (event === undefined) {
        context.report(new ProtocolError('MalformedEnvelope', `dropped a malformed event on ${subId}`))
        return
      }
      // Recording it tells whether it was new: one look-up for the check and the insertion together.
      if (!record(entry, event)) {
        countNew(entry, 0)
        return
      }
      countNew(entry, entry.newInARow + 1)
      if (entry.eosed && entry.delivered.size > 2 * entry.prunedAt + 1024) prune(entry)
      entry.request.deliver({ type: 'event', subId: entry.request.id, event })
    },

    expectsCopies: () => expectingCopies > 0,

    dropCopy(head) {
      const quick = quickHead(head)
      const entry = quick === undefined ? undefined : entries.get(quick.subId)
      if (quick === undefined || entry === undefined || entry.newInARow >= PARSE_FIRST_AFTER) return false
      const id = quickId(head, quick.eventStart)
      // Read from bytes as Latin-1: only ASCII reads as the frame means it.
      if (id === undefined || NOT_ASCII.test(quick.subId) || NOT_ASCII.test(id) || !isDuplicate(entry, id))
        return false
      entry.lastEventAt = context.arrivedAt()
      return true
    },

    handleEose(envelope) {
      const entry = entries.get(safely(() => findEOSE(envelope), context) ?? '')
      if (entry === undefined || entry.eosed) return
      entry.eosed = true
      entry.eoseTimer?.unsubscribe()
      prune(entry)
      if (entry.eoseDelivered) return
      entry.eoseDelivered = true
      entry.request.deliver({ type: 'eose', subId: entry.request.id, timedOut: false })
    },

    handleClosed(envelope) {
      const closed = safely(() => findClosed(envelope), context)
      if (closed === undefined) return
      const entry = drop(closed.subId)
      if (entry === undefined) return
      promoteQueued()
      entry.request.deliver({ type: 'closed', subId: closed.subId, reply: parseReply(closed.message) })
    },
  }
}

/**
 * Where a resumed subscription picks up: the newest `created_at` delivered, but never later than the
 * wall clock. `created_at` is chosen by authors, and one event dated tomorrow must not move `since`
 * past everything published until then. (Wall-clock time, not the scheduler's: `created_at` is Unix
 * time, while a test's virtual clock starts at 0.)
 */
function resumePoint(entry: Entry): number {
  return Math.min(entry.newest, Math.floor(Date.now() / 1000))
}

/**
 * The most ids a subscription without a shared set remembers, as many as the pool's set by default
 * (`DEFAULT_MAX_SEEN_IDS`). Pruning after EOSE usually keeps far fewer; this bounds a subscription
 * whose relay never sends EOSE, so never prunes. Forgetting costs at worst a duplicate, never an event.
 */
const MAX_DELIVERED = 100_000

/**
 * Records `event` as delivered, unless it was already (on this subscription, or on any sharing its
 * set); `false` then. A copy another relay sent first counts for resuming this relay's subscription.
 */
function record(entry: Entry, event: NostrEvent): boolean {
  const { seen } = entry.request
  let added: boolean
  if (seen === undefined) {
    const { delivered } = entry
    const size = delivered.size
    delivered.set(event.id, event.created_at)
    added = delivered.size > size
    // A Map iterates in insertion order: the first key is the oldest.
    if (added && size >= MAX_DELIVERED) delivered.delete(delivered.keys().next().value as string)
  } else added = seen.add(event.id, event.created_at)
  if (event.created_at > entry.newest) entry.newest = event.created_at
  return added
}

/**
 * Whether `id` was delivered already: on this subscription, or on any sharing its set. A copy from
 * another relay counts for resuming this relay's subscription (its `since`) all the same.
 */
function isDuplicate(entry: Entry, id: string): boolean {
  const { seen } = entry.request
  if (seen === undefined) return entry.delivered.has(id)
  const seenAt = seen.createdAt(id)
  if (seenAt === undefined) return false
  if (seenAt > entry.newest) entry.newest = seenAt
  return true
}

const NOT_ASCII = /[\u0080-\uffff]/

/** New events in a row after which a subscription parses before looking the id up. */
const PARSE_FIRST_AFTER = 16

/** `["EVENT","` */
const EVENT_HEAD = '["EVENT","'
/** What starts an event whose first field is its id: `{"id":"` */
const ID_HEAD = '{"id":"'
/** Longest id read by {@link quickId}; a real one has 64 characters. */
const MAX_QUICK_ID = 128

/**
 * The subscription id of `["EVENT","<subId>",{…` written compactly, with no escape or control character
 * in the id, and where the event starts: how relays send nearly every event. `undefined` for anything
 * else, which roots-ws `peekSubscriptionEvent` then reads in general (a scanner with a regex per string,
 * and a decoder): an `indexOf` instead, for every envelope (bench/pool.bench.ts W1, W2).
 */
function quickHead(envelope: string): { subId: string; eventStart: number } | undefined {
  if (!envelope.startsWith(EVENT_HEAD)) return undefined
  const subStart = EVENT_HEAD.length
  const subEnd = envelope.indexOf('"', subStart)
  const eventStart = subEnd + 2
  if (subEnd === -1 || !plain(envelope, subStart, subEnd) || !envelope.startsWith(',{', subEnd + 1))
    return undefined
  return { subId: envelope.slice(subStart, subEnd), eventStart }
}

/**
 * The id of the event at `eventStart` when its first field is the id, written compactly with no escape
 * or control character; else `undefined`. For what it accepts, the answer is the one roots-ws
 * `peekSubscriptionEvent` gives (both stop at the id, and neither validates the rest).
 */
function quickId(envelope: string, eventStart: number): string | undefined {
  if (!envelope.startsWith(ID_HEAD, eventStart)) return undefined
  const idStart = eventStart + ID_HEAD.length
  const idEnd = envelope.indexOf('"', idStart)
  if (idEnd === -1 || idEnd - idStart > MAX_QUICK_ID || !plain(envelope, idStart, idEnd)) return undefined
  return envelope.slice(idStart, idEnd)
}

/** Whether `text[start, end)` has no backslash and no control character: a JSON string's content as is. */
function plain(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c === 92 || c < 32) return false
  }
  return true
}

/** Runs a roots-ws reader; a malformed envelope is reported and yields `undefined`. */
function safely<T>(read: () => T, context: RegistryContext): T | undefined {
  try {
    return read()
  } catch (error) {
    context.report(
      new ProtocolError('MalformedEnvelope', `dropped a malformed envelope: ${String(error)}`, {
        cause: error,
      }),
    )
    return undefined
  }
}

/**
 * The event of `["EVENT","<subId>",<event>]` when the envelope ends right after it, parsed alone: the
 * array and its two strings around it are not built (about a fifth of the parse of a 1 KB envelope).
 * Given the head {@link quickHead} checked, the envelope is valid JSON exactly when the event is. Else
 * `undefined`, and {@link parseEvent} decides.
 */
function parseEventAt(envelope: string, eventStart: number): NostrEvent | undefined {
  if (envelope.charCodeAt(envelope.length - 1) !== CLOSE_BRACKET) return undefined
  try {
    return asEvent(JSON.parse(envelope.slice(eventStart, -1)))
  } catch {
    return undefined
  }
}

/** Parses the event of `["EVENT",<subId>,<event>]` in one native pass and checks its shape. */
function parseEvent(envelope: string): NostrEvent | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(envelope)
  } catch {
    return undefined
  }
  return Array.isArray(parsed) ? asEvent(parsed[2]) : undefined
}

const CLOSE_BRACKET = 93

/** `value` if it has the shape of a Nostr event, else `undefined`. */
function asEvent(value: unknown): NostrEvent | undefined {
  const event = value as Partial<NostrEvent> | null | undefined
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    typeof event.pubkey !== 'string' ||
    typeof event.created_at !== 'number' ||
    typeof event.kind !== 'number' ||
    !Array.isArray(event.tags) ||
    typeof event.content !== 'string' ||
    typeof event.sig !== 'string'
  ) {
    return undefined
  }
  return event as NostrEvent
}
