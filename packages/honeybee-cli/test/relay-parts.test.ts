/** The parts of the embedded relay that `honeybee relay` fixes rely on: filter checks and the journal. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NostrEvent } from 'honeybee-node'
import { afterAll, describe, expect, it } from 'vitest'
import { filterProblem } from '../src/relay/filter.js'
import { openJournal, readJournal } from '../src/relay/journal.js'

describe('filterProblem', () => {
  it.each([
    [{}, undefined],
    [
      { ids: ['a'], authors: ['b'], kinds: [0, 1], '#e': ['c'], since: 0, until: 9, limit: 10, search: 'x' },
      undefined,
    ],
    [[], 'a filter must be a JSON object'],
    [null, 'a filter must be a JSON object'],
    [{ ids: 'a' }, 'ids must be an array of strings'],
    [{ authors: [5] }, 'authors must be an array of strings'],
    [{ '#p': 'x' }, '#p must be an array of strings'],
    [{ kinds: [1.5] }, 'kinds must be an array of integers'],
    [{ since: '1' }, 'since must be a non-negative integer'],
    [{ limit: -1 }, 'limit must be a non-negative integer'],
  ])('%j → %s', (filter, problem) => {
    expect(filterProblem(filter)).toBe(problem)
  })
})

describe('journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'honeybee-journal-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const event = (id: string): NostrEvent => ({
    id,
    pubkey: 'p',
    created_at: 1,
    kind: 1,
    tags: [],
    content: '',
    sig: 's',
  })

  it('cuts a torn last line before appending, so the next event gets a line of its own', async () => {
    const first = await openJournal(dir)
    await first.append(event('a'))
    await first.close()
    appendFileSync(join(dir, 'events.jsonl'), '{"id":"torn","ki')

    const second = await openJournal(dir)
    await second.append(event('b'))
    await second.close()
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).toBe(
      `${JSON.stringify(event('a'))}\n${JSON.stringify(event('b'))}\n`,
    )
    expect((await readJournal(dir)).map((e) => e.id)).toEqual(['a', 'b'])
  })
})
