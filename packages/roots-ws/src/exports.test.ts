/**
 * A guard on the public API: adding, removing or renaming an export must be a deliberate change to
 * this list. Internals (the scanner, scanEnvelope, readSpan) must stay out of it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import type {
  ConnectionStatus,
  Envelope,
  JsonType,
  ParsedElement,
  RawElement,
  RootsErrorCode,
  StandardLabel,
} from './index.js'
import * as api from './index.js'

describe('roots-ws public API', () => {
  it('exports exactly these values', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'CONNECTION_STATUSES',
      'RootsError',
      'checkArrayLength',
      'checkLabel',
      'encloseAuthChallenge',
      'encloseAuthResponse',
      'encloseClose',
      'encloseClosed',
      'encloseEOSE',
      'encloseEvent',
      'encloseNotice',
      'encloseOK',
      'encloseReq',
      'encloseSubscriptionEvent',
      'findAuthChallenge',
      'findAuthResponse',
      'findClose',
      'findClosed',
      'findEOSE',
      'findEvent',
      'findNotice',
      'findOK',
      'findReq',
      'findSubscriptionEvent',
      'getLabel',
      'getStandardLabels',
      'isStandardLabel',
      'parseElement',
      'peekEventId',
      'peekSubscriptionEvent',
      'splitEnvelope',
    ])
  })

  it('exports functions, one error class and one constant', () => {
    for (const [name, value] of Object.entries(api)) {
      if (name === 'CONNECTION_STATUSES') continue
      expect(typeof value, name).toBe('function')
    }
    expect(new api.RootsError('MissingField', 'm')).toBeInstanceOf(Error)
  })

  it('RootsError carries its code, name and message', () => {
    const error = new api.RootsError('WrongFieldType', 'status must be a JSON boolean')
    expect(error).toBeInstanceOf(api.RootsError)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('RootsError')
    expect(error.code).toBe('WrongFieldType')
    expect(error.message).toBe('status must be a JSON boolean')
    expect(error.stack).toContain('RootsError')
  })

  it('CONNECTION_STATUSES lists every status, in order, frozen', () => {
    expect(api.CONNECTION_STATUSES).toEqual([
      'disconnected',
      'connecting',
      'connected',
      'closing',
      'closed',
      'error',
      'backoff',
      'awaiting',
      'upgrading',
    ])
    expect(Object.isFrozen(api.CONNECTION_STATUSES)).toBe(true)
  })

  it('exports these types', () => {
    // Checked by the type checker (npx tsc -p tsconfig.test.json); nothing happens at run time.
    expectTypeOf<RootsErrorCode>().toEqualTypeOf<
      'InvalidJSON' | 'MissingField' | 'WrongFieldType' | 'InvalidEnvelope' | 'WrongEnvelopeLabel'
    >()
    expectTypeOf<StandardLabel>().toEqualTypeOf<
      'EVENT' | 'REQ' | 'CLOSE' | 'CLOSED' | 'EOSE' | 'NOTICE' | 'OK' | 'AUTH'
    >()
    expectTypeOf<JsonType>().toEqualTypeOf<'object' | 'array' | 'string' | 'number' | 'boolean' | 'null'>()
    expectTypeOf<Envelope>().toEqualTypeOf<string>()
    expectTypeOf<RawElement>().toEqualTypeOf<{ readonly json: string; readonly type: JsonType }>()
    expectTypeOf<ParsedElement>().toEqualTypeOf<{
      string: string
      number: number
      boolean: boolean
      object: string
      array: string
    }>()
    expectTypeOf<ConnectionStatus>().toEqualTypeOf<(typeof api.CONNECTION_STATUSES)[number]>()
    expectTypeOf(api.getStandardLabels).returns.toEqualTypeOf<Set<StandardLabel>>()
    expectTypeOf(api.findOK).returns.toEqualTypeOf<{ eventId: string; status: boolean; message: string }>()
    expectTypeOf(api.findReq).returns.toEqualTypeOf<{ subId: string; filters: string[] }>()
    expectTypeOf(api.findSubscriptionEvent).returns.toEqualTypeOf<{ subId: string; event: string }>()
    expectTypeOf(api.findClosed).returns.toEqualTypeOf<{ subId: string; message: string }>()
    expect(api.getStandardLabels().size).toBe(8)
  })
})
