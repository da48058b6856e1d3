/** @module How many bytes a string takes in UTF-8, without encoding it. */

/**
 * The UTF-8 length of `text` in bytes: what a WebSocket text frame carries, and what relays' limits
 * (NIP-11 `max_message_length`) count. A lone surrogate counts as the 3 bytes of the U+FFFD that
 * replaces it on the wire.
 * @example
 * ```ts
 * utf8Length('€1') // 4
 * ```
 */
export function utf8Length(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) continue
    if (unit < 0x800) bytes += 1
    else if ((unit & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2 // a surrogate pair: two units, four bytes
      i++
    } else bytes += 2
  }
  return bytes
}

/**
 * Whether `text` takes more than `limit` bytes in UTF-8; counts only when the answer is not plain
 * from its length (a UTF-16 unit takes 1 to 3 bytes).
 */
export function exceedsUtf8(text: string, limit: number): boolean {
  if (text.length > limit) return true
  if (text.length * 3 <= limit) return false
  return utf8Length(text) > limit
}
