import { describe, expect, it } from 'vitest'
import { relayInformation } from './relay-information.js'
import { DEFAULT_RESPONDER_LIMITS, resolveResponderLimits } from './responder-limits.js'

describe('relayInformation', () => {
  it('publishes the enforced limits, which win over the same fields given, and keeps the rest', () => {
    const info = {
      name: 'test relay',
      supported_nips: [1, 11, 42],
      limitation: { max_subscriptions: 999, auth_required: true, max_limit: 500 },
    }
    const doc = relayInformation(resolveResponderLimits({ maxSubscriptions: 7, maxMessageSize: 4096 }), info)
    expect(doc).toEqual({
      name: 'test relay',
      supported_nips: [1, 11, 42],
      limitation: {
        max_subscriptions: 7,
        auth_required: true,
        max_limit: 500,
        max_message_length: 4096,
        max_subid_length: 64,
      },
    })
    expect(Object.isFrozen(doc)).toBe(true)
    expect(info.limitation.max_subscriptions).toBe(999) // the caller's object is not changed
  })

  it('defaults supported_nips to NIP-01 and NIP-11', () => {
    const doc = relayInformation(DEFAULT_RESPONDER_LIMITS)
    expect(doc.supported_nips).toEqual([1, 11])
    expect(doc.limitation).toEqual({
      max_message_length: 1_048_576,
      max_subscriptions: 20,
      max_subid_length: 64,
    })
  })
})
