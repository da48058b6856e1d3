import { describe, expect, it } from 'vitest'
import {
  formatLatency,
  formatRate,
  formatSeconds,
  paint,
  plural,
  statusColour,
} from '../../src/view/format.js'

describe('format', () => {
  it.each([
    [undefined, '—'],
    [Number.NaN, '—'],
    [0, '<1 ms'],
    [0.42, '<1 ms'],
    [2.44, '2.4 ms'],
    [9.95, '9.9 ms'],
    [10, '10 ms'],
    [123.6, '124 ms'],
  ])('latency %s → %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text)
  })

  it('rates with one decimal, seconds from ms, plurals', () => {
    expect(formatRate(12.345)).toBe('12.3')
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('—')
    expect(formatSeconds(7_449)).toBe('7.4 s')
    expect(formatSeconds(-5)).toBe('0.0 s')
    expect([plural(0, 'event'), plural(1, 'event'), plural(2, 'event')]).toEqual([
      '0 events',
      '1 event',
      '2 events',
    ])
  })

  it('paints only when enabled', () => {
    expect(paint('up', 'green', false)).toBe('up')
    expect(paint('up', 'green', true)).toBe('\x1b[32mup\x1b[0m')
  })

  it.each([
    ['connected', 'green'],
    ['connecting', 'yellow'],
    ['upgrading', 'yellow'],
    ['backoff', 'yellow'],
    ['awaiting', 'yellow'],
    ['error', 'red'],
    ['closed', 'red'],
    ['disconnected', 'dim'],
    ['closing', 'dim'],
  ])('status %s is %s', (status, colour) => {
    expect(statusColour(status)).toBe(colour)
  })
})
