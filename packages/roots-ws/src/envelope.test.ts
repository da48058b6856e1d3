/**
 * The public envelope helpers (splitEnvelope, checkArrayLength, checkLabel, parseElement), and the
 * NIP-45 COUNT reader an application builds from them alone.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { expectRootsError } from '../test/expect-roots-error.js'
import {
  checkArrayLength,
  checkLabel,
  type JsonType,
  type ParsedElement,
  parseElement,
  type RawElement,
  splitEnvelope,
} from './envelope.js'
import type { RootsErrorCode } from './errors.js'

describe('splitEnvelope', () => {
  it.each<{ env: string; want: RawElement[] }>([
    { env: '["EOSE"]', want: [{ json: '"EOSE"', type: 'string' }] },
    {
      env: '["COUNT","q",{"count":3}]',
      want: [
        { json: '"COUNT"', type: 'string' },
        { json: '"q"', type: 'string' },
        { json: '{"count":3}', type: 'object' },
      ],
    },
    {
      env: ' \n[ "X" ,\t1 , -2.5e-3 , true , false , null , [ 1 , [ ] ] , { "a" : { } } , "\\u0041" ]\r\n',
      want: [
        { json: '"X"', type: 'string' },
        { json: '1', type: 'number' },
        { json: '-2.5e-3', type: 'number' },
        { json: 'true', type: 'boolean' },
        { json: 'false', type: 'boolean' },
        { json: 'null', type: 'null' },
        { json: '[ 1 , [ ] ]', type: 'array' },
        { json: '{ "a" : { } }', type: 'object' },
        { json: '"\\u0041"', type: 'string' },
      ],
    },
    {
      env: '["X",1e400,"\ud800",{"__proto__":null}]',
      want: [
        { json: '"X"', type: 'string' },
        { json: '1e400', type: 'number' },
        { json: '"\ud800"', type: 'string' },
        { json: '{"__proto__":null}', type: 'object' },
      ],
    },
  ])('splits $env', ({ env, want }) => {
    expect(splitEnvelope(env)).toEqual(want)
  })

  it.each<{ env: string; code: RootsErrorCode }>([
    { env: '', code: 'InvalidJSON' },
    { env: '[', code: 'InvalidJSON' },
    { env: '["COUNT"', code: 'InvalidJSON' },
    { env: '["COUNT",]', code: 'InvalidJSON' },
    { env: '["COUNT"]x', code: 'InvalidJSON' },
    { env: '["COUNT",{"a":01}]', code: 'InvalidJSON' },
    { env: '\ufeff["COUNT"]', code: 'InvalidJSON' },
    { env: '[1,]', code: 'InvalidJSON' },
    { env: '{', code: 'InvalidJSON' },
    { env: '{}', code: 'InvalidEnvelope' },
    { env: '"COUNT"', code: 'InvalidEnvelope' },
    { env: '0', code: 'InvalidEnvelope' },
    { env: '[]', code: 'InvalidEnvelope' },
    { env: '[1]', code: 'InvalidEnvelope' },
    { env: '[null,"COUNT"]', code: 'InvalidEnvelope' },
    { env: '[["COUNT"]]', code: 'InvalidEnvelope' },
    { env: '[{}]', code: 'InvalidEnvelope' },
    { env: '[false]', code: 'InvalidEnvelope' },
  ])('splitEnvelope($env) throws $code', ({ env, code }) => {
    expectRootsError(() => splitEnvelope(env), code)
  })
})

describe('checkArrayLength', () => {
  it.each<{ arr: ArrayLike<unknown>; min: number }>([
    { arr: [], min: 0 },
    { arr: ['a'], min: 1 },
    { arr: ['a', 'b'], min: 1 },
    { arr: ['a', 'b', 'c'], min: 3 },
    { arr: 'abc', min: 3 },
    { arr: { length: 5 }, min: 5 },
  ])('accepts length $arr.length for minimum $min', ({ arr, min }) => {
    expect(() => checkArrayLength(arr, min)).not.toThrow()
  })

  it.each<{ arr: ArrayLike<unknown>; min: number }>([
    { arr: [], min: 1 },
    { arr: ['a'], min: 2 },
    { arr: ['a', 'b'], min: 3 },
    { arr: ['a', 'b', 'c'], min: 4 },
    { arr: 'abc', min: 4 },
    { arr: { length: 0 }, min: 1 },
  ])('refuses length $arr.length for minimum $min with MissingField', ({ arr, min }) => {
    const error = expectRootsError(() => checkArrayLength(arr, min), 'MissingField')
    expect(error.message).toContain(String(min))
  })
})

describe('checkLabel', () => {
  it.each([
    { got: 'EVENT', want: 'EVENT' },
    { got: 'COUNT', want: 'COUNT' },
    { got: '', want: '' },
    { got: '\ud800', want: '\ud800' },
  ])('accepts $got for $want', ({ got, want }) => {
    expect(() => checkLabel(got, want)).not.toThrow()
  })

  it.each([
    { got: 'event', want: 'EVENT' },
    { got: 'EVENT ', want: 'EVENT' },
    { got: 'EVENTS', want: 'EVENT' },
    { got: 'CLOSED', want: 'CLOSE' },
    { got: '', want: 'EVENT' },
    { got: 'EVENT', want: '' },
    { got: 'EVENT\u0000', want: 'EVENT' },
  ])('refuses $got for $want with WrongEnvelopeLabel', ({ got, want }) => {
    expectRootsError(() => checkLabel(got, want), 'WrongEnvelopeLabel')
  })
})

describe('parseElement', () => {
  it.each<{ json: string; type: keyof ParsedElement; want: unknown }>([
    { json: '"sub1"', type: 'string', want: 'sub1' },
    { json: '""', type: 'string', want: '' },
    { json: '"a\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00"', type: 'string', want: 'a"b\\c/\né😀' },
    { json: '"\\ud800"', type: 'string', want: '\ud800' },
    { json: '"\ud800"', type: 'string', want: '\ud800' },
    { json: ' \t"padded"\n', type: 'string', want: 'padded' },
    { json: '42', type: 'number', want: 42 },
    { json: '-1.5e2', type: 'number', want: -150 },
    { json: '1e400', type: 'number', want: Number.POSITIVE_INFINITY },
    { json: '-1e400', type: 'number', want: Number.NEGATIVE_INFINITY },
    { json: '1e-400', type: 'number', want: 0 },
    { json: '9'.repeat(400), type: 'number', want: Number.POSITIVE_INFINITY },
    { json: '9007199254740993', type: 'number', want: 9007199254740992 },
    { json: 'true', type: 'boolean', want: true },
    { json: 'false', type: 'boolean', want: false },
    { json: '{"count":42}', type: 'object', want: '{"count":42}' },
    { json: ' { "a" : [ 1 ] } ', type: 'object', want: '{ "a" : [ 1 ] }' },
    { json: '{"n":1e400,"big":1.50}', type: 'object', want: '{"n":1e400,"big":1.50}' },
    { json: '[1,"a",{}]', type: 'array', want: '[1,"a",{}]' },
    { json: '[ ]', type: 'array', want: '[ ]' },
  ])('parseElement($json, $type) is $want', ({ json, type, want }) => {
    expect(parseElement({ json, type: 'string' }, 'element', type)).toEqual(want)
  })

  it('decodes -0 as -0', () => {
    expect(Object.is(parseElement({ json: '-0', type: 'number' }, 'n', 'number'), -0)).toBe(true)
  })

  it.each([
    '123456789'.repeat(45).slice(0, 400),
    `-${'123456789'.repeat(45).slice(0, 300)}`,
    `0.${'3'.repeat(400)}`,
    `1${'0'.repeat(300)}e-300`,
  ])('decodes the long number %s as JSON.parse does', (json) => {
    expect(parseElement({ json, type: 'number' }, 'n', 'number')).toBe(JSON.parse(json))
  })

  it('returns the type asked for', () => {
    const element: RawElement = { json: '1', type: 'number' }
    // Checked by the type checker only; the calls are never made.
    expectTypeOf(() => parseElement(element, 'x', 'string')).returns.toEqualTypeOf<string>()
    expectTypeOf(() => parseElement(element, 'x', 'number')).returns.toEqualTypeOf<number>()
    expectTypeOf(() => parseElement(element, 'x', 'boolean')).returns.toEqualTypeOf<boolean>()
    expectTypeOf(() => parseElement(element, 'x', 'object')).returns.toEqualTypeOf<string>()
    expectTypeOf(() => parseElement(element, 'x', 'array')).returns.toEqualTypeOf<string>()
    expect(parseElement(element, 'x', 'number')).toBe(1)
    expectTypeOf<RawElement['type']>().toEqualTypeOf<JsonType>()
  })

  it('takes an element from splitEnvelope', () => {
    const [label, id, count] = splitEnvelope('["COUNT", "q\\u0031" , {"count":7} ]')
    expect(parseElement(label, 'label', 'string')).toBe('COUNT')
    expect(parseElement(id, 'subscription id', 'string')).toBe('q1')
    expect(parseElement(count, 'count', 'object')).toBe('{"count":7}')
  })

  it('throws MissingField for a missing element, naming it', () => {
    const error = expectRootsError(() => parseElement(undefined, 'subscription id', 'string'), 'MissingField')
    expect(error.message).toContain('subscription id')
  })

  // The element's type is read from its JSON text, not trusted from the `type` field.
  it.each<{ json: string; claimed: JsonType; type: keyof ParsedElement }>([
    { json: '1', claimed: 'number', type: 'string' },
    { json: '"1"', claimed: 'string', type: 'number' },
    { json: '"true"', claimed: 'boolean', type: 'boolean' },
    { json: '1', claimed: 'string', type: 'string' },
    { json: 'null', claimed: 'null', type: 'string' },
    { json: 'null', claimed: 'object', type: 'object' },
    { json: '[]', claimed: 'object', type: 'object' },
    { json: '{}', claimed: 'array', type: 'array' },
    { json: '{}', claimed: 'object', type: 'string' },
    { json: '0', claimed: 'boolean', type: 'boolean' },
    { json: 'true', claimed: 'boolean', type: 'number' },
  ])('throws WrongFieldType for $json as $type', ({ json, claimed, type }) => {
    const error = expectRootsError(
      () => parseElement({ json, type: claimed }, 'my field', type),
      'WrongFieldType',
    )
    expect(error.message).toContain('my field')
  })

  // An element need not come from splitEnvelope, so its text is validated.
  it.each([
    '',
    ' ',
    'x',
    '"abc',
    '"a\u0000"',
    '{',
    '{"a":}',
    '[1,]',
    '01',
    '1.',
    'tru',
    'True',
    '"a" "b"',
    '{}x',
    '1 2',
    '\ufeff1',
  ])('throws InvalidJSON for %j', (json) => {
    expectRootsError(() => parseElement({ json, type: 'string' }, 'x', 'string'), 'InvalidJSON')
  })
})

describe('a NIP-45 COUNT reader built from the public helpers alone', () => {
  function findCount(env: string): { subId: string; count: number } {
    const elements = splitEnvelope(env)
    checkLabel(parseElement(elements[0], 'label', 'string'), 'COUNT')
    checkArrayLength(elements, 3)
    const subId = parseElement(elements[1], 'subscription id', 'string')
    const { count } = JSON.parse(parseElement(elements[2], 'count object', 'object')) as { count: number }
    return { subId, count }
  }

  it.each([
    { env: '["COUNT","q",{"count":42}]', want: { subId: 'q', count: 42 } },
    { env: ' [ "COUNT" , "q" , { "count" : 0 } ] ', want: { subId: 'q', count: 0 } },
    { env: '["COUNT","a\\tb",{"count":7,"approximate":true}]', want: { subId: 'a\tb', count: 7 } },
    { env: '["COUNT","q",{"count":1},"future",1]', want: { subId: 'q', count: 1 } },
  ])('reads $env', ({ env, want }) => {
    expect(findCount(env)).toEqual(want)
  })

  it.each<{ env: string; code: RootsErrorCode }>([
    { env: '["COUNT","q",{"count":42}', code: 'InvalidJSON' },
    { env: '["COUNT","q",{"count":042}]', code: 'InvalidJSON' },
    { env: '["COUNT","q",{"count":42},]', code: 'InvalidJSON' },
    { env: '["EVENT","q",{"count":42}', code: 'InvalidJSON' },
    { env: '', code: 'InvalidJSON' },
    { env: '{"count":42}', code: 'InvalidEnvelope' },
    { env: '[]', code: 'InvalidEnvelope' },
    { env: '[42,"COUNT"]', code: 'InvalidEnvelope' },
    { env: '["EVENT","q",{"count":42}]', code: 'WrongEnvelopeLabel' },
    { env: '["count","q",{"count":42}]', code: 'WrongEnvelopeLabel' },
    { env: '["EOSE"]', code: 'WrongEnvelopeLabel' },
    { env: '["COUNT"]', code: 'MissingField' },
    { env: '["COUNT","q"]', code: 'MissingField' },
    { env: '["COUNT",1,{"count":42}]', code: 'WrongFieldType' },
    { env: '["COUNT",null,{"count":42}]', code: 'WrongFieldType' },
    { env: '["COUNT","q",42]', code: 'WrongFieldType' },
    { env: '["COUNT","q",[{"count":42}]]', code: 'WrongFieldType' },
    { env: '["COUNT","q","{\\"count\\":42}"]', code: 'WrongFieldType' },
  ])('findCount($env) throws $code', ({ env, code }) => {
    expectRootsError(() => findCount(env), code)
  })
})
