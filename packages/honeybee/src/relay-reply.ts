/**
 * @module NIP-01 machine-readable prefixes on OK and CLOSED messages, read into types.
 *
 * A relay explains a refusal as `"<prefix>: <human text>"`. The prefix is the part code can act on;
 * this table makes it a value, never a string to `startsWith` against.
 */
import { HoneybeeError, type RelayErrorCode } from './errors.js'

/** The standard prefixes, as NIP-01 lists them. */
export const REPLY_PREFIXES = [
  'auth-required',
  'rate-limited',
  'restricted',
  'invalid',
  'pow',
  'duplicate',
  'blocked',
  'error',
  'unsupported',
  'mute',
] as const

/** One of the standard prefixes (the same union as the `RelayError` codes). */
export type ReplyPrefix = (typeof REPLY_PREFIXES)[number] & RelayErrorCode

const PREFIXES: ReadonlySet<string> = new Set(REPLY_PREFIXES)

/** A relay's OK or CLOSED message, split into its prefix (if standard) and its text. */
export interface RelayReply {
  /** The standard prefix, or `undefined` when the message has none (or an unknown one). */
  readonly prefix: ReplyPrefix | undefined
  /** The whole message, as the relay sent it. */
  readonly message: string
}

/**
 * Reads the prefix of a relay's message.
 * @example
 * ```ts
 * parseReply('rate-limited: slow down').prefix // 'rate-limited'
 * parseReply('hello').prefix                   // undefined
 * ```
 */
export function parseReply(message: string): RelayReply {
  const colon = message.indexOf(':')
  const candidate = colon > 0 ? message.slice(0, colon).trim() : ''
  return { prefix: PREFIXES.has(candidate) ? (candidate as ReplyPrefix) : undefined, message }
}

/**
 * The relay refused: a CLOSED with a machine-readable prefix ended a subscription, or an `auth-required`
 * refusal could not be cured by authenticating. `code` is the prefix. The relay decided; whether to
 * retry, authenticate or give up is the application's call.
 */
export class RelayError extends HoneybeeError {
  override readonly name = 'RelayError'
  declare readonly code: ReplyPrefix
  /** The relay that refused. */
  declare readonly relay: string

  constructor(code: ReplyPrefix, message: string, relay: string) {
    super(`${relay} refused: ${message}`)
    this.code = code
    this.relay = relay
  }
}
