/**
 * @module `connect`: a honeybee connection on the native `WebSocket`, the browser preset of
 * `createConnection`. This is where the browser's globals are bound, as defaults that an option
 * replaces: `globalThis.WebSocket`, and `globalThis` (the window, or a worker's `self`) and
 * `globalThis.document` for the page lifecycle. They are read when `connect` is called, never when
 * the module loads.
 */
import {
  type Connection,
  type ConnectionOptions,
  createConnection,
  createHeartbeat,
  createRelayInfoFetcher,
  resolveConfig,
  UsageError,
} from 'honeybee'
import { asyncScheduler } from 'rxjs'
import { type PageLifecycleSources, pageLifecycle } from './page-lifecycle.js'
import { pausedWhile } from './pausable-health.js'
import { browserSocketFactory, type WebSocketConstructor } from './transports/browser.js'
import { type ProbeOptions, withProbe } from './transports/probe.js'

/** Options for {@link connect}: everything `createConnection` takes, the socket factory optional. */
export type BrowserConnectOptions = Omit<ConnectionOptions, 'socketFactory'> & {
  /** Opens sockets instead of the native `WebSocket` (the probe is still added where it has no `ping`). */
  readonly socketFactory?: ConnectionOptions['socketFactory']
  /** The `WebSocket` constructor. @default globalThis.WebSocket */
  readonly WebSocket?: WebSocketConstructor
  /** Subprotocols to offer in the handshake. @default none */
  readonly protocols?: string | string[]
  /** The health probe's subscription id. @default 'honeybee:probe' */
  readonly probe?: ProbeOptions
  /**
   * Where the page's `online`/`offline` and `visibilitychange` events come from; `false` ignores the
   * page. Ignored for the network when `network$` is given.
   * @default { window: globalThis, document: globalThis.document }, where they raise events
   */
  readonly page?: PageLifecycleSources | false
  /** Stop health probes while the page is hidden (see `pausable-health.ts`). @default false */
  readonly pauseProbesWhenHidden?: boolean
  /**
   * Fetch the relay's NIP-11 document (with the browser's `fetch`; the relay must allow CORS, as NIP-11
   * asks) and obey its `limitation`. Ignored when `hooks.fetchRelayInfo` is given. @default false
   */
  readonly relayInfo?: boolean
}

// One NIP-11 cache for the page: many connections to one relay share one document.
let sharedFetcher: ReturnType<typeof createRelayInfoFetcher> | undefined
function relayInfoFetcher(): ReturnType<typeof createRelayInfoFetcher> {
  sharedFetcher ??= createRelayInfoFetcher({
    fetch: (url, { headers, timeout }) => fetch(url, { headers, signal: AbortSignal.timeout(timeout) }),
  })
  return sharedFetcher
}

/**
 * Connects to a relay from a browser. Nothing happens until something subscribes or sends.
 * @throws {UsageError} `InvalidArgument` when there is no `WebSocket` (none given, none global).
 * @example
 * ```ts
 * import { connect, req } from 'honeybee-browser'
 *
 * const conn = connect('wss://relay.example', { profile: 'realtime' })
 * conn.status$.subscribe((status) => (badge.textContent = status))
 * req(conn, { kinds: [1], limit: 20 }).subscribe((message) => console.log(message))
 * ```
 */
export function connect(url: string, options: BrowserConnectOptions = {}): Connection {
  const { WebSocket, protocols, probe, page, pauseProbesWhenHidden, relayInfo, ...rest } = options
  const lifecycle = pageLifecycle(page === false ? {} : (page ?? globalPage()))
  return createConnection(url, {
    ...rest,
    socketFactory: withProbe(rest.socketFactory ?? nativeSocketFactory(WebSocket, protocols), probe),
    network$: rest.network$ ?? lifecycle.network$,
    // Only what these options change replaces the caller's hooks and components.
    ...(relayInfo === true &&
      rest.hooks?.fetchRelayInfo === undefined && {
        hooks: { ...rest.hooks, fetchRelayInfo: relayInfoFetcher() },
      }),
    ...(pauseProbesWhenHidden === true && {
      components: {
        ...rest.components,
        healthMonitor: pausedWhile(
          rest.components?.healthMonitor ??
            createHeartbeat(resolveConfig(rest, rest.profile).health, rest.scheduler ?? asyncScheduler),
          lifecycle.hidden$,
        ),
      },
    }),
  })
}

function nativeSocketFactory(
  given: WebSocketConstructor | undefined,
  protocols: string | string[] | undefined,
): ConnectionOptions['socketFactory'] {
  const WebSocket = given ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (WebSocket === undefined) {
    throw new UsageError('InvalidArgument', 'no WebSocket in this environment: pass options.WebSocket')
  }
  return browserSocketFactory({ WebSocket, ...(protocols === undefined ? {} : { protocols }) })
}

/** The page this code runs in: the global scope raises online/offline, the document visibility. */
function globalPage(): PageLifecycleSources {
  const scope = globalThis as Partial<
    PageLifecycleSources['window'] & { document: PageLifecycleSources['document'] }
  >
  if (typeof scope.addEventListener !== 'function') return {} // not a page or worker (e.g. Node)
  const window = scope as NonNullable<PageLifecycleSources['window']>
  return scope.document === undefined ? { window } : { window, document: scope.document }
}
