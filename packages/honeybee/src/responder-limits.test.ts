import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from './config.js'
import { DEFAULT_RESPONDER_LIMITS, resolveResponderLimits } from './responder-limits.js'

describe('responder limits', () => {
  it('default to the spec (1 MiB, rate limit off, 20 subscriptions, 64-character ids, 32 MiB, 5 s)', () => {
    expect(DEFAULT_RESPONDER_LIMITS).toEqual({
      maxMessageSize: DEFAULT_CONFIG.maxMessageSize,
      rateLimit: { enabled: false, messagesPerSecond: 10, burst: 30 },
      maxSubscriptions: 20,
      maxSubIdLength: 64,
      maxBufferedBytes: 32 * 1024 * 1024,
      closeTimeout: 5_000,
    })
    expect(Object.isFrozen(DEFAULT_RESPONDER_LIMITS)).toBe(true)
  })

  it('overlay what is given, rateLimit field by field, into a new frozen object', () => {
    const limits = resolveResponderLimits({ maxSubscriptions: 3, rateLimit: { enabled: true } })
    expect(limits.maxSubscriptions).toBe(3)
    expect(limits.rateLimit).toEqual({ enabled: true, messagesPerSecond: 10, burst: 30 })
    expect(limits.maxMessageSize).toBe(DEFAULT_RESPONDER_LIMITS.maxMessageSize)
    expect(Object.isFrozen(limits.rateLimit)).toBe(true)
    expect(resolveResponderLimits()).toEqual(DEFAULT_RESPONDER_LIMITS)
  })
  it('are returned as they are when resolved already, so that a server can share one object', () => {
    const limits = resolveResponderLimits({ maxSubscriptions: 3 })
    expect(resolveResponderLimits(limits)).toBe(limits)
    expect(resolveResponderLimits(DEFAULT_RESPONDER_LIMITS)).toBe(DEFAULT_RESPONDER_LIMITS)
    // Complete but not frozen, or frozen but incomplete: copied and completed as before.
    const open = { ...limits, rateLimit: { ...limits.rateLimit } }
    expect(resolveResponderLimits(open)).not.toBe(open)
    expect(resolveResponderLimits(open)).toEqual(limits)
    const partial = Object.freeze({ maxSubscriptions: 3, rateLimit: Object.freeze({ enabled: true }) })
    expect(resolveResponderLimits(partial)).toEqual({
      ...DEFAULT_RESPONDER_LIMITS,
      maxSubscriptions: 3,
      rateLimit: { ...DEFAULT_RESPONDER_LIMITS.rateLimit, enabled: true },
    })
  })
})
