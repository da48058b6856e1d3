/**
 * A scriptable `ws` relay on 127.0.0.1 for real-socket tests: it records what each connection sends,
 * sends arbitrary frames (garbage, binary, oversized), kills its clients abruptly, and stops and
 * restarts on the same port so that clients can reconnect to it.
 *
 * @example
 * ```ts
 * const relay = await RelayServer.start()
 * const conn = connect(relay.url)
 * relay.send('["NOTICE","hi"]')
 * await relay.stop()
 * await relay.restart() // same port
 * ```
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { type PerMessageDeflateOptions, type RawData, type WebSocket, WebSocketServer } from 'ws'

const HOST = '127.0.0.1'

/** One client connection the relay accepted. */
export interface RelayClient {
  /** Its position in acceptance order, from 0, across restarts. */
  readonly index: number
  /** The server side of the WebSocket. */
  readonly ws: WebSocket
  /** The upgrade request (its headers). */
  readonly request: IncomingMessage
  /** Every text or binary message it sent, as text, in order. */
  readonly messages: string[]
  /** Ping frames received from it. */
  pings: number
  /** How it closed, once it has. */
  closed: { readonly code: number; readonly reason: string } | undefined
}

/** How {@link RelayServer.start} configures the relay. */
export interface RelayServerOptions {
  /** The `ws` server's permessage-deflate option. @default false */
  readonly perMessageDeflate?: boolean | PerMessageDeflateOptions
  /** Called for each new client, after it is recorded. */
  readonly onConnection?: (client: RelayClient) => void
}

/** A `ws` relay on 127.0.0.1; see the module comment. */
export class RelayServer {
  /** Every client accepted, in order, across restarts. */
  readonly clients: RelayClient[] = []
  #port = 0
  #http: Server | undefined
  #wss: WebSocketServer | undefined
  readonly #sockets = new Set<Socket>()

  private constructor(private readonly options: RelayServerOptions) {}

  /** Starts a relay on an ephemeral port. */
  static async start(options: RelayServerOptions = {}): Promise<RelayServer> {
    const relay = new RelayServer(options)
    await relay.#listen(0)
    return relay
  }

  /** The port, kept across restarts. */
  get port(): number {
    return this.#port
  }

  /** The `ws://` URL. */
  get url(): string {
    return `ws://${HOST}:${this.#port}`
  }

  /** The running `ws` server; throws while stopped. */
  get wss(): WebSocketServer {
    if (this.#wss === undefined) throw new Error('relay is stopped')
    return this.#wss
  }

  /** Whether it is listening. */
  get running(): boolean {
    return this.#wss !== undefined
  }

  /** The clients whose WebSocket is open. */
  get open(): RelayClient[] {
    return this.clients.filter((client) => client.ws.readyState === 1)
  }

  /** The client accepted `index`-th (from 0). */
  client(index: number): RelayClient {
    const found = this.clients[index]
    if (found === undefined) throw new Error(`relay has accepted only ${this.clients.length} client(s)`)
    return found
  }

  /** Everything every client sent, in acceptance order, then arrival order. */
  received(): string[] {
    return this.clients.flatMap((client) => client.messages)
  }

  /**
   * Sends a frame to every open client (or only to `to`): a string as a text frame, a Buffer as a
   * binary frame unless `binary: false` (a text frame with arbitrary bytes, e.g. invalid UTF-8).
   */
  send(data: string | Buffer, options: { readonly binary?: boolean; readonly to?: RelayClient } = {}): void {
    const binary = options.binary ?? typeof data !== 'string'
    for (const client of options.to === undefined ? this.open : [options.to]) client.ws.send(data, { binary })
  }

  /** Kills every client socket at once, without a close handshake. */
  terminateAll(): void {
    for (const client of this.clients) client.ws.terminate()
    for (const socket of this.#sockets) socket.destroy()
  }

  /** Kills every client and stops listening; the port is kept for {@link restart}. */
  async stop(): Promise<void> {
    const http = this.#http
    const wss = this.#wss
    this.#http = undefined
    this.#wss = undefined
    this.terminateAll()
    if (wss !== undefined) await new Promise<void>((resolve) => wss.close(() => resolve()))
    if (http?.listening) {
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
    }
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    if (this.running) await this.stop()
    await this.#listen(this.#port)
  }

  async #listen(port: number): Promise<void> {
    const http = createServer((_request, response) => response.writeHead(426).end())
    http.on('connection', (socket: Socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
    })
    const wss = new WebSocketServer({
      server: http,
      perMessageDeflate: this.options.perMessageDeflate ?? false,
    })
    wss.on('connection', (ws, request) => this.#accept(ws, request))
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(port, HOST, () => {
        http.off('error', reject)
        resolve()
      })
    })
    const address = http.address()
    if (address === null || typeof address === 'string') throw new Error('relay has no TCP address')
    this.#port = address.port
    this.#http = http
    this.#wss = wss
  }

  #accept(ws: WebSocket, request: IncomingMessage): void {
    const client: RelayClient = {
      index: this.clients.length,
      ws,
      request,
      messages: [],
      pings: 0,
      closed: undefined,
    }
    this.clients.push(client)
    ws.on('error', () => {})
    ws.on('message', (data: RawData) => client.messages.push(data.toString()))
    ws.on('ping', () => client.pings++)
    ws.on('close', (code, reason) => {
      client.closed = { code, reason: reason.toString() }
    })
    this.options.onConnection?.(client)
  }
}
