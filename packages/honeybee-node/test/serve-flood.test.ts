/**
 * A flood of 1,000 connections, opened as fast as loopback allows from a separate process (so that
 * only the relay's memory is measured here): each costs the relay a modest, bounded amount of memory,
 * and once they close, every responder is released.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { type ResponderConnection, serve } from '../src/index.js'
import { disposeAfterEach, until } from './helpers/wait.js'

const track = disposeAfterEach()

const CONNECTIONS = 1_000
const REPO = fileURLToPath(new URL('../../../', import.meta.url))

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** The flooding process: opens `count` WebSockets 100 at a time, says "open", closes them all on any input. */
const FLOOD = `
import WebSocket from 'ws'
const [url, count] = [process.argv[1], Number(process.argv[2])]
const sockets = []
for (let i = 0; i < count; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    sockets.push(ws)
    ws.once('open', resolve)
    ws.once('error', reject)
  })))
}
process.stdout.write('open\\n')
process.stdin.once('data', async () => {
  const closed = sockets.map((ws) => new Promise((resolve) => ws.once('close', resolve)))
  // Half close politely, half vanish without a close frame.
  sockets.forEach((ws, i) => (i % 2 === 0 ? ws.close() : ws.terminate()))
  await Promise.all(closed)
  process.stdout.write('closed\\n')
  process.exit(0)
})
`

/** Resolves when the child prints `line`; rejects if it exits first or `within` ms pass. */
function said(
  child: ChildProcessByStdio<Writable, Readable, null>,
  line: string,
  within = 20_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`the flood process did not say "${line}"`)), within)
    const onData = (chunk: Buffer): void => {
      out += chunk.toString()
      if (!out.split('\n').includes(line)) return
      clearTimeout(timer)
      child.stdout.off('data', onData)
      resolve()
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => reject(new Error(`the flood process exited with ${code}`)))
  })
}

async function settledMemory(): Promise<{ heap: number; rss: number }> {
  gc()
  await new Promise((resolve) => setImmediate(resolve))
  gc()
  const { heapUsed, rss } = process.memoryUsage()
  return { heap: heapUsed, rss }
}

describe('a 1,000-connection flood', () => {
  it('costs the relay little memory per connection, and all of it comes back after they close', async () => {
    const relay = track(await serve(), (r) => r.close())
    let accepted = 0
    const sampled: WeakRef<ResponderConnection>[] = []
    relay.connections$.subscribe((conn) => {
      if (accepted++ % 50 === 0) sampled.push(new WeakRef(conn))
      conn.reqs$.subscribe(({ subId }) => conn.sendEOSE(subId))
    })
    const before = await settledMemory()

    const started = Date.now()
    const child = track(
      spawn(process.execPath, ['--input-type=module', '-e', FLOOD, relay.url, String(CONNECTIONS)], {
        cwd: REPO,
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
      (c) => c.kill(),
    )
    await said(child, 'open')
    await until(() => relay.connections.size === CONNECTIONS, `${CONNECTIONS} connections on the relay`)
    const openedIn = Date.now() - started
    const open = await settledMemory()

    child.stdin.write('close\n')
    await said(child, 'closed')
    await until(() => relay.connections.size === 0, 'every connection released by the relay')
    const after = await settledMemory()

    const perConnection = (open.heap - before.heap) / CONNECTIONS
    const rssPerConnection = (open.rss - before.rss) / CONNECTIONS
    const alive = sampled.filter((ref) => ref.deref() !== undefined).length
    console.log(
      `${CONNECTIONS} connections opened in ${openedIn} ms; relay heap +${(perConnection / 1024).toFixed(1)} KiB and ` +
        `RSS +${(rssPerConnection / 1024).toFixed(1)} KiB per connection; heap after close ` +
        `${((after.heap - before.heap) / 1e6).toFixed(2)} MB over the start; ${alive}/${sampled.length} sampled responders alive`,
    )
    expect(accepted).toBe(CONNECTIONS)
    expect(perConnection).toBeLessThan(48 * 1024)
    expect(rssPerConnection).toBeLessThan(256 * 1024)
    expect(after.heap - before.heap).toBeLessThan(4e6)
    expect(alive).toBe(0)
  }, 60_000)
})
