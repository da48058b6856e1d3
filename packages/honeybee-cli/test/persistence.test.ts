/**
 * `honeybee relay --data`: every event the relay acknowledged survives `kill -9` and is served after a
 * restart, even when the crash tore the journal's last line.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { finalizeEvent } from 'nostr-tools/pure'
import { afterAll, describe, expect, it } from 'vitest'
import { lines, run, startRelayProcess } from './helpers/cli.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'honeybee-relay-'))
  dirs.push(dir)
  return dir
}

const key = Uint8Array.from(Buffer.from('5a'.repeat(32), 'hex'))

function signedLines(count: number, tag: string): string {
  const now = Math.floor(Date.now() / 1000)
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify(
      finalizeEvent({ kind: 1, created_at: now - i, tags: [['t', tag]], content: `${tag} ${i}` }, key),
    ),
  ).join('\n')
}

/** Publishes `input` to `url` and returns the ids the relay accepted. */
async function publish(url: string, input: string): Promise<string[]> {
  const { code, stdout } = await run(['pub', url], input)
  expect(code).toBe(0)
  return lines(stdout).map((line) => {
    const verdict = JSON.parse(line) as { id: string; accepted: boolean }
    expect(verdict.accepted).toBe(true)
    return verdict.id
  })
}

/** The ids of the events `url` serves for the filter. */
async function storedIds(url: string, filter: object): Promise<string[]> {
  const { code, stdout } = await run(['req', url, '--filter', JSON.stringify(filter)])
  expect(code).toBe(0)
  return lines(stdout)
    .map((line) => (JSON.parse(line) as { id: string }).id)
    .sort()
}

async function kill9(cli: Awaited<ReturnType<typeof startRelayProcess>>['cli']): Promise<void> {
  cli.child.kill('SIGKILL')
  expect(await cli.exited()).toBe('SIGKILL')
}

describe.concurrent('honeybee relay --data', { timeout: 60_000 }, () => {
  it('keeps every acknowledged event across kill -9 and a restart', async () => {
    const dir = dataDir()
    const first = await startRelayProcess(['--data', dir])
    const accepted = await publish(first.url, signedLines(25, 'crash'))
    expect(accepted).toHaveLength(25)
    await kill9(first.cli)

    const second = await startRelayProcess(['--data', dir])
    await second.cli.line(/25 events loaded from /, 20_000, 'stderr')
    expect(await storedIds(second.url, { '#t': ['crash'] })).toEqual([...accepted].sort())
  })

  it('a torn last line is cut off, so the next acknowledged event is not lost with it', async () => {
    const dir = dataDir()
    const first = await startRelayProcess(['--data', dir])
    const before = await publish(first.url, signedLines(3, 'before'))
    await kill9(first.cli)
    // What a crash in the middle of a write leaves: half a line, no newline.
    appendFileSync(join(dir, 'events.jsonl'), '{"id":"0123","kind":1,"cont')

    const second = await startRelayProcess(['--data', dir])
    const after = await publish(second.url, signedLines(1, 'after'))
    await kill9(second.cli)
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).not.toContain('"cont{')

    const third = await startRelayProcess(['--data', dir])
    expect(await storedIds(third.url, { kinds: [1] })).toEqual([...before, ...after].sort())
  })
})
