/**
 * Benchmark servers run in child processes, off the client's event loop (see each suite for why).
 * Each child reports one message over IPC once it listens, and exits when sent `'exit'`.
 */
import { type ChildProcess, fork } from 'node:child_process'

/**
 * Forks `script` with the parent's flags (`--import tsx`, `--expose-gc`) but not a profiler's, so one
 * side is profiled at a time; resolves with the child and its first message.
 */
export async function startChild<Ready>(
  script: URL,
  args: readonly string[],
  options: { readonly what: string; readonly startTimeout: number; readonly extraFlags?: readonly string[] },
): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(script, [...args], {
    execArgv: [
      ...process.execArgv.filter((flag) => !flag.startsWith('--cpu-prof') && !flag.startsWith('--prof')),
      ...(options.extraFlags ?? []),
    ],
    // stdout carries the results' Markdown: the child must not write to it.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timeout = setTimeout(
      () => reject(new Error(`${options.what} did not start within ${options.startTimeout / 1000} s`)),
      options.startTimeout,
    )
    child.once('message', (message) => {
      clearTimeout(timeout)
      resolve(message as Ready)
    })
    child.once('exit', (code) => reject(new Error(`${options.what} exited with code ${code}`)))
  })
  return { child, ready }
}

/** Asks the child to exit; kills it if it has not after `killAfter` ms. */
export async function stopChild(child: ChildProcess, killAfter = 5_000): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.send('exit')
  const timeout = setTimeout(() => child.kill(), killAfter)
  await exited
  clearTimeout(timeout)
}
