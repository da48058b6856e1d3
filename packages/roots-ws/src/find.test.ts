/**
 * Reading envelopes: exact raw JSON substrings, decoded strings, and every row of the error table for
 * every find* function.
 */
import { describe, expect, it } from 'vitest'
import { expectRootsError } from '../test/expect-roots-error.js'
import type { RootsErrorCode } from './errors.js'
import {
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
} from './find.js'
import type { StandardLabel } from './label.js'

function jsonParseAccepts(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** A string with every escape JSON has, and the literal that encodes it. */
const ESCAPED_LITERAL = '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u00C9\\ud83d\\ude00\\ud800\\u0000"'
const ESCAPED_VALUE = 'a"b\\c/d\b\f\n\r\téÉ😀\ud800\u0000'

describe('findEvent', () => {
  it.each([
    { env: '["EVENT",{"id":"ab","kind":1}]', want: '{"id":"ab","kind":1}' },
    { env: '[ "EVENT" , { "a" : 1 } ]', want: '{ "a" : 1 }' },
    { env: '\n\t["EVENT",\r\n{}\n]\n', want: '{}' },
    {
      env: '["EVENT",{"content":"]}\\"{[,","tags":[["e","x"]]}]',
      want: '{"content":"]}\\"{[,","tags":[["e","x"]]}',
    },
    { env: '["EVENT",{"a":1},"extra",2,null]', want: '{"a":1}' },
    { env: '["\\u0045VENT",{}]', want: '{}' },
    {
      env: '["EVENT",{"n":1e400,"m":1.50,"z":-0,"big":123456789012345678901234567890}]',
      want: '{"n":1e400,"m":1.50,"z":-0,"big":123456789012345678901234567890}',
    },
    { env: '["EVENT",{"__proto__":{"polluted":true}}]', want: '{"__proto__":{"polluted":true}}' },
    {
      env: '["EVENT",{"content":"\ud800 raw, \\udc00 escaped"}]',
      want: '{"content":"\ud800 raw, \\udc00 escaped"}',
    },
  ])('findEvent($env) is $want', ({ env, want }) => {
    expect(findEvent(env)).toBe(want)
  })

  it('does not pollute Object.prototype', () => {
    findEvent('["EVENT",{"__proto__":{"polluted":true}}]')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('returns an event nested 100000 levels deep, as is', () => {
    const event = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    expect(findEvent(`["EVENT",${event}]`)).toBe(event)
  })
})

describe('findSubscriptionEvent', () => {
  it.each([
    { env: '["EVENT","s",{"id":"ab"}]', want: { subId: 's', event: '{"id":"ab"}' } },
    { env: '[ "EVENT" , "s" , { "a" : [ 1 , 2 ] } ]', want: { subId: 's', event: '{ "a" : [ 1 , 2 ] }' } },
    { env: '["EVENT","",{}]', want: { subId: '', event: '{}' } },
    { env: `["EVENT",${ESCAPED_LITERAL},{}]`, want: { subId: ESCAPED_VALUE, event: '{}' } },
    { env: '["EVENT","s\ud800",{}]', want: { subId: 's\ud800', event: '{}' } },
    { env: '["EVENT","s",{"a":1},{"b":2},"more"]', want: { subId: 's', event: '{"a":1}' } },
  ])('findSubscriptionEvent($env) is $want', ({ env, want }) => {
    expect(findSubscriptionEvent(env)).toEqual(want)
  })
})

describe('findReq', () => {
  it.each([
    { env: '["REQ","s"]', want: { subId: 's', filters: [] } },
    { env: '["REQ","s",{}]', want: { subId: 's', filters: ['{}'] } },
    { env: '["REQ","s",{"kinds":[1]}]', want: { subId: 's', filters: ['{"kinds":[1]}'] } },
    {
      env: '[ "REQ" , "feed" , { "kinds" : [ 1 ] } ,\n{"authors":["ab"],"#e":["x"]} ]',
      want: { subId: 'feed', filters: ['{ "kinds" : [ 1 ] }', '{"authors":["ab"],"#e":["x"]}'] },
    },
    { env: `["REQ",${ESCAPED_LITERAL},{}]`, want: { subId: ESCAPED_VALUE, filters: ['{}'] } },
    {
      env: '["REQ","__proto__",{"__proto__":null}]',
      want: { subId: '__proto__', filters: ['{"__proto__":null}'] },
    },
    { env: '["REQ","s",{"limit":1e400}]', want: { subId: 's', filters: ['{"limit":1e400}'] } },
  ])('findReq($env) is $want', ({ env, want }) => {
    expect(findReq(env)).toEqual(want)
  })

  it('returns every one of many filters', () => {
    const filters = Array.from({ length: 200 }, (_, i) => `{"kinds":[${i}]}`)
    expect(findReq(`["REQ","s",${filters.join(' , ')}]`)).toEqual({ subId: 's', filters })
  })
})

describe('findOK', () => {
  it.each([
    { env: '["OK","ab",true,""]', want: { eventId: 'ab', status: true, message: '' } },
    {
      env: '["OK","ab",false,"blocked: spam"]',
      want: { eventId: 'ab', status: false, message: 'blocked: spam' },
    },
    { env: '[ "OK" , "ab" , true , "m" ]', want: { eventId: 'ab', status: true, message: 'm' } },
    {
      env: '["OK","ab",false,"duplicate: \\"x\\""]',
      want: { eventId: 'ab', status: false, message: 'duplicate: "x"' },
    },
    {
      env: `["OK",${ESCAPED_LITERAL},true,${ESCAPED_LITERAL}]`,
      want: { eventId: ESCAPED_VALUE, status: true, message: ESCAPED_VALUE },
    },
    { env: '["OK","ab",true,"",1e400,{"x":[]}]', want: { eventId: 'ab', status: true, message: '' } },
  ])('findOK($env) is $want', ({ env, want }) => {
    expect(findOK(env)).toEqual(want)
  })
})

describe('findEOSE, findClose, findNotice, findAuthChallenge', () => {
  const cases = [
    { name: 'findEOSE', find: findEOSE, label: 'EOSE' },
    { name: 'findClose', find: findClose, label: 'CLOSE' },
    { name: 'findNotice', find: findNotice, label: 'NOTICE' },
    { name: 'findAuthChallenge', find: findAuthChallenge, label: 'AUTH' },
  ]
  const rows = cases.flatMap(({ name, find, label }) =>
    [
      { body: '"s1"', want: 's1' },
      { body: '""', want: '' },
      { body: ' \n"s1"\t', want: 's1' },
      { body: ESCAPED_LITERAL, want: ESCAPED_VALUE },
      { body: '"中文😀\u2028\u007f"', want: '中文😀\u2028\u007f' },
      { body: '"\ud800"', want: '\ud800' },
      { body: '"\\udfff\\ud800"', want: '\udfff\ud800' },
      { body: '"s1",1,{"a":[]},null', want: 's1' },
    ].map(({ body, want }) => ({ name, find, env: `["${label}",${body}]`, want })),
  )

  it.each(rows)('$name($env) is $want', ({ find, env, want }) => {
    expect(find(env)).toBe(want)
  })
})

describe('findClosed', () => {
  it.each([
    { env: '["CLOSED","s","error: bye"]', want: { subId: 's', message: 'error: bye' } },
    { env: '["CLOSED","",""]', want: { subId: '', message: '' } },
    { env: '[ "CLOSED" , "s" , "m" ]', want: { subId: 's', message: 'm' } },
    {
      env: `["CLOSED",${ESCAPED_LITERAL},${ESCAPED_LITERAL}]`,
      want: { subId: ESCAPED_VALUE, message: ESCAPED_VALUE },
    },
    { env: '["CLOSED","s","m",false]', want: { subId: 's', message: 'm' } },
  ])('findClosed($env) is $want', ({ env, want }) => {
    expect(findClosed(env)).toEqual(want)
  })
})

describe('findAuthResponse', () => {
  it.each([
    {
      env: '["AUTH",{"kind":22242,"tags":[["relay","wss://r"],["challenge","c"]]}]',
      want: '{"kind":22242,"tags":[["relay","wss://r"],["challenge","c"]]}',
    },
    { env: '[ "AUTH" , { "kind" : 22242 } ]', want: '{ "kind" : 22242 }' },
    { env: '["AUTH",{},"extra"]', want: '{}' },
  ])('findAuthResponse($env) is $want', ({ env, want }) => {
    expect(findAuthResponse(env)).toBe(want)
  })
})

// ---------------------------------------------------------------------------------------------------
// The error table, for every find* function.

type FieldType = 'string' | 'boolean' | 'object'

interface FindSpec {
  readonly name: string
  readonly find: (env: string) => unknown
  readonly label: StandardLabel
  /** The JSON type of each element after the label. */
  readonly fields: readonly FieldType[]
  /** REQ only: every element after the fields must be an object (a filter). */
  readonly restAreFilters?: true
}

const SPECS: readonly FindSpec[] = [
  { name: 'findEvent', find: findEvent, label: 'EVENT', fields: ['object'] },
  {
    name: 'findSubscriptionEvent',
    find: findSubscriptionEvent,
    label: 'EVENT',
    fields: ['string', 'object'],
  },
  { name: 'findReq', find: findReq, label: 'REQ', fields: ['string'], restAreFilters: true },
  { name: 'findOK', find: findOK, label: 'OK', fields: ['string', 'boolean', 'string'] },
  { name: 'findEOSE', find: findEOSE, label: 'EOSE', fields: ['string'] },
  { name: 'findClose', find: findClose, label: 'CLOSE', fields: ['string'] },
  { name: 'findClosed', find: findClosed, label: 'CLOSED', fields: ['string', 'string'] },
  { name: 'findNotice', find: findNotice, label: 'NOTICE', fields: ['string'] },
  { name: 'findAuthChallenge', find: findAuthChallenge, label: 'AUTH', fields: ['string'] },
  { name: 'findAuthResponse', find: findAuthResponse, label: 'AUTH', fields: ['object'] },
]

const STANDARD_LABELS: readonly StandardLabel[] = [
  'EVENT',
  'REQ',
  'CLOSE',
  'CLOSED',
  'EOSE',
  'NOTICE',
  'OK',
  'AUTH',
]

/** A sample JSON text of each JSON type. */
const SAMPLE = {
  string: '"x"',
  boolean: 'true',
  object: '{"k":[1]}',
  number: '1',
  null: 'null',
  array: '["x"]',
} as const

/** The sample JSON text of each field type, in order. */
const samples = (fields: readonly FieldType[]): string[] => fields.map((f): string => SAMPLE[f])

const envelope = (label: string, elements: readonly string[]): string =>
  `[${[JSON.stringify(label), ...elements].join(',')}]`

interface ErrorRow {
  readonly name: string
  readonly find: (env: string) => unknown
  readonly code: RootsErrorCode
  readonly why: string
  readonly env: string
}

function errorRows(spec: FindSpec): ErrorRow[] {
  const { name, find, label, fields } = spec
  const valid = envelope(label, samples(fields))
  const rows: ErrorRow[] = []
  const add = (code: RootsErrorCode, why: string, env: string): void => {
    rows.push({ name, find, code, why, env })
  }

  // InvalidJSON: anywhere in the text, and it outranks every other error.
  add('InvalidJSON', 'empty text', '')
  add('InvalidJSON', 'whitespace only', ' \n')
  add('InvalidJSON', 'a lone bracket', '[')
  add('InvalidJSON', 'the label alone, unclosed', `["${label}"`)
  add('InvalidJSON', 'the last character cut off', valid.slice(0, -1))
  add('InvalidJSON', 'a trailing comma', `${valid.slice(0, -1)},]`)
  add('InvalidJSON', 'text after the envelope', `${valid} x`)
  add('InvalidJSON', 'a second envelope after it', `${valid}${valid}`)
  add('InvalidJSON', 'a leading BOM', `\ufeff${valid}`)
  add('InvalidJSON', 'a no-break space before it', `\u00a0${valid}`)
  add('InvalidJSON', 'a vertical tab between elements', valid.replace(',', ',\u000b'))
  add('InvalidJSON', 'an unquoted label', `[${label},${valid.slice(label.length + 4)}`)
  add('InvalidJSON', 'a single-quoted label', valid.replace(`"${label}"`, `'${label}'`))
  add('InvalidJSON', 'a raw control character in the label', valid.replace(`"${label}"`, `"${label}\u0001"`))
  add('InvalidJSON', 'a bad escape in the label', valid.replace(`"${label}"`, `"\\${label}"`))
  add('InvalidJSON', 'a leading zero in an extra element', `${valid.slice(0, -1)},01]`)
  add('InvalidJSON', 'a bad extra element', `${valid.slice(0, -1)},{"a":}]`)
  add('InvalidJSON', 'an unclosed string in an extra element', `${valid.slice(0, -1)},"abc]`)
  add('InvalidJSON', 'a trailing comma inside an extra element', `${valid.slice(0, -1)},[1,]]`)
  add('InvalidJSON', 'invalid JSON and a wrong label', `["NOPE",${SAMPLE.object}`)
  add('InvalidJSON', 'invalid JSON and too few elements', `["${label}",]`)
  add('InvalidJSON', 'invalid JSON and not an array', '{"a":}')
  fields.forEach((field, j) => {
    const broken = { string: '"x\u0000"', boolean: 'tru', object: '{"a":1,}' }[field]
    const elements = samples(fields)
    elements[j] = broken
    add('InvalidJSON', `element ${j + 1} (${field}) broken`, envelope(label, elements))
  })

  // InvalidEnvelope: valid JSON, but not a non-empty array that starts with a string.
  for (const env of ['{}', `{"label":"${label}"}`, `"${label}"`, '1', 'true', 'null', '[]', ' [ ] ']) {
    add('InvalidEnvelope', `not an envelope: ${env}`, env)
  }
  for (const first of ['1', 'null', 'true', `["${label}"]`, `{"${label}":1}`]) {
    add('InvalidEnvelope', `first element ${first}`, `[${first},${samples(fields).join(',')}]`)
  }

  // WrongEnvelopeLabel: any other label, and it outranks missing and mistyped fields.
  for (const other of [
    ...STANDARD_LABELS.filter((l) => l !== label),
    'COUNT',
    label.toLowerCase(),
    `${label} `,
    '',
  ]) {
    add('WrongEnvelopeLabel', `label ${JSON.stringify(other)}`, envelope(other, samples(fields)))
  }
  add('WrongEnvelopeLabel', 'another label and nothing else', '["NOPE"]')
  add(
    'WrongEnvelopeLabel',
    'another label and mistyped fields',
    envelope(
      'NOPE',
      fields.map(() => SAMPLE.null),
    ),
  )

  // MissingField: fewer elements than the envelope needs.
  for (let k = 0; k < fields.length; k++) {
    add(
      'MissingField',
      `only ${k} of ${fields.length} fields`,
      envelope(
        label,
        fields.slice(0, k).map((f) => SAMPLE[f]),
      ),
    )
  }

  // MissingField outranks WrongFieldType: the length is checked before any field's type.
  for (let k = 1; k < fields.length; k++) {
    add(
      'MissingField',
      `only ${k} of ${fields.length} fields, all null`,
      envelope(
        label,
        fields.slice(0, k).map(() => SAMPLE.null),
      ),
    )
  }

  // WrongFieldType: each field in turn, as every other JSON type.
  fields.forEach((field, j) => {
    for (const [type, sample] of Object.entries(SAMPLE)) {
      if (type === field) continue
      const elements = samples(fields)
      elements[j] = sample
      add('WrongFieldType', `element ${j + 1} a ${type}, not a ${field}`, envelope(label, elements))
    }
  })
  fields.forEach((field, j) => {
    if (field !== 'object') return
    const elements = samples(fields)
    elements[j] = JSON.stringify(SAMPLE.object)
    add('WrongFieldType', `element ${j + 1} an object encoded as a JSON string`, envelope(label, elements))
  })
  if (spec.restAreFilters) {
    for (const [type, sample] of Object.entries(SAMPLE)) {
      if (type === 'object') continue
      add('WrongFieldType', `a first filter that is a ${type}`, envelope(label, [SAMPLE.string, sample]))
      add(
        'WrongFieldType',
        `a third filter that is a ${type}`,
        envelope(label, [SAMPLE.string, '{}', '{}', sample]),
      )
      add('WrongFieldType', `a ${type} before a filter`, envelope(label, [SAMPLE.string, sample, '{}']))
    }
  }
  return rows
}

describe.each(SPECS)('$name error table', (spec) => {
  const rows = errorRows(spec)

  it('covers every error code', () => {
    expect(new Set(rows.map((r) => r.code))).toEqual(
      new Set(['InvalidJSON', 'InvalidEnvelope', 'WrongEnvelopeLabel', 'MissingField', 'WrongFieldType']),
    )
  })

  it.each(rows)('$code: $why', ({ find, env, code }) => {
    // The table itself: exactly its InvalidJSON rows are text JSON.parse rejects.
    expect(jsonParseAccepts(env)).toBe(code !== 'InvalidJSON')
    const error = expectRootsError(() => find(env), code)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('RootsError')
    expect(error.message).not.toBe('')
  })

  it('reads the valid envelope the table is built from, and ignores extra trailing elements (but REQ)', () => {
    const valid = envelope(spec.label, samples(spec.fields))
    const result = spec.find(valid)
    const extras = spec.restAreFilters ? ['{}', '{"a":1}'] : ['1', '"more"', 'null', '[]', '{}', 'false']
    const extended = spec.find(`${valid.slice(0, -1)},${extras.join(',')}]`)
    if (spec.restAreFilters) {
      expect(result).toEqual({ subId: 'x', filters: [] })
      expect(extended).toEqual({ subId: 'x', filters: ['{}', '{"a":1}'] })
    } else {
      expect(extended).toEqual(result)
    }
  })
})

describe('rows the issue names', () => {
  it.each<{ env: string; find: (env: string) => unknown; code: RootsErrorCode }>([
    { env: '["EVENT","feed"]', find: findSubscriptionEvent, code: 'MissingField' },
    { env: '["EVENT"]', find: findEvent, code: 'MissingField' },
    { env: '["EVENT","s",{}]', find: findEvent, code: 'WrongFieldType' },
    { env: '["EVENT",{}]', find: findSubscriptionEvent, code: 'MissingField' },
    { env: '["EVENT",{},{}]', find: findSubscriptionEvent, code: 'WrongFieldType' },
    { env: '["EVENT",1,{}]', find: findSubscriptionEvent, code: 'WrongFieldType' },
    { env: '["EVENT","s",[]]', find: findSubscriptionEvent, code: 'WrongFieldType' },
    { env: '["EVENT","s","{}"]', find: findSubscriptionEvent, code: 'WrongFieldType' },
    { env: '["OK","ab","true",""]', find: findOK, code: 'WrongFieldType' },
    { env: '["OK","ab",1,""]', find: findOK, code: 'WrongFieldType' },
    { env: '["OK","ab",null,""]', find: findOK, code: 'WrongFieldType' },
    { env: '["OK","ab",true,null]', find: findOK, code: 'WrongFieldType' },
    { env: '["OK","ab",true]', find: findOK, code: 'MissingField' },
    { env: '["OK",1,true,""]', find: findOK, code: 'WrongFieldType' },
    { env: '["REQ"]', find: findReq, code: 'MissingField' },
    { env: '["REQ",1]', find: findReq, code: 'WrongFieldType' },
    { env: '["REQ","s",{},1]', find: findReq, code: 'WrongFieldType' },
    { env: '["REQ","s",{},"{}"]', find: findReq, code: 'WrongFieldType' },
    { env: '["AUTH",{}]', find: findAuthChallenge, code: 'WrongFieldType' },
    { env: '["AUTH","c"]', find: findAuthResponse, code: 'WrongFieldType' },
    { env: '["CLOSED","s"]', find: findClosed, code: 'MissingField' },
    { env: '["CLOSED","s",1]', find: findClosed, code: 'WrongFieldType' },
    { env: '["EOSE",null]', find: findEOSE, code: 'WrongFieldType' },
    { env: '["CLOSE","s"', find: findClose, code: 'InvalidJSON' },
    { env: '["NOTICE","s",]', find: findNotice, code: 'InvalidJSON' },
    { env: '["EOSE","s"] ["EOSE","t"]', find: findEOSE, code: 'InvalidJSON' },
    { env: '["EOSE","s"]\u0000', find: findEOSE, code: 'InvalidJSON' },
    { env: '["CLOSE","s"]', find: findClosed, code: 'WrongEnvelopeLabel' },
    { env: '["CLOSED","s","m"]', find: findClose, code: 'WrongEnvelopeLabel' },
    { env: '["EVENT",{}]', find: findAuthResponse, code: 'WrongEnvelopeLabel' },
    { env: '["AUTH",{}]', find: findEvent, code: 'WrongEnvelopeLabel' },
    { env: '[1,"s"]', find: findEOSE, code: 'InvalidEnvelope' },
    { env: '[]', find: findNotice, code: 'InvalidEnvelope' },
  ])('$env throws $code', ({ env, find, code }) => {
    expectRootsError(() => find(env), code)
  })
})
