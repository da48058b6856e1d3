/**
 * @module Small pure helpers of the responder: session ids, the COUNT result envelope, and what a
 * close frame may carry.
 */
import { UsageError } from './errors.js'

/** The Web Crypto subset used here; present in browsers and Node ≥ 19 as `globalThis.crypto`. */
interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array
}

/**
 * 16 random hex characters (64 bits): `crypto.getRandomValues` where the environment has it, else
 * `Math.random`. A session id, for logs and maps, never a secret.
 * @example
 * ```ts
 * randomId() // '9f86d081884c7d65'
 * ```
 */
export function randomId(): string {
  const bytes = new Uint8Array(8)
  const crypto = (globalThis as { crypto?: Partial<RandomSource> }).crypto
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  let id = ''
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0')
  return id
}

/**
 * A NIP-45 COUNT result, `["COUNT",<subId>,{"count":<n>}]`, with `"approximate":true` when asked.
 * @throws {UsageError} `InvalidArgument` unless `count` is a non-negative safe integer.
 * @example
 * ```ts
 * encloseCountResult('q', 42, false) // '["COUNT","q",{"count":42}]'
 * ```
 */
export function encloseCountResult(subId: string, count: number, approximate: boolean): string {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new UsageError('InvalidArgument', `a COUNT result must be a non-negative integer, not ${count}`)
  }
  const result = approximate ? `{"count":${count},"approximate":true}` : `{"count":${count}}`
  return `["COUNT",${JSON.stringify(subId)},${result}]`
}

/**
 * Whether an endpoint may send `code` in a close frame (RFC 6455 §7.4): 1000–1003, 1007–1014 and
 * 3000–4999. 1004–1006 and 1015 are reserved or never sent; the rest are not assigned.
 */
export function isSendableCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false
  if (code >= 3000 && code <= 4999) return true
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006
}

/**
 * `text` cut to at most `maxBytes` bytes of UTF-8, never inside a character (a close reason may hold
 * at most 123 bytes).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0
  let end = 0
  for (const char of text) {
    const point = char.codePointAt(0) ?? 0
    const size = point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4
    if (bytes + size > maxBytes) break
    bytes += size
    end += char.length
  }
  return text.slice(0, end)
}
