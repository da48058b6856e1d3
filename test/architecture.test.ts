/**
 * The layering rules of ARCHITECTURE.md §1, enforced: every import in a package's source must name a
 * package that package may depend on. roots-ws imports nothing but its own files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ALLOWED: Record<string, RegExp> = {
  'roots-ws': /^$/,
  honeybee: /^(roots-ws|rxjs)$/,
  'honeybee-node': /^(honeybee|roots-ws|rxjs|ws|node:.+)$/,
  'honeybee-browser': /^(honeybee|roots-ws|rxjs)$/,
  'mana-ws': /^(honeybee|roots-ws|rxjs)$/,
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

function importedPackages(source: string): string[] {
  // Comments hold @example imports of the package itself; only real statements count.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const statements =
    /^(?:import|export)\b[^;]*?from\s*'([^']+)'|^import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm
  const specifiers = [...code.matchAll(statements)].map((m) => m[1] ?? m[2] ?? m[3] ?? '')
  return specifiers
    .filter((s) => !s.startsWith('.'))
    .map((s) => (s.startsWith('node:') ? s : (s.split('/')[0] ?? s)))
}

describe('layering', () => {
  for (const [pkg, allowed] of Object.entries(ALLOWED)) {
    const src = join('packages', pkg, 'src')
    if (!existsSync(src)) continue
    it(`${pkg} imports only what it may`, () => {
      const offending = sourceFiles(src).flatMap((file) =>
        importedPackages(readFileSync(file, 'utf8'))
          .filter((name) => !allowed.test(name))
          .map((name) => `${file} imports ${name}`),
      )
      expect(offending).toEqual([])
    })
  }

  it('roots-ws has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync('packages/roots-ws/package.json', 'utf8')) as Record<
      string,
      unknown
    >
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(manifest.peerDependencies ?? {}).toEqual({})
  })
})
