/**
 * The browser bundle stays small and browser-clean: nothing from Node (`ws`, `node:*`) can get in (the
 * bundle is built for `platform: 'browser'` and would fail to resolve them), and its gzipped size stays
 * within budget. BENCHMARKS.md has the number and the goal.
 */
import { expect, it } from 'vitest'
import { measureBundleSize } from './bundle-size.js'

/**
 * The budget, in gzipped bytes: the size when this was written (about 14 KB) plus a little room. The
 * goal is under 12 KB; the core alone (`createConnection` + `createPool`) is above that today.
 */
const BUDGET = 15_500

it('connect + createPool bundle for the browser without Node code, within budget', async () => {
  const size = await measureBundleSize()
  const paths = size.modules.map((m) => m.path)
  expect(paths.some((p) => p.includes('packages/honeybee-browser/src/connect.ts'))).toBe(true)
  expect(
    paths.filter(
      (p) => p.includes('honeybee-node') || p.includes('node_modules/ws') || p.startsWith('node:'),
    ),
  ).toEqual([])
  expect(size.gzipped).toBeLessThan(BUDGET)
}, 20_000)
