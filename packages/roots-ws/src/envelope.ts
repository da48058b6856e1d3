/**
 * @module Envelopes and the helpers every `find*` function is built from.
 *
 * The helpers are public (spec roots-ws ADR 6) so that an application can define envelopes this
 * library does not know, with the same validation and the same errors as the built-in ones.
 *
 * @example A NIP-45 `COUNT` reply parser, from the public helpers alone:
 * ```ts
 * import { checkArrayLength, checkLabel, parseElement, splitEnvelope } from 'roots-ws'
 *
 * function findCount(env: string): { subId: string; count: number } {
 *   const elements = splitEnvelope(env)
 *   checkLabel(parseElement(elements[0], 'label', 'string'), 'COUNT')
 *   checkArrayLength(elements, 3)
 *   const subId = parseElement(elements[1], 'subscription id', 'string')
 *   const { count } = JSON.parse(parseElement(elements[2], 'count object', 'object'))
 *   return { subId, count }
 * }
 * ```
 */
import { RootsError } from './errors.js'
import type { JsonType } from './json-scan.js'
import {
  decodeString,
  type ElementSpan,
  ScanError,
  scanTopLevelArray,
  scanValue,
  skipWhitespace,
  typeAt,
} from './json-scan.js'

export type { JsonType }

/** One WebSocket text frame of the Nostr protocol: a JSON array whose first element is its label. */
export type Envelope = string

/** One top-level element of an envelope, as the exact JSON text that stood there. */
export interface RawElement {
  /** The element's JSON text, exactly as in the envelope (no surrounding whitespace). */
  readonly json: string
  /** Its JSON type. */
  readonly type: JsonType
}

/**
 * Validates `env` in one pass and returns the spans of its top-level elements, the label first.
 * @throws {RootsError} `InvalidJSON` or `InvalidEnvelope`.
 * @internal
 */
export function scanEnvelope(env: Envelope): ElementSpan[] {
  let spans: ElementSpan[] | undefined
  try {
    spans = scanTopLevelArray(env)
  } catch (error) {
    throw toRootsError(error)
  }
  if (spans === undefined) throw new RootsError('InvalidEnvelope', 'envelope is not a JSON array')
  const label = spans[0]
  if (label === undefined) throw new RootsError('InvalidEnvelope', 'envelope is an empty array')
  if (label.type !== 'string')
    throw new RootsError('InvalidEnvelope', `envelope label is a ${label.type}, not a string`)
  return spans
}

/** Turns the scanner's failure into the public error; anything else is a bug and passes through. */
function toRootsError(error: unknown): unknown {
  if (!(error instanceof ScanError)) return error
  return new RootsError('InvalidJSON', `invalid JSON at position ${error.position}: ${error.reason}`)
}

/**
 * Validates a whole envelope and splits it into its top-level elements, the label first.
 *
 * @throws {RootsError} `InvalidJSON` if `env` is not JSON; `InvalidEnvelope` if it is not a
 * non-empty array that starts with a string.
 * @example
 * ```ts
 * splitEnvelope('["COUNT","q",{"count":3}]').map((e) => e.json) // ['"COUNT"', '"q"', '{"count":3}']
 * ```
 */
export function splitEnvelope(env: Envelope): RawElement[] {
  return scanEnvelope(env).map((span) => ({ json: env.slice(span.start, span.end), type: span.type }))
}

/**
 * Checks that an envelope has at least `minLen` elements (its label counts as one).
 * @throws {RootsError} `MissingField` if it has fewer.
 */
export function checkArrayLength(arr: ArrayLike<unknown>, minLen: number): void {
  if (arr.length < minLen) {
    throw new RootsError('MissingField', `envelope has ${arr.length} elements, needs at least ${minLen}`)
  }
}

/**
 * Checks an envelope's label.
 * @throws {RootsError} `WrongEnvelopeLabel` if `got` is not `want`.
 */
export function checkLabel(got: string, want: string): void {
  if (got !== want) {
    throw new RootsError('WrongEnvelopeLabel', `expected a ${want} envelope, got ${JSON.stringify(got)}`)
  }
}

/** What {@link parseElement} returns for each JSON type it is asked for. */
export interface ParsedElement {
  string: string
  number: number
  boolean: boolean
  /** Objects stay raw JSON text (spec roots-ws ADR 2). */
  object: string
  /** Arrays stay raw JSON text (spec roots-ws ADR 2). */
  array: string
}

/**
 * Reads one envelope element as the JSON type the caller expects.
 *
 * Strings, numbers and booleans are decoded; objects and arrays are returned as their raw JSON text.
 *
 * @param element - an element from {@link splitEnvelope} (`undefined` when the envelope is too short)
 * @param position - what the element is, for the error message (e.g. `'subscription id'`)
 * @param type - the JSON type it must have
 * @throws {RootsError} `MissingField` if `element` is `undefined`; `WrongFieldType` if its type differs.
 * @example
 * ```ts
 * const [, id] = splitEnvelope('["CLOSE","sub1"]')
 * parseElement(id, 'subscription id', 'string') // 'sub1'
 * ```
 */
export function parseElement<T extends keyof ParsedElement>(
  element: RawElement | undefined,
  position: string,
  type: T,
): ParsedElement[T] {
  if (element === undefined) throw new RootsError('MissingField', `${position} is missing`)
  // The element may not come from splitEnvelope, so its text is validated again rather than trusted.
  const { json } = element
  const start = skipWhitespace(json, 0)
  const elementType = typeAt(json, start)
  let end: number
  try {
    if (elementType === undefined) throw new ScanError(start, 'value expected')
    end = scanValue(json, start)
    if (skipWhitespace(json, end) !== json.length)
      throw new ScanError(end, 'unexpected text after JSON value')
  } catch (error) {
    throw toRootsError(error)
  }
  return readSpan(json, { start, end, type: elementType }, position, type)
}

/**
 * Reads a scanned span as the JSON type the caller expects; the core of {@link parseElement}.
 * @internal
 */
export function readSpan<T extends keyof ParsedElement>(
  text: string,
  span: ElementSpan | undefined,
  position: string,
  type: T,
): ParsedElement[T] {
  if (span === undefined) throw new RootsError('MissingField', `${position} is missing`)
  if (span.type !== type) {
    throw new RootsError('WrongFieldType', `${position} must be a JSON ${type}, got ${span.type}`)
  }
  return decodeSpan(text, span) as ParsedElement[T]
}

function decodeSpan(text: string, span: ElementSpan): string | number | boolean {
  switch (span.type) {
    case 'string':
      return decodeString(text, span.start, span.end)
    case 'number':
      return Number(text.slice(span.start, span.end))
    case 'boolean':
      return text.charCodeAt(span.start) === 0x74 // t
    default:
      return text.slice(span.start, span.end)
  }
}
