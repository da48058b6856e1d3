/**
 * @module Peeking: reading one or two fields of an envelope without validating or parsing all of it.
 *
 * These are the fast paths a client needs per incoming event: which subscription it belongs to, and
 * its id, so that a duplicate can be dropped before anything parses it (nostr-tools does the same).
 * They read only as far as the fields they need and never throw; when the text does not have the
 * expected shape they return `undefined`, and the caller takes the full, validating `find*` route.
 */
import { decodeString, ScanError, scanString, scanValue, skipWhitespace } from './json-scan.js'

const QUOTE = 0x22
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b

/** Reads the string at `i`; returns its decoded value and the index after it, or undefined. */
function stringAt(text: string, i: number): { value: string; end: number } | undefined {
  if (text.charCodeAt(i) !== QUOTE) return undefined
  const end = scanString(text, i)
  return { value: decodeString(text, i, end), end }
}

/**
 * The value of the top-level string field `key` of the JSON object that starts at `start` in `text`.
 * Other fields are skipped without being decoded. `undefined` when absent or not a string.
 */
function stringField(text: string, start: number, key: string): string | undefined {
  let i = skipWhitespace(text, start)
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined
  i = skipWhitespace(text, i + 1)
  while (text.charCodeAt(i) === QUOTE) {
    const name = stringAt(text, i)
    if (name === undefined) return undefined
    i = skipWhitespace(text, name.end)
    if (text.charCodeAt(i) !== COLON) return undefined
    i = skipWhitespace(text, i + 1)
    if (name.value === key) return stringAt(text, i)?.value
    i = skipWhitespace(text, scanValue(text, i))
    if (text.charCodeAt(i) === CLOSE_BRACE) return undefined
    if (text.charCodeAt(i) !== COMMA) return undefined
    i = skipWhitespace(text, i + 1)
  }
  return undefined
}

/**
 * The `id` of a raw event, read without parsing the event.
 * @example
 * ```ts
 * peekEventId('{"id":"ab12","kind":1}') // 'ab12'
 * ```
 */
export function peekEventId(eventJson: string): string | undefined {
  try {
    return stringField(eventJson, 0, 'id')
  } catch (error) {
    if (error instanceof ScanError) return undefined
    throw error
  }
}

/**
 * The subscription id and event id of a relay's `["EVENT",<subId>,<event>]`, read without validating
 * or parsing the rest. `undefined` if the envelope does not start that way; `eventId` is `undefined`
 * if the event has no string `id`.
 * @example
 * ```ts
 * peekSubscriptionEvent('["EVENT","feed",{"id":"ab12","kind":1}]') // { subId: 'feed', eventId: 'ab12' }
 * ```
 */
export function peekSubscriptionEvent(
  env: string,
): { subId: string; eventId: string | undefined } | undefined {
  try {
    let i = skipWhitespace(env, 0)
    if (env.charCodeAt(i) !== OPEN_BRACKET) return undefined
    const label = stringAt(env, skipWhitespace(env, i + 1))
    if (label?.value !== 'EVENT') return undefined
    i = skipWhitespace(env, label.end)
    if (env.charCodeAt(i) !== COMMA) return undefined
    const subId = stringAt(env, skipWhitespace(env, i + 1))
    if (subId === undefined) return undefined
    i = skipWhitespace(env, subId.end)
    if (env.charCodeAt(i) !== COMMA) return undefined
    return { subId: subId.value, eventId: stringField(env, i + 1, 'id') }
  } catch (error) {
    if (error instanceof ScanError) return undefined
    throw error
  }
}
