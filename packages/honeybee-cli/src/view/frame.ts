/**
 * @module Redrawing a block of lines in place with ANSI cursor control. Pure: it returns the bytes to
 * write; `terminal.ts` writes them.
 *
 * The block is redrawn from its first line: the cursor goes up over the lines drawn last time (`CSI n F`),
 * each new line is written and the rest of it cleared (`CSI K`), and whatever the old block had below
 * is cleared (`CSI J`). Lines are cut to the terminal's width first, so none wraps and the count of
 * lines to go back over stays exact.
 */

/** Hides the cursor while the view is live. */
export const HIDE_CURSOR = '\x1b[?25l'
/** Shows it again. */
export const SHOW_CURSOR = '\x1b[?25h'
/** Clears the screen and homes the cursor (after a resize, when the old block's height is unknown). */
export const CLEAR_SCREEN = '\x1b[2J\x1b[H'

// biome-ignore lint/suspicious/noControlCharactersInRegex: an escape sequence starts with ESC.
const ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/y

/** The width of `line` on screen: its characters without the escape sequences. */
export function visibleLength(line: string): number {
  let length = 0
  for (let i = 0; i < line.length; ) {
    ESCAPE.lastIndex = i
    if (ESCAPE.test(line)) {
      i = ESCAPE.lastIndex
      continue
    }
    const code = line.codePointAt(i) ?? 0
    i += code > 0xffff ? 2 : 1
    length++
  }
  return length
}

/** `line` cut to `width` visible characters; escape sequences are kept, and colour reset after a cut. */
export function fitWidth(line: string, width: number): string {
  if (visibleLength(line) <= width) return line
  let out = ''
  let shown = 0
  for (let i = 0; i < line.length && shown < width; ) {
    ESCAPE.lastIndex = i
    if (ESCAPE.test(line)) {
      out += line.slice(i, ESCAPE.lastIndex)
      i = ESCAPE.lastIndex
      continue
    }
    const code = line.codePointAt(i) ?? 0
    const size = code > 0xffff ? 2 : 1
    out += line.slice(i, i + size)
    i += size
    shown++
  }
  return `${out}\x1b[0m`
}

/**
 * What to write to replace the `previous` lines drawn last time with `lines`, each cut to `width`.
 * The cursor ends at the start of the line below the block.
 */
export function redraw(previous: number, lines: readonly string[], width: number): string {
  const up = previous > 0 ? `\x1b[${previous}F` : ''
  const body = lines.map((line) => `${fitWidth(line, Math.max(1, width))}\x1b[K\n`).join('')
  return `${up}${body}\x1b[J`
}
