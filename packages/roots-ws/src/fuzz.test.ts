/**
 * Fuzzing: valid envelopes of every kind, mutated every way we can think of, go through every find*,
 * getLabel and splitEnvelope. What must hold for every input:
 *
 * 1. only a RootsError ever escapes;
 * 2. InvalidJSON is reported exactly when JSON.parse rejects the text;
 * 3. deep nesting does not overflow the stack;
 *
 * and beyond that, every outcome (value or error code) is the one a reference model built on JSON.parse
 * predicts, with raw JSON compared character for character against an independent splitter.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  encloseAuthChallenge,
  encloseAuthResponse,
  encloseClose,
  encloseClosed,
  encloseEOSE,
  encloseEvent,
  encloseNotice,
  encloseOK,
  encloseReq,
  encloseSubscriptionEvent,
  findAuthChallenge,
  findAuthResponse,
  findClose,
  findClosed,
  findEOSE,
  findEvent,
  findNotice,
  findOK,
  findReq,
  findSubscriptionEvent,
  getLabel,
  RootsError,
  type RootsErrorCode,
  splitEnvelope,
} from './index.js'

// ---------------------------------------------------------------------------------------------------
// The reference model.

type FieldType = 'string' | 'boolean' | 'object'
type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array'

interface FindSpec {
  readonly name: string
  /** Calls the find* function and flattens its result into the envelope's field order. */
  readonly read: (env: string) => unknown[]
  readonly label: string
  readonly fields: readonly FieldType[]
  /** REQ only: every element after the fields must be an object. */
  readonly restAreFilters?: true
}

const SPECS: readonly FindSpec[] = [
  { name: 'findEvent', read: (e) => [findEvent(e)], label: 'EVENT', fields: ['object'] },
  {
    name: 'findSubscriptionEvent',
    read: (e) => {
      const r = findSubscriptionEvent(e)
      return [r.subId, r.event]
    },
    label: 'EVENT',
    fields: ['string', 'object'],
  },
  {
    name: 'findReq',
    read: (e) => {
      const r = findReq(e)
      return [r.subId, ...r.filters]
    },
    label: 'REQ',
    fields: ['string'],
    restAreFilters: true,
  },
  {
    name: 'findOK',
    read: (e) => {
      const r = findOK(e)
      return [r.eventId, r.status, r.message]
    },
    label: 'OK',
    fields: ['string', 'boolean', 'string'],
  },
  { name: 'findEOSE', read: (e) => [findEOSE(e)], label: 'EOSE', fields: ['string'] },
  { name: 'findClose', read: (e) => [findClose(e)], label: 'CLOSE', fields: ['string'] },
  {
    name: 'findClosed',
    read: (e) => {
      const r = findClosed(e)
      return [r.subId, r.message]
    },
    label: 'CLOSED',
    fields: ['string', 'string'],
  },
  { name: 'findNotice', read: (e) => [findNotice(e)], label: 'NOTICE', fields: ['string'] },
  { name: 'findAuthChallenge', read: (e) => [findAuthChallenge(e)], label: 'AUTH', fields: ['string'] },
  { name: 'findAuthResponse', read: (e) => [findAuthResponse(e)], label: 'AUTH', fields: ['object'] },
]

type Outcome = { code: RootsErrorCode } | { value: unknown } | { escaped: string }

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value as JsonType
}

/**
 * The top-level elements of `text`, which JSON.parse has accepted as an array, as their exact JSON text.
 * Independent of the scanner: it only tracks strings and depth, which is enough for valid JSON.
 */
function referenceElements(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let inString = false
  let start = -1
  let end = -1
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') {
        inString = false
        end = i + 1
      }
      continue
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue
    if (depth === 1 && (ch === ',' || ch === ']')) {
      if (start >= 0) out.push(text.slice(start, end))
      start = -1
      if (ch === ']') depth = 0
      continue
    }
    if (depth === 1 && start < 0) start = i
    if (ch === '"') inString = true
    else if (ch === '[' || ch === '{') depth++
    else if (ch === ']' || ch === '}') depth--
    end = i + 1
  }
  return out
}

