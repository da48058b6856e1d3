import { RootsError } from 'roots-ws'
import { describe, expect, it } from 'vitest'
import { findCountRequest, peekReplyTarget, readInbound } from './responder-inbound.js'

const ID = 'b'.repeat(64)

describe('readInbound', () => {
  it.each([
    ['["EVENT",{"id":"x"}]', { type: 'EVENT', event: '{"id":"x"}' }],
    ['["REQ","s"]', { type: 'REQ', subId: 's', filters: [] }],
    ['[ "REQ" , "s" , {"a":1} , {} ]', { type: 'REQ', subId: 's', filters: ['{"a":1}', '{}'] }],
    ['["CLOSE","s"]', { type: 'CLOSE', subId: 's' }],
    ['["AUTH",{"kind":22242}]', { type: 'AUTH', event: '{"kind":22242}' }],
    ['["COUNT","q",{"kinds":[1]}]', { type: 'COUNT', subId: 'q', filters: ['{"kinds":[1]}'] }],
    ['["OK","id",true,""]', { type: 'other', label: 'OK' }],
    ['["HELLO"]', { type: 'other', label: 'HELLO' }],
  ])('%s', (envelope, want) => {
    expect(readInbound(envelope)).toEqual(want)
  })

  it.each([
    ['nope', 'InvalidJSON'],
    ['{}', 'InvalidEnvelope'],
    ['["EVENT","s",{}]', 'WrongFieldType'],
    ['["REQ",1]', 'WrongFieldType'],
    ['["COUNT"]', 'MissingField'],
    ['["COUNT","q",[]]', 'WrongFieldType'],
    ['["CLOSE"]', 'MissingField'],
  ])('%s throws RootsError %s', (envelope, code) => {
    expect(() => readInbound(envelope)).toThrow(expect.objectContaining({ code }))
    expect(() => readInbound(envelope)).toThrow(RootsError)
  })

  it('findCountRequest refuses another label', () => {
    expect(() => findCountRequest('["REQ","q",{}]')).toThrow(
      expect.objectContaining({ code: 'WrongEnvelopeLabel' }),
    )
  })
})

describe('peekReplyTarget', () => {
  it.each([
    [`["EVENT",{"id":"${ID}","content":"x"}]`, { type: 'OK', eventId: ID }],
    [`["EVENT",{"content":"\\"id\\":\\"no\\"","id":"${ID}"`, { type: 'OK', eventId: ID }], // truncated
    [`["AUTH" , {"kind":22242,"id":"${ID}"}]`, { type: 'OK', eventId: ID }],
    ['["REQ","feed",{"kinds":[1]},', { type: 'CLOSED', label: 'REQ', subId: 'feed' }],
    ['["COUNT","q\\u0041\\n",{}]', { type: 'CLOSED', label: 'COUNT', subId: 'qA\n' }],
    ['["EVENT",{"content":"x"}]', undefined], // no id
    [`["EVENT",{"id":"${ID}0"}]`, undefined], // longer than any event id
    ['["EVENT",{"id":1}]', undefined],
    ['["REQ",1]', undefined],
    ['["REQ","a\tb"]', undefined], // a raw control character: not a JSON string
    [`["REQ","${'x'.repeat(1_025)}"]`, undefined], // too long to echo
    ['["CLOSE","s"]', undefined],
    ['["NOTICE","s"]', undefined],
    ['garbage', undefined],
    ['', undefined],
  ])('%s → %j', (envelope, want) => {
    expect(peekReplyTarget(envelope)).toEqual(want)
  })

  // Its cost is a benchmark matter (speed is never asserted in tests); here: it reads past 4 MB of content.
  it('reads the id of a 4 MB envelope whose id comes last', () => {
    const envelope = `["EVENT",{"content":"${'x'.repeat(4_000_000)}","id":"${ID}"}]`
    expect(peekReplyTarget(envelope)).toEqual({ type: 'OK', eventId: ID })
  })
})
