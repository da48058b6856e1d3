/**
 * @module The NIP-11 relay information document: its shape, and the one a responder publishes.
 *
 * A relay answers an HTTP `GET` with `Accept: application/nostr+json` on its WebSocket URL with this
 * JSON document. Every field is optional (NIP-11); names are NIP-11's own (snake case), so the type
 * is the wire format and needs no mapping either way. The responder side builds its document with
 * {@link relayInformation}, which fills `limitation` from the limits the responder actually enforces;
 * the initiator side reads a relay's document to respect its limits.
 *
 * @example
 * ```ts
 * const info = relayInformation(resolveResponderLimits({ maxSubscriptions: 50 }), { name: 'my relay' })
 * info.limitation?.max_subscriptions // 50
 * ```
 */
import type { ResponderLimits } from './responder-limits.js'

/** NIP-11 `limitation`: what the relay allows. Every field is optional. */
export interface RelayLimitation {
  /** Longest incoming WebSocket message, in bytes. */
  readonly max_message_length?: number
  /** Subscriptions a connection may hold open at once. */
  readonly max_subscriptions?: number
  /** The largest `limit` a filter may ask for; larger ones are clamped. */
  readonly max_limit?: number
  /** Longest subscription id, in characters. */
  readonly max_subid_length?: number
  /** Most tags an event may have. */
  readonly max_event_tags?: number
  /** Longest event `content`, in characters. */
  readonly max_content_length?: number
  /** Least NIP-13 proof-of-work difficulty a published event needs. */
  readonly min_pow_difficulty?: number
  /** Whether NIP-42 authentication is required before anything else. */
  readonly auth_required?: boolean
  /** Whether payment is required before anything else. */
  readonly payment_required?: boolean
  /** Whether writes are restricted (to members, payers, …). */
  readonly restricted_writes?: boolean
  /** Oldest `created_at` accepted, as Unix seconds. */
  readonly created_at_lower_limit?: number
  /** Newest `created_at` accepted, as Unix seconds. */
  readonly created_at_upper_limit?: number
  /** The `limit` applied to a filter that gives none. */
  readonly default_limit?: number
}

/** NIP-11 `fees`: one entry of a fee schedule. */
export interface RelayFee {
  readonly amount: number
  readonly unit: string
  /** For subscriptions: how long one payment lasts, in seconds. */
  readonly period?: number
  /** For publication fees: the event kinds it applies to. */
  readonly kinds?: readonly number[]
}

/** A NIP-11 relay information document. Every field is optional. */
export interface RelayInformation {
  /** A short name for the relay. */
  readonly name?: string
  /** What the relay is for, in plain text. */
  readonly description?: string
  /** URL of a banner image. */
  readonly banner?: string
  /** URL of an icon. */
  readonly icon?: string
  /** The administrator's public key, as 64 hex characters. */
  readonly pubkey?: string
  /** The relay's own public key, as 64 hex characters. */
  readonly self?: string
  /** Another way to reach the administrator (a URI: `mailto:`, `https:`, …). */
  readonly contact?: string
  /** The NIPs the relay implements. */
  readonly supported_nips?: readonly number[]
  /** URL of the relay software's project. */
  readonly software?: string
  /** The relay software's version. */
  readonly version?: string
  /** What the relay allows. */
  readonly limitation?: RelayLimitation
  /** Where the relay's data may be stored or processed (ISO 3166-1 alpha-2 codes, `*` for anywhere). */
  readonly relay_countries?: readonly string[]
  /** Languages the relay's community uses (IETF language tags). */
  readonly language_tags?: readonly string[]
  /** Topics or community rules, as short tags (`sfw-only`, `bitcoin-only`, …). */
  readonly tags?: readonly string[]
  /** URL of the posting policy. */
  readonly posting_policy?: string
  /** URL of the privacy policy. */
  readonly privacy_policy?: string
  /** URL of the terms of service. */
  readonly terms_of_service?: string
  /** URL where payments are made. */
  readonly payments_url?: string
  /** The fee schedule. */
  readonly fees?: {
    readonly admission?: readonly RelayFee[]
    readonly subscription?: readonly RelayFee[]
    readonly publication?: readonly RelayFee[]
  }
}

/**
 * The document a responder publishes: `info` as given, with the `limitation` fields that the limits
 * enforce (`max_message_length`, `max_subscriptions`, `max_subid_length`) set from `limits`. Those
 * always win over the same fields in `info`, so the document never promises what is not enforced.
 * `supported_nips` defaults to `[1, 11]`. Returns a new frozen object; `info` is not changed.
 *
 * @example
 * ```ts
 * relayInformation(DEFAULT_RESPONDER_LIMITS, { name: 'test', limitation: { auth_required: false } })
 * // { name: 'test', supported_nips: [1, 11],
 * //   limitation: { auth_required: false, max_message_length: 1048576, max_subscriptions: 20, max_subid_length: 64 } }
 * ```
 */
export function relayInformation(limits: ResponderLimits, info: RelayInformation = {}): RelayInformation {
  const limitation: RelayLimitation = Object.freeze({
    ...info.limitation,
    max_message_length: limits.maxMessageSize,
    max_subscriptions: limits.maxSubscriptions,
    max_subid_length: limits.maxSubIdLength,
  })
  return Object.freeze({
    ...info,
    supported_nips: Object.freeze([...(info.supported_nips ?? [1, 11])]),
    limitation,
  })
}
