#!/usr/bin/env node
// The `honeybee` bin. npm links a bin at install time only if its file exists then, and dist/ does
// not exist in a fresh clone before the build; so the bin is this committed file, which runs the build.
import { existsSync } from 'node:fs'

const entry = new URL('../dist/cli.js', import.meta.url)
if (existsSync(entry)) await import(entry.href)
else {
  console.error('honeybee: not built yet; run "npm run build" at the repository root first')
  process.exitCode = 1
}
