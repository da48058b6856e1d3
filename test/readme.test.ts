/**
 * The README's examples run as written: each lives in examples/, the README quotes it verbatim, and
 * every `console.log(...) // expected` line prints what its comment says.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const readme = readFileSync('README.md', 'utf8')

describe.each(['examples/roots-ws.ts', 'examples/honeybee-node.ts', 'examples/relay-and-pool.ts'])(
  '%s',
  (file) => {
    const source = readFileSync(file, 'utf8')

    it('is quoted verbatim in README.md', () => {
      expect(readme).toContain(source.trim())
    })

    it('prints what its comments say', () => {
      const expected = [...source.matchAll(/console\.log\(.*\) \/\/ (.*)$/gm)].map((m) => m[1])
      const output = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' })
      expect(output.trim().split('\n')).toEqual(expected)
    })
  },
)
