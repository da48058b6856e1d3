/** What every `honeybee demo` run must show, whatever its length. */
import { expect } from 'vitest'
import { start } from './cli.js'

/** Runs `honeybee demo ...args` to the end (without a terminal) and checks its story and summary. */
export async function expectDemoLosesNothing(
  args: readonly string[],
  ms: number,
): Promise<{ elapsed: number }> {
  const demo = start(['demo', ...args])
  expect(await demo.exited(ms)).toBe(0)
  const out = demo.stdout()
  expect(demo.stderr()).toBe('')
  expect(out).not.toContain('\x1b[') // plain lines without a terminal

  // The story, in order: B closes, comes back on the same port, the pool reconnects and re-subscribes.
  const closing = out.match(/relay B: closing \(port (\d+),/)
  expect(closing).not.toBeNull()
  const port = closing?.[1]
  const story = [
    `relay B: closing (port ${port},`,
    'pool: relay B connected → backoff',
    `relay B restarted on port ${port}`,
    'pool: relay B connected again',
    'relay B ← REQ',
  ].map((text) => out.indexOf(text))
  expect(story.every((at) => at >= 0)).toBe(true)
  expect([...story].sort((a, b) => a - b)).toEqual(story)

  const summary = out.match(
    /(?:^|\n)In ([\d.]+) s the publisher published (\d+) events to 3 relays and the subscriber received (\d+) of them once each; the pool removed (\d+) duplicates .* the pool reconnected 1 time, .* Every relay stores all (\d+) events\. lost = 0\.\n$/,
  )
  expect(summary, out).not.toBeNull()
  const [, elapsed, published, received, duplicates, stored] = summary ?? []
  expect(Number(published)).toBeGreaterThan(5)
  expect(received).toBe(published)
  expect(stored).toBe(published)
  // At least one copy of each event from each of the two other relays.
  expect(Number(duplicates)).toBeGreaterThanOrEqual(2 * Number(published))
  return { elapsed: Number(elapsed) }
}
