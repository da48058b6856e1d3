/**
 * The smallest relay application for serve tests: it answers every EVENT with `OK true`, every REQ
 * with the stored events and EOSE, every COUNT with their number, and records what each connection
 * reported. Plus a `ws` client that records what it receives.
 */

import WebSocket from 'ws'
import type { HoneybeeError, RelayServer, ResponderConnection } from '../../src/index.js'

/** A 64-hex-character event id, from one character. */
export const eventId = (c: string): string => c.repeat(64)

/** A minimal event with id `eventId(c)`. */
export const event = (c: string, content = 'hi'): string =>
  `{"id":"${eventId(c)}","kind":1,"content":"${content}"}`

/** What the application saw on each connection, in acceptance order. */
export interface AppRecord {
  readonly conn: ResponderConnection
  readonly closes: string[]
  readonly errors: HoneybeeError[]
}

/**
 * Serves `stored` to every REQ and answers every EVENT with `OK true`. Returns what each connection
 * reported, filled as connections arrive.
 */
export function answerEverything(
  relay: RelayServer,
  stored: readonly string[] = [event('a'), event('b')],
): AppRecord[] {
  const records: AppRecord[] = []
  relay.connections$.subscribe((conn) => {
    const record: AppRecord = { conn, closes: [], errors: [] }
    records.push(record)
    conn.errors$.subscribe((error) => record.errors.push(error))
    conn.closes$.subscribe((subId) => record.closes.push(subId))
    conn.events$.subscribe(({ event }) => conn.sendOK((JSON.parse(event) as { id: string }).id, true, ''))
    conn.reqs$.subscribe(({ subId }) => {
      for (const e of stored) conn.sendEvent(subId, e)
      conn.sendEOSE(subId)
    })
    conn.counts$.subscribe(({ subId }) => conn.sendCount(subId, stored.length))
  })
  return records
}

/** A `ws` client that records every message and how it closed. */
export interface TestClient {
  readonly ws: WebSocket
  readonly messages: string[]
  /** Set once closed. */
  closed: { readonly code: number; readonly reason: string } | undefined
  send(data: string): void
}

/** Opens a `ws` client to `url`; resolves once it is open. */
export async function openClient(url: string): Promise<TestClient> {
  const ws = new WebSocket(url)
  const client: TestClient = {
    ws,
    messages: [],
    closed: undefined,
    send: (data) => ws.send(data),
  }
  ws.on('error', () => {})
  ws.on('message', (data) => client.messages.push(data.toString()))
  ws.on('close', (code, reason) => {
    client.closed = { code, reason: reason.toString() }
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('close', () => reject(new Error(`${url} closed before it opened`)))
  })
  return client
}
