// Scratch: time each case once per workload (not committed).
import { setup } from './pool.bench.js'
const only = process.argv.slice(2)
const { clients, close } = await setup()
for (const w of ['w1', 'w2', 'w3'] as const) {
  for (const [name, calls] of Object.entries(clients)) {
    if (only.length > 0 && !only.some((o) => `${name} ${w}`.includes(o))) continue
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      const n = await calls[w]()
      process.stderr.write(`${w} ${name}: ${n} in ${(performance.now() - t).toFixed(0)} ms\n`)
    }
  }
}
await close()
process.exit(0)