let cache: { text: string; elements: string[] } | undefined

/** referenceElements, remembered for the last text (every find* asks for the same one in turn). */
function cachedReferenceElements(text: string): string[] {
  if (cache?.text !== text) cache = { text, elements: referenceElements(text) }
  return cache.elements
}

type Parsed = { valid: false } | { valid: true; value: unknown }

function parse(text: string): Parsed {
  try {
    return { valid: true, value: JSON.parse(text) as unknown }
  } catch {
    return { valid: false }
  }
}

/** The envelope's elements if `parsed` is an envelope (a non-empty array starting with a string). */
function envelopeOf(parsed: Parsed): unknown[] | undefined {
  if (!parsed.valid) return undefined
  const v = parsed.value
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'string' ? v : undefined
}

/** What a find* function must do with `env`, according to JSON.parse and the error table. */
function expectedFind(spec: FindSpec, env: string, parsed: Parsed): Outcome {
  if (!parsed.valid) return { code: 'InvalidJSON' }
  const elements = envelopeOf(parsed)
  if (elements === undefined) return { code: 'InvalidEnvelope' }
  if (elements[0] !== spec.label) return { code: 'WrongEnvelopeLabel' }
  if (elements.length < 1 + spec.fields.length) return { code: 'MissingField' }
  const count = spec.restAreFilters ? elements.length - 1 : spec.fields.length
  const raw = cachedReferenceElements(env)
  const values: unknown[] = []
  for (let j = 0; j < count; j++) {
    const type = spec.fields[j] ?? 'object'
    const element = elements[j + 1]
    if (jsonTypeOf(element) !== type) return { code: 'WrongFieldType' }
    values.push(type === 'object' ? raw[j + 1] : element)
  }
  return { value: values }
}

/** What a call did: its value, its RootsError's code, or (a failure) anything else it threw. */
function outcome(f: () => unknown): Outcome {
  try {
    return { value: f() }
  } catch (error) {
    if (error instanceof RootsError && error instanceof Error && error.name === 'RootsError') {
      return { code: error.code }
    }
    return { escaped: `${error instanceof Error ? error.name : typeof error}: ${String(error)}` }
  }
}

// The label prefix getLabel reads: `[`, a JSON string, then `,` or `]` (whitespace allowed between).
const LABEL_PREFIX =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw U+0000–U+001F in strings
  /^[ \t\n\r]*\[[ \t\n\r]*("(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")[ \t\n\r]*[,\]]/

/** Counts which outcomes the fuzzing reached, so that a test can prove it covered them all. */
type Seen = Map<string, number>

function note(seen: Seen | undefined, key: string): void {
  if (seen) seen.set(key, (seen.get(key) ?? 0) + 1)
}

/**
 * Asserts that two outcomes are equal. Outcomes hold only strings, booleans, arrays and plain objects,
 * and JSON.stringify is one-to-one on those (it escapes lone surrogates), so comparing the texts is
 * exact; `expect` runs only on a mismatch, for its message, which keeps thousands of checks fast.
 */
function expectSame(got: Outcome, want: Outcome, what: () => string): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, what()).toEqual(want)
}

