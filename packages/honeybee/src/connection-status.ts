/**
 * @module The legal moves between connection statuses.
 *
 * ```
 *                 first subscriber / send
 *  disconnected ─────────────────────────► connecting ───open───► connected
 *   ▲    ▲                                  ▲   │                    │  │
 *   │    │ nobody left (keepAlive)     delay│   │failed       lost / │  │ nobody left /
 *   │    │                                  │   ▼         unhealthy  │  │ close()
 *   │    └──────────────────────────────  backoff ◄──────────────────┘  ▼
 *   │                                       │ policy gives up        closing
 *   └─── nobody left ─────────── error ◄────┘                         │
 *                                                                      ▼
 *   close() from anywhere ─────────────────────────────────────────► closed (final)
 * ```
 * `awaiting` (waiting for a precondition, such as the network returning) sits beside `backoff`;
 * `upgrading` beside `connecting`, for environments that report the TCP connect separately.
 */
import type { ConnectionStatus } from 'roots-ws'

const LEGAL: Readonly<Record<ConnectionStatus, readonly ConnectionStatus[]>> = {
  disconnected: ['connecting', 'closed'],
  connecting: ['upgrading', 'connected', 'backoff', 'awaiting', 'error', 'disconnected', 'closing', 'closed'],
  upgrading: ['connected', 'backoff', 'awaiting', 'error', 'disconnected', 'closing', 'closed'],
  connected: ['backoff', 'awaiting', 'error', 'disconnected', 'closing', 'closed'],
  closing: ['disconnected', 'closed'],
  backoff: ['connecting', 'awaiting', 'error', 'disconnected', 'closed'],
  awaiting: ['connecting', 'backoff', 'disconnected', 'closed'],
  error: ['connecting', 'disconnected', 'closed'],
  closed: [],
}

/** Whether a connection may move from `from` to `to`. */
export function canTransition(from: ConnectionStatus, to: ConnectionStatus): boolean {
  return LEGAL[from].includes(to)
}

/** Whether a connection in `status` is finished for good. */
export function isFinal(status: ConnectionStatus): boolean {
  return status === 'closed'
}
