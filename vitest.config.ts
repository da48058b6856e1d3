import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Workspace packages resolve to their TypeScript source in tests (the condition is named so as not
  // to collide with packages such as nostr-tools that publish a `source` condition of their own), so a test never runs stale dist.
  // Vitest runs tests in its server-side mode, which reads `ssr.resolve`, not the top-level `resolve`.
  resolve: { conditions: ['honeybee-source'] },
  ssr: { resolve: { conditions: ['honeybee-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
  },
})
