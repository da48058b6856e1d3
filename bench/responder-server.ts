/**
 * The servers of the responder suite (`responder.bench.ts`), run in a child process so that their
 * memory is measured alone, without the clients'. The first argument picks what runs:
 *
 * - `fanout`: three relays side by side on loopback, each answering every REQ with EOSE and every
 *   EVENT with OK, then sending the event to every open subscription:
 *   - `startRelay` (honeybee-cli): the embedded relay, as shipped (it verifies, stores, matches filters);
 *   - `serve()` (honeybee-node) with {@link minimalRelay}: the transport and nothing else;
 *   - a bare `ws` WebSocketServer doing the same by hand: the floor.
 * - `serve` or `ws`: one of the last two, for the idle-memory measurement; `serve-bare` or `ws-bare`:
 *   the same servers with no handler at all (nobody subscribes to `serve()`'s connections; the `ws`
 *   server only listens for errors), the transport alone.
 *
 * IPC, one request at a time: `'mark'` collects the garbage (`--expose-gc`) and notes the memory;
 * `'measure'` answers the memory used since the mark, without collecting, and how many collections
 * ran in between; `'settle'` collects and answers the memory now, with the connection counts; `'exit'`.
 * Reports {@link ServerReady} once listening. Never writes to stdout, which carries the results.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks'
import { startRelay } from 'honeybee-cli'
import { type ResponderConnection, serve } from 'honeybee-node'
import { peekEventId } from 'roots-ws'
import { type WebSocket, WebSocketServer } from 'ws'

/** What the child reports once listening: the URL of each server it runs. */
export interface ServerReady {
  readonly urls: Readonly<Record<string, string>>
}

/** Memory as `process.memoryUsage()` has it, in bytes. */
export interface Memory {
  readonly rss: number
  readonly heapUsed: number
  /** `external` (which includes `arrayBuffers`): Buffers, socket buffers, typed arrays. */
  readonly external: number
}

export type ServerReply =
  | { readonly type: 'marked' }
  | { readonly type: 'measured'; readonly delta: Memory; readonly collections: number }
  | {
      readonly type: 'settled'
      readonly memory: Memory
      readonly connections: Readonly<Record<string, number>>
    }

function memory(): Memory {
  const { rss, heapUsed, external } = process.memoryUsage()
  return { rss, heapUsed, external }
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

/** The transport-only relay on `serve()`: EOSE for every REQ, OK and fan-out for every EVENT. */
function minimalRelay(server: Awaited<ReturnType<typeof serve>>): () => number {
  /** The open subscriptions: each connection with its subscription ids. */
  const subscriptions = new Map<ResponderConnection, Set<string>>()
  server.connections$.subscribe((conn) => {
    const ids = new Set<string>()
    subscriptions.set(conn, ids)
    conn.reqs$.subscribe(({ subId }) => {
      ids.add(subId)
      conn.sendEOSE(subId)
    })
    conn.closes$.subscribe((subId) => ids.delete(subId))
    conn.events$.subscribe(({ event }) => {
      conn.sendOK(peekEventId(event) ?? '', true, '')
      for (const [peer, peerIds] of subscriptions) for (const subId of peerIds) peer.sendEvent(subId, event)
    })
    conn.status$.subscribe({ complete: () => subscriptions.delete(conn) })
  })
  return () => subscriptions.size
}

/** The same by hand on a bare `ws` server. */
function bareRelay(wss: WebSocketServer): () => number {
  const subscriptions = new Map<WebSocket, Set<string>>()
  wss.on('connection', (ws) => {
    const ids = new Set<string>()
    subscriptions.set(ws, ids)
    ws.on('error', () => {})
    ws.on('close', () => subscriptions.delete(ws))
    ws.on('message', (data: Buffer) => {
      const text = data.toString()
      if (text.startsWith('["REQ"')) {
        const subId = JSON.stringify((JSON.parse(text) as [string, string])[1])
        ids.add(subId)
        ws.send(`["EOSE",${subId}]`)
      } else if (text.startsWith('["EVENT"')) {
        const event = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)
        ws.send(`["OK",${JSON.stringify(peekEventId(event) ?? '')},true,""]`)
        for (const [peer, peerIds] of subscriptions)
          for (const subId of peerIds) peer.send(`["EVENT",${subId},${event}]`)
      }
    })
  })
  return () => subscriptions.size
}

