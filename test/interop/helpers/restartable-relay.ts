/**
 * The embedded relay (`startRelay`), stopped and started again on the same port with the same store, so
 * that a restart keeps every event; each run records the REQs and EVENTs its connections received.
 *
 * @example
 * ```ts
 * const relay = await RestartableRelay.start()
 * await relay.restart()
 * relay.runs[1]?.reqs // the REQs the second run saw
 * await relay.close()
 * ```
 */
import {
  createEventStore,
  type EventStore,
  type RelayOptions,
  type RunningRelay,
  startRelay,
} from 'honeybee-cli'
import type { Filter } from 'honeybee-node'

/** What one run of the relay (from a start to its stop) received. */
export interface RelayRun {
  readonly reqs: { readonly subId: string; readonly filters: readonly Filter[] }[]
  /** Each EVENT envelope's event, as raw JSON. */
  readonly events: string[]
  connections: number
}

/** See the module comment. */
export class RestartableRelay {
  readonly store: EventStore
  /** Every run, the current one last. */
  readonly runs: RelayRun[] = []
  #running: RunningRelay | undefined
  #port: number

  private constructor(
    private readonly options: Omit<RelayOptions, 'port' | 'store'>,
    store: EventStore,
  ) {
    this.store = store
    this.#port = 0
  }

  /** Starts a relay on an ephemeral loopback port with a new store. */
  static async start(options: Omit<RelayOptions, 'port' | 'store'> = {}): Promise<RestartableRelay> {
    const relay = new RestartableRelay(options, createEventStore())
    await relay.start()
    return relay
  }

  /** `ws://127.0.0.1:<port>`, the same across restarts. */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}`
  }

  get running(): boolean {
    return this.#running !== undefined
  }

  /** The relay now running; throws while stopped. */
  get current(): RunningRelay {
    if (this.#running === undefined) throw new Error('the relay is stopped')
    return this.#running
  }

  /** The current (or last) run's record. */
  get run(): RelayRun {
    const run = this.runs.at(-1)
    if (run === undefined) throw new Error('the relay never ran')
    return run
  }

  /** Starts listening (again), on the port of the first start. */
  async start(): Promise<void> {
    if (this.#running !== undefined) return
    const running = await startRelay({ ...this.options, port: this.#port, store: this.store })
    // startRelay resolves before any connection can be accepted, so no connection is missed here.
    const run: RelayRun = { reqs: [], events: [], connections: 0 }
    running.server.connections$.subscribe((conn) => {
      run.connections++
      conn.reqs$.subscribe(({ subId, filters }) =>
        run.reqs.push({ subId, filters: filters.map((f) => JSON.parse(f) as Filter) }),
      )
      conn.events$.subscribe(({ event }) => run.events.push(event))
    })
    this.runs.push(run)
    this.#port = Number(new URL(running.url).port)
    this.#running = running
  }

  /** Closes every connection (1001, as a relay going away) and stops listening. */
  async stop(): Promise<void> {
    const running = this.#running
    this.#running = undefined
    await running?.close()
  }

  /**
   * Kills the relay as a crash would: every connection's TCP socket is destroyed at once (what was
   * buffered for the peer is lost, no close frame), then it stops listening.
   */
  async kill(): Promise<void> {
    for (const conn of this.#running?.server.connections ?? []) conn.terminate()
    await this.stop()
  }

  /** Stops (gracefully, or by {@link kill} when `kill` is set) and starts again on the same port. */
  async restart({ kill = false }: { readonly kill?: boolean } = {}): Promise<void> {
    if (kill) await this.kill()
    else await this.stop()
    await this.start()
  }

  async close(): Promise<void> {
    await this.stop()
  }
}
