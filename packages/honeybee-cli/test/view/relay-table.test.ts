import type { MetricsSnapshot } from 'honeybee-node'
import { describe, expect, it } from 'vitest'
import { visibleLength } from '../../src/view/frame.js'
import { relayRow, relayTable } from '../../src/view/relay-table.js'

const metrics: MetricsSnapshot = {
  messagesSent: 10,
  messagesReceived: 20,
  bytesSent: 100,
  bytesReceived: 200,
  errors: 0,
  reconnections: 2,
  lastMessageSentAt: 1,
  lastMessageReceivedAt: 2,
  connectedSince: 0,
  uptime: 5_000,
  messagesPerSecondIn: 12.25,
  messagesPerSecondOut: 3,
  lastPongLatency: 1.75,
}

describe('relayRow', () => {
  it('takes reconnects, latency and rates from the metrics', () => {
    expect(relayRow('ws://a', 'connected', metrics, 'A')).toEqual({
      label: 'A',
      url: 'ws://a',
      status: 'connected',
      reconnects: 2,
      latency: 1.75,
      inRate: 12.25,
      outRate: 3,
    })
  })

  it('is all zeros before the first metrics', () => {
    expect(relayRow('ws://a', 'connecting', undefined)).toEqual({
      label: '',
      url: 'ws://a',
      status: 'connecting',
      reconnects: 0,
      latency: undefined,
      inRate: 0,
      outRate: 0,
    })
  })
})

describe('relayTable', () => {
  const rows = [
    relayRow('ws://127.0.0.1:7777', 'connected', metrics, 'A'),
    relayRow('ws://long-relay-name.example:8080', 'backoff', undefined, 'B'),
  ]

  it('is a header and one aligned line per relay', () => {
    expect(relayTable(rows)).toEqual([
      '  relay                              status      reconnects      pong    in/s   out/s',
      'A ws://127.0.0.1:7777                connected            2    1.8 ms    12.3     3.0',
      'B ws://long-relay-name.example:8080  backoff              0         —     0.0     0.0',
    ])
  })

  it('has no label column when no row has a label', () => {
    const [header, line] = relayTable([relayRow('ws://a', 'connected', metrics)])
    expect(header?.startsWith('relay')).toBe(true)
    expect(line?.startsWith('ws://a ')).toBe(true)
  })

  it('colours the status without moving the columns', () => {
    const plain = relayTable(rows)
    const coloured = relayTable(rows, true)
    expect(coloured[1]).toContain('\x1b[32mconnected   \x1b[0m')
    expect(coloured[2]).toContain('\x1b[33mbackoff     \x1b[0m')
    expect(coloured.map(visibleLength)).toEqual(plain.map((line) => line.length))
  })
})
