/**
 * @module The contract of an initiator connection: what `createConnection` returns and takes.
 *
 * Kept apart from the implementation (connection.ts) so that the public shape can be read on its own,
 * as rx-nostr keeps an interface beside its hidden implementation.
 */
import type { ConnectionStatus } from 'roots-ws'
import type { Observable, SchedulerLike } from 'rxjs'
import type { ConnectionConfig, PartialConfig, ProfileName } from './config.js'
import type { HoneybeeError } from './errors.js'
import type { HealthMonitor } from './heartbeat.js'
import type { MetricsCollector, MetricsSnapshot } from './metrics.js'
import type { RateLimiter } from './rate-limiter.js'
import type { ReconnectPolicy } from './reconnect.js'
import type { RelayInformation } from './relay-information.js'
import type { Router } from './router.js'
import type { SocketFactory } from './socket.js'
import type { WriteQueue } from './write-queue.js'

/** Functions a connection calls out to; the application supplies them (signing stays outside). */
export interface ConnectionHooks {
  /**
   * Answers a relay's NIP-42 AUTH challenge with a signed kind-22242 event, as raw JSON. Without it,
   * challenges are ignored and `auth-required:` refusals are final.
   */
  readonly authenticate?: (challenge: string, relayUrl: string) => Promise<string>
  /** Fetches the relay's NIP-11 information document; without it, `config.relayLimits` apply. */
  readonly fetchRelayInfo?: (relayUrl: string) => Promise<RelayInformation>
}

/** A live, self-healing connection to one relay, on the initiator side (it dialled). */
export interface Connection extends Router {
  /** The side of the connection: this one dialled (spec ADR 4). */
  readonly role: 'initiator'
  /** The URL dialled. */
  readonly url: string
  /** The configuration in force: defaults, profile and options, resolved. */
  readonly config: ConnectionConfig
  /** The application's hooks. */
  readonly hooks: ConnectionHooks
  /** The clock of every timer of this connection; layers built on it use the same one. */
  readonly scheduler: SchedulerLike
  /** The current status; replays it to each new subscriber, then every change. */
  readonly status$: Observable<ConnectionStatus>
  /** The current status, synchronously. */
  readonly status: ConnectionStatus
  /**
   * When the frame being handled, or else the last one, arrived, on {@link scheduler}'s clock;
   * `undefined` before the first. Layers that handle messages read it instead of the clock again.
   */
  readonly lastMessageAt: number | undefined
  /** Every incoming envelope, unparsed. */
  readonly messages$: Observable<string>
  /** Everything that went wrong; never completes or errors the data streams. */
  readonly errors$: Observable<HoneybeeError>
  /** A metrics snapshot every `metricsInterval` ms, the first at once (cold). */
  readonly metrics$: Observable<MetricsSnapshot>
  /** The metrics now. */
  metrics(): MetricsSnapshot
  /** Bytes waiting to be written: the write queue plus the socket's own buffer (back pressure). */
  readonly bufferedAmount: number
  /**
   * Sends an envelope, or holds it until the connection is ready, in order, exactly once.
   * @returns `true` when the envelope was handed to the socket now, `false` when it is held.
   * @throws {UsageError} `InvalidState` after `close()`, `EnvelopeTooLarge` over `maxMessageSize`,
   * `WriteQueueFull` when the held writes are at their limit.
   */
  send(envelope: string): boolean
  /**
   * Runs `hook` each time the connection comes back after being lost, before held writes go out;
   * envelopes it sends go first. Returns the function that removes it.
   */
  onReconnect(hook: () => void): () => void
  /**
   * Lets the layer above drop incoming frames before they are decoded, judging by their start: the
   * subscription registry drops copies of events it already delivered this way. Asked only where the
   * environment hands frames over as bytes (honeybee-node), and only while nothing else watches them:
   * not while `messages$` has a subscriber, nor `events$` more than one (the registry's own). One
   * filter at a time; returns the function that removes it.
   */
  setFrameFilter(filter: FrameFilter): () => void
  /**
   * Puts an error on `errors$` and counts it. For layers built on the connection (initiator functions,
   * the pool) that find bad input from the peer inside an envelope the router could route.
   */
  report(error: HoneybeeError): void
  /** Closes gracefully (bounded by `closeTimeout`), completes every stream. Idempotent. */
  close(): void
}

/** What {@link Connection.setFrameFilter} takes. */
export interface FrameFilter {
  /** Whether to look at frames now at all; asked for every frame, so it must be cheap. */
  active(): boolean
  /**
   * Whether to drop the frame: `head` is its first bytes, at most {@link FRAME_HEAD_LENGTH}, read as
   * Latin-1 (one character per byte: its ASCII reads as itself, anything else not as the frame means).
   */
  drop(head: string): boolean
}

/** The most characters of a frame a {@link FrameFilter} is shown: enough for an EVENT's subscription id and event id. */
export const FRAME_HEAD_LENGTH = 192

/**
 * The components a connection is built from, each behind an interface so that mana-ws (or a test)
 * can replace it without changing the caller (spec honeybee ADR 8).
 */
export interface ConnectionComponents {
  /** When to redial. @default exponentialBackoff(config.reconnect) */
  readonly reconnectPolicy?: ReconnectPolicy
  /** How health is judged. @default createHeartbeat(config.health) */
  readonly healthMonitor?: HealthMonitor
  /** The outgoing rate limit. @default a token bucket when `rateLimit.enabled`, otherwise none */
  readonly rateLimiter?: RateLimiter
  /** Where writes wait. @default createWriteQueue(config.writeQueue) */
  readonly writeQueue?: WriteQueue
  /** Where counts go. @default createMetrics() */
  readonly metrics?: MetricsCollector
}

/** Options for {@link createConnection}: a profile, configuration overrides, and the parts it is built from. */
export type ConnectionOptions = PartialConfig & {
  /** The named starting point for the configuration. @default 'default' */
  readonly profile?: ProfileName
  /** Opens sockets: the environment's adapter. The environment packages bind it. */
  readonly socketFactory: SocketFactory
  /** Clock for every timer. @default asyncScheduler */
  readonly scheduler?: SchedulerLike
  /** Replacement components. */
  readonly components?: ConnectionComponents
  /** Functions the connection calls out to. */
  readonly hooks?: ConnectionHooks
  /**
   * What the environment knows of the network, subscribed while the connection is active (the browser
   * edition feeds it from `online`/`offline` and page visibility). `'offline'`: stop dialling; a pending
   * retry, or a socket lost meanwhile, waits in `awaiting` without using up reconnect attempts.
   * `'online'`: the network is usable (again); a connection in `backoff`, `awaiting` or `error` dials at once.
   */
  readonly network$?: Observable<'online' | 'offline'>
}
