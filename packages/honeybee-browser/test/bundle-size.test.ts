/**
 * The browser bundle stays small and browser-clean: nothing from Node (`ws`, `node:*`) can get in (the
 * bundle is built for `platform: 'browser'` and would fail to resolve them), and its gzipped size stays
 * within budget. BENCHMARKS.md has the number and the goal.
 */
import { expect, it } from 'vitest'
import { measureBundleSize } from './bundle-size.js'

/**
 * The budget, in gzipped bytes: the size as committed (15,751 B, after the fixes of 2026-11-22 that
 * measure relay limits in UTF-8 bytes, hold REQs for the NIP-11 document, end publishes on a connection
 * that gave up and bound a subscription's ids, 370 B together) plus about 300 B, so that growth is a
 * decision, not an accident. The goal was under 12 KB; BENCHMARKS.md says why it is not pursued.
 */
const BUDGET = 16_050

it('connect + createPool bundle for the browser without Node code, within budget', async () => {
  const size = await measureBundleSize()
  const paths = size.modules.map((m) => m.path)
  expect(paths.some((p) => p.includes('packages/honeybee-browser/src/connect.ts'))).toBe(true)
  expect(
    paths.filter(
      (p) => p.includes('honeybee-node') || p.includes('node_modules/ws') || p.startsWith('node:'),
    ),
  ).toEqual([])
  // Tree-shaken: honeybee-browser re-exports the whole core, but a client app gets none of the
  // responder side (the relay's half) nor anything else it did not import.
  expect(paths.filter((p) => /responder|shared-heartbeat|timer-queue|hot-stream/.test(p))).toEqual([])
  expect(size.gzipped).toBeLessThan(BUDGET)
}, 20_000)
