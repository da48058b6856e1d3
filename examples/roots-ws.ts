import {
  checkArrayLength,
  checkLabel,
  encloseReq,
  findSubscriptionEvent,
  getLabel,
  parseElement,
  RootsError,
  splitEnvelope,
} from 'roots-ws'

// Build a REQ: filters are raw JSON text, inserted as given.
const req = encloseReq('feed', ['{"kinds":[1],"limit":2}'])
console.log(req) // ["REQ","feed",{"kinds":[1],"limit":2}]

// Route a relay's reply by its label, then take the event out as the exact JSON the relay sent.
const reply = '["EVENT","feed",{"id":"ab12","kind":1,"content":"hi"}]'
if (getLabel(reply) === 'EVENT') {
  const { subId, event } = findSubscriptionEvent(reply)
  console.log(subId, event) // feed {"id":"ab12","kind":1,"content":"hi"}
}

// Bad input is a typed error with a stable code, never a crash.
try {
  findSubscriptionEvent('["EVENT","feed"]')
} catch (error) {
  if (error instanceof RootsError) console.log(error.code) // MissingField
}

// An envelope roots-ws does not know (NIP-45 COUNT), built from the exported helpers.
function findCount(env: string): { subId: string; count: number } {
  const elements = splitEnvelope(env)
  checkLabel(parseElement(elements[0], 'label', 'string'), 'COUNT')
  checkArrayLength(elements, 3)
  const subId = parseElement(elements[1], 'subscription id', 'string')
  const { count } = JSON.parse(parseElement(elements[2], 'count object', 'object')) as { count: number }
  return { subId, count }
}
console.log(findCount('["COUNT","q",{"count":42}]')) // { subId: 'q', count: 42 }
