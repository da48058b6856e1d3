/**
 * @module A real NIP-01 relay on the responder side of the stack: `honeybee relay`.
 *
 * honeybee-node's `serve()` does the transport (limits, health, NIP-11); this file adds what makes
 * it a relay: verification, storage (in memory, and with `dataDir` in a journal flushed to disk before
 * each OK), queries, live fan-out to matching subscriptions, NIP-09 deletion, optional NIP-42 auth.
 */
import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import type { Server } from 'node:http'
import {
  type Filter,
  type NostrEvent,
  type PartialResponderLimits,
  type RelayInformation,
  type RelayServer,
  type ResponderConnection,
  serve,
} from 'honeybee-node'
import { createEventStore, type EventStore } from './event-store.js'
import { filterProblem, matchFilters } from './filter.js'
import { type Journal, openJournal, readJournal } from './journal.js'
import { type CreatedAtWindow, validateEvent } from './validate.js'

/** Options for {@link startRelay}. */
export interface RelayOptions {
  /** @default '127.0.0.1' */
  readonly host?: string
  /** 0 picks a free port. @default 7777 */
  readonly port?: number
  /**
   * Take WebSockets from this HTTP server's upgrades instead of listening (`host` and `port` are then
   * ignored): the relay shares a port with the server's own pages. Its plain HTTP requests stay the
   * server's, NIP-11 included (answer it with honeybee-node's `handleInformationRequest` and
   * `relay.server.info`); `close()` leaves the server running.
   */
  readonly server?: Server
  /** Keep events in an append-only journal in this folder, replayed on start. */
  readonly dataDir?: string
  /** Per-connection limits (message size, rate, subscriptions, buffered bytes). */
  readonly limits?: PartialResponderLimits
  /** Require NIP-42 authentication before REQ and EVENT. @default false */
  readonly auth?: boolean
  /** Accepted `created_at` range around the relay's clock. */
  readonly createdAtWindow?: Partial<CreatedAtWindow>
  /** Fields for the NIP-11 document. */
  readonly info?: RelayInformation
  /** The relay's clock, in Unix seconds (tests move it). @default the system clock */
  readonly now?: () => number
  /** Start with this store (a relay restarted in-process keeps its events). @default a new one */
  readonly store?: EventStore
}

/** A relay that is running. */
export interface RunningRelay {
  /** `ws://host:port`. */
  readonly url: string
  readonly server: RelayServer
  readonly store: EventStore
  /** Stops accepting, closes every connection, flushes the journal. */
  close(): Promise<void>
}

/** NIP-42: an AUTH event must be within ten minutes of the relay's clock. */
const AUTH_WINDOW: CreatedAtWindow = { past: 600, future: 600 }

/** A REQ's or COUNT's filters, or why they cannot be matched. */
function parseFilters(rawFilters: readonly string[]): Filter[] | string {
  const filters: Filter[] = []
  for (const raw of rawFilters) {
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      return 'a filter is not JSON'
    }
    const problem = filterProblem(value)
    if (problem !== undefined) return problem
    filters.push(value as Filter)
  }
  return filters
}

/** NIP-42 authentication events. */
const AUTH_KIND = 22242

/** Stored events are sent in slices, yielding while the peer's socket buffers more than this. */
const BACKFILL_HIGH_WATER = 4 * 1024 * 1024

interface Peer {
  readonly connection: ResponderConnection
  readonly subscriptions: Map<string, readonly Filter[]>
  readonly challenge: string
  authenticated: string | undefined
}

/**
 * Starts a relay.
 * @example
 * ```ts
 * const relay = await startRelay({ port: 0 })
 * console.log(relay.url) // ws://127.0.0.1:54321
 * await relay.close()
 * ```
 */
