/**
 * A loopback TCP proxy that injects network faults between a client and a server, per connection or
 * for every connection at once.
 *
 * Modes:
 * - `pass`: pipe bytes (and FINs) both ways.
 * - `blackhole`: keep both TCP sockets open but forward nothing, in either direction, and drop what
 *   arrives: a silent, half-open peer. No FIN, no RST; closes are not passed on either.
 * - `reset`: destroy both sockets with an RST (`resetAndDestroy()`).
 * - `fin`: end both sockets gracefully (FIN), as if the peer's TCP stack closed without a WebSocket close frame.
 * - `{ delay: ms }`: forward both ways, each chunk `ms` later than it arrived, in order.
 * - `stallHandshake`: accept the TCP connection and never forward or answer anything, so a WebSocket
 *   upgrade never completes. The upstream connection is not even opened; what the client sends is held
 *   and forwarded if the connection is later switched to a forwarding mode.
 *
 * @example
 * ```ts
 * const proxy = new FaultProxy(relay.port)
 * const url = await proxy.listen()          // ws://127.0.0.1:<ephemeral port>
 * proxy.connection(0).setMode('blackhole')  // the first connection goes silent
 * proxy.mode = 'pass'                       // connections accepted from now on pass
 * await proxy.close()
 * ```
 */
import net from 'node:net'

/** What the proxy does with a connection's bytes; see the module comment. */
export type FaultMode = 'pass' | 'blackhole' | 'reset' | 'fin' | 'stallHandshake' | { readonly delay: number }

const HOST = '127.0.0.1'

/** A chunk waiting out its delay. */
interface Delayed {
  readonly due: number
  readonly chunk: Buffer
}

/** One direction of a proxied connection: from `source` to `sink`, with a delay line. */
class Pipe {
  /** Bytes forwarded so far. */
  bytes = 0
  readonly #line: Delayed[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(private readonly sink: () => net.Socket | undefined) {}

  /** Writes at once, or after `delay` ms behind everything already delayed. */
  forward(chunk: Buffer, delay: number): void {
    if (delay <= 0 && this.#line.length === 0) {
      this.#write(chunk)
      return
    }
    this.#line.push({ due: Date.now() + delay, chunk })
    this.#arm()
  }

  /** Drops everything still in the delay line. */
  clear(): void {
    this.#line.length = 0
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #arm(): void {
    const next = this.#line[0]
    if (this.#timer !== undefined || next === undefined) return
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        const now = Date.now()
        for (let head = this.#line[0]; head !== undefined && head.due <= now; head = this.#line[0]) {
          this.#line.shift()
          this.#write(head.chunk)
        }
        this.#arm()
      },
      Math.max(0, next.due - Date.now()),
    )
  }

  #write(chunk: Buffer): void {
    const sink = this.sink()
    if (sink === undefined || sink.destroyed || !sink.writable) return
    this.bytes += chunk.length
    sink.write(chunk)
  }
}

/** One accepted client connection and its upstream connection to the target. */
export class ProxiedConnection {
  /** The connection's position in acceptance order, from 0. */
  readonly index: number
  /** When the proxy accepted it (`Date.now()`). */
  readonly acceptedAt: number
  #mode: FaultMode
  #upstream: net.Socket | undefined
  /** Client bytes held while the handshake is stalled. */
  #held: Buffer[] = []
  #closed = false
  #clientGone = false
  readonly #goneWaiters: (() => void)[] = []
  /** Client → server. */
  readonly up: Pipe
  /** Server → client. */
  readonly down: Pipe