/** Checks every invariant of every reading function on one input. */
function checkEverything(env: string, seen?: Seen): void {
  const parsed = parse(env)
  const elements = envelopeOf(parsed)
  const shown = (): string => JSON.stringify(env.length > 300 ? `${env.slice(0, 300)}…` : env)

  for (const spec of SPECS) {
    const got = outcome(() => spec.read(env))
    // (1) Only RootsError escapes.
    if ('escaped' in got) expect.fail(`${spec.name}(${shown()}) threw ${got.escaped}`)
    // (2) InvalidJSON exactly when JSON.parse rejects the text.
    const invalidJson = 'code' in got && got.code === 'InvalidJSON'
    if (invalidJson === parsed.valid) {
      expect.fail(
        `${spec.name}(${shown()}): ${JSON.stringify(got)}, but JSON.parse ${parsed.valid ? 'accepts' : 'rejects'} it`,
      )
    }
    // And the rest of the model: the other codes, and the values.
    expectSame(got, expectedFind(spec, env, parsed), () => `${spec.name}(${shown()})`)
    note(seen, 'code' in got ? got.code : 'value')
  }

  const split = outcome(() => splitEnvelope(env))
  if (!parsed.valid) expectSame(split, { code: 'InvalidJSON' }, () => `splitEnvelope(${shown()})`)
  else if (elements === undefined)
    expectSame(split, { code: 'InvalidEnvelope' }, () => `splitEnvelope(${shown()})`)
  else {
    const want = referenceElements(env).map((json, i) => ({ json, type: jsonTypeOf(elements[i]) }))
    expectSame(split, { value: want }, () => `splitEnvelope(${shown()})`)
  }

  // getLabel returns the label whenever one can be read at the front, whatever follows; otherwise
  // full validation decides the code.
  const label = outcome(() => getLabel(env))
  const prefix = LABEL_PREFIX.exec(env)
  if (prefix?.[1] !== undefined) {
    expectSame(label, { value: JSON.parse(prefix[1]) }, () => `getLabel(${shown()})`)
    if (elements !== undefined) expectSame(label, { value: elements[0] }, () => `getLabel(${shown()})`)
  } else {
    expect(elements, `a valid envelope without a label prefix: ${shown()}`).toBeUndefined()
    expectSame(
      label,
      { code: parsed.valid ? 'InvalidEnvelope' : 'InvalidJSON' },
      () => `getLabel(${shown()})`,
    )
  }
}

// ---------------------------------------------------------------------------------------------------
// Seeds: valid envelopes of every kind.

const SEEDS: readonly string[] = [
  encloseEvent('{"id":"ab","pubkey":"cd","kind":1,"tags":[["e","x"],["p","y"]],"content":"hi","sig":"00"}'),
  encloseSubscriptionEvent('sub:1', '{"id":"ab","kind":1,"content":"a\\"b\\\\c\\u00e9","tags":[]}'),
  encloseReq('feed', ['{"kinds":[1],"limit":10}', '{"authors":["ab"],"#e":["x"],"since":1700000000}']),
  encloseReq('empty', []),
  encloseOK('ab12', true, ''),
  encloseOK('ab12', false, 'blocked: "spam"'),
  encloseEOSE('sub1'),
  encloseClose('sub1'),
  encloseClosed('sub1', 'error: shutting down'),
  encloseNotice('hello\nworld \ud83d\ude00 \ud800'),
  encloseAuthChallenge('challenge-\u0000-1'),
  encloseAuthResponse('{"kind":22242,"tags":[["relay","wss://r"],["challenge","c"]],"content":""}'),
  '[ "EVENT" , "s" , { "a" : [ 1 , -2.5e+3 , true , false , null ] } ]',
  '\n["OK",\t"id",\rtrue,\n"m",\n1e400,{"x":{}}]\n',
  '["REQ","s",{"ids":["\\ud800"]},{}]',
  '["COUNT","q",{"count":3}]',
  '["EVENT",{"__proto__":{"polluted":true},"n":123456789012345678901234567890}]',
  '["\\u0045OSE","s"]',
]

const DEEP = 100_000
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`
const deepObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`

