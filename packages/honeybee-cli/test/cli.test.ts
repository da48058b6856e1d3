/** The `honeybee` entry point: its help, every command's help, and the installed bin. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CLI, run } from './helpers/cli.js'

const COMMANDS = ['relay', 'req', 'pub', 'watch', 'demo']

describe('honeybee', { timeout: 60_000 }, () => {
  it('lists every command in its help, with exit code 0', async () => {
    const { code, stdout, stderr } = await run(['--help'])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'))
  })

  it.concurrent.each(COMMANDS)('%s --help prints its usage and exits 0', async (command) => {
    const { code, stdout } = await run([command, '--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(new RegExp(`^Usage: honeybee ${command}\\b`))
    expect(stdout).toMatch(/^Options:$/m)
  })

  it('is built with a shebang, and the bin npm links runs it', () => {
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      bin: Record<string, string>
    }
    const bin = fileURLToPath(new URL(`../${manifest.bin.honeybee}`, import.meta.url))
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toMatch(
      /^Usage: honeybee <command>/,
    )
  })
})
