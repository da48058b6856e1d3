import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encloseSubscriptionEvent } from './enclose.js'
import { peekEventId, peekSubscriptionEvent } from './peek.js'

describe('peekEventId', () => {
  it.each([
    ['{"id":"ab12","kind":1}', 'ab12'],
    ['{ "kind" : 1 , "tags":[["e","x"]], "content":"\\"id\\":\\"no\\"", "id" : "cd34" }', 'cd34'],
    ['{"content":"x","id":"\\u0061b"}', 'ab'],
    ['{"kind":1}', undefined],
    ['{"id":12}', undefined],
    ['[]', undefined],
    ['{"id"', undefined],
    ['{"a":[1,{"id":"nested"}],"b":2}', undefined],
    ['', undefined],
  ])('%s → %s', (json, want) => {
    expect(peekEventId(json)).toBe(want)
  })

  it('agrees with JSON.parse on any object that has a string id', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (rest, id) => {
        const event = { ...rest, id }
        const json = JSON.stringify(event)
        expect(peekEventId(json)).toBe((JSON.parse(json) as { id: string }).id)
      }),
    )
  })

  it('never throws on mutated input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => peekEventId(text)).not.toThrow()
        expect(() => peekSubscriptionEvent(text)).not.toThrow()
      }),
    )
  })
})

describe('peekSubscriptionEvent', () => {
  it.each([
    ['["EVENT","feed",{"id":"ab12"}]', { subId: 'feed', eventId: 'ab12' }],
    [' [ "EVENT" , "f\\u0065ed" , { "kind":1, "id":"ab12" } ] ', { subId: 'feed', eventId: 'ab12' }],
    ['["EVENT","feed",{"kind":1}]', { subId: 'feed', eventId: undefined }],
    ['["EVENT",{"id":"ab12"}]', undefined],
    ['["EOSE","feed"]', undefined],
    ['["EVENT","feed"', undefined],
    ['{}', undefined],
  ])('%s', (env, want) => {
    expect(peekSubscriptionEvent(env)).toEqual(want)
  })

  it('reads back what encloseSubscriptionEvent wrote', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (subId, id) => {
        const env = encloseSubscriptionEvent(subId, JSON.stringify({ kind: 1, id, content: 'x' }))
        expect(peekSubscriptionEvent(env)).toEqual({ subId, eventId: id })
      }),
    )
  })
})