/** Hand-picked hostile inputs: each is checked against every invariant, and some against a code. */
const HOSTILE: readonly { name: string; env: string; findEvent?: RootsErrorCode | string }[] = [
  // Deep nesting.
  { name: '100000 open brackets', env: '['.repeat(DEEP), findEvent: 'InvalidJSON' },
  { name: '100000 nested arrays', env: deepArray, findEvent: 'InvalidEnvelope' },
  {
    name: 'an event with 100000 nested arrays',
    env: `["EVENT",{"a":${deepArray}}]`,
    findEvent: `{"a":${deepArray}}`,
  },
  { name: 'an event with 100000 nested objects', env: `["EVENT",${deepObject}]`, findEvent: deepObject },
  {
    name: 'an event with 100000 unclosed arrays',
    env: `["EVENT",{"a":${'['.repeat(DEEP)}}]`,
    findEvent: 'InvalidJSON',
  },
  {
    name: 'an event with 100000 mismatched brackets',
    env: `["EVENT",{"a":${'['.repeat(DEEP)}${'}'.repeat(DEEP)}}]`,
    findEvent: 'InvalidJSON',
  },
  { name: 'a 100000-deep array after an event', env: `["EVENT",{},${deepArray}]`, findEvent: '{}' },
  {
    name: 'a 10000-deep array as an event',
    env: `["EVENT",${deepArray.slice(90_000, -90_000)}]`,
    findEvent: 'WrongFieldType',
  },
  { name: 'a REQ with a 100000-deep filter', env: `["REQ","s",${deepObject}]` },
  {
    name: '100000 open braces after a label',
    env: `["EVENT",${'{"a":'.repeat(DEEP)}`,
    findEvent: 'InvalidJSON',
  },
  // Huge numbers.
  {
    name: '1e400 in an event',
    env: '["EVENT",{"n":1e400,"m":-1e400,"e":1e-400}]',
    findEvent: '{"n":1e400,"m":-1e400,"e":1e-400}',
  },
  {
    name: 'a 400-digit integer in an event',
    env: `["EVENT",{"n":${'9'.repeat(400)}}]`,
    findEvent: `{"n":${'9'.repeat(400)}}`,
  },
  {
    name: 'a 400-digit fraction in an event',
    env: `["EVENT",{"n":-0.${'1'.repeat(400)}E+${'9'.repeat(400)}}]`,
  },
  { name: '1e400 as an OK status', env: '["OK","id",1e400,""]' },
  { name: '1e400 as a sub id', env: '["EOSE",1e400]' },
  { name: '1e400 as a label', env: '[1e400,"s"]', findEvent: 'InvalidEnvelope' },
  { name: 'a 400-digit extra element', env: `["OK","id",true,"m",${'1'.repeat(400)}]` },
  { name: 'a 400-digit integer with a leading zero', env: `["OK","id",true,"m",0${'1'.repeat(400)}]` },
  // Lone surrogates, raw and escaped.
  { name: 'a raw lone high surrogate in a message', env: '["NOTICE","\ud800"]' },
  { name: 'a raw lone low surrogate in a message', env: '["NOTICE","a\udc00b"]' },
  { name: 'an escaped lone surrogate in a message', env: '["NOTICE","\\ud800"]' },
  { name: 'escaped reversed surrogates in an id', env: '["CLOSED","\\udc00\\ud800","\\udbff"]' },
  {
    name: 'a raw lone surrogate in an event',
    env: '["EVENT",{"content":"\udfff"}]',
    findEvent: '{"content":"\udfff"}',
  },
  { name: 'a raw lone surrogate as a label', env: '["\ud800",{}]', findEvent: 'WrongEnvelopeLabel' },
  { name: 'a raw lone surrogate outside a string', env: '["EVENT",{}\ud800]', findEvent: 'InvalidJSON' },
  { name: 'a truncated \\u escape', env: '["NOTICE","\\ud8"]' },
  // __proto__ and friends.
  {
    name: '__proto__ in an event',
    env: '["EVENT",{"__proto__":{"polluted":1}}]',
    findEvent: '{"__proto__":{"polluted":1}}',
  },
  { name: '__proto__ as a label', env: '["__proto__",{}]', findEvent: 'WrongEnvelopeLabel' },
  {
    name: '__proto__ as a sub id',
    env: '["REQ","__proto__",{"__proto__":null},{"constructor":{"prototype":{}}}]',
  },
  { name: 'constructor as a label', env: '["constructor","s"]' },
  { name: 'toString as a label', env: '["toString","s"]' },
  // Control characters.
  ...Array.from({ length: 32 }, (_, c) => ({
    name: `raw U+${c.toString(16).padStart(4, '0')} in a string`,
    env: `["EVENT",{"content":"a${String.fromCharCode(c)}b"}]`,
    findEvent: 'InvalidJSON',
  })),
  ...Array.from({ length: 32 }, (_, c) => ({
    name: `escaped U+${c.toString(16).padStart(4, '0')} in a message`,
    env: `["NOTICE","a\\u${c.toString(16).padStart(4, '0')}b"]`,
  })),
  { name: 'raw DEL in a string', env: '["NOTICE","\u007f"]' },
  { name: 'raw U+2028 and U+2029 in a string', env: '["NOTICE","\u2028\u2029"]' },
  { name: 'U+2028 between elements', env: '["NOTICE",\u2028"m"]' },
  { name: 'a vertical tab between elements', env: '["NOTICE",\u000b"m"]' },
  { name: 'a form feed between elements', env: '["NOTICE",\u000c"m"]' },
  { name: 'NUL after the envelope', env: '["NOTICE","m"]\u0000' },
  // BOM.
  { name: 'a leading BOM', env: '\ufeff["EVENT",{}]', findEvent: 'InvalidJSON' },
  { name: 'a trailing BOM', env: '["EVENT",{}]\ufeff', findEvent: 'InvalidJSON' },
  { name: 'a BOM between elements', env: '["EVENT",\ufeff{}]', findEvent: 'InvalidJSON' },
  { name: 'a BOM inside a string', env: '["NOTICE","\ufeff"]' },
  // Trailing commas.
  { name: 'a trailing comma in the envelope', env: '["EOSE","s",]' },
  { name: 'a trailing comma in an event', env: '["EVENT",{"a":1,}]', findEvent: 'InvalidJSON' },
  { name: 'a trailing comma in a tag', env: '["EVENT",{"tags":[["e","x",]]}]', findEvent: 'InvalidJSON' },
  { name: 'a trailing comma in a filter', env: '["REQ","s",{"ids":["a",]}]' },
  { name: 'a trailing comma after an OK', env: '["OK","id",true,"",]' },
  { name: 'a leading comma', env: '[,"EOSE","s"]' },
  { name: 'a double comma', env: '["EOSE",,"s"]' },
  // Leading zeros and other bad numbers.
  { name: 'a leading zero in an extra element', env: '["OK","id",true,"",01]' },
  { name: 'a leading zero in an event', env: '["EVENT",{"kind":01}]', findEvent: 'InvalidJSON' },
  { name: 'a negative leading zero', env: '["EVENT",{"kind":-01}]', findEvent: 'InvalidJSON' },
  { name: 'a bare minus', env: '["EVENT",{"kind":-}]', findEvent: 'InvalidJSON' },
  { name: 'a trailing dot', env: '["EVENT",{"kind":1.}]', findEvent: 'InvalidJSON' },
  { name: 'a leading dot', env: '["EVENT",{"kind":.1}]', findEvent: 'InvalidJSON' },
  { name: 'a plus sign', env: '["EVENT",{"kind":+1}]', findEvent: 'InvalidJSON' },
  { name: 'hex', env: '["EVENT",{"kind":0x1}]', findEvent: 'InvalidJSON' },
  { name: 'NaN', env: '["EVENT",{"kind":NaN}]', findEvent: 'InvalidJSON' },
  { name: 'Infinity', env: '["EVENT",{"kind":Infinity}]', findEvent: 'InvalidJSON' },
  {
    name: 'good zeros',
    env: '["EVENT",{"a":0,"b":-0,"c":0.0,"d":0e0,"e":-0E-0}]',
    findEvent: '{"a":0,"b":-0,"c":0.0,"d":0e0,"e":-0E-0}',
  },
  // Other near misses.
  { name: 'single quotes', env: "['EVENT',{}]", findEvent: 'InvalidJSON' },
  { name: 'a comment', env: '["EVENT",/* c */{}]', findEvent: 'InvalidJSON' },
  { name: 'an unquoted key', env: '["EVENT",{a:1}]', findEvent: 'InvalidJSON' },
  { name: 'capitalized true', env: '["OK","id",True,""]' },
  { name: 'two envelopes', env: '["EOSE","a"]["EOSE","b"]' },
  { name: 'empty text', env: '' },
  { name: 'whitespace only', env: ' \t\r\n' },
]

