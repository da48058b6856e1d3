/**
 * @module When to reconnect after a lost connection (spec honeybee §2): a pure delay function and the
 * {@link ReconnectPolicy} the connection asks before every retry.
 *
 * The policy only answers "how long to wait before retry `attempt`, or give up"; the connection owns
 * the timer (on its injected scheduler) and the attempt counter (reset once a connection has stayed up
 * `stableAfter` ms). mana-ws replaces the policy, for example with a circuit breaker, without touching
 * the connection.
 *
 * With the defaults (1 s initial, ×2, 30 s cap, ±20 % jitter, 5 attempts) the delays before retries
 * 1…6 are about 1, 2, 4, 8, 16 s, then the connection gives up:
 *
 * ```
 * attempt:   1      2      3      4      5      6
 * delay:   1 s    2 s    4 s    8 s   16 s   give up  (each ±20 %)
 * ```
 */
import type { ReconnectConfig } from './config.js'
import type { ConnectionError } from './errors.js'

/**
 * Delay in ms before retry number `attempt` (1-based): the base delay
 * `min(initialDelay * factor^(attempt-1), maxDelay)`, spread by ±`jitter` as
 * `base * (1 + jitter * (2*random - 1))`; a spread above `maxDelay` is reflected below it, so the result
 * never exceeds `maxDelay` yet stays spread at the cap; never negative; rounded to whole ms. Pure.
 *
 * @param attempt - which retry this is, counting from 1.
 * @param random - a number in [0, 1); 0.5 gives the base delay exactly.
 *
 * @example
 * ```ts
 * backoffDelay(3, DEFAULT_CONFIG.reconnect, 0.5) // 4000
 * backoffDelay(3, DEFAULT_CONFIG.reconnect, 0)   // 3200 (4000 − 20 %)
 * backoffDelay(9, DEFAULT_CONFIG.reconnect, 0.5) // 30000 (capped)
 * ```
 */
export function backoffDelay(attempt: number, config: ReconnectConfig, random: number): number {
  const multiplier = 1 + config.jitter * (2 * random - 1)
  // A jitter above 1 can push the multiplier below zero; checking it here also keeps an infinite base
  // (a huge attempt number) away from `Infinity * 0 = NaN`.
  if (!(multiplier > 0)) return 0
  const base = Math.min(config.initialDelay * config.factor ** (attempt - 1), config.maxDelay)
  let delay = base * multiplier
  // Above the cap the spread is reflected below it, so clients that all reached the cap still retry at
  // spread-out times instead of all exactly every maxDelay (a thundering herd).
  if (delay > config.maxDelay) delay = config.maxDelay * (2 - multiplier)
  return delay > 0 ? Math.round(delay) : 0
}

/** Decides whether and when to retry. mana-ws replaces it (e.g. a circuit breaker). */
export interface ReconnectPolicy {
  /** ms to wait before retry `attempt` (1-based) after `error`, or `undefined` to give up. */
  nextDelay(attempt: number, error: ConnectionError): number | undefined
}

/**
 * The default policy: exponential backoff with jitter. It gives up when `config.enabled` is false, when
 * the error is not `retriable` (see `close-codes.ts`), or when `maxAttempts` is above 0 and `attempt`
 * exceeds it; otherwise it waits {@link backoffDelay}`(attempt, config, random())`.
 *
 * @param random - the source of jitter, returning numbers in [0, 1). @default Math.random
 *
 * @example
 * ```ts
 * const policy = exponentialBackoff(resolveConfig().reconnect)
 * policy.nextDelay(1, error) // ~1000 (800…1200) when error.retriable
 * policy.nextDelay(6, error) // undefined: 5 attempts by default
 * ```
 */
export function exponentialBackoff(
  config: ReconnectConfig,
  random: () => number = Math.random,
): ReconnectPolicy {
  // A copy, so a caller that later changes its (mutable) object cannot change a running policy.
  const settings: ReconnectConfig = { ...config }
  return Object.freeze({
    nextDelay(attempt: number, error: ConnectionError): number | undefined {
      if (!settings.enabled || !error.retriable) return undefined
      if (settings.maxAttempts > 0 && attempt > settings.maxAttempts) return undefined
      return backoffDelay(attempt, settings, random())
    },
  })
}
