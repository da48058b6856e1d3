/**
 * @module The application-level health probe, for sockets that cannot send ping frames (STYLE G8).
 *
 * A browser cannot send a WebSocket ping, so health is checked with a request every relay must answer
 * and that matches nothing: `["REQ","honeybee:probe",{"ids":["000…0"],"limit":0}]`. The relay answers
 * `EOSE` (or `CLOSED`, when it refuses: still proof that it is alive); the probe then sends `CLOSE`.
 *
 * Why a socket decorator and not a HealthMonitor: the core already owns the health *policy* (when to
 * probe: only after `pingInterval` of silence; how long to wait; how many misses make a connection
 * unhealthy) and talks to the environment through one optional capability, `SocketLike.ping`, and
 * one signal back, `SocketHandlers.onPong`. Filling that capability here keeps the policy, its
 * thresholds and the pong-latency metric identical to the Node edition, keeps every probe byte out
 * of the core (which knows nothing of probes), and needs no change to the core's interfaces. A
 * HealthMonitor could not do it alone: it neither sends nor sees messages.
 *
 * The probe's replies are the socket's equivalent of pong frames: they are swallowed (never on
 * `messages$`, never routed, not counted as messages received) and reported as `onPong`. Its REQ and
 * CLOSE skip the write queue and rate limiter, as pings do.
 */
import type { SocketFactory, SocketLike } from 'honeybee'
import { encloseClose, encloseReq, findClosed, findEOSE, getLabel } from 'roots-ws'

/** A filter no event matches (no event id is all zeros) and that asks for no stored events. */
export const PROBE_FILTER = `{"ids":["${'0'.repeat(64)}"],"limit":0}`

/** The probe's subscription id, unless {@link ProbeOptions.id} says otherwise. */
export const DEFAULT_PROBE_ID = 'honeybee:probe'

/** Options for {@link withProbe}. */
export interface ProbeOptions {
  /** The subscription id of the probe; replies to it never reach the application. @default 'honeybee:probe' */
  readonly id?: string
}

/**
 * Gives every socket of `factory` that has no `ping` a probe-based one. Sockets that can ping (a Node
 * socket) are returned unchanged: native ping frames are cheaper and need no relay cooperation.
 * @example
 * ```ts
 * const socketFactory = withProbe(browserSocketFactory({ WebSocket }))
 * ```
 */
export function withProbe(factory: SocketFactory, options: ProbeOptions = {}): SocketFactory {
  const id = options.id ?? DEFAULT_PROBE_ID
  const request = encloseReq(id, [PROBE_FILTER])
  const close = encloseClose(id)

  return (url, handlers) => {
    /** Set by the first probe: until then no message is inspected, so a connection never probed pays nothing. */
    let probed = false
    const inner: SocketLike = factory(url, {
      ...handlers,
      onMessage: (data, byteLength) => {
        const reply = probed ? probeReply(data, id) : undefined
        if (reply === undefined) {
          handlers.onMessage(data, byteLength)
          return
        }
        // A CLOSED ends the subscription already; an EOSE leaves it open on the relay until CLOSE.
        if (reply === 'EOSE') inner.send(close)
        handlers.onPong()
      },
    })
    if (inner.ping !== undefined) return inner
    return {
      get bufferedAmount() {
        return inner.bufferedAmount
      },
      send: (data) => inner.send(data),
      close: (code, reason) => inner.close(code, reason),
      terminate: () => inner.terminate(),
      ping: () => {
        probed = true
        // Reusing one id replaces an unanswered probe on the relay (NIP-01) instead of piling them up.
        inner.send(request)
      },
    }
  }
}

/**
 * Whether `data` answers the probe `id`: its `EOSE` or `CLOSED`. Anything else, malformed frames
 * included, goes on to the core, which routes or reports it.
 */
export function probeReply(data: string, id: string): 'EOSE' | 'CLOSED' | undefined {
  try {
    // getLabel reads only the label, so the events that make up most traffic cost a few characters.
    const label = getLabel(data)
    if (label === 'EOSE') return findEOSE(data) === id ? 'EOSE' : undefined
    if (label === 'CLOSED') return findClosed(data).subId === id ? 'CLOSED' : undefined
  } catch {
    // Malformed: not a probe reply; the core reports it.
  }
  return undefined
}
