import { describe, expect, it } from 'vitest'
import { statusChanges } from '../src/pool-monitor.js'

describe('statusChanges', () => {
  it('reports new relays and changed statuses in the order of the new record', () => {
    expect(statusChanges({}, { 'ws://a': 'connecting', 'ws://b': 'connecting' })).toEqual([
      { url: 'ws://a', from: undefined, to: 'connecting' },
      { url: 'ws://b', from: undefined, to: 'connecting' },
    ])
    expect(
      statusChanges(
        { 'ws://a': 'connected', 'ws://b': 'connected' },
        { 'ws://a': 'connected', 'ws://b': 'backoff' },
      ),
    ).toEqual([{ url: 'ws://b', from: 'connected', to: 'backoff' }])
  })

  it('says nothing about a relay that left', () => {
    expect(statusChanges({ 'ws://a': 'connected' }, {})).toEqual([])
  })
})
