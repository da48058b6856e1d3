/**
 * @module The initiator's per-connection state: subscriptions, OK waiters, authentication, limits.
 *
 * One session per connection, created on first use and kept beside it (a WeakMap, so it goes when the
 * connection goes). It listens to the connection only while some `req()` or `publish()` is running,
 * so it never keeps an idle connection open.
 */
import { encloseAuthResponse, findAuthChallenge, findOK, peekEventId } from 'roots-ws'
import { defer, type Observable, Subject, type Subscription, startWith } from 'rxjs'
import type { Connection } from './connection.js'
import { type HoneybeeError, ProtocolError } from './errors.js'
import type { RelayInformation } from './relay-information.js'
import { createSubscriptionRegistry, type SubscriptionRegistry } from './subscription-registry.js'

/** A relay's answer to one published event. */
export interface OkMessage {
  readonly eventId: string
  readonly accepted: boolean
  readonly message: string
}

/** Where a connection stands with NIP-42. */
export type AuthState =
  | { readonly type: 'none' }
  | { readonly type: 'challenged'; readonly challenge: string }
  | { readonly type: 'authenticating'; readonly challenge: string }
  | { readonly type: 'authenticated'; readonly challenge: string }
  | { readonly type: 'failed'; readonly challenge: string; readonly reason: string }

/** Who awaits the OKs about one event id (a publish). @internal */
export interface OkWaiter {
  onOk(ok: OkMessage): void
}

/** Who wants to know when the connection comes up or goes down (a publish's OK clock). @internal */
export interface ConnectedWatcher {
  onConnectedChange(connected: boolean): void
  /**
   * The connection stopped by itself (status `error`: its attempts ran out, or reconnection is off;
   * nothing held goes out unless new writes revive it) or was closed (`closed`: nothing more goes out).
   */
  onEnded(status: 'error' | 'closed'): void
}

/** @internal */
export interface Session {
  readonly connection: Connection
  readonly registry: SubscriptionRegistry
  /** Longest envelope the relay takes (its NIP-11 `max_message_length`, or the configured default). */
  maxMessageLength(): number
  /** A subscription id unique on this connection, at most 64 characters (NIP-01). */
  nextSubscriptionId(): string
  /** Calls `waiter.onOk` for each OK about `eventId` until {@link removeOkWaiter}; no closure needed. */
  addOkWaiter(eventId: string, waiter: OkWaiter): void
  removeOkWaiter(eventId: string, waiter: OkWaiter): void
  /**
   * Calls `watcher.onConnectedChange` with whether the connection is connected: at once, then at each
   * change, until {@link unwatchConnected}. Only while the session is held (call `hold()` first).
   */
  watchConnected(watcher: ConnectedWatcher): void
  unwatchConnected(watcher: ConnectedWatcher): void
  /** Every change of the NIP-42 state, the current one first. */
  readonly auth$: Observable<AuthState>
  /** Listens to the connection while at least one operation holds the session. */
  hold(): () => void
}

const sessions = new WeakMap<Connection, Session>()

/** The session of `connection`, created on first use. @internal */
export function sessionOf(connection: Connection): Session {
  let session = sessions.get(connection)
  if (session === undefined) {
    session = createSession(connection)
    sessions.set(connection, session)
  }
  return session
}

