/**
 * Building envelopes: exact output text, strings escaped exactly as JSON.stringify escapes them, raw
 * JSON inserted as given.
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
} from './enclose.js'

describe('exact output', () => {
  it.each([
    {
      call: "encloseReq('s', ['{\"kinds\":[1]}'])",
      got: encloseReq('s', ['{"kinds":[1]}']),
      want: '["REQ","s",{"kinds":[1]}]',
    },
    { call: "encloseOK('ab', true, '')", got: encloseOK('ab', true, ''), want: '["OK","ab",true,""]' },
    {
      call: 'encloseOK false',
      got: encloseOK('ab', false, 'blocked: no'),
      want: '["OK","ab",false,"blocked: no"]',
    },
    { call: 'encloseReq no filters', got: encloseReq('s', []), want: '["REQ","s"]' },
    {
      call: 'encloseReq two filters',
      got: encloseReq('feed', ['{"kinds":[1],"limit":2}', '{"authors":["ab"]}']),
      want: '["REQ","feed",{"kinds":[1],"limit":2},{"authors":["ab"]}]',
    },
    {
      call: 'encloseReq keeps filter whitespace',
      got: encloseReq('s', ['{ "kinds" : [ 1 ] }', ' {}']),
      want: '["REQ","s",{ "kinds" : [ 1 ] }, {}]',
    },
    {
      call: 'encloseEvent',
      got: encloseEvent('{"id":"ab","kind":1}'),
      want: '["EVENT",{"id":"ab","kind":1}]',
    },
    {
      call: 'encloseEvent keeps whitespace',
      got: encloseEvent('{ "a" : 1 }'),
      want: '["EVENT",{ "a" : 1 }]',
    },
    {
      call: 'encloseEvent keeps numbers as written',
      got: encloseEvent('{"n":1e400,"m":1.50,"k":-0}'),
      want: '["EVENT",{"n":1e400,"m":1.50,"k":-0}]',
    },
    {
      call: 'encloseSubscriptionEvent',
      got: encloseSubscriptionEvent('feed', '{"id":"ab"}'),
      want: '["EVENT","feed",{"id":"ab"}]',
    },
    { call: 'encloseClose', got: encloseClose('s1'), want: '["CLOSE","s1"]' },
    {
      call: 'encloseClosed',
      got: encloseClosed('s1', 'error: shutting down'),
      want: '["CLOSED","s1","error: shutting down"]',
    },
    { call: 'encloseClosed empty', got: encloseClosed('', ''), want: '["CLOSED","",""]' },
    { call: 'encloseNotice', got: encloseNotice('hello'), want: '["NOTICE","hello"]' },
    { call: 'encloseEOSE', got: encloseEOSE('s1'), want: '["EOSE","s1"]' },
    {
      call: 'encloseAuthChallenge',
      got: encloseAuthChallenge('challenge-1'),
      want: '["AUTH","challenge-1"]',
    },
    {
      call: 'encloseAuthResponse',
      got: encloseAuthResponse('{"kind":22242,"tags":[["relay","wss://r"]]}'),
      want: '["AUTH",{"kind":22242,"tags":[["relay","wss://r"]]}]',
    },
  ])('$call', ({ got, want }) => {
    expect(got).toBe(want)
  })
})

describe('string escaping', () => {
  // Each row: a string and its JSON literal, written out by hand (what JSON.stringify produces).
  const rows: { name: string; s: string; literal: string }[] = [
    { name: 'plain', s: 'abc', literal: '"abc"' },
    { name: 'empty', s: '', literal: '""' },
    { name: 'quote', s: 'a"b', literal: '"a\\"b"' },
    { name: 'backslash', s: 'a\\b', literal: '"a\\\\b"' },
    { name: 'slash (not escaped)', s: 'a/b', literal: '"a/b"' },
    { name: 'short escapes', s: '\b\f\n\r\t', literal: '"\\b\\f\\n\\r\\t"' },
    { name: 'NUL', s: '\u0000', literal: '"\\u0000"' },
    { name: 'U+0001', s: '\u0001', literal: '"\\u0001"' },
    { name: 'vertical tab', s: '\u000b', literal: '"\\u000b"' },
    { name: 'U+001F', s: '\u001f', literal: '"\\u001f"' },
    { name: 'DEL (not escaped)', s: '\u007f', literal: '"\u007f"' },
    { name: 'U+2028 (not escaped)', s: '\u2028\u2029', literal: '"\u2028\u2029"' },
    { name: 'BOM (not escaped)', s: '\ufeff', literal: '"\ufeff"' },
    { name: 'non-ASCII', s: 'é中😀', literal: '"é中😀"' },
    { name: 'lone high surrogate', s: '\ud800', literal: '"\\ud800"' },
    { name: 'lone low surrogate', s: '\udfff', literal: '"\\udfff"' },
    { name: 'reversed pair', s: '\udc00\ud800', literal: '"\\udc00\\ud800"' },
    { name: 'high surrogate at end', s: 'a\ud83d', literal: '"a\\ud83d"' },
    { name: 'valid pair (not escaped)', s: '\ud83d\ude00', literal: '"😀"' },
    { name: 'html', s: '<script>&</script>', literal: '"<script>&</script>"' },
    { name: 'JSON inside', s: '["EVENT",{}]', literal: '"[\\"EVENT\\",{}]"' },
  ]

  it.each(rows)('$name', ({ s, literal }) => {
    expect(JSON.stringify(s)).toBe(literal)
    expect(encloseClose(s)).toBe(`["CLOSE",${literal}]`)
    expect(encloseEOSE(s)).toBe(`["EOSE",${literal}]`)
    expect(encloseNotice(s)).toBe(`["NOTICE",${literal}]`)
    expect(encloseAuthChallenge(s)).toBe(`["AUTH",${literal}]`)
    expect(encloseClosed(s, s)).toBe(`["CLOSED",${literal},${literal}]`)
    expect(encloseOK(s, true, s)).toBe(`["OK",${literal},true,${literal}]`)
    expect(encloseReq(s, [])).toBe(`["REQ",${literal}]`)
    expect(encloseReq(s, ['{}'])).toBe(`["REQ",${literal},{}]`)
    expect(encloseSubscriptionEvent(s, '{}')).toBe(`["EVENT",${literal},{}]`)
  })

  it('escapes every string exactly as JSON.stringify does', () => {
    const anyString = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
        fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
      ),
    })
    fc.assert(
      fc.property(anyString, anyString, fc.boolean(), (a, b, status) => {
        const qa = JSON.stringify(a)
        const qb = JSON.stringify(b)
        expect(encloseClose(a)).toBe(`["CLOSE",${qa}]`)
        expect(encloseEOSE(a)).toBe(`["EOSE",${qa}]`)
        expect(encloseNotice(a)).toBe(`["NOTICE",${qa}]`)
        expect(encloseAuthChallenge(a)).toBe(`["AUTH",${qa}]`)
        expect(encloseClosed(a, b)).toBe(`["CLOSED",${qa},${qb}]`)
        expect(encloseOK(a, status, b)).toBe(`["OK",${qa},${status},${qb}]`)
        expect(encloseReq(a, [])).toBe(`["REQ",${qa}]`)
        expect(encloseSubscriptionEvent(a, '{}')).toBe(`["EVENT",${qa},{}]`)
        // And the output is the compact JSON of the same array.
        expect(encloseOK(a, status, b)).toBe(JSON.stringify(['OK', a, status, b]))
        expect(encloseClosed(a, b)).toBe(JSON.stringify(['CLOSED', a, b]))
      }),
      { numRuns: 300 },
    )
  })
})

describe('raw JSON arguments', () => {
  it('inserts events and filters as given, never re-serialized', () => {
    fc.assert(
      fc.property(fc.json(), fc.array(fc.json(), { maxLength: 4 }), (raw, filters) => {
        expect(encloseEvent(raw)).toBe(`["EVENT",${raw}]`)
        expect(encloseAuthResponse(raw)).toBe(`["AUTH",${raw}]`)
        expect(encloseSubscriptionEvent('s', raw)).toBe(`["EVENT","s",${raw}]`)
        const req = encloseReq('s', filters)
        expect(req).toBe(filters.length === 0 ? '["REQ","s"]' : `["REQ","s",${filters.join(',')}]`)
        expect(JSON.parse(req)).toEqual(['REQ', 's', ...filters.map((f) => JSON.parse(f) as unknown)])
      }),
      { numRuns: 200 },
    )
  })

  it('accepts a frozen filters array and leaves it unchanged', () => {
    const filters = Object.freeze(['{"a":1}', '{"b":2}'])
    expect(encloseReq('s', filters)).toBe('["REQ","s",{"a":1},{"b":2}]')
    expect(filters).toEqual(['{"a":1}', '{"b":2}'])
  })
})
