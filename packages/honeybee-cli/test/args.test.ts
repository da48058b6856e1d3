/** The argument validators, as pure functions. */
import { describe, expect, it } from 'vitest'
import {
  filtersOption,
  integerOption,
  parseCommandArgs,
  positiveNumberOption,
  relayUrls,
} from '../src/args.js'
import { ArgumentError, firstSentence, oneLine } from '../src/argument-error.js'

describe('args', () => {
  it('one line, first sentence, first letter lower case', () => {
    expect(oneLine('a\n  b\r\nc ')).toBe('a b c')
    expect(firstSentence("Option '--port <value>' argument missing. Try again.")).toBe(
      "option '--port <value>' argument missing",
    )
    expect(firstSentence('Unexpected end of JSON input')).toBe('unexpected end of JSON input')
  })

  it('parseArgs errors become ArgumentErrors', () => {
    const parse = (args: string[]) =>
      parseCommandArgs({ args, options: { port: { type: 'string' } }, allowPositionals: false, strict: true })
    expect(parse(['--port', '1']).values.port).toBe('1')
    expect(() => parse(['--nope'])).toThrow(ArgumentError)
    expect(() => parse(['--nope'])).toThrow("unknown option '--nope'")
  })

  it('relay URLs: at least one, ws: or wss: with a host', () => {
    expect(relayUrls(['ws://127.0.0.1:7777', 'wss://relay.example/path'])).toEqual([
      'ws://127.0.0.1:7777',
      'wss://relay.example/path',
    ])
    expect(() => relayUrls([])).toThrow('give at least one relay URL')
    for (const bad of ['http://relay.example', 'relay.example', 'ws://', 'ws://:80']) {
      expect(() => relayUrls([bad]), bad).toThrow(ArgumentError)
    }
  })

  it('integers within bounds, with a default', () => {
    expect(integerOption('port', undefined, 7777, 0, 65_535)).toBe(7777)
    expect(integerOption('port', '0', 7777, 0, 65_535)).toBe(0)
    for (const bad of ['-1', '65536', '1.5', '1e3', '', ' 1']) {
      expect(() => integerOption('port', bad, 7777, 0, 65_535), bad).toThrow(
        /--port must be an integer from 0 to 65535/,
      )
    }
  })

  it('positive numbers, decimals allowed', () => {
    expect(positiveNumberOption('rate-limit', undefined)).toBeUndefined()
    expect(positiveNumberOption('rate-limit', '2.5')).toBe(2.5)
    for (const bad of ['0', '-1', 'fast', '1e2']) {
      expect(() => positiveNumberOption('rate-limit', bad), bad).toThrow(ArgumentError)
    }
  })

  it('filters: objects or arrays of them, checked like the relay checks them', () => {
    expect(filtersOption(['{"kinds":[1]}', '[{"authors":["ab"]},{"#t":["x"],"limit":5}]'])).toEqual([
      { kinds: [1] },
      { authors: ['ab'] },
      { '#t': ['x'], limit: 5 },
    ])
    expect(() => filtersOption(['{'])).toThrow(/^bad --filter JSON: /)
    expect(() => filtersOption(['"x"'])).toThrow('bad --filter: a filter must be a JSON object')
    expect(() => filtersOption(['{"limit":-1}'])).toThrow(
      'bad --filter: limit must be a non-negative integer',
    )
  })
})
