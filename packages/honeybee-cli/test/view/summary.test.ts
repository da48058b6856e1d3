import { describe, expect, it } from 'vitest'
import { type DemoResult, demoSummary, lost } from '../../src/view/summary.js'

const result: DemoResult = {
  elapsed: 20_400,
  relayCount: 3,
  published: 80,
  received: 80,
  duplicatesRemoved: 190,
  reconnects: 1,
  restart: { label: 'B', port: 40002, closedAt: 5_000, restartedAt: 8_000 },
  stored: [80, 80, 80],
  interrupted: false,
}

describe('demoSummary', () => {
  it('tells the whole run in one paragraph ending in lost = 0', () => {
    const text = demoSummary(result)
    expect(text).not.toContain('\n')
    expect(text).toBe(
      'In 20.4 s the publisher published 80 events to 3 relays and the subscriber received 80 of them once each; ' +
        'the pool removed 190 duplicates (the same event from several relays, and the overlap a re-subscription asks for again). ' +
        'Relay B (port 40002) was closed at 5.0 s and was restarted on the same port at 8.0 s; the pool reconnected 1 time, ' +
        're-sent the subscription and delivered the events held for it. Every relay stores all 80 events. lost = 0.',
    )
  })

  it('counts what the subscriber never received as lost, and says which relays lack events', () => {
    const short = { ...result, received: 77, stored: [80, 78, 80] }
    expect(lost(short)).toBe(3)
    expect(demoSummary(short)).toMatch(/The relays store 80, 78, 80 of the 80 events\. lost = 3\.$/)
  })

  it('says when it was stopped early, or the relay never came back', () => {
    const text = demoSummary({
      ...result,
      interrupted: true,
      restart: { label: 'B', port: 1, closedAt: 5_000, restartedAt: undefined },
    })
    expect(text).toMatch(/^Stopped after 20\.4 s /)
    expect(text).toContain('was closed at 5.0 s and was not restarted;')
  })

  it('leaves the restart out when there was none', () => {
    expect(demoSummary({ ...result, restart: undefined })).not.toContain('Relay B')
  })
})
