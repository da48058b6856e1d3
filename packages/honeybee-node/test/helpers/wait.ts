/**
 * Waiting on real sockets without fixed sleeps: poll a condition with a deadline, wait for a status
 * or an error, record what a connection reports, and clean everything up after each test.
 */
import net from 'node:net'
import type { ConnectionStatus } from 'roots-ws'
import { filter, firstValueFrom, type Subscription, timeout } from 'rxjs'
import { afterEach } from 'vitest'
import type { Connection, HoneybeeError, HoneybeeErrorCode } from '../../src/index.js'

/** Polls `condition` every `interval` ms until it holds; rejects after `within` ms, naming `what`. */
export async function until(
  condition: () => boolean,
  what: string,
  { within = 5_000, interval = 10 }: { within?: number; interval?: number } = {},
): Promise<void> {
  const deadline = Date.now() + within
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${within} ms waiting for ${what}`)
    await sleep(interval)
  }
}

/** A short pause, for proving that something does *not* happen. Never longer than 100 ms. */
export function sleep(ms: number): Promise<void> {
  if (ms > 100) throw new Error(`sleep(${ms}): wait for an event instead of sleeping over 100 ms`)
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Resolves when `conn` reaches `status`. Subscribes to `status$`, which activates the connection:
 * use {@link until} on `conn.status` where activation matters.
 */
export function statusReached(conn: Connection, status: ConnectionStatus, within = 5_000): Promise<void> {
  return firstValueFrom(
    conn.status$.pipe(
      filter((s) => s === status),
      timeout({
        first: within,
        with: () => Promise.reject(new Error(`status ${status} not reached in ${within} ms`)),
      }),
    ),
  ).then(() => undefined)
}

/** Resolves with the first error with `code` on `errors$` (which activates the connection). */
export function errorReported(
  conn: Connection,
  code: HoneybeeErrorCode,
  within = 5_000,
): Promise<HoneybeeError> {
  return firstValueFrom(
    conn.errors$.pipe(
      filter((e) => e.code === code),
      timeout({
        first: within,
        with: () => Promise.reject(new Error(`no ${code} on errors$ in ${within} ms`)),
      }),
    ),
  )
}

/** Something that happened, with when (`Date.now()`). */
export interface Stamped<T> {
  readonly value: T
  readonly at: number
}

/** What a connection reported while recorded; recording keeps it active. */
export interface Recording {
  readonly statuses: Stamped<ConnectionStatus>[]
  readonly errors: Stamped<HoneybeeError>[]
  readonly messages: string[]
  /** Which streams completed. */
  readonly completed: Set<'status$' | 'errors$' | 'messages$'>
  /** The statuses alone, in order. */
  statusList(): ConnectionStatus[]
  /** The error codes alone, in order. */
  errorCodes(): HoneybeeErrorCode[]
  /** Stops recording (and releases the activation). */
  stop(): void
}

/** Subscribes to `status$`, `errors$` and `messages$` and records everything. */
export function record(conn: Connection): Recording {
  const statuses: Stamped<ConnectionStatus>[] = []
  const errors: Stamped<HoneybeeError>[] = []
  const messages: string[] = []
  const completed = new Set<'status$' | 'errors$' | 'messages$'>()
  const subscriptions: Subscription[] = [
    conn.status$.subscribe({
      next: (value) => statuses.push({ value, at: Date.now() }),
      complete: () => completed.add('status$'),
    }),
    conn.errors$.subscribe({
      next: (value) => errors.push({ value, at: Date.now() }),
      complete: () => completed.add('errors$'),
    }),
    conn.messages$.subscribe({ next: (m) => messages.push(m), complete: () => completed.add('messages$') }),
  ]
  return {
    statuses,
    errors,
    messages,
    completed,
    statusList: () => statuses.map((s) => s.value),
    errorCodes: () => errors.map((e) => e.value.code),
    stop: () => {
      for (const subscription of subscriptions) subscription.unsubscribe()
    },
  }
}

/** A loopback port that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}

/**
 * Registers an `afterEach` that disposes everything handed to the returned function, last first, even
 * when the test failed, so that a failing test never leaves a server or a socket behind.
 * Call it once at the top of a test file.
 */
export function disposeAfterEach(): <T>(resource: T, dispose: (resource: T) => unknown) => T {
  const disposers: (() => unknown)[] = []
  afterEach(async () => {
    const errors: unknown[] = []
    for (const dispose of disposers.splice(0).reverse()) {
      try {
        await dispose()
      } catch (error) {
        errors.push(error)
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed')
  })
  return (resource, dispose) => {
    disposers.push(() => dispose(resource))
    return resource
  }
}