async function bareServer(
  relay: boolean,
): Promise<{ url: string; count: () => number; wss: WebSocketServer }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise((resolve) => wss.once('listening', resolve))
  const { port } = wss.address() as { port: number }
  if (!relay) wss.on('connection', (ws) => ws.on('error', () => {}))
  return { url: `ws://127.0.0.1:${port}`, count: relay ? bareRelay(wss) : () => wss.clients.size, wss }
}

async function main(): Promise<void> {
  const send = process.send?.bind(process)
  if (send === undefined) throw new Error('responder-server.ts runs as a child process (fork)')
  const mode = process.argv[2] ?? 'fanout'
  const urls: Record<string, string> = {}
  const counts: Record<string, () => number> = {}
  const closers: (() => Promise<unknown> | undefined)[] = []

  if (mode === 'fanout') {
    const relay = await startRelay({ host: '127.0.0.1', port: 0 })
    urls.relay = relay.url
    counts.relay = () => relay.server.connections.size
    closers.push(() => relay.close())
  }
  if (mode === 'fanout' || mode === 'serve') {
    const server = await serve({ host: '127.0.0.1', port: 0 })
    urls.serve = server.url
    counts.serve = minimalRelay(server)
    closers.push(() => server.close())
  }
  if (mode === 'serve-bare') {
    // The transport alone: nobody subscribes to the connections.
    const server = await serve({ host: '127.0.0.1', port: 0 })
    urls[mode] = server.url
    counts[mode] = () => server.connections.size
    closers.push(() => server.close())
  }
  if (mode === 'fanout' || mode === 'ws' || mode === 'ws-bare') {
    const bare = await bareServer(mode !== 'ws-bare')
    const name = mode === 'fanout' ? 'ws' : mode
    urls[name] = bare.url
    counts[name] = bare.count
    closers.push(() => {
      for (const client of bare.wss.clients) client.terminate()
      bare.wss.close()
      return undefined
    })
  }

  /** When each collection started (performance.now()); the observer reports them asynchronously. */
  const collections: number[] = []
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push(entry.startTime)
  }).observe({ entryTypes: ['gc'] })

  let marked: Memory = memory()
  let markedAt = 0
  process.on('message', (message) => {
    if (message === 'mark') {
      gc()
      gc()
      marked = memory()
      markedAt = performance.now()
      send({ type: 'marked' } satisfies ServerReply)
    } else if (message === 'measure') {
      const now = memory()
      const measuredAt = performance.now()
      const delta = {
        rss: now.rss - marked.rss,
        heapUsed: now.heapUsed - marked.heapUsed,
        external: now.external - marked.external,
      }
      // Give the observer time to report what ran before the reading, then count those after the mark.
      setTimeout(() => {
        const during = collections.filter((t) => t > markedAt && t < measuredAt).length
        collections.length = 0
        send({ type: 'measured', delta, collections: during } satisfies ServerReply)
      }, 5)
    } else if (message === 'settle') {
      gc()
      gc()
      // Let freed memory be returned, then collect again.
      setTimeout(() => {
        gc()
        const connections = Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, count()]))
        send({ type: 'settled', memory: memory(), connections } satisfies ServerReply)
      }, 200)
    } else if (message === 'exit') {
      void Promise.allSettled(closers.map((close) => close())).finally(() => process.exit(0))
      setTimeout(() => process.exit(0), 5_000).unref()
    }
  })
  process.on('disconnect', () => process.exit(0))
  send({ urls } satisfies ServerReady)
}

void main()
