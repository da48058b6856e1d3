/**
 * `honeybee demo` to the end, without a terminal: at its default length (what `npm start` runs) and
 * shortened with `--duration`, side by side. Both tell the whole story and report lost = 0.
 */
import { describe, expect, it } from 'vitest'
import { start } from './helpers/cli.js'
import { expectDemoLosesNothing } from './helpers/demo.js'

describe.concurrent('honeybee demo', () => {
  it('runs ~20 s by itself and reports lost = 0', async () => {
    const { elapsed } = await expectDemoLosesNothing([], 45_000)
    expect(elapsed).toBeGreaterThanOrEqual(20)
    expect(elapsed).toBeLessThan(26) // 20 s, and at most the grace for the last OKs
  }, 50_000)

  it('--duration 5000: restarts relay B, reconnects, re-subscribes and reports lost = 0', async () => {
    const { elapsed } = await expectDemoLosesNothing(['--duration', '5000'], 30_000)
    expect(elapsed).toBeGreaterThanOrEqual(5)
    expect(elapsed).toBeLessThan(11)
  }, 50_000)

  it('Ctrl-C (SIGINT) stops it early: the summary says so, exit code 130', async () => {
    const demo = start(['demo'])
    await demo.line(/subscriber: subscribed on all 3 relays/)
    demo.child.kill('SIGINT')
    expect(await demo.exited()).toBe(130)
    expect(demo.stdout()).toMatch(
      /\nStopped after [\d.]+ s the publisher published \d+ events? .* lost = \d+\.\n$/,
    )
  }, 50_000)
})
