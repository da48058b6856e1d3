/**
 * close() during backoff must stop every timer and socket: proven by a child Node process that must
 * exit by itself. The child's timers are all 60 s, so anything left behind keeps it alive far past the
 * deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { closedPort, disposeAfterEach } from './helpers/wait.js'

const track = disposeAfterEach()

const FIXTURE = fileURLToPath(new URL('./fixtures/close-during-backoff.ts', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** Generous for tsx start-up on a loaded machine; far below the child's 60 s timers. */
const DEADLINE = 6_000

interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly elapsed: number
  readonly timedOut: boolean
}

/** Runs the fixture; kills it (and reports `timedOut`) if it has not exited by `DEADLINE`. */
function runFixture(port: number, when: 'sync' | 'later'): Promise<Exit> {
  const started = Date.now()
  // `honeybee-source` resolves the workspace packages to their TypeScript, as vitest does.
  const child: ChildProcess = track(
    spawn(
      process.execPath,
      ['--conditions=honeybee-source', '--import', 'tsx', FIXTURE, String(port), when],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
    (c) => {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => {
    let timedOut = false
    const deadline = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, DEADLINE)
    child.on('exit', (code, signal) => {
      clearTimeout(deadline)
      resolve({ code, signal, stdout, stderr, elapsed: Date.now() - started, timedOut })
    })
  })
}

/** The statuses the child printed when status$ completed. */
function statusesSeen(exit: Exit): string[] {
  return exit.stdout.trim() === '' ? [] : (JSON.parse(exit.stdout) as string[])
}

describe('close() during backoff', () => {
  it('called on a later turn while in backoff: the process exits by itself, code 0', async () => {
    const exit = await runFixture(await closedPort(), 'later')

    expect(statusesSeen(exit).slice(-3)).toEqual(['connecting', 'backoff', 'closed'])
    expect(exit.stderr).toBe('')
    expect({ timedOut: exit.timedOut, code: exit.code }).toEqual({ timedOut: false, code: 0 })
  })

  it('called from inside the status$ callback that reports backoff: the process exits by itself, code 0', async () => {
    const exit = await runFixture(await closedPort(), 'sync')

    expect(statusesSeen(exit).slice(-3)).toEqual(['connecting', 'backoff', 'closed'])
    expect(exit.stderr).toBe('')
    expect({ timedOut: exit.timedOut, code: exit.code }).toEqual({ timedOut: false, code: 0 })
  })
})
