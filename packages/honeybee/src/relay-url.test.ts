import { describe, expect, it } from 'vitest'
import { UsageError } from './errors.js'
import { normalizeRelayUrl } from './relay-url.js'

describe('normalizeRelayUrl', () => {
  it.each([
    // scheme and host case
    ['wss://relay.example', 'wss://relay.example'],
    ['WSS://Relay.EXAMPLE', 'wss://relay.example'],
    ['Ws://LOCALHOST:7777', 'ws://localhost:7777'],
    // default ports go, others stay (without leading zeros)
    ['ws://relay.example:80', 'ws://relay.example'],
    ['wss://relay.example:443', 'wss://relay.example'],
    ['wss://relay.example:0443', 'wss://relay.example'],
    ['ws://relay.example:443', 'ws://relay.example:443'],
    ['wss://relay.example:80', 'wss://relay.example:80'],
    ['ws://127.0.0.1:8080', 'ws://127.0.0.1:8080'],
    ['ws://relay.example:', 'ws://relay.example'],
    // trailing slash on an empty path goes; a path is kept as given
    ['wss://relay.example/', 'wss://relay.example'],
    ['wss://relay.example:443/', 'wss://relay.example'],
    ['wss://relay.example/Nostr', 'wss://relay.example/Nostr'],
    ['wss://relay.example/nostr/', 'wss://relay.example/nostr/'],
    ['wss://relay.example//', 'wss://relay.example//'],
    // the query is kept; the fragment (which never reaches the relay) goes
    ['wss://relay.example/?Token=A', 'wss://relay.example?Token=A'],
    ['wss://relay.example?Token=A', 'wss://relay.example?Token=A'],
    ['wss://relay.example/path?q=1', 'wss://relay.example/path?q=1'],
    ['wss://relay.example/#top', 'wss://relay.example'],
    ['wss://relay.example/path?q=1#top', 'wss://relay.example/path?q=1'],
    // IPv6 literals, user information, surrounding whitespace
    ['ws://[::1]:7777/', 'ws://[::1]:7777'],
    ['ws://[FE80::1]:80', 'ws://[fe80::1]'],
    ['wss://User:Secret@Relay.Example', 'wss://User:Secret@relay.example'],
    ['  wss://relay.example/  ', 'wss://relay.example'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeRelayUrl(input)).toBe(expected)
    expect(normalizeRelayUrl(expected)).toBe(expected) // idempotent
  })

  it.each([
    ['https://relay.example'],
    ['http://relay.example'],
    ['relay.example'],
    ['wss:relay.example'],
    ['wss://'],
    ['wss:///path'],
    ['wss://:443'],
    ['wss://relay .example'],
    ['wss://relay.example:port'],
    ['wss://relay.example:70000'],
    ['wss://[::1'],
    ['wss://[::1]x'],
    ['wss://relay.example/pa th'],
    [''],
  ])('%j is refused with InvalidArgument', (input) => {
    let failure: unknown
    try {
      normalizeRelayUrl(input)
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(UsageError)
    expect(failure).toMatchObject({ code: 'InvalidArgument' })
  })
})
