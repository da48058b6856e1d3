/**
 * 10,000 connect/close cycles against an in-process relay leave nothing behind: no timers, no sockets,
 * no listeners, no relay-side clients, no retained connections, no unbounded heap growth.
 */
import { once } from 'node:events'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { type Connection, connect } from '../src/index.js'
import { disposeAfterEach, until } from './helpers/wait.js'

const track = disposeAfterEach()

const CYCLES = 10_000
const CONCURRENCY = 50
/** Resource types that a leaked connection would hold. */
const WATCHED = ['Timeout', 'Immediate', 'TCPSocketWrap', 'TCPWRAP', 'TCPConnectWrap', 'PipeWrap']

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const type of process.getActiveResourcesInfo()) {
    if (WATCHED.includes(type)) counts[type] = (counts[type] ?? 0) + 1
  }
  return counts
}

function processListeners(): Record<string, number> {
  return Object.fromEntries(process.eventNames().map((name) => [String(name), process.listenerCount(name)]))
}

/** Heap in use after a full collection (WeakRefs cleared across a turn of the event loop). */
async function settledHeap(): Promise<number> {
  gc()
  await new Promise((resolve) => setImmediate(resolve))
  gc()
  return process.memoryUsage().heapUsed
}

/** One cycle: connect, wait for connected, close, wait for status$ to complete. */
function cycle(url: string, keep: (conn: Connection) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const conn = connect(url)
    keep(conn)
    conn.status$.subscribe({
      next: (status) => {
        if (status === 'connected') conn.close()
        else if (status === 'backoff' || status === 'error') reject(new Error(`cycle went to ${status}`))
      },
      complete: () => resolve(),
      error: reject,
    })
  })
}

describe('resource leaks', () => {
  it(`${CYCLES.toLocaleString('en')} connect/close cycles leave no timers, sockets, listeners or connections behind`, async () => {
    const wss = track(new WebSocketServer({ host: '127.0.0.1', port: 0 }), (server) => {
      for (const client of server.clients) client.terminate()
      return new Promise((resolve) => server.close(resolve))
    })
    await once(wss, 'listening')
    const address = wss.address()
    if (address === null || typeof address === 'string') throw new Error('no TCP address')
    const url = `ws://127.0.0.1:${address.port}`
    let accepted = 0
    wss.on('connection', (ws) => {
      accepted++
      ws.on('error', () => {})
    })
    const serverListeners = wss.listenerCount('connection')
    const baseline = resourceCounts()
    const baselineListeners = processListeners()

    // Every 100th connection is watched: once closed and dropped, it must be collectable.
    const sampled: WeakRef<Connection>[] = []
    let made = 0
    const keep = (conn: Connection): void => {
      if (made++ % 100 === 0) sampled.push(new WeakRef(conn))
    }

    // Whatever a closed connection still holds must run out by itself, not accumulate: a short timer past
    // close() (keepAlive, say) would pass here; see close-during-backoff.test.ts for that.
    const settled = async (): Promise<number> => {
      await until(() => wss.clients.size === 0, 'the relay to have no clients left', { within: 5_000 })
      await until(
        () => WATCHED.every((type) => (resourceCounts()[type] ?? 0) <= (baseline[type] ?? 0)),
        `active resources back to the baseline ${JSON.stringify(baseline)}`,
        { within: 5_000, interval: 50 },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; now ${JSON.stringify(resourceCounts())}`)
      })
      return settledHeap()
    }

    let warmHeap = 0
    let cycling = 0
    for (let done = 0; done < CYCLES; done += CONCURRENCY) {
      const started = Date.now()
      await Promise.all(Array.from({ length: CONCURRENCY }, () => cycle(url, keep)))
      cycling += Date.now() - started
      if (done + CONCURRENCY === 1_000) warmHeap = await settled()
    }
    console.log(`${CYCLES} connect/close cycles in ${cycling} ms (${CONCURRENCY} at a time)`)

    expect(accepted).toBe(CYCLES)
    const finalHeap = await settled()
    expect(processListeners()).toEqual(baselineListeners)
    expect(wss.listenerCount('connection')).toBe(serverListeners)
    const alive = sampled.filter((ref) => ref.deref() !== undefined).length
    console.log(
      `heap after 1,000 cycles ${(warmHeap / 1e6).toFixed(1)} MB, after ${CYCLES}: ${(finalHeap / 1e6).toFixed(1)} MB; ` +
        `${alive}/${sampled.length} sampled connections still reachable`,
    )
    expect(alive).toBe(0)
    // 9,000 leaked connections of even 1 kB each would be 9 MB.
    expect(finalHeap - warmHeap).toBeLessThan(8e6)
  }, 90_000)
})