  constructor(
    index: number,
    readonly client: net.Socket,
    private readonly target: number,
    mode: FaultMode,
  ) {
    this.index = index
    this.acceptedAt = Date.now()
    this.#mode = mode
    this.up = new Pipe(() => this.#upstream)
    this.down = new Pipe(() => this.client)
    client.on('error', () => {})
    client.on('data', (chunk: Buffer) => this.#fromClient(chunk))
    client.on('end', () => {
      this.#markClientGone()
      if (this.#forwarding()) this.#upstream?.end()
    })
    client.on('close', () => {
      this.#markClientGone()
      if (this.#forwarding()) this.#upstream?.destroy()
      this.#markClosed()
    })
    this.setMode(mode)
  }

  /** The mode this connection is in. */
  get mode(): FaultMode {
    return this.#mode
  }

  /** Whether both sockets are gone. */
  get closed(): boolean {
    return this.#closed
  }

  /** The upstream socket to the target, once opened. */
  get upstream(): net.Socket | undefined {
    return this.#upstream
  }

  /** Switches this connection to `mode`, with immediate effect. */
  setMode(mode: FaultMode): void {
    this.#mode = mode
    if (mode === 'reset') {
      this.#destroy(true)
    } else if (mode === 'fin') {
      this.up.clear()
      this.down.clear()
      this.client.end()
      this.#upstream?.end()
    } else if (mode === 'blackhole') {
      this.up.clear()
      this.down.clear()
      // Half-open means both TCP connections exist: open the upstream one if the handshake had stalled.
      this.#openUpstream()
      this.#held = []
    } else if (mode !== 'stallHandshake') {
      this.#openUpstream()
      const held = this.#held
      this.#held = []
      for (const chunk of held) this.up.forward(chunk, this.#delay())
    }
  }

  /**
   * Resolves once the client has ended its side (FIN) or its socket closed. In a mode that passes
   * nothing on, the proxy's side then stays half-open, as a silent peer's would, until {@link FaultProxy.close}.
   */
  whenClientGone(): Promise<void> {
    if (this.#clientGone) return Promise.resolve()
    return new Promise((resolve) => this.#goneWaiters.push(resolve))
  }

  /** Destroys both sockets (with an RST when `reset`) and every pending delayed chunk. */
  destroy(reset = false): void {
    this.#destroy(reset)
  }

  #destroy(reset: boolean): void {
    this.up.clear()
    this.down.clear()
    for (const socket of [this.client, this.#upstream]) {
      if (socket === undefined || socket.destroyed) continue
      // resetAndDestroy needs a connected TCP handle; a socket still connecting is just destroyed.
      if (reset && socket.readyState === 'open') socket.resetAndDestroy()
      else socket.destroy()
    }
  }

  #forwarding(): boolean {
    return this.#mode === 'pass' || typeof this.#mode === 'object'
  }

  #delay(): number {
    return typeof this.#mode === 'object' ? this.#mode.delay : 0
  }

  #fromClient(chunk: Buffer): void {
    if (this.#mode === 'stallHandshake') this.#held.push(chunk)
    else if (this.#forwarding()) this.up.forward(chunk, this.#delay())
  }

  #fromUpstream(chunk: Buffer): void {
    if (this.#forwarding()) this.down.forward(chunk, this.#delay())
  }

  #openUpstream(): void {
    if (this.#upstream !== undefined || this.client.destroyed) return
    const upstream = net.connect({ host: HOST, port: this.target, allowHalfOpen: true })
    this.#upstream = upstream
    upstream.on('error', () => {})
    upstream.on('data', (chunk: Buffer) => this.#fromUpstream(chunk))
    upstream.on('end', () => {
      if (this.#forwarding()) this.client.end()
    })
    upstream.on('close', () => {
      if (this.#forwarding()) this.client.destroy()
      this.#markClosed()
    })
  }

  #markClosed(): void {
    const upstreamGone = this.#upstream === undefined || this.#upstream.destroyed
    if (this.#closed || !this.client.destroyed || !upstreamGone) return
    this.#closed = true
    this.up.clear()
    this.down.clear()
  }

  #markClientGone(): void {
    this.#clientGone = true
    for (const resolve of this.#goneWaiters.splice(0)) resolve()
  }
}

/** A fault-injecting TCP proxy on 127.0.0.1 in front of `127.0.0.1:<target port>`. */
export class FaultProxy {
  /** The mode of connections accepted from now on. */
  mode: FaultMode
  /** Every connection accepted, in order. */
  readonly connections: ProxiedConnection[] = []
  readonly #server: net.Server
  readonly #target: number
  #port = 0

  constructor(targetPort: number, mode: FaultMode = 'pass') {
    this.#target = targetPort
    this.mode = mode
    // allowHalfOpen so that a FIN is passed on as a FIN, not turned into a full close by Node.
    this.#server = net.createServer({ allowHalfOpen: true }, (client) => {
      this.connections.push(new ProxiedConnection(this.connections.length, client, this.#target, this.mode))
    })
  }

  /** Starts listening on an ephemeral loopback port; resolves to the `ws://` URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(0, HOST, () => {
        this.#server.off('error', reject)
        resolve()
      })
    })
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address')
    this.#port = address.port
    return this.url
  }

  /** The proxy's `ws://` URL. */
  get url(): string {
    return `ws://${HOST}:${this.#port}`
  }

  /** TCP connections accepted so far. */
  get accepted(): number {
    return this.connections.length
  }

  /** The connection accepted `index`-th (from 0). */
  connection(index: number): ProxiedConnection {
    const found = this.connections[index]
    if (found === undefined)
      throw new Error(`proxy has accepted only ${this.connections.length} connection(s)`)
    return found
  }

  /** Sets the mode of every existing connection and of those accepted from now on. */
  setMode(mode: FaultMode): void {
    this.mode = mode
    for (const connection of this.connections) if (!connection.closed) connection.setMode(mode)
  }

  /** Stops accepting and destroys every socket and timer, so nothing keeps the process alive. */
  async close(): Promise<void> {
    const wasListening = this.#server.listening
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()))
    for (const connection of this.connections) connection.destroy()
    if (wasListening) await closed
  }
}
