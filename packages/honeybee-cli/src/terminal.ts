/**
 * @module The terminal side of the live views: redraws a block of lines in place when stdout is a
 * terminal, and turns `q`, Ctrl-C, SIGINT and SIGTERM into one `quit` callback.
 *
 * With stdin a terminal it is put in raw mode (keys arrive one by one, and Ctrl-C arrives as a key,
 * not as SIGINT); everything is restored on `close()`, and on exit if the process ends another way.
 */
import { CLEAR_SCREEN, HIDE_CURSOR, redraw, SHOW_CURSOR } from './view/frame.js'

/** A live view's output and keyboard. */
export interface Screen {
  /** Whether stdout is a terminal, so the view redraws in place (otherwise: plain lines). */
  readonly live: boolean
  /** Whether to colour: a live terminal, and `NO_COLOR` unset. */
  readonly colour: boolean
  /** Replaces the block drawn last time with `lines` (live only). */
  draw(lines: readonly string[]): void
  /** Writes lines below the block, which is then left as it is (the final frame stays on screen). */
  print(lines: readonly string[]): void
  /** Restores the terminal and stops listening for keys and signals. Idempotent. */
  close(): void
}

const QUIT_KEYS = new Set(['q', 'Q', '\u0003'])
const QUIT_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** Opens the screen on process.stdout/stdin; `quit` is called (once) on `q`, Ctrl-C, SIGINT or SIGTERM. */
export function openScreen(quit: () => void): Screen {
  const { stdout, stdin } = process
  const live = stdout.isTTY === true
  const raw = live && stdin.isTTY === true
  let drawn = 0
  let closed = false
  let quitting = false

  const onQuit = (): void => {
    if (quitting) return
    quitting = true
    quit()
  }
  const onKey = (data: Buffer): void => {
    if ([...data.toString('utf8')].some((key) => QUIT_KEYS.has(key))) onQuit()
  }
  const onResize = (): void => {
    // Lines drawn at the old width may have wrapped; the block's height on screen is unknown.
    stdout.write(CLEAR_SCREEN)
    drawn = 0
  }
  const restore = (): void => {
    if (live) stdout.write(SHOW_CURSOR)
  }

  for (const signal of QUIT_SIGNALS) process.on(signal, onQuit)
  if (live) {
    stdout.write(HIDE_CURSOR)
    stdout.on('resize', onResize)
    process.on('exit', restore)
  }
  if (raw) {
    stdin.setRawMode(true)
    stdin.on('data', onKey)
    stdin.resume()
  }

  return {
    live,
    colour: live && process.env.NO_COLOR === undefined,
    draw(lines) {
      if (!live || closed) return
      stdout.write(redraw(drawn, lines, (stdout.columns || 80) - 1))
      drawn = lines.length
    },
    print(lines) {
      drawn = 0
      if (lines.length > 0) stdout.write(`${lines.join('\n')}\n`)
    },
    close() {
      if (closed) return
      closed = true
      for (const signal of QUIT_SIGNALS) process.off(signal, onQuit)
      if (live) {
        stdout.off('resize', onResize)
        process.off('exit', restore)
        restore()
      }
      if (raw) {
        stdin.off('data', onKey)
        stdin.setRawMode(false)
        stdin.pause()
      }
    },
  }
}
