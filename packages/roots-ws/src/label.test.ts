/**
 * Labels: getLabel reads only as far as the label; when it cannot read one, full validation decides
 * between InvalidJSON and InvalidEnvelope.
 */
import { describe, expect, it } from 'vitest'
import { expectRootsError } from '../test/expect-roots-error.js'
import type { RootsErrorCode } from './errors.js'
import { getLabel, getStandardLabels, isStandardLabel, type StandardLabel } from './label.js'

const STANDARD: StandardLabel[] = ['EVENT', 'REQ', 'CLOSE', 'CLOSED', 'EOSE', 'NOTICE', 'OK', 'AUTH']

describe('getLabel', () => {
  it.each([
    { env: '["EVENT",{"id":"ab"}]', want: 'EVENT' },
    { env: '["EVENT","s",{"id":"ab"}]', want: 'EVENT' },
    { env: '["REQ","s",{"kinds":[1]}]', want: 'REQ' },
    { env: '["CLOSE","s"]', want: 'CLOSE' },
    { env: '["CLOSED","s","bye"]', want: 'CLOSED' },
    { env: '["EOSE","s"]', want: 'EOSE' },
    { env: '["NOTICE","hi"]', want: 'NOTICE' },
    { env: '["OK","ab",true,""]', want: 'OK' },
    { env: '["AUTH","challenge"]', want: 'AUTH' },
    { env: '["COUNT","q",{"count":1}]', want: 'COUNT' },
    { env: '["EVENT"]', want: 'EVENT' },
    { env: '[""]', want: '' },
    { env: '["event"]', want: 'event' },
    { env: ' \t\r\n[ \n"EOSE" \t , "s" ] \n', want: 'EOSE' },
    { env: '["EOSE"\n]', want: 'EOSE' },
    { env: '["\\u0045VENT",{}]', want: 'EVENT' },
    { env: '["a\\"b\\\\c\\n"]', want: 'a"b\\c\n' },
    { env: '["中文😀"]', want: '中文😀' },
    { env: '["\\ud800"]', want: '\ud800' },
    { env: '["\ud800"]', want: '\ud800' },
    { env: '["__proto__"]', want: '__proto__' },
    { env: '["]",1]', want: ']' },
  ])('getLabel($env) is $want', ({ env, want }) => {
    expect(getLabel(env)).toBe(want)
  })

  // Documented behaviour: getLabel reads only as far as the label, so what follows is not validated.
  it.each([
    { env: '["EVENT",', want: 'EVENT' },
    { env: '["EVENT", garbage', want: 'EVENT' },
    { env: '["EVENT",}}}', want: 'EVENT' },
    { env: '["EVENT"]garbage', want: 'EVENT' },
    { env: '["EVENT"] ["REQ"]', want: 'EVENT' },
    { env: '["OK","ab",tru', want: 'OK' },
  ])('reads only as far as the label: getLabel($env) is $want', ({ env, want }) => {
    expect(getLabel(env)).toBe(want)
  })

  it('reads only as far as the label: a megabyte of unclosed brackets after it is not looked at', () => {
    expect(getLabel(`["EVENT",${'['.repeat(1_000_000)}`)).toBe('EVENT')
  })

  it('classifies 100000 levels of nesting without overflowing the stack', () => {
    expectRootsError(() => getLabel('['.repeat(100_000)), 'InvalidJSON')
    expectRootsError(() => getLabel(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 'InvalidEnvelope')
  })

  it.each<{ env: string; code: RootsErrorCode }>([
    // Not JSON: no label can be read, and full validation fails.
    { env: '', code: 'InvalidJSON' },
    { env: ' ', code: 'InvalidJSON' },
    { env: '[', code: 'InvalidJSON' },
    { env: '[ ', code: 'InvalidJSON' },
    { env: '["', code: 'InvalidJSON' },
    { env: '["EV', code: 'InvalidJSON' },
    { env: '["EVENT"', code: 'InvalidJSON' },
    { env: '["EVENT" ', code: 'InvalidJSON' },
    { env: '["EVENT" x', code: 'InvalidJSON' },
    { env: '["EVENT":1]', code: 'InvalidJSON' },
    { env: '["EVENT"}', code: 'InvalidJSON' },
    { env: '["EVENT""s"]', code: 'InvalidJSON' },
    { env: '[EVENT]', code: 'InvalidJSON' },
    { env: "['EVENT']", code: 'InvalidJSON' },
    { env: 'EVENT', code: 'InvalidJSON' },
    { env: '["a\u0000b"]', code: 'InvalidJSON' },
    { env: '["a\nb"]', code: 'InvalidJSON' },
    { env: '["\\x"]', code: 'InvalidJSON' },
    { env: '["\\u12"]', code: 'InvalidJSON' },
    { env: '\ufeff["EVENT"]', code: 'InvalidJSON' },
    { env: '\u00a0["EVENT"]', code: 'InvalidJSON' },
    { env: '[1,', code: 'InvalidJSON' },
    { env: '[1,]', code: 'InvalidJSON' },
    { env: '[null', code: 'InvalidJSON' },
    { env: '[01,"x"]', code: 'InvalidJSON' },
    { env: '{', code: 'InvalidJSON' },
    { env: '{}x', code: 'InvalidJSON' },
    { env: '[]]', code: 'InvalidJSON' },
    { env: '\u00a0', code: 'InvalidJSON' },
    // JSON, but not an envelope.
    { env: '{}', code: 'InvalidEnvelope' },
    { env: '{"label":"EVENT"}', code: 'InvalidEnvelope' },
    { env: '"EVENT"', code: 'InvalidEnvelope' },
    { env: '1', code: 'InvalidEnvelope' },
    { env: 'null', code: 'InvalidEnvelope' },
    { env: 'true', code: 'InvalidEnvelope' },
    { env: '[]', code: 'InvalidEnvelope' },
    { env: ' [ ] ', code: 'InvalidEnvelope' },
    { env: '[1,"EVENT"]', code: 'InvalidEnvelope' },
    { env: '[null]', code: 'InvalidEnvelope' },
    { env: '[true,"x"]', code: 'InvalidEnvelope' },
    { env: '[["EVENT"]]', code: 'InvalidEnvelope' },
    { env: '[{"EVENT":1}]', code: 'InvalidEnvelope' },
  ])('getLabel($env) throws $code', ({ env, code }) => {
    const error = expectRootsError(() => getLabel(env), code)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('RootsError')
    expect(error.message).not.toBe('')
  })
})

describe('getStandardLabels', () => {
  it('is the eight NIP-01 and NIP-42 labels', () => {
    expect([...getStandardLabels()].sort()).toEqual([
      'AUTH',
      'CLOSE',
      'CLOSED',
      'EOSE',
      'EVENT',
      'NOTICE',
      'OK',
      'REQ',
    ])
  })

  it('returns a new set each call, which the caller may change', () => {
    const first = getStandardLabels()
    expect(first).toBeInstanceOf(Set)
    first.delete('EVENT')
    first.clear()
    const second = getStandardLabels()
    expect(second).not.toBe(first)
    expect(second.size).toBe(8)
    expect(second.has('EVENT')).toBe(true)
    expect(isStandardLabel('EVENT')).toBe(true)
  })

  it('agrees with isStandardLabel', () => {
    for (const label of getStandardLabels()) expect(isStandardLabel(label)).toBe(true)
  })
})

describe('isStandardLabel', () => {
  it.each(STANDARD)('%s is standard', (label) => {
    expect(isStandardLabel(label)).toBe(true)
  })

  it.each([
    'COUNT',
    'event',
    'Event',
    'EVENT ',
    ' EVENT',
    'EVENT\u0000',
    'EVENTS',
    'CLOSE_',
    '',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'size',
  ])('%j is not standard', (label) => {
    expect(isStandardLabel(label)).toBe(false)
  })

  it('narrows to StandardLabel', () => {
    const label: string = 'EOSE'
    if (isStandardLabel(label)) {
      const narrowed: StandardLabel = label
      expect(narrowed).toBe('EOSE')
    } else {
      expect.unreachable('EOSE is a standard label')
    }
  })
})
