/**
 * @module The pool `req`, `pub` and `watch` connect through, loaded only once the arguments are known
 * to be good (honeybee-node takes most of a command's start-up time).
 */
import type { NodeConnectOptions, Pool } from 'honeybee-node'
import { ArgumentError } from './argument-error.js'

/**
 * A pool of `relays`, each connected with `connection`.
 * @throws {ArgumentError} when the pool refuses a relay URL (honeybee's `UsageError` `InvalidArgument`).
 */
export async function openPool(
  relays: readonly string[],
  connection: NodeConnectOptions = {},
): Promise<Pool> {
  const { createPool, UsageError } = await import('honeybee-node')
  try {
    return createPool({ relays, connection })
  } catch (error) {
    if (error instanceof UsageError && error.code === 'InvalidArgument')
      throw new ArgumentError(error.message)
    throw error
  }
}
