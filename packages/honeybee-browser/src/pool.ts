/** @module `createPool`: a honeybee pool whose relays connect on the native `WebSocket`, the browser preset of the core's. */
import { createPool as createCorePool, type Pool, type PoolOptions } from 'honeybee'
import { type BrowserConnectOptions, connect } from './connect.js'

/** Options for {@link createPool}: the core's, with `connect` bound to honeybee-browser's `connect`. */
export type BrowserPoolOptions = Omit<PoolOptions, 'connect'> & {
  /** Options for every relay's connection, as `connect(url, options)` takes them. @default {} */
  readonly connection?: BrowserConnectOptions
  /** Makes each relay's connection instead of `connect(url, connection)`. */
  readonly connect?: PoolOptions['connect']
}

/**
 * Creates a pool of relays on the native `WebSocket`. Opens nothing until a pool stream is subscribed
 * or something is sent. Every relay follows the page: back online or visible again, a relay waiting
 * to reconnect reconnects at once.
 * @example
 * ```ts
 * import { createPool } from 'honeybee-browser'
 *
 * const pool = createPool({ relays: ['wss://relay.one', 'wss://relay.two'], connection: { profile: 'persistent' } })
 * pool.statuses$.subscribe((statuses) => render(statuses))
 * pool.subscribe({ kinds: [1], limit: 10 }).subscribe((message) => {
 *   if (message.type === 'event') console.log(message.relay, message.event.content)
 * })
 * ```
 */
export function createPool(options: BrowserPoolOptions = {}): Pool {
  const { connection = {}, connect: connectRelay, ...rest } = options
  return createCorePool({ ...rest, connect: connectRelay ?? ((url) => connect(url, connection)) })
}
