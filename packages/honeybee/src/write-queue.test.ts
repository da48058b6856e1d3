import { describe, expect, it } from 'vitest'
import { createWriteQueue } from './write-queue.js'

const limits = { maxMessages: 5, maxBytes: 40, highWaterMark: 0 }

describe('write queue', () => {
  it('is first in, first out, and counts its size', () => {
    const queue = createWriteQueue(limits)
    queue.push('["A"]')
    queue.push('["BB"]')
    expect(queue.length).toBe(2)
    expect(queue.bytes).toBe(11)
    expect(queue.peek()).toBe('["A"]')
    expect(queue.shift()).toBe('["A"]')
    expect(queue.shift()).toBe('["BB"]')
    expect(queue.shift()).toBeUndefined()
    expect(queue.bytes).toBe(0)
  })

  it('refuses a write over the message count or byte limit, and keeps what it holds', () => {
    const queue = createWriteQueue(limits)
    for (let i = 0; i < 5; i++) queue.push(`[${i}]`)
    expect(() => queue.push('[5]')).toThrow(
      expect.objectContaining({ name: 'UsageError', code: 'WriteQueueFull' }),
    )
    expect(queue.clear()).toEqual(['[0]', '[1]', '[2]', '[3]', '[4]'])
    queue.push('x'.repeat(40))
    expect(() => queue.push('y')).toThrow(expect.objectContaining({ code: 'WriteQueueFull' }))
    expect(queue.length).toBe(1)
  })

  it('keeps order across compaction of a long queue', () => {
    const queue = createWriteQueue({ maxMessages: 100_000, maxBytes: 1e9, highWaterMark: 0 })
    const out: string[] = []
    for (let i = 0; i < 50_000; i++) {
      queue.push(String(i))
      if (i % 3 === 0) out.push(queue.shift() ?? 'missing')
    }
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) out.push(s)
    expect(out).toEqual(Array.from({ length: 50_000 }, (_, i) => String(i)))
  })
})
