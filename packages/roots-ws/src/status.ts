/** @module The connection statuses shared by every layer of the stack. */

/**
 * Where a connection is in its life. Pure data: roots-ws has no connections; honeybee drives them.
 *
 * - `disconnected`: not active, and no attempt is under way (the state before first use).
 * - `connecting`: a TCP/TLS connection attempt is under way.
 * - `upgrading`: the socket is open and the WebSocket upgrade handshake is under way.
 * - `connected`: open; envelopes flow both ways.
 * - `closing`: a graceful close handshake is under way.
 * - `closed`: closed on purpose; no reconnect follows.
 * - `error`: failed and given up (for example, reconnect attempts exhausted); no reconnect follows.
 * - `backoff`: the connection was lost; waiting out the reconnect delay before the next attempt.
 * - `awaiting`: waiting for a precondition (for example, the network to come back) before an attempt.
 */
export type ConnectionStatus =
  | 'disconnected'
  | 'connecting'
  | 'connected'
  | 'closing'
  | 'closed'
  | 'error'
  | 'backoff'
  | 'awaiting'
  | 'upgrading'

/** Every {@link ConnectionStatus}, in the spec's order. */
export const CONNECTION_STATUSES: readonly ConnectionStatus[] = Object.freeze([
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
