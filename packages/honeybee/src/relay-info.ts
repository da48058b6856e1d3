/**
 * @module Fetching a relay's NIP-11 information document, with a timeout and a cache.
 *
 * The document lives at the relay's WebSocket URL over HTTP(S), served for
 * `Accept: application/nostr+json`. The core takes `fetch` as an argument (it imports no environment);
 * the environment editions pass theirs.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs'
import { TimeoutError } from './errors.js'
import type { RelayInformation } from './relay-information.js'

/**
 * The part of the Fetch API this needs. The environment's binding should give up on its own after
 * `timeout` too (Node: `AbortSignal.timeout`), so that an abandoned request does not linger.
 */
export type FetchLike = (
  url: string,
  init: { readonly headers: Readonly<Record<string, string>>; readonly timeout: number },
) => Promise<{ readonly ok: boolean; readonly status: number; json(): Promise<unknown> }>

/** Options for {@link createRelayInfoFetcher}. */
export interface RelayInfoFetcherOptions {
  readonly fetch: FetchLike
  /** Longest wait for the document, in ms. @default 5000 */
  readonly timeout?: number
  /** How long a fetched document is reused, in ms. @default 3600000 (an hour) */
  readonly ttl?: number
  readonly scheduler?: SchedulerLike
}

/** The HTTP(S) URL of a relay's information document: its WebSocket URL with the scheme swapped. */
export function relayInfoUrl(relayUrl: string): string {
  return relayUrl.replace(/^ws(s?):\/\//i, 'http$1://')
}

/**
 * A cached NIP-11 fetcher: concurrent requests for one relay share one HTTP request.
 * @example
 * ```ts
 * const fetchInfo = createRelayInfoFetcher({ fetch: globalThis.fetch })
 * const info = await fetchInfo('wss://relay.example')
 * info.limitation?.max_subscriptions
 * ```
 */
export function createRelayInfoFetcher(
  options: RelayInfoFetcherOptions,
): (relayUrl: string) => Promise<RelayInformation> {
  const timeout = options.timeout ?? 5000
  const ttl = options.ttl ?? 3_600_000
  const scheduler = options.scheduler ?? asyncScheduler
  const cache = new Map<string, { readonly at: number; readonly info: Promise<RelayInformation> }>()

  async function load(relayUrl: string): Promise<RelayInformation> {
    let timer: { unsubscribe(): void } | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = scheduler.schedule(() => {
        reject(new TimeoutError('Timeout', `no NIP-11 document from ${relayUrl} in ${timeout} ms`, timeout))
      }, timeout)
    })
    try {
      const response = await Promise.race([
        options.fetch(relayInfoUrl(relayUrl), { headers: { Accept: 'application/nostr+json' }, timeout }),
        expired,
      ])
      if (!response.ok) throw new Error(`NIP-11 request to ${relayUrl} answered HTTP ${response.status}`)
      const body = await Promise.race([response.json(), expired])
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new Error(`NIP-11 document from ${relayUrl} is not a JSON object`)
      }
      return body as RelayInformation
    } finally {
      timer?.unsubscribe()
    }
  }

  return (relayUrl) => {
    const cached = cache.get(relayUrl)
    if (cached !== undefined && scheduler.now() - cached.at < ttl) return cached.info
    const info = load(relayUrl)
    cache.set(relayUrl, { at: scheduler.now(), info })
    // A failure is not cached: the next connection asks again.
    info.catch(() => cache.delete(relayUrl))
    return info
  }
}
