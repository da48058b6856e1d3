/** Close-code and HTTP-status retriability tables, and the ConnectionError a finished socket becomes. */
import { describe, expect, it } from 'vitest'
import {
  CloseCode,
  closeCodeName,
  closeError,
  isRetriableClose,
  isRetriableHttpStatus,
} from './close-codes.js'
import { ConnectionError } from './errors.js'
import type { CloseInfo } from './socket.js'

describe('CloseCode', () => {
  it('has the RFC 6455 / IANA values and the rx-nostr "don\'t retry" convention', () => {
    expect(CloseCode).toEqual({
      Normal: 1000,
      GoingAway: 1001,
      ProtocolError: 1002,
      UnsupportedData: 1003,
      NoStatus: 1005,
      Abnormal: 1006,
      InvalidPayload: 1007,
      PolicyViolation: 1008,
      MessageTooBig: 1009,
      MandatoryExtension: 1010,
      InternalError: 1011,
      ServiceRestart: 1012,
      TryAgainLater: 1013,
      BadGateway: 1014,
      DontRetry: 4000,
    })
  })

  it('names each code in messages by its key, and other codes by their range', () => {
    for (const [name, code] of Object.entries(CloseCode)) expect(closeCodeName(code)).toBe(name)
    expect([1004, 1015, 999, 2000, 3000, 3999, 4001, 4999, 5000].map(closeCodeName)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'registered',
      'registered',
      'application-defined',
      'application-defined',
      'unknown',
    ])
  })
})

describe('isRetriableClose', () => {
  it('refuses exactly the codes the module table marks "no"', () => {
    const refused = [1002, 1003, 1007, 1008, 1010, 4000]
    for (let code = 999; code <= 5000; code++) expect(isRetriableClose(code)).toBe(!refused.includes(code))
  })

  it.each([
    { code: CloseCode.Normal, want: true },
    { code: CloseCode.GoingAway, want: true },
    { code: CloseCode.ProtocolError, want: false },
    { code: CloseCode.UnsupportedData, want: false },
    { code: CloseCode.NoStatus, want: true },
    { code: CloseCode.Abnormal, want: true },
    { code: CloseCode.InvalidPayload, want: false },
    { code: CloseCode.PolicyViolation, want: false },
    { code: CloseCode.MessageTooBig, want: true },
    { code: CloseCode.MandatoryExtension, want: false },
    { code: CloseCode.InternalError, want: true },
    { code: CloseCode.ServiceRestart, want: true },
    { code: CloseCode.TryAgainLater, want: true },
    { code: CloseCode.BadGateway, want: true },
    { code: CloseCode.DontRetry, want: false },
    { code: 1004, want: true },
    { code: 1015, want: true },
    { code: 3000, want: true },
    { code: 3999, want: true },
    { code: 4001, want: true },
    { code: 4999, want: true },
    { code: 0, want: true },
  ])('$code → $want', ({ code, want }) => {
    expect(isRetriableClose(code)).toBe(want)
  })
})

describe('isRetriableHttpStatus', () => {
  it.each([
    { status: 400, want: false },
    { status: 401, want: false },
    { status: 403, want: false },
    { status: 404, want: false },
    { status: 405, want: false },
    { status: 407, want: false },
    { status: 408, want: true },
    { status: 410, want: false },
    { status: 425, want: true },
    { status: 426, want: false },
    { status: 429, want: true },
    { status: 451, want: false },
    { status: 499, want: false },
    { status: 500, want: true },
    { status: 502, want: true },
    { status: 503, want: true },
    { status: 504, want: true },
    { status: 599, want: true },
    { status: 200, want: true },
    { status: 301, want: true },
    { status: 302, want: true },
  ])('$status → $want', ({ status, want }) => {
    expect(isRetriableHttpStatus(status)).toBe(want)
  })
})

