import { describe, expect, it } from 'vitest'
import { relayRow } from '../../src/view/relay-table.js'
import { statusChangeLine, watchLines } from '../../src/view/watch-panel.js'

describe('watch panel', () => {
  const relays = [relayRow('ws://127.0.0.1:7777', 'connected', undefined)]

  it('draws the title and the table, and the event count only with a subscription', () => {
    const lines = watchLines({ elapsed: 2_500, relays, events: undefined })
    expect(lines).toEqual([
      'honeybee watch · 1 relay · 2.5 s · q to quit',
      '',
      expect.stringMatching(/^relay +status/),
      expect.stringMatching(/^ws:\/\/127\.0\.0\.1:7777 +connected/),
    ])
    expect(watchLines({ elapsed: 0, relays, events: 3 }).slice(-2)).toEqual(['', '3 events received'])
  })

  it('a status change as a plain line', () => {
    expect(statusChangeLine(1_200, 'ws://a', 'connected', 'backoff')).toBe(
      '  1.2 s  ws://a connected → backoff',
    )
    expect(statusChangeLine(0, 'ws://a', undefined, 'connecting')).toBe('  0.0 s  ws://a connecting')
  })
})
