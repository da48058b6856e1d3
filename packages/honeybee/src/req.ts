/**
 * @module `req`: a subscription as a cold observable (spec honeybee §9, NIP-01 REQ/CLOSE).
 *
 * Subscribing sends REQ, unsubscribing sends CLOSE. The subscription survives reconnects (the
 * connection's registry re-sends it and drops the overlap's duplicates), so the caller sees one
 * uninterrupted stream. A CLOSED without a machine-readable prefix completes the stream; one with a
 * prefix errors it with a `RelayError` whose `code` is the prefix, except `auth-required:`, which is
 * retried once after authenticating when the connection has an `authenticate` hook.
 *
 * @example
 * ```ts
 * req(conn, { kinds: [1], limit: 20 }).subscribe((message) => {
 *   if (message.type === 'event') console.log(message.event.content)
 *   if (message.type === 'eose') console.log('stored events done')
 * })
 * ```
 */
import { encloseReq } from 'roots-ws'
import { filter, first, Observable, type Subscription, timeout } from 'rxjs'
import type { Connection } from './connection.js'
import { TimeoutError, UsageError } from './errors.js'
import type { Filter } from './nostr.js'
import { RelayError } from './relay-reply.js'
import { sessionOf } from './session.js'
import type { SeenIds, SubscriptionMessage } from './subscription-registry.js'
import { exceedsUtf8, utf8Length } from './utf8-length.js'

/** Options for {@link req}. */
export interface ReqOptions {
  /** The subscription id (at most 64 characters, NIP-01); a unique one is generated when absent. */
  readonly id?: string
  /** Event ids already delivered elsewhere (the pool shares one across relays); checked before parsing. */
  readonly seen?: SeenIds
  /**
   * How long to wait for EOSE, counted from the last event received, before delivering a timed-out
   * `eose`. @default connection.config.eoseTimeout
   */
  readonly eoseTimeout?: number
}

/**
 * Subscribes to `filters` on `connection`. Cold: each subscriber opens its own subscription.
 * @param filters - one filter, several, or their raw JSON text.
 */
export function req(
  connection: Connection,
  filters: Filter | readonly Filter[] | readonly string[],
  options: ReqOptions = {},
): Observable<SubscriptionMessage> {
  return new Observable<SubscriptionMessage>((subscriber) => {
    const session = sessionOf(connection)
    const id = options.id ?? session.nextSubscriptionId()
    let parsed: readonly Filter[]
    try {
      parsed = normalizeFilters(filters)
      if (id.length === 0 || id.length > 64) {
        throw new UsageError(
          'InvalidArgument',
          `subscription id must be 1 to 64 characters, got ${id.length}`,
        )
      }
      const envelope = encloseReq(
        id,
        parsed.map((f) => JSON.stringify(f)),
      )
      if (exceedsUtf8(envelope, session.maxMessageLength())) {
        throw new UsageError(
          'EnvelopeTooLarge',
          `REQ of ${utf8Length(envelope)} bytes exceeds the relay's ${session.maxMessageLength()}`,
        )
      }
    } catch (error) {
      subscriber.error(error)
      return undefined
    }

    const release = session.hold()
    let authRetried = false
    let waitForAuth: Subscription | undefined

    const register = (): void =>
      session.registry.add({
        id,
        filters: parsed,
        deliver,
        end: () => subscriber.complete(),
        ...(options.seen === undefined ? {} : { seen: options.seen }),
        ...(options.eoseTimeout === undefined ? {} : { eoseTimeout: options.eoseTimeout }),
      })

    function deliver(message: SubscriptionMessage): void {
      if (message.type !== 'closed') {
        subscriber.next(message)
        return
      }
      const { prefix } = message.reply
      if (prefix === undefined) {
        subscriber.next(message)
        subscriber.complete()
        return
      }
      if (prefix === 'auth-required' && connection.hooks.authenticate !== undefined && !authRetried) {
        authRetried = true
        waitForAuth = authenticated(connection).subscribe({
          next: () => register(),
          error: () => subscriber.error(new RelayError(prefix, message.reply.message, connection.url)),
        })
        return
      }
      subscriber.error(new RelayError(prefix, message.reply.message, connection.url))
    }

    try {
      register()
    } catch (error) {
      release()
      subscriber.error(error)
      return undefined
    }
    return () => {
      waitForAuth?.unsubscribe()
      session.registry.remove(id)
      release()
    }
  })
}

/** Emits once when the connection is authenticated (NIP-42); errors if that fails or takes too long. */
export function authenticated(connection: Connection): Observable<void> {
  const limit = connection.config.okTimeout
  return new Observable<void>((subscriber) =>
    sessionOf(connection)
      .auth$.pipe(
        filter((state) => state.type === 'authenticated' || state.type === 'failed'),
        first(),
        timeout({
          first: limit,
          with: () => {
            throw new TimeoutError(
              'Timeout',
              `no NIP-42 authentication with ${connection.url} in ${limit} ms`,
              limit,
            )
          },
        }),
      )
      .subscribe({
        next: (state) => {
          if (state.type === 'authenticated') {
            subscriber.next()
            subscriber.complete()
          } else subscriber.error(new Error(state.reason))
        },
        error: (error) => subscriber.error(error),
      }),
  )
}

function normalizeFilters(filters: Filter | readonly Filter[] | readonly string[]): readonly Filter[] {
  const list = (Array.isArray(filters) ? filters : [filters]) as readonly (Filter | string)[]
  return list.map((f) => {
    if (typeof f !== 'string') return f
    let value: unknown
    try {
      value = JSON.parse(f)
    } catch {
      throw new UsageError('InvalidArgument', `filter is not valid JSON: ${f.slice(0, 80)}`)
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError('InvalidArgument', `filter is not a JSON object: ${f.slice(0, 80)}`)
    }
    return value as Filter
  })
}