describe('hostile inputs', () => {
  it.each(HOSTILE)('$name', ({ env, findEvent: want }) => {
    checkEverything(env)
    if (want === undefined) return
    const codes: readonly string[] = [
      'InvalidJSON',
      'InvalidEnvelope',
      'WrongEnvelopeLabel',
      'MissingField',
      'WrongFieldType',
    ]
    expect(outcome(() => findEvent(env))).toEqual(codes.includes(want) ? { code: want } : { value: want })
  })
})

describe('mutated envelopes', () => {
  it('truncated at every position', () => {
    const seen: Seen = new Map()
    for (const seed of SEEDS) {
      for (let i = 0; i <= seed.length; i++) checkEverything(seed.slice(0, i), seen)
    }
    expect(seen.get('InvalidJSON')).toBeGreaterThan(0)
    expect(seen.get('value')).toBeGreaterThan(0)
  })

  it('with one character flipped, inserted or deleted at every position', () => {
    const seen: Seen = new Map()
    const chars = ['"', ',', ']', '\\', '0', '\ud800']
    for (const seed of [SEEDS[1], SEEDS[2], SEEDS[5], SEEDS[13]].filter((x) => x !== undefined)) {
      for (let i = 0; i < seed.length; i++) {
        checkEverything(seed.slice(0, i) + seed.slice(i + 1), seen)
        for (const c of chars) {
          checkEverything(seed.slice(0, i) + c + seed.slice(i + 1), seen)
          checkEverything(seed.slice(0, i) + c + seed.slice(i), seen)
        }
      }
    }
    expect(seen.get('InvalidJSON')).toBeGreaterThan(0)
    expect(seen.get('value')).toBeGreaterThan(0)
  })

  // Character-level edits: mostly invalid JSON, near the boundary of valid.
  const interesting = fc.constantFrom(
    ...'[]{}",:\\ \t\n\r0123456789-+.eEtrufalsnx/'.split(''),
    '\u0000',
    '\u001f',
    '\u007f',
    '\u000b',
    '\u00a0',
    '\u2028',
    '\ufeff',
    '\ud800',
    '\udc00',
    '\\u',
    '\\ud800',
    '\\u00',
    'true',
    'null',
    'false',
    '1e400',
    '01',
    '-0',
    '""',
    '{}',
    '[]',
    '[[',
    ']]',
    ',]',
    '"__proto__"',
  )
  const charEdit = fc.record({
    op: fc.constantFrom('replace', 'insert', 'delete', 'truncate', 'duplicate', 'swap'),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 8 }),
    text: fc.oneof(
      { weight: 3, arbitrary: interesting },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
    ),
  })

  // Element-level edits: valid JSON with wrong labels, missing, extra and mistyped elements.
  const elementEdit = fc.record({
    op: fc.constantFrom('replace', 'drop', 'append', 'label'),
    at: fc.nat(),
    json: fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc.constantFrom(
        '"EVENT"',
        '"REQ"',
        '"OK"',
        '"AUTH"',
        '"CLOSED"',
        '{}',
        '[]',
        'null',
        'true',
        '1e400',
        '"\\ud800"',
      ),
    ),
  })

  function applyCharEdit(text: string, edit: { op: string; at: number; len: number; text: string }): string {
    const i = edit.at % (text.length + 1)
    switch (edit.op) {
      case 'replace':
        return text.slice(0, i) + edit.text + text.slice(i + 1)
      case 'insert':
        return text.slice(0, i) + edit.text + text.slice(i)
      case 'delete':
        return text.slice(0, i) + text.slice(i + edit.len)
      case 'truncate':
        return text.slice(0, i)
      case 'duplicate':
        return text.slice(0, i + edit.len) + text.slice(i)
      default: {
        // swap two neighbouring runs
        const a = text.slice(i, i + edit.len)
        const b = text.slice(i + edit.len, i + 2 * edit.len)
        return text.slice(0, i) + b + a + text.slice(i + 2 * edit.len)
      }
    }
  }

  function applyElementEdit(env: string, edit: { op: string; at: number; json: string }): string {
    const parsed = parse(env)
    if (!parsed.valid || !Array.isArray(parsed.value)) return env
    const elements = referenceElements(env)
    const i = elements.length === 0 ? 0 : edit.at % elements.length
    if (edit.op === 'replace') elements[i] = edit.json
    else if (edit.op === 'drop') elements.splice(i, 1)
    else if (edit.op === 'append') elements.push(edit.json)
    else elements[0] = edit.json
    return `[${elements.join(',')}]`
  }

  it('with random character and element edits, every outcome is the reference model', () => {
    const seen: Seen = new Map()
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(elementEdit, { maxLength: 2 }),
        fc.array(charEdit, { maxLength: 3 }),
        (seed, elementEdits, charEdits) => {
          let env = seed
          for (const edit of elementEdits) env = applyElementEdit(env, edit)
          for (const edit of charEdits) env = applyCharEdit(env, edit)
          checkEverything(env, seen)
        },
      ),
      { numRuns: 1500 },
    )
    // The fuzzing reached every outcome, so the checks above were not vacuous.
    for (const key of [
      'value',
      'InvalidJSON',
      'InvalidEnvelope',
      'WrongEnvelopeLabel',
      'MissingField',
      'WrongFieldType',
    ]) {
      expect(seen.get(key), key).toBeGreaterThan(0)
    }
  })

  it('arbitrary JSON texts and arbitrary strings are classified like JSON.parse classifies them', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json({ maxDepth: 3 }),
          fc.array(fc.json({ maxDepth: 2 }), { maxLength: 5 }).map((xs) => `[${xs.join(',')}]`),
          fc
            .tuple(
              fc.constantFrom(...SPECS.map((s) => s.label)),
              fc.array(fc.json({ maxDepth: 2 }), { maxLength: 4 }),
            )
            .map(([label, xs]) => `[${[JSON.stringify(label), ...xs].join(',')}]`),
          fc.string({ unit: 'binary-ascii' }),
        ),
        (env) => {
          checkEverything(env)
        },
      ),
      { numRuns: 600 },
    )
  })
})

