/**
 * @module `serve`: a relay endpoint on Node, built from the honeybee responder.
 *
 * It listens (or attaches to an existing HTTP server's `upgrade` events), answers NIP-11 information
 * requests, accepts WebSocket connections as {@link ResponderConnection}s, and defends the process
 * from any one peer: slowloris (`headersTimeout`), oversized and fragmented frames (`maxPayload`,
 * `maxFragments`), floods (the responder's rate limit), subscription hoarding (`maxSubscriptions`),
 * slow readers (`maxBufferedBytes`) and dead peers (ping frames). What the relay *does* with events
 * and filters is the application's: storage and filter matching are not transport.
 */
import { createServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import {
  type CompressionConfig,
  DEFAULT_CONFIG,
  type HealthConfig,
  type PartialResponderLimits,
  type RelayInformation,
  type ResponderConnection,
  relayInformation,
  resolveResponderLimits,
} from 'honeybee'
import { type Observable, Subject } from 'rxjs'
import { type WebSocket, WebSocketServer } from 'ws'
import { fromSocket } from './from-socket.js'
import { answerUpgradeRequired, handleInformationRequest } from './information-document.js'

/** How {@link serve} listens and what it allows. */
export interface ServeOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string
  /** Port to listen on; 0 picks a free one. @default 0 */
  readonly port?: number
  /** Accept WebSockets (and answer NIP-11) only on this path, e.g. `/nostr`. @default any path */
  readonly path?: string
  /**
   * Attach to this HTTP(S) server's `upgrade` events instead of listening. Its plain HTTP requests
   * stay yours: answer NIP-11 with `handleInformationRequest`. `close()` leaves it running.
   */
  readonly server?: Server
  /** Per-connection limits (see `ResponderLimits`). */
  readonly limits?: PartialResponderLimits
  /** The NIP-11 document; its `limitation` is completed from `limits`. @default { supported_nips: [1, 11] } */
  readonly info?: RelayInformation
  /** Most frames one message may arrive in; more closes the connection with 1008. @default 64 */
  readonly maxFragments?: number
  /** Longest wait for a request's headers, in ms; slower clients (slowloris) are cut off. @default 10000 */
  readonly headersTimeout?: number
  /** Ping-based dead-peer detection for every connection, with one timer for all. @default DEFAULT_CONFIG.health */
  readonly health?: Partial<HealthConfig>
  /** permessage-deflate. @default off */
  readonly compression?: Partial<CompressionConfig>
  /** Labels besides the NIP-01/42/45 ones that reach `messages$` without a NOTICE. @default [] */
  readonly customLabels?: readonly string[]
}

/** A running relay endpoint. */
export interface RelayServer {
  /** `ws://host:port[path]`. */
  readonly url: string
  /** The NIP-11 document it serves. */
  readonly info: RelayInformation
  /** Each new connection, as it is accepted (hot); completes on `close()`. Subscribe to its streams at once. */
  readonly connections$: Observable<ResponderConnection>
  /** The connections open now. */
  readonly connections: ReadonlySet<ResponderConnection>
  /**
   * Stops accepting, closes every connection with 1001 (terminating those that do not finish the
   * handshake within `limits.closeTimeout`), then stops listening. Idempotent; resolves when done.
   */
  close(): Promise<void>
}

/** Frames between `maxMessageSize` and this many times it are answered per NIP-01; larger ones close the connection. */
const PAYLOAD_CEILING = 4

/**
 * Starts a relay endpoint. Resolves once it is listening.
 * @example
 * ```ts
 * import { serve } from 'honeybee-node'
 *
 * const relay = await serve({ port: 7777, info: { name: 'my relay' }, limits: { rateLimit: { enabled: true } } })
 * relay.connections$.subscribe((conn) => {
 *   conn.events$.subscribe(({ id }) => id !== undefined && conn.sendOK(id, true, ''))
 *   conn.reqs$.subscribe(({ subId }) => conn.sendEOSE(subId))
 * })
 * console.log(relay.url) // ws://127.0.0.1:7777
 * await relay.close()
 * ```
 */
