/**
 * @module NIP-01 filter matching: which events a REQ asks for.
 *
 * A filter matches an event when every condition it names holds; a REQ's filters are alternatives.
 * `limit` does not affect matching: it caps the stored events a query returns.
 */
import type { Filter, NostrEvent } from 'honeybee-node'

/** Whether `event` matches `filter` (ignoring `limit`). */
export function matchFilter(filter: Filter, event: NostrEvent): boolean {
  if (filter.ids !== undefined && !filter.ids.includes(event.id)) return false
  if (filter.authors !== undefined && !filter.authors.includes(event.pubkey)) return false
  if (filter.kinds !== undefined && !filter.kinds.includes(event.kind)) return false
  if (filter.since !== undefined && event.created_at < filter.since) return false
  if (filter.until !== undefined && event.created_at > filter.until) return false
  for (const key of Object.keys(filter)) {
    if (key.length !== 2 || key[0] !== '#') continue
    const wanted = filter[key as `#${string}`]
    if (wanted === undefined) continue
    const name = key[1]
    if (!event.tags.some((tag) => tag[0] === name && tag[1] !== undefined && wanted.includes(tag[1])))
      return false
  }
  return true
}

/**
 * The reason `value` is not a filter this relay can match, or `undefined` when it is one. Matching
 * trusts the shapes checked here (`kinds.includes`, `authors.includes`…), so a filter is checked before
 * it is stored or queried: a peer's `{"authors":5}` must be refused, not crash the relay.
 */
export function filterProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'a filter must be a JSON object'
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string')
  for (const [key, field] of Object.entries(value)) {
    if (key === 'ids' || key === 'authors' || (key.length === 2 && key[0] === '#')) {
      if (!strings(field)) return `${key} must be an array of strings`
    } else if (key === 'kinds') {
      if (!Array.isArray(field) || !field.every((k) => Number.isInteger(k)))
        return 'kinds must be an array of integers'
    } else if (key === 'since' || key === 'until' || key === 'limit') {
      if (!Number.isInteger(field) || (field as number) < 0) return `${key} must be a non-negative integer`
    }
  }
  return undefined
}

/** Whether `event` matches any of `filters`. */
export function matchFilters(filters: readonly Filter[], event: NostrEvent): boolean {
  return filters.some((filter) => matchFilter(filter, event))
}
