/**
 * What honeybee-browser costs a web page: `connect` + `createPool` bundled by esbuild as an app would
 * (ESM, minified, tree-shaken thanks to `sideEffects: false`), `rxjs` left out as the app's own
 * dependency, then gzipped. `npm run size` prints it; test/bundle-size.test.ts keeps it in budget.
 */
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/** The sizes of one bundle, in bytes, and what went into it. */
export interface BundleSize {
  readonly minified: number
  readonly gzipped: number
  /** Bytes each source file contributes to the minified output, largest first. */
  readonly modules: readonly { readonly path: string; readonly bytes: number }[]
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Bundles `exports` (names exported by honeybee-browser) for the browser and measures the result. */
export function measureBundleSize(
  exports: readonly string[] = ['connect', 'createPool'],
): Promise<BundleSize> {
  return measureEntry(`export { ${exports.join(', ')} } from 'honeybee-browser'`)
}

/**
 * Bundles an entry module's source (resolved from the repository root, so the peers in
 * devDependencies resolve too) the same way, and measures the result.
 */
export async function measureEntry(contents: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['rxjs', 'rxjs/*'],
    // The workspace packages from their source, so the number never comes from a stale dist.
    conditions: ['honeybee-source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]
  if (output === undefined) throw new Error('esbuild produced nothing')
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {}
  const modules = Object.entries(inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
  return {
    minified: output.contents.length,
    gzipped: gzipSync(output.contents, { level: 9 }).length,
    modules,
  }
}

/**
 * For scale, the peers' pools bundled the same way (rxjs left out for rx-nostr too). nostr-tools'
 * `SimplePool` brings its signature checks (noble curves); `AbstractSimplePool` is its pool without
 * them, the closest to a transport alone.
 */
const PEERS = {
  'nostr-tools SimplePool': `export { SimplePool } from 'nostr-tools/pool'`,
  'nostr-tools AbstractSimplePool': `export { AbstractSimplePool } from 'nostr-tools/abstract-pool'`,
  'rx-nostr createRxNostr + createRxBackwardReq': `export { createRxNostr, createRxBackwardReq } from 'rx-nostr'`,
} as const

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`
  const size = await measureBundleSize()
  console.log(`honeybee-browser: connect + createPool, rxjs excluded, esbuild --minify, gzip -9`)
  console.log(
    `minified ${kb(size.minified)} (${size.minified} B), gzipped ${kb(size.gzipped)} (${size.gzipped} B)`,
  )
  console.log('\nlargest parts (minified bytes):')
  for (const { path, bytes } of size.modules.slice(0, 12))
    console.log(`${String(bytes).padStart(7)}  ${path}`)
  console.log('\nfor scale, peers bundled the same way (minified, gzipped):')
  for (const [name, entry] of Object.entries(PEERS)) {
    const peer = await measureEntry(entry)
    console.log(`${name.padEnd(46)} ${kb(peer.minified).padStart(8)}  ${kb(peer.gzipped).padStart(8)}`)
  }
}
