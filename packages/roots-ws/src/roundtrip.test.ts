/**
 * Round trips: find*(enclose*(x)) gives back x, for any string (lone surrogates included) and any JSON
 * object written with any whitespace; and enclose*(find*(env)) gives back a compact envelope as is.
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
  parseElement,
  splitEnvelope,
} from './index.js'

const NUM_RUNS = 150

/** One UTF-16 code unit (lone surrogates included), a full code point, or a character JSON escapes. */
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
  fc.constantFrom(
    '"',
    '\\',
    '/',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u2028',
    '\ud800',
    '\udc00',
    '\ufeff',
    ']',
    ',',
  ),
)
const anyString = fc.oneof(fc.string({ unit }), fc.string())

const jsonWhitespace = fc.array(fc.constantFrom('', ' ', '\t', '\n', '\r', '\r\n', ' \t\n\r'), {
  maxLength: 6,
})

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
  return go(value)
}

/** A JSON object, as raw JSON text with arbitrary inner whitespace (none around it). */
const rawObject = fc
  .tuple(
    fc.oneof(
      fc.dictionary(anyString, fc.jsonValue({ stringUnit: unit, maxDepth: 3 }), { maxKeys: 5 }),
      fc
        .object({ maxDepth: 2, values: [fc.jsonValue({ maxDepth: 1 })] })
        .map((o) => JSON.parse(JSON.stringify(o)) as unknown),
      fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":1}') as unknown),
    ),
    jsonWhitespace,
  )
  .map(([value, ws]) => renderWithWhitespace(value, ws))

/** Whitespace a caller might leave around raw JSON; find* must not return it. */
const padding = fc.constantFrom('', ' ', '\n', '\t \r\n')

describe('find*(enclose*(x)) is x', () => {
  it('EVENT from a client', () => {
    fc.assert(
      fc.property(rawObject, padding, padding, (event, before, after) => {
        const env = encloseEvent(`${before}${event}${after}`)
        expect(getLabel(env)).toBe('EVENT')
        expect(findEvent(env)).toBe(event)
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('EVENT on a subscription', () => {
    fc.assert(
      fc.property(anyString, rawObject, padding, (subId, event, pad) => {
        const env = encloseSubscriptionEvent(subId, `${pad}${event}${pad}`)
        expect(getLabel(env)).toBe('EVENT')
        expect(findSubscriptionEvent(env)).toEqual({ subId, event })
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('REQ', () => {
    fc.assert(
      fc.property(anyString, fc.array(rawObject, { maxLength: 4 }), padding, (subId, filters, pad) => {
        const env = encloseReq(
          subId,
          filters.map((f) => `${pad}${f}${pad}`),
        )
        expect(getLabel(env)).toBe('REQ')
        expect(findReq(env)).toEqual({ subId, filters })
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('OK', () => {
    fc.assert(
      fc.property(anyString, fc.boolean(), anyString, (eventId, status, message) => {
        const env = encloseOK(eventId, status, message)
        expect(getLabel(env)).toBe('OK')
        expect(findOK(env)).toEqual({ eventId, status, message })
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('CLOSED', () => {
    fc.assert(
      fc.property(anyString, anyString, (subId, message) => {
        const env = encloseClosed(subId, message)
        expect(getLabel(env)).toBe('CLOSED')
        expect(findClosed(env)).toEqual({ subId, message })
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it.each([
    { label: 'CLOSE', enclose: encloseClose, find: findClose },
    { label: 'EOSE', enclose: encloseEOSE, find: findEOSE },
    { label: 'NOTICE', enclose: encloseNotice, find: findNotice },
    { label: 'AUTH', enclose: encloseAuthChallenge, find: findAuthChallenge },
  ])('$label with one string', ({ label, enclose, find }) => {
    fc.assert(
      fc.property(anyString, (s) => {
        const env = enclose(s)
        expect(getLabel(env)).toBe(label)
        expect(find(env)).toBe(s)
        expect(JSON.parse(env)).toEqual([label, s])
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('AUTH from a client', () => {
    fc.assert(
      fc.property(rawObject, padding, (event, pad) => {
        const env = encloseAuthResponse(`${pad}${event}${pad}`)
        expect(getLabel(env)).toBe('AUTH')
        expect(findAuthResponse(env)).toBe(event)
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('splitEnvelope and parseElement take apart what enclose* built', () => {
    fc.assert(
      fc.property(anyString, fc.boolean(), anyString, (eventId, status, message) => {
        const [label, id, ok, msg, extra] = splitEnvelope(encloseOK(eventId, status, message))
        expect(parseElement(label, 'label', 'string')).toBe('OK')
        expect(parseElement(id, 'event id', 'string')).toBe(eventId)
        expect(parseElement(ok, 'status', 'boolean')).toBe(status)
        expect(parseElement(msg, 'message', 'string')).toBe(message)
        expect(extra).toBeUndefined()
        expect(id?.json).toBe(JSON.stringify(eventId))
      }),
      { numRuns: NUM_RUNS },
    )
  })
})

describe('enclose*(find*(env)) is env, for compact envelopes', () => {
  it('gives back every kind of envelope character for character', () => {
    const compactObject = fc.dictionary(anyString, fc.jsonValue({ stringUnit: unit, maxDepth: 2 }), {
      maxKeys: 4,
    })
    const envelopes = fc.oneof(
      compactObject.map((e) => JSON.stringify(['EVENT', e])),
      fc.tuple(anyString, compactObject).map(([s, e]) => JSON.stringify(['EVENT', s, e])),
      fc
        .tuple(anyString, fc.array(compactObject, { maxLength: 3 }))
        .map(([s, fs]) => JSON.stringify(['REQ', s, ...fs])),
      fc.tuple(anyString, fc.boolean(), anyString).map((t) => JSON.stringify(['OK', ...t])),
      fc.tuple(anyString, anyString).map((t) => JSON.stringify(['CLOSED', ...t])),
      anyString.map((s) => JSON.stringify(['CLOSE', s])),
      anyString.map((s) => JSON.stringify(['EOSE', s])),
      anyString.map((s) => JSON.stringify(['NOTICE', s])),
      anyString.map((s) => JSON.stringify(['AUTH', s])),
      compactObject.map((e) => JSON.stringify(['AUTH', e])),
    )
    const rebuild = (env: string): string => {
      const parsed = JSON.parse(env) as unknown[]
      switch (getLabel(env)) {
        case 'EVENT':
          if (parsed.length === 2) return encloseEvent(findEvent(env))
          {
            const { subId, event } = findSubscriptionEvent(env)
            return encloseSubscriptionEvent(subId, event)
          }
        case 'REQ': {
          const { subId, filters } = findReq(env)
          return encloseReq(subId, filters)
        }
        case 'OK': {
          const { eventId, status, message } = findOK(env)
          return encloseOK(eventId, status, message)
        }
        case 'CLOSED': {
          const { subId, message } = findClosed(env)
          return encloseClosed(subId, message)
        }
        case 'CLOSE':
          return encloseClose(findClose(env))
        case 'EOSE':
          return encloseEOSE(findEOSE(env))
        case 'NOTICE':
          return encloseNotice(findNotice(env))
        case 'AUTH':
          return typeof parsed[1] === 'string'
            ? encloseAuthChallenge(findAuthChallenge(env))
            : encloseAuthResponse(findAuthResponse(env))
        default:
          throw new Error(`unexpected label in ${env}`)
      }
    }
    fc.assert(
      fc.property(envelopes, (env) => {
        expect(rebuild(env)).toBe(env)
      }),
      { numRuns: 400 },
    )
  })
})
