/** `honeybee watch` without a terminal: status changes as plain lines, through a relay's restart. */
import { describe, expect, it } from 'vitest'
import { start, startRelayProcess } from './helpers/cli.js'

describe('honeybee watch (not a terminal)', { timeout: 60_000 }, () => {
  it('prints each status change: connected, lost when the relay stops, connected again after its restart', async () => {
    const relay = await startRelayProcess()
    const port = new URL(relay.url).port
    const watch = start(['watch', relay.url])
    await watch.line(/ws:\/\/127\.0\.0\.1:\d+ connecting → connected$/)

    relay.cli.child.kill('SIGTERM')
    expect(await relay.cli.exited()).toBe(0)
    await watch.line(/connected → backoff$/)

    const again = start(['relay', '--port', port])
    await again.line(/^listening /)
    await watch.line(/→ connected$/, 20_000, 'stdout', 2)
    expect(watch.stdout()).not.toContain('\x1b[') // no cursor control without a terminal

    watch.child.kill('SIGINT')
    expect(await watch.exited()).toBe(0)
  })
})
