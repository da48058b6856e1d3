/**
 * @module The relay's append-only journal: what was acknowledged survives a crash.
 *
 * Each accepted event is appended as one JSON line and the file is flushed to disk (`fdatasync`)
 * before the OK goes out. Writes that arrive while a flush is under way are committed together by
 * the next one (group commit), so durability costs one disk flush per batch, not per event. On start
 * the journal is read back; a torn last line (a crash mid-write) is ignored.
 */
import { open, readFile, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import type { NostrEvent } from 'honeybee-node'

/** An open journal. */
export interface Journal {
  /** Appends `event`; resolves once it is on disk. */
  append(event: NostrEvent): Promise<void>
  /** Flushes what is pending and closes the file. */
  close(): Promise<void>
}

/** The events stored in `dir`'s journal, oldest first; none when there is no journal yet. */
export async function readJournal(dir: string): Promise<NostrEvent[]> {
  let text: string
  try {
    text = await readFile(join(dir, 'events.jsonl'), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const events: NostrEvent[] = []
  for (const line of text.split('\n')) {
    if (line.length === 0) continue
    try {
      events.push(JSON.parse(line) as NostrEvent)
    } catch {
      // A torn write at the end of the file: it was never acknowledged.
    }
  }
  return events
}

/**
 * Opens (creating) the journal in `dir` for appending. A torn last line is cut off first: appended to,
 * it would swallow the next event's line, and an acknowledged event would be lost on the next start.
 */
export async function openJournal(dir: string): Promise<Journal> {
  const path = join(dir, 'events.jsonl')
  await cutTornTail(path)
  const file = await open(path, 'a')
  let pending: { line: string; done: () => void; failed: (error: unknown) => void }[] = []
  let flushing: Promise<void> | undefined

  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending
      pending = []
      try {
        await file.write(batch.map((p) => p.line).join(''))
        await file.datasync()
        for (const p of batch) p.done()
      } catch (error) {
        for (const p of batch) p.failed(error)
      }
    }
    flushing = undefined
  }

  return {
    append(event) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ line: `${JSON.stringify(event)}\n`, done: resolve, failed: reject })
        flushing ??= flush()
      })
    },
    async close() {
      await flushing
      await file.close()
    },
  }
}

/** Truncates `path` after its last newline, when a crash left a partial line after it. */
async function cutTornTail(path: string): Promise<void> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return
  await truncate(path, bytes.lastIndexOf(0x0a) + 1)
}
