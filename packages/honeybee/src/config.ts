/**
 * @module Configuration in tiers (spec ADR 5): zero-config defaults, then a named profile, then
 * per-component options. Every field is optional for the caller; {@link resolveConfig} fills the rest.
 *
 * @example
 * ```ts
 * connect(url)                                              // the spec's defaults
 * connect(url, { profile: 'realtime' })                     // a profile
 * connect(url, { profile: 'realtime', reconnect: { maxAttempts: 0 } }) // profile + one override
 * ```
 */

/** Reconnection with exponential backoff and jitter (spec honeybee §2). */
export interface ReconnectConfig {
  /** Reconnect after a lost connection at all. @default true */
  readonly enabled: boolean
  /** Attempts before giving up with `MaxReconnectAttemptsExceeded`; 0 is unlimited. @default 5 */
  readonly maxAttempts: number
  /** Delay before the first retry, in ms. @default 1000 */
  readonly initialDelay: number
  /** Longest delay between retries, in ms. @default 30000 */
  readonly maxDelay: number
  /** Each retry waits this many times longer than the last. @default 2 */
  readonly factor: number
  /** Random spread of each delay, as a fraction (0.2 is ±20 %). @default 0.2 */
  readonly jitter: number
  /**
   * The attempt counter resets only after a connection has stayed up this long, in ms, so a relay
   * that accepts and drops at once sees growing delays, not a reconnect every second. @default 10000
   */
  readonly stableAfter: number
}

/** Ping/pong heartbeat (spec honeybee §3). */
export interface HealthConfig {
  /** Monitor health at all. @default true */
  readonly enabled: boolean
  /** Quiet time before a ping, in ms. @default 25000 */
  readonly pingInterval: number
  /** How long to wait for a pong (or any message), in ms. @default 15000 */
  readonly pongTimeout: number
  /** Consecutive missed pongs that make the connection unhealthy. @default 3 */
  readonly failureThreshold: number
}

/** Token bucket on the outgoing path (spec honeybee §4). */
export interface RateLimitConfig {
  /** Limit outgoing messages at all. @default false */
  readonly enabled: boolean
  /** Sustained rate, in messages per second. @default 10 */
  readonly messagesPerSecond: number
  /** Largest burst. @default 30 */
  readonly burst: number
}

/** permessage-deflate negotiation (spec honeybee §5); honoured where the environment allows it. */
export interface CompressionConfig {
  /** Offer permessage-deflate. @default false */
  readonly enabled: boolean
  /** zlib level, 0–9. @default 6 */
  readonly level: number
  /** Messages smaller than this many bytes are sent uncompressed. @default 1024 */
  readonly threshold: number
}

/** The bounded write queue (spec honeybee §8). */
export interface WriteQueueConfig {
  /** Most envelopes held while not connected; one more is a `WriteQueueFull` error. @default 10000 */
  readonly maxMessages: number
  /** Most bytes held while not connected. @default 16777216 (16 MiB) */
  readonly maxBytes: number
  /** Stop handing writes to the socket while it buffers more than this many bytes. @default 1048576 */
  readonly highWaterMark: number
}

/** Re-sending subscriptions after a reconnect (spec honeybee §11). */
export interface ResubscribeConfig {
  /** Move each re-sent filter's `since` up to what was already delivered. @default true */
  readonly adjustSince: boolean
  /**
   * How far before the newest delivered `created_at` the re-sent `since` goes, in seconds. `created_at`
   * is chosen by authors and is not monotonic, so `newest + 1` would lose same-second and slightly
   * back-dated events; the overlap's duplicates are removed by id. @default 60
   */
  readonly overlap: number
}

/** What a relay allows, for relays whose NIP-11 document does not say (spec: NIP-11 `limitation`). */
export interface RelayLimitsConfig {
  /** Subscriptions open at once; more wait in a queue until one ends. @default 20 */
  readonly maxSubscriptions: number
  /** Longest envelope the relay takes, in bytes; longer ones are refused before sending. @default 1048576 */
  readonly maxMessageLength: number
}