export async function startRelay(options: RelayOptions = {}): Promise<RunningRelay> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const window: CreatedAtWindow = { past: Number.POSITIVE_INFINITY, future: 900, ...options.createdAtWindow }
  const store = options.store ?? createEventStore()
  let journal: Journal | undefined
  if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true })
    for (const event of await readJournal(options.dataDir)) store.add(event)
    journal = await openJournal(options.dataDir)
  }
  const server = await serve({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 7777,
    ...(options.server === undefined ? {} : { server: options.server }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    info: {
      name: 'honeybee relay',
      software: 'honeybee-cli',
      supported_nips: options.auth === true ? [1, 9, 11, 42, 45] : [1, 9, 11, 45],
      ...options.info,
      ...(options.auth === true ? { limitation: { ...options.info?.limitation, auth_required: true } } : {}),
    },
  })
  const peers = new Set<Peer>()

  /** Sends `event` to every live subscription it matches. */
  function fanOut(event: NostrEvent, json: string): void {
    for (const peer of peers) {
      for (const [subId, filters] of peer.subscriptions) {
        if (matchFilters(filters, event)) peer.connection.sendEvent(subId, json)
      }
    }
  }

  async function backfill(peer: Peer, subId: string, filters: readonly Filter[]): Promise<void> {
    const events = store.query(filters)
    for (const event of events) {
      if (peer.subscriptions.get(subId) !== filters) return // closed or replaced meanwhile
      peer.connection.sendEvent(subId, JSON.stringify(event))
      while (peer.connection.bufferedAmount > BACKFILL_HIGH_WATER && peer.connection.status === 'connected') {
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
    }
    if (peer.subscriptions.get(subId) === filters) peer.connection.sendEOSE(subId)
  }

  function onRequest(peer: Peer, subId: string, rawFilters: readonly string[]): void {
    if (options.auth === true && peer.authenticated === undefined) {
      peer.connection.sendClosed(subId, 'auth-required: authenticate with NIP-42 first')
      return
    }
    const filters = parseFilters(rawFilters)
    if (typeof filters === 'string') {
      peer.connection.sendClosed(subId, `invalid: ${filters}`)
      return
    }
    // Registered before the backfill, so nothing published meanwhile is missed.
    peer.subscriptions.set(subId, filters)
    void backfill(peer, subId, filters)
  }

  async function onEvent(peer: Peer, raw: string): Promise<void> {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      peer.connection.sendNotice('invalid: event is not JSON')
      return
    }
    const id = (parsed as { id?: unknown }).id
    const eventId = typeof id === 'string' ? id : ''
    if (options.auth === true && peer.authenticated === undefined) {
      peer.connection.sendOK(eventId, false, 'auth-required: authenticate with NIP-42 first')
      return
    }
    const checked = validateEvent(parsed, window, now())
    if (!checked.ok) {
      peer.connection.sendOK(eventId, false, checked.reason)
      return
    }
    const { event } = checked
    if (event.kind === AUTH_KIND) {
      // NIP-42: authentication events are never stored or broadcast.
      peer.connection.sendOK(event.id, false, 'invalid: kind 22242 is for AUTH, not EVENT')
      return
    }
    const result = store.add(event)
    if (!result.stored && !result.ephemeral) {
      // duplicate: counts as accepted (NIP-01); anything else is a refusal.
      peer.connection.sendOK(event.id, result.reason.startsWith('duplicate:'), result.reason)
      return
    }
    if (result.stored && journal !== undefined) {
      try {
        await journal.append(event)
      } catch (error) {
        peer.connection.sendOK(event.id, false, `error: could not store the event (${String(error)})`)
        return
      }
    }
    peer.connection.sendOK(event.id, true, '')
    fanOut(event, raw)
  }

  function onAuth(peer: Peer, raw: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      peer.connection.sendNotice('invalid: AUTH event is not JSON')
      return
    }
    // Shape first: verifyEvent throws on a malformed event, and a throw here would crash the relay.
    const checked = validateEvent(parsed, AUTH_WINDOW, now())
    const id = (parsed as { id?: unknown }).id
    if (!checked.ok) {
      peer.connection.sendOK(typeof id === 'string' ? id : '', false, checked.reason)
      return
    }
    const { event } = checked
    const challenge = event.tags.find((t) => t[0] === 'challenge')?.[1]
    const relayTag = event.tags.find((t) => t[0] === 'relay')?.[1]
    if (event.kind !== AUTH_KIND || challenge !== peer.challenge || !namesThisRelay(relayTag)) {
      peer.connection.sendOK(event.id, false, 'invalid: bad NIP-42 authentication event')
      return
    }
    peer.authenticated = event.pubkey
    peer.connection.sendOK(event.id, true, '')
  }

  /**
   * Whether an AUTH event's `relay` tag names this relay. Compared by port and path only: behind a
   * proxy or on loopback the relay cannot know which host name the client used.
   */
  function namesThisRelay(tag: string | undefined): boolean {
    if (tag === undefined) return false
    try {
      const ours = new URL(server.url)
      const theirs = new URL(tag)
      return (
        theirs.port === ours.port && theirs.pathname.replace(/\/$/, '') === ours.pathname.replace(/\/$/, '')
      )
    } catch {
      return false
    }
  }

  const accepting = server.connections$.subscribe((connection) => {
    const peer: Peer = {
      connection,
      subscriptions: new Map(),
      challenge: randomBytes(16).toString('hex'),
      authenticated: undefined,
    }
    peers.add(peer)
    connection.reqs$.subscribe(({ subId, filters }) => onRequest(peer, subId, filters))
    connection.closes$.subscribe((subId) => peer.subscriptions.delete(subId))
    connection.events$.subscribe(({ event }) => void onEvent(peer, event))
    connection.auths$.subscribe(({ event }) => onAuth(peer, event))
    connection.counts$.subscribe(({ subId, filters: rawFilters }) => {
      const filters = parseFilters(rawFilters)
      if (typeof filters === 'string') connection.sendClosed(subId, `invalid: ${filters}`)
      else connection.sendCount(subId, store.query(filters).length)
    })
    connection.status$.subscribe((status) => {
      if (status === 'closed') peers.delete(peer)
    })
    if (options.auth === true) connection.sendAuthChallenge(peer.challenge)
  })

  return {
    url: server.url,
    server,
    store,
    async close() {
      accepting.unsubscribe()
      await server.close()
      await journal?.close()
    },
  }
}
