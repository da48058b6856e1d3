/**
 * @module What a responder allows each peer: its limits, their defaults, and how partial limits are
 * completed.
 *
 * Every limit protects the process from one connection: a peer over a limit is answered per NIP-01
 * (an `OK`, `CLOSED` or `NOTICE` with a machine-readable prefix) and reported on the connection's
 * `errors$`, and only the slow reader loses its connection. Other connections are never affected.
 *
 * @example
 * ```ts
 * resolveResponderLimits({ maxSubscriptions: 50, rateLimit: { enabled: true } })
 * // maxSubscriptions 50; rateLimit { enabled: true, messagesPerSecond: 10, burst: 30 }; the rest default
 * ```
 */
import { DEFAULT_CONFIG, type RateLimitConfig } from './config.js'

/** The limits a responder enforces on one connection; see {@link DEFAULT_RESPONDER_LIMITS}. */
export interface ResponderLimits {
  /**
   * Largest incoming envelope, in bytes. A larger EVENT or AUTH is answered `OK false "invalid: …"`
   * (when its event id can be read cheaply), a larger REQ or COUNT `CLOSED "invalid: …"` (when its
   * subscription id can), anything else `NOTICE "invalid: …"`; the connection stays.
   * @default 1048576 (DEFAULT_CONFIG.maxMessageSize)
   */
  readonly maxMessageSize: number
  /**
   * Incoming messages per connection, as a token bucket. Over the rate, an EVENT or AUTH is answered
   * `OK false "rate-limited: …"`, a REQ or COUNT `CLOSED "rate-limited: …"`, anything else
   * `NOTICE "rate-limited: …"`. @default DEFAULT_CONFIG.rateLimit (off; 10/s, burst 30 when on)
   */
  readonly rateLimit: RateLimitConfig
  /**
   * Subscriptions open at once. A REQ for a new id beyond it is answered
   * `CLOSED "restricted: too many subscriptions (max N)"`; an older subscription is never evicted. A
   * REQ that reuses a live id replaces that subscription (NIP-01) and does not count twice.
   * @default 20
   */
  readonly maxSubscriptions: number
  /** Longest subscription id, in characters (NIP-01 says 64); longer or empty ones are refused. @default 64 */
  readonly maxSubIdLength: number
  /**
   * Bytes the socket may hold unsent. When a send leaves more than this buffered, the peer is not
   * reading fast enough (a slow reader): the connection is terminated, with `SlowConsumer` on
   * `errors$`. @default 33554432 (32 MiB, as strfry)
   */
  readonly maxBufferedBytes: number
  /** Longest wait for the peer's side of a graceful close, in ms, before the socket is terminated. @default 5000 */
  readonly closeTimeout: number
}

/** Limits with every field optional, `rateLimit` too; what a caller passes. */
export type PartialResponderLimits = {
  readonly [K in keyof ResponderLimits]?: ResponderLimits[K] extends object
    ? Partial<ResponderLimits[K]>
    : ResponderLimits[K]
}

/** The defaults of {@link ResponderLimits}. */
export const DEFAULT_RESPONDER_LIMITS: ResponderLimits = Object.freeze({
  maxMessageSize: DEFAULT_CONFIG.maxMessageSize,
  rateLimit: DEFAULT_CONFIG.rateLimit,
  maxSubscriptions: 20,
  maxSubIdLength: 64,
  maxBufferedBytes: 32 * 1024 * 1024,
  closeTimeout: DEFAULT_CONFIG.closeTimeout,
})

const LIMIT_KEYS = Object.keys(DEFAULT_RESPONDER_LIMITS) as (keyof ResponderLimits)[]
const RATE_LIMIT_KEYS = Object.keys(DEFAULT_RESPONDER_LIMITS.rateLimit) as (keyof RateLimitConfig)[]

/**
 * The defaults overlaid with `limits` (`rateLimit` field by field); a new frozen object, or `limits`
 * itself when it is one already (frozen, with every field): a server resolves its limits once and
 * hands them to every connection, which need not copy them again.
 * @example
 * ```ts
 * resolveResponderLimits({ rateLimit: { enabled: true } }).rateLimit // { enabled: true, messagesPerSecond: 10, burst: 30 }
 * ```
 */
export function resolveResponderLimits(limits: PartialResponderLimits = {}): ResponderLimits {
  if (isResolved(limits)) return limits
  const defined = Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined))
  return Object.freeze({
    ...DEFAULT_RESPONDER_LIMITS,
    ...defined,
    rateLimit: Object.freeze({ ...DEFAULT_RESPONDER_LIMITS.rateLimit, ...limits.rateLimit }),
  })
}

/** Whether `limits` is frozen and complete, as {@link resolveResponderLimits} makes them. */
function isResolved(limits: PartialResponderLimits): limits is ResponderLimits {
  const { rateLimit } = limits
  if (!Object.isFrozen(limits) || rateLimit === undefined || !Object.isFrozen(rateLimit)) return false
  for (const key of LIMIT_KEYS) if (limits[key] === undefined) return false
  for (const key of RATE_LIMIT_KEYS) if (rateLimit[key] === undefined) return false
  return true
}