export async function serve(options: ServeOptions = {}): Promise<RelayServer> {
  const limits = resolveResponderLimits(options.limits)
  const info = relayInformation(limits, options.info)
  const document = JSON.stringify(info)
  const compression = { ...DEFAULT_CONFIG.compression, ...options.compression }
  const headersTimeout = options.headersTimeout ?? 10_000
  const path = options.path
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false, // tracked here, as responders
    maxPayload: limits.maxMessageSize * PAYLOAD_CEILING,
    maxFragments: options.maxFragments ?? 64,
    // roots-ws validates the JSON; Buffer#toString replaces bad UTF-8 rather than failing the connection.
    skipUTF8Validation: true,
    perMessageDeflate: compression.enabled
      ? { zlibDeflateOptions: { level: compression.level }, threshold: compression.threshold }
      : false,
  })
  const responderOptions = {
    limits,
    ...(options.health === undefined ? {} : { health: options.health }),
    ...(options.customLabels === undefined ? {} : { customLabels: options.customLabels }),
  }
  const connections = new Set<ResponderConnection>()
  const connections$ = new Subject<ResponderConnection>()
  const drained: (() => void)[] = []
  let accepting = true

  const accept = (ws: WebSocket): void => {
    const conn = fromSocket(ws, responderOptions)
    connections.add(conn)
    conn.status$.subscribe({
      complete: () => {
        connections.delete(conn)
        if (connections.size === 0) for (const resolve of drained.splice(0)) resolve()
      },
    })
    if (!accepting) conn.close(1001, 'relay shutting down')
    else connections$.next(conn)
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (path !== undefined && pathOf(request) !== path) {
      // Another handler of the caller's server may want it; on our own server, nobody does.
      if (options.server === undefined) refuseUpgrade(socket, 404)
      return
    }
    if (accepting) wss.handleUpgrade(request, socket, head, accept)
    else refuseUpgrade(socket, 503)
  }

  const http = options.server ?? ownServer(headersTimeout, path, document)
  http.on('upgrade', onUpgrade)
  if (options.server === undefined) await listen(http, options.port ?? 0, options.host ?? '127.0.0.1')
  else if (!http.listening) await new Promise((resolve) => http.once('listening', resolve))
  const address = http.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `ws://${host}:${address.port}${path ?? ''}`

  let closing: Promise<void> | undefined
  const shutdown = async (): Promise<void> => {
    accepting = false
    http.off('upgrade', onUpgrade)
    const stopped =
      options.server === undefined ? new Promise((resolve) => http.close(resolve)) : Promise.resolve()
    const empty = new Promise<void>((resolve) => {
      if (connections.size === 0) resolve()
      else drained.push(resolve)
    })
    // Each responder terminates its peer at closeTimeout if the handshake has not finished by then.
    for (const conn of [...connections]) conn.close(1001, 'relay shutting down')
    await empty
    if (options.server === undefined) http.closeAllConnections() // idle keep-alives, unfinished requests
    await stopped
    wss.close()
    connections$.complete()
  }

  return {
    url,
    info,
    connections$: connections$.asObservable(),
    connections,
    close: () => {
      closing ??= shutdown()
      return closing
    },
  }
}

/** The HTTP server of a relay that listens by itself: NIP-11, 426, and slowloris protection. */
function ownServer(headersTimeout: number, path: string | undefined, document: string): Server {
  return createServer(
    {
      headersTimeout,
      requestTimeout: headersTimeout * 2,
      // How often unfinished requests are checked against the timeouts (Node's default is 30 s).
      connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(headersTimeout / 4))),
    },
    (request, response) => {
      if (path !== undefined && pathOf(request) !== path) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n')
      } else if (!handleInformationRequest(request, response, document)) {
        answerUpgradeRequired(response)
      }
    },
  )
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/'
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

/** Answers an upgrade request with an HTTP error and closes the socket. */
function refuseUpgrade(socket: Duplex, status: number): void {
  socket.on('error', () => {})
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
