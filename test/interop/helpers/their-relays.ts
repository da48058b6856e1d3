/**
 * Relays we did not write, each behind a small `ws` server on 127.0.0.1 and an ephemeral port:
 *
 * - {@link startNostrRelayCore}: `@nostr-relay/core`'s `NostrRelay` on `@nostr-relay/event-repository-sqlite`
 *   (an in-memory SQLite database). The package is a library without a server: the application passes it
 *   each connection (`handleConnection`), each parsed message (`handleMessage`) and each disconnect, and
 *   it answers through the client's `send`. That wiring is the few lines below.
 * - {@link startNostrifyRelay}: Nostrify's `MockRelay` (an in-memory `NRelay` from `@nostrify/nostrify/test`).
 *   The package also contains a `TestRelayServer`, but it is not in its `exports` map (only `ErrorRelay`,
 *   `MockRelay`, `genEvent` and `jsonlEvents` are) and it calls `Promise.withResolvers`, which Node 20 lacks,
 *   so the in-memory relay is wrapped here the way `TestRelayServer` wraps it, with its subscriptions
 *   scoped per socket (`TestRelayServer` keys them by subscription id alone and aborts every socket's on
 *   any disconnect).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { NostrRelay } from '@nostr-relay/core'
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite'
import { MockRelay } from '@nostrify/nostrify/test'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'

/** A third-party relay listening on a loopback port. */
export interface ForeignRelay {
  /** `ws://127.0.0.1:<port>`. */
  readonly url: string
  /** Every text message any client sent, in arrival order. */
  readonly received: string[]
  /** Closes every client socket at once (no close handshake), keeping the server listening. */
  dropConnections(): void
  /** Stops listening and closes everything. */
  close(): Promise<void>
}

/** The message type `NostrRelay.handleMessage` takes (its package's own type, without importing `@nostr-relay/common`). */
type NostrRelayMessage = Parameters<NostrRelay['handleMessage']>[1]
type NostrRelayOptions = NonNullable<ConstructorParameters<typeof NostrRelay>[1]>
type NostrifyFilters = Parameters<MockRelay['req']>[0]
type NostrifyEvent = Parameters<MockRelay['event']>[0]

/** A logger that keeps `NostrRelay` quiet in test output. */
const silentLogger: NonNullable<NostrRelayOptions['logger']> = {
  setLogLevel: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

/** Listens with `ws` on 127.0.0.1:0 and hands each socket to `onSocket`. */
async function listen(
  onSocket: (socket: WebSocket, received: string[]) => void,
  onClose: () => Promise<void> = async () => undefined,
): Promise<ForeignRelay> {
  const http: Server = createServer((_request, response) => response.writeHead(426).end())
  const wss = new WebSocketServer({ server: http })
  const sockets = new Set<WebSocket>()
  const received: string[] = []
  wss.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    onSocket(socket, received)
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = http.address() as AddressInfo
  let closed: Promise<void> | undefined
  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    dropConnections() {
      for (const socket of sockets) socket.terminate()
    },
    close() {
      closed ??= (async () => {
        for (const socket of sockets) socket.terminate()
        await new Promise<void>((resolve) => wss.close(() => resolve()))
        http.closeAllConnections()
        await new Promise<void>((resolve) => http.close(() => resolve()))
        await onClose()
      })()
      return closed
    },
  }
}

/** Parses a client message as a JSON array with a string label, or `undefined`. */
function parseClientMessage(data: RawData): { text: string; message: unknown[] } | undefined {
  const text = data.toString()
  try {
    const message: unknown = JSON.parse(text)
    if (Array.isArray(message) && typeof message[0] === 'string') return { text, message }
  } catch {
    // Not JSON: answered with a NOTICE by the caller.
  }
  return undefined
}

/**
 * Starts `@nostr-relay/core` on SQLite in memory. Its filter-result cache is turned off so that a REQ
 * sent right after a publish sees it (the default caches each filter's results for 1 s).
 */
export async function startNostrRelayCore(): Promise<ForeignRelay & { readonly relay: NostrRelay }> {
  const repository = new EventRepositorySqlite(':memory:')
  await repository.init()
  const relay = new NostrRelay(repository, { logger: silentLogger, filterResultCacheTtl: 0 })
  const server = await listen(
    (socket, received) => {
      relay.handleConnection(socket, '127.0.0.1')
      socket.on('close', () => relay.handleDisconnect(socket))
      socket.on('message', (data) => {
        const parsed = parseClientMessage(data)
        if (parsed === undefined) {
          socket.send('["NOTICE","invalid: not a JSON array"]')
          return
        }
        received.push(parsed.text)
        void relay.handleMessage(socket, parsed.message as NostrRelayMessage).catch((error: unknown) => {
          socket.send(JSON.stringify(['NOTICE', `error: ${String(error)}`]))
        })
      })
    },
    () => relay.destroy(),
  )
  return { ...server, relay }
}

/** Starts Nostrify's `MockRelay` behind `ws`; see the module comment. */
export async function startNostrifyRelay(): Promise<ForeignRelay & { readonly store: MockRelay }> {
  const store = new MockRelay()
  const server = await listen((socket, received) => {
    const subscriptions = new Map<string, AbortController>()
    const send = (message: unknown): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
    }
    socket.on('close', () => {
      for (const controller of subscriptions.values()) controller.abort()
      subscriptions.clear()
    })
    socket.on('message', (data) => {
      const parsed = parseClientMessage(data)
      if (parsed === undefined) {
        send(['NOTICE', 'invalid: not a JSON array'])
        return
      }
      received.push(parsed.text)
      const [label, ...rest] = parsed.message
      if (label === 'REQ') {
        const [subId, ...filters] = rest as [string, ...NostrifyFilters]
        subscriptions.get(subId)?.abort()
        const controller = new AbortController()
        subscriptions.set(subId, controller)
        void (async () => {
          try {
            for await (const reply of store.req(filters, { signal: controller.signal })) {
              send([reply[0], subId, ...reply.slice(2)])
            }
          } catch {
            // Aborted by CLOSE, a replacing REQ or the socket's end.
          }
        })()
      } else if (label === 'CLOSE') {
        const subId = rest[0] as string
        subscriptions.get(subId)?.abort()
        subscriptions.delete(subId)
      } else if (label === 'EVENT') {
        const event = rest[0] as NostrifyEvent
        void store.event(event).then(
          () => send(['OK', event.id, true, '']),
          (error: unknown) => send(['OK', event.id, false, `error: ${String(error)}`]),
        )
      } else {
        send(['NOTICE', `unsupported: ${String(label)}`])
      }
    })
  })
  return { ...server, store }
}