/** Everything a connection can be told; see {@link DEFAULT_CONFIG} for the defaults. */
export interface ConnectionConfig {
  /** Longest wait for a connect attempt to open, handshake included, in ms. @default 10000 */
  readonly connectTimeout: number
  /** Longest wait for a graceful close handshake before the socket is terminated, in ms. @default 5000 */
  readonly closeTimeout: number
  /** How long the socket stays open after the last subscriber leaves, in ms. @default 1000 */
  readonly keepAlive: number
  /** Largest envelope accepted or sent, in bytes; larger ones are dropped and reported. @default 1048576 */
  readonly maxMessageSize: number
  /** Labels besides the standard ones that the router delivers without reporting them unknown. @default [] */
  readonly customLabels: readonly string[]
  /** How often `metrics$` emits a snapshot, in ms. @default 1000 */
  readonly metricsInterval: number
  /** How long `publish` waits for the relay's OK, in ms. @default 10000 */
  readonly okTimeout: number
  /**
   * How long `req` waits for EOSE, in ms, counted from the last event received, so that a large
   * backfill is not cut off mid-stream. @default 10000
   */
  readonly eoseTimeout: number
  readonly resubscribe: ResubscribeConfig
  readonly relayLimits: RelayLimitsConfig
  readonly reconnect: ReconnectConfig
  readonly health: HealthConfig
  readonly rateLimit: RateLimitConfig
  readonly compression: CompressionConfig
  readonly writeQueue: WriteQueueConfig
}

/** The spec's defaults (spec honeybee §14). */
export const DEFAULT_CONFIG: ConnectionConfig = deepFreeze({
  connectTimeout: 10_000,
  closeTimeout: 5_000,
  keepAlive: 1_000,
  maxMessageSize: 1024 * 1024,
  customLabels: [],
  metricsInterval: 1_000,
  okTimeout: 10_000,
  eoseTimeout: 10_000,
  resubscribe: { adjustSince: true, overlap: 60 },
  relayLimits: { maxSubscriptions: 20, maxMessageLength: 1024 * 1024 },
  reconnect: {
    enabled: true,
    maxAttempts: 5,
    initialDelay: 1_000,
    maxDelay: 30_000,
    factor: 2,
    jitter: 0.2,
    stableAfter: 10_000,
  },
  health: { enabled: true, pingInterval: 25_000, pongTimeout: 15_000, failureThreshold: 3 },
  rateLimit: { enabled: false, messagesPerSecond: 10, burst: 30 },
  compression: { enabled: false, level: 6, threshold: 1024 },
  writeQueue: { maxMessages: 10_000, maxBytes: 16 * 1024 * 1024, highWaterMark: 1024 * 1024 },
})

/** Every field optional, at every depth. */
export type PartialConfig = {
  readonly [K in keyof ConnectionConfig]?: ConnectionConfig[K] extends readonly string[]
    ? ConnectionConfig[K]
    : ConnectionConfig[K] extends object
      ? Partial<ConnectionConfig[K]>
      : ConnectionConfig[K]
}

/**
 * Named starting points between the defaults and your own options.
 * - `default`: the spec's defaults.
 * - `realtime`: finds a dead relay in ~20 s instead of ~70 s, and retries sooner; for interactive apps.
 * - `persistent`: never gives up (unlimited attempts, up to a minute apart); for services and pools.
 */
export const PROFILES = {
  default: {},
  realtime: {
    health: { pingInterval: 10_000, pongTimeout: 5_000, failureThreshold: 2 },
    reconnect: { initialDelay: 500, maxDelay: 10_000 },
  },
  persistent: { reconnect: { maxAttempts: 0, maxDelay: 60_000 } },
} as const satisfies Record<string, PartialConfig>

/** The name of one of the {@link PROFILES}. */
export type ProfileName = keyof typeof PROFILES

/** Defaults, then the profile, then the caller's options; a new frozen object. */
export function resolveConfig(
  options: PartialConfig = {},
  profile: ProfileName = 'default',
): ConnectionConfig {
  const layered = merge(merge(DEFAULT_CONFIG, PROFILES[profile]), options)
  return deepFreeze(layered)
}

/** Overlays `over` on `base`, one level deep, taking only the keys a configuration has. */
function merge(base: ConnectionConfig, over: PartialConfig): ConnectionConfig {
  const result: Record<string, unknown> = { ...base }
  const overrides = over as Record<string, unknown>
  for (const key of Object.keys(base)) {
    const value = overrides[key]
    if (value === undefined) continue
    const current = result[key]
    result[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value) && typeof current === 'object'
        ? { ...current, ...value }
        : value
  }
  return result as unknown as ConnectionConfig
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
