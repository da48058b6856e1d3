/**
 * The internal JSON scanner: it must accept exactly what `JSON.parse` accepts, report where values end,
 * and never overflow the stack. These tests go through the module's exports only, and assert
 * behaviour (accept/reject, end index, spans), not error positions or reasons, so that the scanner can
 * be re-tuned freely.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeString,
  type JsonType,
  ScanError,
  scanNumber,
  scanString,
  scanTopLevelArray,
  scanValue,
  skipWhitespace,
  typeAt,
} from './json-scan.js'

/** Whether `JSON.parse` accepts `text`: the reference every scanner verdict is compared with. */
function jsonParseAccepts(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Whether the scanner accepts `text` as one complete JSON text; anything but a ScanError escapes. */
function scannerAccepts(text: string): boolean {
  try {
    scanTopLevelArray(text)
    return true
  } catch (error) {
    if (error instanceof ScanError) return false
    throw error
  }
}

/** The ScanError `f` throws; fails the test if it throws nothing or something else. */
function scanErrorOf(f: () => unknown): ScanError {
  let thrown: unknown
  try {
    f()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(ScanError)
  return thrown as ScanError
}

/** The JSON type `JSON.parse` gives a value. */
function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value as JsonType
}

/** Serializes a JSON value, putting whitespace from `ws` (cycled) between every two tokens. */
function renderWithWhitespace(value: unknown, ws: readonly string[]): string {
  let k = 0
  const w = (): string => (ws.length === 0 ? '' : (ws[k++ % ws.length] ?? ''))
  const go = (v: unknown): string => {
    if (Array.isArray(v)) return `[${w()}${v.map((x) => go(x)).join(`${w()},${w()}`)}${w()}]`
    if (v !== null && typeof v === 'object') {
      const members = Object.entries(v).map(([key, x]) => `${JSON.stringify(key)}${w()}:${w()}${go(x)}`)
      return `{${w()}${members.join(`${w()},${w()}`)}${w()}}`
    }
    return JSON.stringify(v)
  }
  return `${w()}${go(value)}${w()}`
}

const jsonWhitespace = fc.array(fc.constantFrom('', ' ', '\t', '\n', '\r', '  ', '\r\n', ' \t\n\r'), {
  maxLength: 6,
})

/** One UTF-16 code unit, lone surrogates included, plus the characters JSON treats specially. */
const codeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('"', '\\', '/', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', '\ufeff'),
  fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
)

describe('skipWhitespace', () => {
  it.each([
    { text: '', from: 0, want: 0 },
    { text: 'x', from: 0, want: 0 },
    { text: ' \t\n\rx', from: 0, want: 4 },
    { text: ' \t\n\r', from: 0, want: 4 },
    { text: 'a  b', from: 1, want: 3 },
    { text: 'ab', from: 2, want: 2 },
    // Only the four JSON whitespace characters count.
    { text: '\u000bx', from: 0, want: 0 },
    { text: '\u000cx', from: 0, want: 0 },
    { text: '\u00a0x', from: 0, want: 0 },
    { text: '\ufeffx', from: 0, want: 0 },
    { text: '\u2028x', from: 0, want: 0 },
    { text: '\u0085x', from: 0, want: 0 },
  ])('skipWhitespace($text, $from) is $want', ({ text, from, want }) => {
    expect(skipWhitespace(text, from)).toBe(want)
  })
})

describe('typeAt', () => {
  it.each<{ text: string; want: JsonType | undefined }>([
    { text: '"', want: 'string' },
    { text: '{', want: 'object' },
    { text: '[', want: 'array' },
    { text: '-', want: 'number' },
    ...'0123456789'.split('').map((d) => ({ text: d, want: 'number' as const })),
    { text: 't', want: 'boolean' },
    { text: 'f', want: 'boolean' },
    { text: 'n', want: 'null' },
    { text: '', want: undefined },
    { text: ' ', want: undefined },
    { text: '+', want: undefined },
    { text: '.', want: undefined },
    { text: ']', want: undefined },
    { text: '}', want: undefined },
    { text: ',', want: undefined },
    { text: "'", want: undefined },
    { text: 'N', want: undefined },
    { text: 'I', want: undefined },
    { text: 'T', want: undefined },
    { text: '\ufeff', want: undefined },
  ])('typeAt($text) is $want', ({ text, want }) => {
    expect(typeAt(text, 0)).toBe(want)
  })

  it('looks at the given index', () => {
    expect(typeAt('x{', 1)).toBe('object')
    expect(typeAt('{', 1)).toBeUndefined()
  })
})

describe('scanString', () => {
  it.each([
    { text: '""', from: 0, want: 2 },
    { text: '"abc"', from: 0, want: 5 },
    { text: 'x"abc"y', from: 1, want: 6 },
    { text: '"a"b"', from: 0, want: 3 },
    { text: '"\\""', from: 0, want: 4 },
    { text: '"\\\\"', from: 0, want: 4 },
    { text: '"\\/\\b\\f\\n\\r\\t"', from: 0, want: 14 },
    { text: '"\\u00e9\\uABCD\\uabcd"', from: 0, want: 20 },
    { text: '"\ud800"', from: 0, want: 3 },
    { text: '"\udfff\ud800"', from: 0, want: 4 },
    { text: '"\u007f\u2028\u2029\ufeff"', from: 0, want: 6 },
    { text: '"]}[{,:"', from: 0, want: 8 },
  ])('scanString($text, $from) ends at $want', ({ text, from, want }) => {
    expect(scanString(text, from)).toBe(want)
  })

  it.each([
    { why: 'unterminated', text: '"abc' },
    { why: 'only a quote', text: '"' },
    { why: 'escaped closing quote', text: '"abc\\"' },
    { why: 'backslash at end', text: '"abc\\' },
    { why: 'raw NUL', text: '"a\u0000b"' },
    { why: 'raw LF', text: '"a\nb"' },
    { why: 'raw TAB', text: '"a\tb"' },
    { why: 'raw U+001F', text: '"a\u001fb"' },
    { why: 'bad escape \\x', text: '"\\x41"' },
    { why: "bad escape \\'", text: '"\\\'"' },
    { why: 'bad escape \\0', text: '"\\0"' },
    { why: 'bad escape \\U', text: '"\\U0041"' },
    { why: 'short \\u', text: '"\\u12"' },
    { why: 'non-hex \\u', text: '"\\u12g4"' },
    { why: '\\u at end', text: '"\\u' },
  ])('rejects $why', ({ text }) => {
    const error = scanErrorOf(() => scanString(text, 0))
    expect(error.position).toBeGreaterThanOrEqual(0)
    expect(error.position).toBeLessThanOrEqual(text.length)
    expect(typeof error.reason).toBe('string')
  })
})

describe('scanNumber', () => {
  it.each([
    { text: '0', want: 1 },
    { text: '-0', want: 2 },
    { text: '7', want: 1 },
    { text: '123', want: 3 },
    { text: '-123', want: 4 },
    { text: '1.5', want: 3 },
    { text: '0.0001', want: 6 },
    { text: '1e5', want: 3 },
    { text: '1E5', want: 3 },
    { text: '1e+5', want: 4 },
    { text: '1e-5', want: 4 },
    { text: '-12.5E+3', want: 8 },
    { text: '1e400', want: 5 },
    { text: '9'.repeat(400), want: 400 },
    // The number ends where the grammar ends; the caller decides whether what follows is allowed.
    { text: '12,', want: 2 },
    { text: '12]', want: 2 },
    { text: '01', want: 1 },
    { text: '-00', want: 2 },
    { text: '1.5.5', want: 3 },
    { text: '1e5e5', want: 3 },
  ])('scanNumber($text) ends at $want', ({ text, want }) => {
    expect(scanNumber(text, 0)).toBe(want)
  })

  it.each(['-', '-a', '1.', '1.e5', '1e', '1e+', '1E-', '.5', '+1', '-.5', 'x'])('rejects %j', (text) => {
    scanErrorOf(() => scanNumber(text, 0))
  })
})

describe('scanValue', () => {
  it.each([
    { text: '0', from: 0, want: 1 },
    { text: 'true', from: 0, want: 4 },
    { text: 'false', from: 0, want: 5 },
    { text: 'null', from: 0, want: 4 },
    { text: '"x"', from: 0, want: 3 },
    { text: '[]', from: 0, want: 2 },
    { text: '{}', from: 0, want: 2 },
    { text: '[ ]', from: 0, want: 3 },
    { text: '{ }', from: 0, want: 3 },
    { text: '{"a":[1,2]} rest', from: 0, want: 11 },
    { text: 'xx[1, [2, {"a" : null}] ]yy', from: 2, want: 25 },
    { text: '{ "a" : 1 , "b" : [ true , false ] }', from: 0, want: 36 },
    { text: '[[[[]]]],', from: 0, want: 8 },
    { text: '{"]":"}"}', from: 0, want: 9 },
    { text: 'truefalse', from: 0, want: 4 },
  ])('scanValue($text, $from) ends at $want', ({ text, from, want }) => {
    expect(scanValue(text, from)).toBe(want)
  })

  it.each([
    '',
    ' ',
    'tru',
    'nul',
    'fals',
    'True',
    'NaN',
    'Infinity',
    'undefined',
    '[',
    '[1',
    '[1,',
    '[1,]',
    '[,1]',
    '[1 2]',
    '[1:2]',
    '{',
    '{"a"',
    '{"a":',
    '{"a":1',
    '{"a":1,}',
    '{"a" 1}',
    '{a:1}',
    "{'a':1}",
    '{1:1}',
    '{"a":1 "b":2}',
    '[}',
    '{]',
    '[1}',
    '{"a":1]',
    ']',
    '}',
    ',',
    "'x'",
    '\ufeff1',
  ])('rejects %j', (text) => {
    const error = scanErrorOf(() => scanValue(text, skipWhitespace(text, 0)))
    expect(error.position).toBeGreaterThanOrEqual(0)
    expect(error.position).toBeLessThanOrEqual(text.length)
  })

  it('scans 100000 levels of nesting without overflowing the stack', () => {
    const depth = 100_000
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`
    expect(scanValue(arrays, 0)).toBe(arrays.length)
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    expect(scanValue(objects, 0)).toBe(objects.length)
    const mixed = `${'[{"k":'.repeat(depth)}null${'}]'.repeat(depth)}`
    expect(scanValue(mixed, 0)).toBe(mixed.length)
    scanErrorOf(() => scanValue('['.repeat(depth), 0))
    scanErrorOf(() => scanValue(`${'['.repeat(depth)}${']'.repeat(depth - 1)}`, 0))
    scanErrorOf(() => scanValue(`${'['.repeat(depth)}${'}'.repeat(depth)}`, 0))
  })
})

describe('scanTopLevelArray', () => {
  it.each<{ text: string; want: { json: string; type: JsonType }[] | undefined }>([
    { text: '[]', want: [] },
    { text: ' \n[ \t] \r', want: [] },
    { text: '["EVENT"]', want: [{ json: '"EVENT"', type: 'string' }] },
    {
      text: ' [ 1 , "a" , {"b":[]} , null , true , false , [ ] , -0.5e3 ] ',
      want: [
        { json: '1', type: 'number' },
        { json: '"a"', type: 'string' },
        { json: '{"b":[]}', type: 'object' },
        { json: 'null', type: 'null' },
        { json: 'true', type: 'boolean' },
        { json: 'false', type: 'boolean' },
        { json: '[ ]', type: 'array' },
        { json: '-0.5e3', type: 'number' },
      ],
    },
    {
      text: '["a,b]",{"c":"]"},[",",["]"]]]',
      want: [
        { json: '"a,b]"', type: 'string' },
        { json: '{"c":"]"}', type: 'object' },
        { json: '[",",["]"]]', type: 'array' },
      ],
    },
    { text: '{}', want: undefined },
    { text: ' {"a":[1]} ', want: undefined },
    { text: '"x"', want: undefined },
    { text: '1', want: undefined },
    { text: 'null', want: undefined },
    { text: 'true', want: undefined },
  ])('splits $text', ({ text, want }) => {
    const spans = scanTopLevelArray(text)
    expect(spans?.map((s) => ({ json: text.slice(s.start, s.end), type: s.type }))).toEqual(want)
  })

  it.each([
    '',
    ' ',
    '[',
    '[ ',
    '["a"',
    '["a",',
    '["a",]',
    '[,]',
    '[1 2]',
    '[] []',
    '[]x',
    '[] ,',
    '1 2',
    '{} x',
    '{}}',
    '"a" "b"',
    '\ufeff[]',
    '[]\ufeff',
    '\u00a0[]',
    '\u000b[]',
    '[\u000c1]',
    '[01]',
    '[1.]',
    '["\u0000"]',
    '[tru]',
    '[1}',
  ])('rejects %j', (text) => {
    expect(jsonParseAccepts(text)).toBe(false)
    scanErrorOf(() => scanTopLevelArray(text))
  })
})

describe('decodeString', () => {
  it.each([
    { text: '""', want: '' },
    { text: '"abc"', want: 'abc' },
    { text: '"\\"\\\\\\/\\b\\f\\n\\r\\t"', want: '"\\/\b\f\n\r\t' },
    { text: '"\\u00e9\\u00E9"', want: 'éé' },
    { text: '"\\ud83d\\ude00"', want: '😀' },
    { text: '"\\ud800"', want: '\ud800' },
    { text: '"\\udc00\\ud800"', want: '\udc00\ud800' },
    { text: '"\ud800 raw"', want: '\ud800 raw' },
    { text: '"\\u0000"', want: '\u0000' },
    { text: '"é😀\u2028"', want: 'é😀\u2028' },
  ])('decodes $text', ({ text, want }) => {
    expect(decodeString(text, 0, text.length)).toBe(want)
  })

  it('decodes the literal at the given span only', () => {
    const text = '["ab\\ncd","ef"]'
    expect(decodeString(text, 1, 9)).toBe('ab\ncd')
    expect(decodeString(text, 10, 14)).toBe('ef')
  })
})

describe('the scanner agrees with JSON.parse', () => {
  it.each([
    '0',
    '-0',
    '1e400',
    '-1e400',
    '1e-400',
    '9'.repeat(400),
    `-${'1'.repeat(400)}.${'2'.repeat(400)}e-${'3'.repeat(3)}`,
    '"\ud800"',
    '"\\ud800"',
    '{"__proto__":{"a":1}}',
    '{"a":1,"a":2}',
    '[[],{},[{}],{"":[]}]',
    ' \t\r\n[\t1\r,\n2 ] \n',
    '"\u2028\u2029"',
    '"\u007f"',
    '[1,]',
    '{"a":1,}',
    '01',
    '00',
    '-01',
    '1.',
    '.1',
    '+1',
    '0x10',
    'NaN',
    '-Infinity',
    '"\t"',
    '"\\a"',
    "'a'",
    '/* c */1',
    '1 // c',
    '[1,,2]',
    '{"a"::1}',
    '\u20281',
  ])('on %j', (text) => {
    expect(scannerAccepts(text)).toBe(jsonParseAccepts(text))
  })

  it('accepts every text fc.json() generates and scans it to its end', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(scannerAccepts(text)).toBe(true)
        expect(scanValue(text, 0)).toBe(text.length)
      }),
      { numRuns: 300 },
    )
  })

  it('accepts JSON with any string content (lone surrogates too) and any whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: codeUnit, maxDepth: 4 }), jsonWhitespace, (value, ws) => {
        const text = renderWithWhitespace(value, ws)
        expect(jsonParseAccepts(text)).toBe(true)
        expect(scannerAccepts(text)).toBe(true)
        const start = skipWhitespace(text, 0)
        expect(skipWhitespace(text, scanValue(text, start))).toBe(text.length)
      }),
      { numRuns: 300 },
    )
  })

  it('locates exactly the top-level elements of any JSON array', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ stringUnit: codeUnit, maxDepth: 3 }), { maxLength: 6 }),
        jsonWhitespace,
        (values, ws) => {
          const text = renderWithWhitespace(values, ws)
          const spans = scanTopLevelArray(text)
          expect(spans).toBeDefined()
          const parsed = JSON.parse(text) as unknown[]
          expect(spans?.length).toBe(parsed.length)
          spans?.forEach((span, i) => {
            const json = text.slice(span.start, span.end)
            expect(json.trim()).toBe(json)
            expect(JSON.stringify(JSON.parse(json))).toBe(JSON.stringify(parsed[i]))
            expect(span.type).toBe(jsonTypeOf(parsed[i]))
          })
        },
      ),
      { numRuns: 300 },
    )
  })

  it('rejects exactly what JSON.parse rejects, on mutated JSON text', () => {
    const edit = fc.record({
      op: fc.constantFrom('replace', 'insert', 'delete', 'truncate'),
      at: fc.nat(),
      text: fc.oneof(
        codeUnit,
        fc.constantFrom('[', ']', '{', '}', ',', ':', ' ', '0', '-', '.', 'e', '+', 't', 'n', '\\u', '"'),
      ),
    })
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (json, edits) => {
        let text = json
        for (const { op, at, text: s } of edits) {
          const i = text.length === 0 ? 0 : at % (text.length + 1)
          if (op === 'replace') text = text.slice(0, i) + s + text.slice(i + 1)
          else if (op === 'insert') text = text.slice(0, i) + s + text.slice(i)
          else if (op === 'delete') text = text.slice(0, i) + text.slice(i + 1)
          else text = text.slice(0, i)
        }
        expect(scannerAccepts(text)).toBe(jsonParseAccepts(text))
      }),
      { numRuns: 1500 },
    )
  })

  it('decodes every string literal as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit }), fc.boolean(), (s, escapeAll) => {
        // JSON.stringify's own escaping, or every code unit as \uXXXX.
        const literal = escapeAll
          ? `"${[...Array(s.length).keys()].map((i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`
          : JSON.stringify(s)
        expect(scanString(literal, 0)).toBe(literal.length)
        expect(decodeString(literal, 0, literal.length)).toBe(s)
      }),
      { numRuns: 300 },
    )
  })
})
