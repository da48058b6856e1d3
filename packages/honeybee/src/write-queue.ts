/**
 * @module The bounded write queue (spec honeybee §8).
 *
 * Holds outgoing envelopes while the connection is not ready for them (connecting, reconnecting, the
 * socket's buffer over its high-water mark, the rate limit reached), in order. It never drops: a write
 * over its limits is refused with `WriteQueueFull`, and the caller decides. Sizes are counted in UTF-16
 * code units, which equal bytes for the ASCII JSON that dominates Nostr traffic and cost nothing to
 * measure.
 */
import type { WriteQueueConfig } from './config.js'
import { UsageError } from './errors.js'

/** An ordered, bounded FIFO of envelopes. mana-ws's priority queue implements the same interface. */
export interface WriteQueue {
  /** Envelopes held. */
  readonly length: number
  /** Their total size. */
  readonly bytes: number
  /**
   * Appends an envelope.
   * @throws {UsageError} `WriteQueueFull` when it would exceed `maxMessages` or `maxBytes`.
   */
  push(envelope: string): void
  /** The envelope that goes next, without removing it. */
  peek(): string | undefined
  /** Removes and returns the envelope that goes next. */
  shift(): string | undefined
  /** Removes every envelope and returns them in order. */
  clear(): string[]
}

/**
 * A FIFO on an array with a moving head, so `shift` is O(1) however long the queue grows.
 * @example
 * ```ts
 * const queue = createWriteQueue({ maxMessages: 10_000, maxBytes: 16 * 1024 * 1024, highWaterMark: 1 << 20 })
 * queue.push('["CLOSE","s"]')
 * queue.shift() // '["CLOSE","s"]'
 * ```
 */
export function createWriteQueue(config: WriteQueueConfig): WriteQueue {
  let items: string[] = []
  let head = 0
  let bytes = 0
  return {
    get length() {
      return items.length - head
    },
    get bytes() {
      return bytes
    },
    push(envelope) {
      if (items.length - head >= config.maxMessages) {
        throw new UsageError(
          'WriteQueueFull',
          `write queue holds its maximum of ${config.maxMessages} envelopes`,
        )
      }
      if (bytes + envelope.length > config.maxBytes) {
        throw new UsageError(
          'WriteQueueFull',
          `write queue would exceed its maximum of ${config.maxBytes} bytes`,
        )
      }
      items.push(envelope)
      bytes += envelope.length
    },
    peek() {
      return items[head]
    },
    shift() {
      const envelope = items[head]
      if (envelope === undefined) return undefined
      head++
      bytes -= envelope.length
      // Compact once the consumed prefix dominates, keeping memory proportional to what is held.
      if (head === items.length) {
        items = []
        head = 0
      } else if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head)
        head = 0
      }
      return envelope
    },
    clear() {
      const rest = items.slice(head)
      items = []
      head = 0
      bytes = 0
      return rest
    },
  }
}
