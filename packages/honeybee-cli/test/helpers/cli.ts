/**
 * Runs the real `honeybee` binary (the build's `dist/cli.js`; `npm test` builds before it tests) and
 * waits on what it prints, with deadlines instead of sleeps. Every process started here that is still
 * running when its test file is done is killed.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

/** The built entry point. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

/** A `honeybee` process that is running. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams
  /** Everything printed so far. */
  readonly stdout: () => string
  readonly stderr: () => string
  /**
   * The `nth` (default first) stdout (or stderr) line matching `pattern`, printed so far or later;
   * rejects after `ms`.
   */
  line(pattern: RegExp, ms?: number, stream?: 'stdout' | 'stderr', nth?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code (or the signal's name) once it exits; rejects after `ms`. */
  exited(ms?: number): Promise<number | NodeJS.Signals>
}

const running = new Set<ChildProcessWithoutNullStreams>()

// After all of a file's tests, not each: tests may run concurrently, and one's end is not another's.
afterAll(() => {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
})

/** Starts `honeybee ...args`; `input`, when given, is written to stdin, which is then closed. */
export function start(args: readonly string[], input?: string): CliProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -b)`)
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } })
  running.add(child)
  const text = { stdout: '', stderr: '' }
  const waiters = new Set<() => void>()
  const changed = (): void => {
    for (const waiter of waiters) waiter()
  }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text.stdout += chunk
    changed()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    text.stderr += chunk
    changed()
  })
  let exit: number | NodeJS.Signals | undefined
  // 'close', not 'exit': only then has everything the process printed been read.
  child.on('close', (code, signal) => {
    exit = code ?? signal ?? 'SIGKILL'
    running.delete(child)
    changed()
  })
  child.stdin.on('error', () => {}) // a process that exits before reading its stdin
  if (input !== undefined) child.stdin.end(input)

  /** Resolves when `ready()` gives a value; rejects with `describe()` after `ms`. */
  function until<T>(ready: () => T | undefined, ms: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = ready()
        if (value === undefined) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve(value)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(describe()))
      }, ms)
      waiters.add(check)
      check()
    })
  }

  return {
    child,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    line: (pattern, ms = 20_000, stream = 'stdout', nth = 1) =>
      until(
        () =>
          // Complete lines only: the last piece may be half a line.
          text[stream]
            .split('\n')
            .slice(0, -1)
            .map((line) => line.match(pattern))
            .filter((match) => match !== null)[nth - 1],
        ms,
        () =>
          `no ${stream} line ${nth} matching ${pattern} within ${ms} ms; stdout:\n${text.stdout}\nstderr:\n${text.stderr}`,
      ),
    exited: (ms = 30_000) =>
      until(
        () => exit,
        ms,
        () => `still running after ${ms} ms; stdout:\n${text.stdout}\nstderr:\n${text.stderr}`,
      ),
  }
}

/** Runs `honeybee ...args` to the end. */
export async function run(
  args: readonly string[],
  input?: string,
  ms = 30_000,
): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const cli = start(args, input)
  const code = await cli.exited(ms)
  return { code, stdout: cli.stdout(), stderr: cli.stderr() }
}

/** Starts `honeybee relay --port 0 ...args` and resolves with its URL once it listens. */
export async function startRelayProcess(
  args: readonly string[] = [],
): Promise<{ url: string; cli: CliProcess }> {
  const cli = start(['relay', '--port', '0', ...args])
  const [, url] = await cli.line(/^listening (ws:\/\/\S+)$/)
  return { url: url as string, cli }
}

/** The non-empty lines of `text`. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '')
}
