import { describe, expect, it } from 'vitest'
import {
  type DemoView,
  demoLines,
  logLine,
  missing,
  progressLine,
  publisherLine,
  subscriberLine,
} from '../../src/view/demo-panel.js'
import { relayRow } from '../../src/view/relay-table.js'

const view: DemoView = {
  elapsed: 8_300,
  duration: 20_000,
  relays: [
    relayRow('ws://127.0.0.1:1001', 'connected', undefined, 'A'),
    relayRow('ws://127.0.0.1:1002', 'backoff', undefined, 'B'),
  ],
  publisher: { published: 40, acceptedByAll: 30, pendingOks: 10 },
  subscriber: { received: 39, duplicatesRemoved: 60 },
  log: Array.from({ length: 10 }, (_, i) => ({ at: i * 1000, text: `entry ${i}` })),
}

describe('demo panel', () => {
  it('missing is what was published and not received, never negative', () => {
    expect(missing(view)).toBe(1)
    expect(missing({ ...view, subscriber: { received: 45, duplicatesRemoved: 0 } })).toBe(0)
  })

  it('says what the publisher and the subscriber did', () => {
    expect(publisherLine(view.publisher)).toBe(
      "publisher   40 events published · 30 OK'd by every relay · 10 OKs pending",
    )
    expect(subscriberLine(view)).toBe('subscriber  39 events received · 60 duplicates removed · 1 missing')
    expect(subscriberLine(view, true)).toContain('\x1b[33m1 missing\x1b[0m')
    expect(subscriberLine({ ...view, subscriber: { received: 40, duplicatesRemoved: 0 } }, true)).toContain(
      '\x1b[32m0 missing\x1b[0m',
    )
  })

  it('draws title, table, counts and the last 8 log entries', () => {
    const lines = demoLines(view)
    expect(lines[0]).toBe('honeybee demo · 8.3 s of 20.0 s · q to quit')
    expect(lines.slice(2, 5)).toEqual([
      expect.stringMatching(/^ {2}relay/),
      expect.stringMatching(/^A ws:\/\/127\.0\.0\.1:1001 +connected/),
      expect.stringMatching(/^B ws:\/\/127\.0\.0\.1:1002 +backoff/),
    ])
    expect(lines).toContain(publisherLine(view.publisher))
    expect(lines.slice(-8)).toEqual(view.log.slice(2).map(logLine))
    expect(lines.join('\n')).not.toContain('\x1b[')
  })

  it('never shows more time than the duration', () => {
    expect(demoLines({ ...view, elapsed: 21_400 })[0]).toBe('honeybee demo · 20.0 s of 20.0 s · q to quit')
  })

  it('as a plain progress line, for output that is not a terminal', () => {
    expect(progressLine(view)).toBe(
      '  8.3 s  published 40 · received 39 · duplicates removed 60 · missing 1 · A connected, B backoff',
    )
    expect(logLine({ at: 12_345, text: 'relay B restarted' })).toBe(' 12.3 s  relay B restarted')
  })
})
