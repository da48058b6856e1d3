import { describe, expect, it } from 'vitest'
import { reqProgress } from '../../src/view/req-progress.js'

describe('reqProgress', () => {
  it('counts events and the relays done with their stored events', () => {
    expect(reqProgress(0, 0, 1)).toBe('0 events · 0/1 relay at EOSE')
    expect(reqProgress(1, 1, 3)).toBe('1 event · 1/3 relays at EOSE')
  })
})
