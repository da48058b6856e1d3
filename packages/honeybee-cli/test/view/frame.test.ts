import { describe, expect, it } from 'vitest'
import { fitWidth, redraw, visibleLength } from '../../src/view/frame.js'

describe('visibleLength', () => {
  it('counts characters, not escape sequences, and an astral character once', () => {
    expect(visibleLength('abc')).toBe(3)
    expect(visibleLength('\x1b[32mok\x1b[0m')).toBe(2)
    expect(visibleLength('a → b')).toBe(5)
    expect(visibleLength('🐝!')).toBe(2)
  })
})

describe('fitWidth', () => {
  it('leaves a line that fits as it is', () => {
    expect(fitWidth('\x1b[1mhello\x1b[0m', 5)).toBe('\x1b[1mhello\x1b[0m')
  })

  it('cuts to the width, keeps the escapes before the cut and resets the colour', () => {
    expect(fitWidth('ab\x1b[32mcdef\x1b[0m', 4)).toBe('ab\x1b[32mcd\x1b[0m')
    expect(fitWidth('🐝🐝🐝', 2)).toBe('🐝🐝\x1b[0m')
  })
})

describe('redraw', () => {
  it('draws the first frame from the cursor, clearing each line and what is below', () => {
    expect(redraw(0, ['one', 'two'], 80)).toBe('one\x1b[K\ntwo\x1b[K\n\x1b[J')
  })

  it('goes back up over the previous frame before drawing the next', () => {
    expect(redraw(3, ['x'], 80)).toBe('\x1b[3Fx\x1b[K\n\x1b[J')
  })

  it('cuts every line to the width, so no line wraps', () => {
    expect(redraw(0, ['abcdef'], 3)).toBe('abc\x1b[0m\x1b[K\n\x1b[J')
  })
})