function createSession(connection: Connection): Session {
  const { config, hooks } = connection
  /**
   * The waiters of each event id: the waiter itself while it is the only one (the usual case), a Set
   * once there are more. A Set per publish was most of what 10,000 publishes in flight held.
   */
  const okWaiters = new Map<string, OkWaiter | Set<OkWaiter>>()
  let authState: AuthState = { type: 'none' }
  const authChanges = new Subject<AuthState>()
  let limits: RelayInformation['limitation'] | undefined
  let infoRequested = false
  let nextId = 0
  let holders = 0
  let listening: Subscription | undefined
  /**
   * Whether the connection is connected, and who wants to know (each publish's OK clock). One status
   * subscription per session serves them all: a `status$` subscription per publish made 10,000
   * publishes in flight cost O(n²), since RxJS removes an observer from a subject's array by a linear
   * search (bench/pool.bench.ts W3). A Set adds and removes in O(1) and keeps the order of arrival.
   */
  let connected = false
  /** How many times the connection connected while this session listened (the registry's clock). */
  let connects = 0
  const connectedWatchers = new Set<ConnectedWatcher>()

  const report = (error: HoneybeeError): void => connection.report(error)
  const registry = createSubscriptionRegistry({
    send: (envelope) => connection.send(envelope),
    connects: () => connects,
    connected: () => connected,
    report,
    scheduler: connection.scheduler,
    arrivedAt: () => connection.lastMessageAt ?? connection.scheduler.now(),
    resubscribe: config.resubscribe,
    eoseTimeout: config.eoseTimeout,
    maxSubscriptions: config.relayLimits.maxSubscriptions,
  })

  function setAuth(next: AuthState): void {
    authState = next
    authChanges.next(next)
  }

  function onOk(envelope: string): void {
    let ok: OkMessage
    try {
      const { eventId, status, message } = findOK(envelope)
      ok = { eventId, accepted: status, message }
    } catch (error) {
      report(
        new ProtocolError('MalformedEnvelope', `dropped a malformed OK: ${String(error)}`, { cause: error }),
      )
      return
    }
    if (authState.type === 'authenticating' && ok.eventId === authEventId) {
      setAuth(
        ok.accepted
          ? { type: 'authenticated', challenge: authState.challenge }
          : { type: 'failed', challenge: authState.challenge, reason: ok.message },
      )
      return
    }
    const waiters = okWaiters.get(ok.eventId)
    if (waiters instanceof Set) for (const waiter of waiters) waiter.onOk(ok)
    else waiters?.onOk(ok)
  }

  function addOkWaiter(eventId: string, waiter: OkWaiter): void {
    const current = okWaiters.get(eventId)
    if (current === undefined) okWaiters.set(eventId, waiter)
    else if (current instanceof Set) current.add(waiter)
    else if (current !== waiter) okWaiters.set(eventId, new Set([current, waiter]))
  }

  function removeOkWaiter(eventId: string, waiter: OkWaiter): void {
    const current = okWaiters.get(eventId)
    if (current === waiter) okWaiters.delete(eventId)
    else if (current instanceof Set) {
      current.delete(waiter)
      if (current.size === 0) okWaiters.delete(eventId)
    }
  }

  let authEventId: string | undefined
  function onAuth(envelope: string): void {
    let challenge: string
    try {
      challenge = findAuthChallenge(envelope)
    } catch (error) {
      report(
        new ProtocolError('MalformedEnvelope', `dropped a malformed AUTH: ${String(error)}`, {
          cause: error,
        }),
      )
      return
    }
    const authenticate = hooks.authenticate
    if (authenticate === undefined) {
      setAuth({ type: 'challenged', challenge })
      return
    }
    setAuth({ type: 'authenticating', challenge })
    authenticate(challenge, connection.url).then(
      (eventJson) => {
        if (authState.type !== 'authenticating' || authState.challenge !== challenge) return
        authEventId = peekEventId(eventJson)
        connection.send(encloseAuthResponse(eventJson))
      },
      (error: unknown) => setAuth({ type: 'failed', challenge, reason: String(error) }),
    )
  }

  function fetchLimits(): void {
    const fetchInfo = hooks.fetchRelayInfo
    if (infoRequested || fetchInfo === undefined) return
    infoRequested = true
    // REQs wait for the document: sent before it, they could go past the relay's max_subscriptions
    // and be refused. The wait is bounded by connectTimeout, whatever the fetcher does.
    registry.holdRequests(true)
    let waiting = true
    const release = (): void => {
      if (!waiting) return
      waiting = false
      giveUp.unsubscribe()
      registry.holdRequests(false)
    }
    const giveUp = connection.scheduler.schedule(release, config.connectTimeout)
    fetchInfo(connection.url).then(
      (info) => {
        limits = info.limitation
        const max = limits?.max_subscriptions
        if (typeof max === 'number' && max > 0) registry.setMaxSubscriptions(max)
        release()
      },
      // No document, no limits: the configured defaults stay in force.
      release,
    )
  }

  function listen(): Subscription {
    // One subscription per label; the router reads each envelope's label once for all of them.
    const subscription = connection.events$.subscribe((e) => registry.handleEvent(e))
    // Copies recognised from a frame's first bytes are dropped before the environment decodes them.
    subscription.add(
      connection.setFrameFilter({
        active: () => registry.expectsCopies(),
        drop: (head) => registry.dropCopy(head),
      }),
    )
    subscription.add(connection.eose$.subscribe((e) => registry.handleEose(e)))
    subscription.add(connection.closed$.subscribe((e) => registry.handleClosed(e)))
    subscription.add(connection.ok$.subscribe(onOk))
    subscription.add(connection.auth$.subscribe(onAuth))
    // After a reconnect: a fresh socket is unauthenticated, then every open subscription is re-sent.
    const undoHook = connection.onReconnect(() => {
      if (authState.type !== 'none') setAuth({ type: 'none' })
      registry.restore()
    })
    subscription.add(undoHook)
    // Last, so status$ (which replays the current status) finds the connection activated above.
    subscription.add(
      connection.status$.subscribe((status) => {
        if (status === 'error' || status === 'closed') {
          // A copy: a watcher that ends stops watching, from inside this loop.
          for (const watcher of [...connectedWatchers]) watcher.onEnded(status)
        }
        // Closed for good: every subscription ends (a req() completes) rather than wait forever.
        if (status === 'closed') registry.endAll()
        const now = status === 'connected'
        if (now === connected) return
        connected = now
        if (now) connects++
        for (const watcher of connectedWatchers) watcher.onConnectedChange(now)
      }),
    )
    subscription.add(() => {
      connected = false
    })
    return subscription
  }

  return {
    connection,
    registry,
    maxMessageLength: () => limits?.max_message_length ?? config.relayLimits.maxMessageLength,
    nextSubscriptionId: () => `hb:${(nextId++).toString(36)}`,
    addOkWaiter,
    removeOkWaiter,
    watchConnected(watcher) {
      connectedWatchers.add(watcher)
      watcher.onConnectedChange(connected)
    },
    unwatchConnected(watcher) {
      connectedWatchers.delete(watcher)
    },
    auth$: defer(() => authChanges.pipe(startWith(authState))),
    hold() {
      if (holders++ === 0) {
        fetchLimits()
        listening = listen()
      }
      let released = false
      return () => {
        if (released) return
        released = true
        if (--holders === 0) {
          listening?.unsubscribe()
          listening = undefined
        }
      }
    },
  }
}

/**
 * The subscription registry of `connection` (spec honeybee §11): list what is open, or remove one.
 * `req()` adds to it; use this to inspect.
 * @example
 * ```ts
 * subscriptionsOf(conn).list() // [{ id: 'hb:0', filters: [{ kinds: [1] }], state: 'open' }]
 * ```
 */
export function subscriptionsOf(connection: Connection): SubscriptionRegistry {
  return sessionOf(connection).registry
}
