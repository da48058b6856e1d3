/** @module `createPool`: a honeybee pool whose relays connect on `ws`, the Node preset of the core's. */
import { createPool as createCorePool, type Pool, type PoolOptions } from 'honeybee'
import { connect, type NodeConnectOptions } from './connect.js'

/** Options for {@link createPool}: the core's, with `connect` bound to honeybee-node's `connect`. */
export type NodePoolOptions = Omit<PoolOptions, 'connect'> & {
  /** Options for every relay's connection, as `connect(url, options)` takes them. @default {} */
  readonly connection?: NodeConnectOptions
  /** Makes each relay's connection instead of `connect(url, connection)`. */
  readonly connect?: PoolOptions['connect']
}

/**
 * Creates a pool of relays on `ws`. Opens nothing until a pool stream is subscribed or something is
 * sent. A relay that is down for long goes to status `error` after `reconnect.maxAttempts`; pass
 * `connection: { profile: 'persistent' }` for a pool that never gives up on a relay.
 * @example
 * ```ts
 * import { createPool } from 'honeybee-node'
 *
 * const pool = createPool({ relays: ['wss://relay.one', 'wss://relay.two'], connection: { profile: 'persistent' } })
 * pool.subscribe({ kinds: [1], limit: 10 }).subscribe((message) => {
 *   if (message.type === 'event') console.log(message.relay, message.event.content)
 * })
 * pool.publish(signedEvent).subscribe(({ relay, accepted }) => console.log(relay, accepted))
 * ```
 */
export function createPool(options: NodePoolOptions = {}): Pool {
  const { connection = {}, connect: connectRelay, ...rest } = options
  return createCorePool({ ...rest, connect: connectRelay ?? ((url) => connect(url, connection)) })
}