describe('closeError', () => {
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:7777')

  it.each<{
    name: string
    info: CloseInfo
    opened: boolean
    code: 'ConnectionFailed' | 'ConnectionClosed'
    retriable: boolean
    message: string
  }>([
    {
      name: 'dropped before opening',
      info: { code: 1006, reason: '', error: refused },
      opened: false,
      code: 'ConnectionFailed',
      retriable: true,
      message: 'Connection failed (close code 1006 Abnormal): connect ECONNREFUSED 127.0.0.1:7777',
    },
    {
      name: 'upgrade refused with 503',
      info: { code: 1006, reason: '', httpStatus: 503 },
      opened: false,
      code: 'ConnectionFailed',
      retriable: true,
      message: 'Connection failed (HTTP 503 to the upgrade request, close code 1006 Abnormal)',
    },
    {
      name: 'upgrade refused with 401: the HTTP status wins over the retriable 1006',
      info: { code: 1006, reason: '', httpStatus: 401 },
      opened: false,
      code: 'ConnectionFailed',
      retriable: false,
      message: 'Connection failed (HTTP 401 to the upgrade request, close code 1006 Abnormal)',
    },
    {
      name: 'upgrade answered 429 with a non-retriable close code: the HTTP status wins',
      info: { code: 1008, reason: 'slow down', httpStatus: 429 },
      opened: false,
      code: 'ConnectionFailed',
      retriable: true,
      message:
        'Connection failed (HTTP 429 to the upgrade request, close code 1008 PolicyViolation, reason "slow down")',
    },
    {
      name: 'relay going away',
      info: { code: 1001, reason: 'restarting' },
      opened: true,
      code: 'ConnectionClosed',
      retriable: true,
      message: 'Connection closed (close code 1001 GoingAway, reason "restarting")',
    },
    {
      name: 'normal close we did not ask for',
      info: { code: 1000, reason: '' },
      opened: true,
      code: 'ConnectionClosed',
      retriable: true,
      message: 'Connection closed (close code 1000 Normal)',
    },
    {
      name: "relay says don't retry",
      info: { code: 4000, reason: 'banned' },
      opened: true,
      code: 'ConnectionClosed',
      retriable: false,
      message: 'Connection closed (close code 4000 DontRetry, reason "banned")',
    },
    {
      name: 'policy violation',
      info: { code: 1008, reason: 'auth-required' },
      opened: true,
      code: 'ConnectionClosed',
      retriable: false,
      message: 'Connection closed (close code 1008 PolicyViolation, reason "auth-required")',
    },
    {
      name: 'application-defined code',
      info: { code: 4123, reason: '' },
      opened: true,
      code: 'ConnectionClosed',
      retriable: true,
      message: 'Connection closed (close code 4123 application-defined)',
    },
    {
      name: 'registered 3xxx code',
      info: { code: 3008, reason: 'timeout' },
      opened: true,
      code: 'ConnectionClosed',
      retriable: true,
      message: 'Connection closed (close code 3008 registered, reason "timeout")',
    },
    {
      name: 'unknown code',
      info: { code: 1015, reason: '' },
      opened: false,
      code: 'ConnectionFailed',
      retriable: true,
      message: 'Connection failed (close code 1015 unknown)',
    },
  ])('$name', ({ info, opened, code, retriable, message }) => {
    const error = closeError(info, opened)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.name).toBe('ConnectionError')
    expect(error.code).toBe(code)
    expect(error.closeCode).toBe(info.code)
    expect(error.retriable).toBe(retriable)
    expect(error.message).toBe(message)
    expect(error.cause).toBe(info.error)
  })

  it('chains the environment error as cause, whatever its type', () => {
    const event = { type: 'error' }
    const error = closeError({ code: 1006, reason: '', error: event }, true)
    expect(error.cause).toBe(event)
    expect(error.message).toBe('Connection closed (close code 1006 Abnormal)')
  })

  it('has no cause when the environment gave no error', () => {
    const error = closeError({ code: 1000, reason: '' }, true)
    expect('cause' in error).toBe(false)
  })

  it('does not mutate the CloseInfo', () => {
    const info = Object.freeze({ code: 1011, reason: 'oops', error: refused })
    expect(closeError(info, true).retriable).toBe(true)
    expect(info).toEqual({ code: 1011, reason: 'oops', error: refused })
  })
})
