/**
 * `npm run bench`: runs every suite `bench/*.bench.ts` and prints its results as Markdown to stdout
 * (progress goes to stderr). The raw rounds are also written to `.bench-out/results.json`.
 *
 * A suite exports `title` and `run(): Promise<SuiteResult[]>` (timing comparisons, or reports with
 * Markdown of their own). Arguments select suites by name: `npm run bench -- roots-ws`.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { render, type SuiteResult } from './harness.js'

interface Suite {
  readonly title: string
  readonly run: () => Promise<readonly SuiteResult[]>
}

function isSuite(module: unknown): module is Suite {
  const m = module as Partial<Suite>
  return typeof m.title === 'string' && typeof m.run === 'function'
}

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort()

const machine = [
  `- Node ${process.version} (V8 ${process.versions.v8}), ${process.platform}/${process.arch}`,
  `- ${availableParallelism()} cores: ${cpus()[0]?.model ?? 'unknown CPU'}; ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  `- ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'heap collected before every round (--expose-gc)' : 'no --expose-gc: rounds may pay for earlier garbage'}`,
  `- ${new Date().toISOString()}; load average (1 min) at the start: ${loadavg()[0]!.toFixed(2)}`,
]
console.log(['## Machine', '', ...machine].join('\n'))

const all: Record<string, readonly SuiteResult[]> = {}
const started = performance.now()
for (const file of files) {
  const module: unknown = await import(pathToFileURL(join(here, file)).href)
  if (!isSuite(module)) throw new Error(`${file} does not export title and run()`)
  process.stderr.write(`${module.title}\n`)
  const results = await module.run()
  all[module.title] = results
  console.log(`\n## ${module.title}\n`)
  console.log(results.map(render).join('\n\n'))
}
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(`\nAll suites took ${seconds} s; load average (1 min) at the end: ${loadavg()[0]!.toFixed(2)}.`)

const out = join(here, '..', '.bench-out')
mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'results.json'), `${JSON.stringify({ machine, suites: all }, null, 2)}\n`)