describe('the reference model itself', () => {
  it('splits top-level elements exactly', () => {
    expect(referenceElements('[ "a\\"]" , {"b":[1,"]"]} ,[ ], 3 ]')).toEqual([
      '"a\\"]"',
      '{"b":[1,"]"]}',
      '[ ]',
      '3',
    ])
    expect(referenceElements('[]')).toEqual([])
    expect(referenceElements(' [ ] ')).toEqual([])
    expect(referenceElements('["\\\\",1]')).toEqual(['"\\\\"', '1'])
  })

  it('finds the label prefix getLabel reads', () => {
    expect(LABEL_PREFIX.exec(' [ "E\\u0056" ,')?.[1]).toBe('"E\\u0056"')
    expect(LABEL_PREFIX.exec('["E"]')?.[1]).toBe('"E"')
    expect(LABEL_PREFIX.exec('["E"')).toBeNull()
    expect(LABEL_PREFIX.exec('["E\\x",')).toBeNull()
    expect(LABEL_PREFIX.exec('["E\u0001",')).toBeNull()
  })

  it('detects an escaping non-RootsError', () => {
    expect(
      outcome(() => {
        throw new TypeError('boom')
      }),
    ).toEqual({ escaped: 'TypeError: TypeError: boom' })
    expect(
      outcome(() => {
        throw new RangeError('Maximum call stack size exceeded')
      }),
    ).not.toEqual({ code: 'InvalidJSON' })
  })
})
