/**
 * @module Command-line arguments: `node:util` parseArgs with one-line errors, and the validators every
 * command shares (relay URLs, integers, filters).
 *
 * Every mistake in what the user typed is an `ArgumentError`; `cli.ts` prints its message on one line
 * and exits 2.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { Filter } from 'honeybee-node'
import { ArgumentError, firstSentence } from './argument-error.js'
import { filterProblem } from './relay/filter.js'

/**
 * parseArgs, with its errors (unknown option, missing value…) turned into {@link ArgumentError}s with
 * the first sentence of their message.
 */
export function parseCommandArgs<const T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    throw new ArgumentError(firstSentence(error instanceof Error ? error.message : String(error)))
  }
}

/**
 * The relay URLs among the positionals; at least one, each `ws:` or `wss:` with a host. (The pool
 * checks them again when it is created; this module stays free of the stack so that bad arguments are
 * reported before it loads.)
 */
export function relayUrls(positionals: readonly string[]): string[] {
  if (positionals.length === 0) throw new ArgumentError('give at least one relay URL (ws://… or wss://…)')
  for (const url of positionals) {
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {
      parsed = undefined
    }
    if (
      parsed === undefined ||
      (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') ||
      parsed.hostname === ''
    ) {
      throw new ArgumentError(`${JSON.stringify(url)} is not a relay URL (ws://… or wss://…)`)
    }
  }
  return [...positionals]
}

/** `raw` as an integer in [min, max], or `fallback` when absent. */
export function integerOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ArgumentError(`--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(raw)}`)
  }
  return value
}

/** `raw` as a positive number (decimals allowed), or `undefined` when absent. */
export function positiveNumberOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ArgumentError(`--${name} must be a positive number, not ${JSON.stringify(raw)}`)
  }
  return value
}

/**
 * The filters given as `--filter` values: each a JSON object, or a JSON array of them. Checked the way
 * `honeybee relay` checks them, so a typo is reported here rather than as the relay's CLOSED.
 */
export function filtersOption(raws: readonly string[]): Filter[] {
  const filters: Filter[] = []
  for (const raw of raws) {
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      throw new ArgumentError(
        `bad --filter JSON: ${firstSentence(error instanceof Error ? error.message : String(error))}`,
      )
    }
    for (const filter of Array.isArray(value) ? value : [value]) {
      const problem = filterProblem(filter)
      if (problem !== undefined) throw new ArgumentError(`bad --filter: ${problem}`)
      filters.push(filter as Filter)
    }
  }
  return filters
}
