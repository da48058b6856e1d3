/**
 * @module The message router (spec honeybee §7): one inbound stream, split by label.
 *
 * Each envelope's label is read once with roots-ws `getLabel` (which reads only as far as the label),
 * however many routed streams are subscribed. A malformed envelope, or one whose label nobody expects,
 * is reported and counted, never fatal: the streams go on.
 */

import { getLabel, isStandardLabel, RootsError } from 'roots-ws'
import { filter, Observable, type Subscriber, share } from 'rxjs'
import { type HoneybeeError, ProtocolError } from './errors.js'

/** How an event envelope written compactly starts. */
const EVENT_HEAD = '["EVENT",'

/** Incoming envelopes by label. All are hot: they carry what arrives while you are subscribed. */
export interface Router {
  /** `EVENT` envelopes. */
  readonly events$: Observable<string>
  /** `EOSE` envelopes. */
  readonly eose$: Observable<string>
  /** `OK` envelopes. */
  readonly ok$: Observable<string>
  /** `NOTICE` envelopes. */
  readonly notice$: Observable<string>
  /** `CLOSED` envelopes. */
  readonly closed$: Observable<string>
  /** `AUTH` envelopes. */
  readonly auth$: Observable<string>
  /** Envelopes with any label, standard or custom (`COUNT`, …); asking for one makes it expected. */
  label$(label: string): Observable<string>
}

/** A router, and what its owner may ask of it besides the streams. */
export interface RouterControl extends Router {
  /** How many subscribers the stream of `label` has now. */
  subscriberCount(label: string): number
}

/** What the router needs besides the envelopes. */
export interface RouterOptions {
  /** Labels besides the standard ones that are expected. */
  readonly customLabels: readonly string[]
  /** Called for each envelope that could not be routed. */
  readonly report: (error: HoneybeeError) => void
}

/**
 * Routes `messages$` by label.
 *
 * Each envelope goes straight to the subscribers of its label: one shared pass over `messages$` reads
 * the label and calls them, and emits nothing itself. It replaces `map` (to `{ label, envelope }`) →
 * `filter` → `share()` → per routed stream `filter` → `map`, which cost five operator layers, a
 * `Subject` and an allocation per envelope; `share()` still gives the same lifecycle (subscribed while
 * any routed stream is, completed or errored with `messages$`). Measured in bench/honeybee.bench.ts,
 * see BENCHMARKS.md.
 * @example
 * ```ts
 * const router = createRouter(conn.messages$, { customLabels: ['COUNT'], report: console.warn })
 * router.eose$.subscribe((env) => findEOSE(env))
 * ```
 */
export function createRouter(messages$: Observable<string>, options: RouterOptions): RouterControl {
  const expected = new Set(options.customLabels)
  /**
   * The subscribers of each label, in subscription order. Each array is replaced, never changed, so a
   * delivery iterates the subscribers of the moment it started, as a `Subject` does.
   */
  const routes = new Map<string, readonly Subscriber<string>[]>()

  /** The label to route `envelope` by; `undefined`, after reporting why, when it cannot be routed. */
  const labelOf = (envelope: string): string | undefined => {
    // Nearly every envelope is an event, and how it starts is all getLabel would read of it.
    if (envelope.startsWith(EVENT_HEAD)) return 'EVENT'
    let label: string
    try {
      label = getLabel(envelope)
    } catch (error) {
      if (!(error instanceof RootsError)) throw error
      options.report(
        new ProtocolError('MalformedEnvelope', `dropped a malformed envelope: ${error.message}`, {
          cause: error,
        }),
      )
      return undefined
    }
    // Answered with the literal, whose hash is known: cheaper than hashing the freshly read label,
    // here (Set) and to find its subscribers (Map).
    if (label === 'EVENT') return 'EVENT'
    if (!isStandardLabel(label) && !expected.has(label)) {
      options.report(
        new ProtocolError(
          'UnknownEnvelopeType',
          `dropped an envelope with unknown label ${JSON.stringify(label)}`,
        ),
      )
      return undefined
    }
    return label
  }

  // Read each label once, whatever the number of routed streams, and deliver; an error thrown here
  // errors every routed stream, as it did from `map`.
  const routing$: Observable<never> = messages$.pipe(
    filter((envelope): envelope is never => {
      const label = labelOf(envelope)
      const subscribers = label === undefined ? undefined : routes.get(label)
      if (subscribers !== undefined) for (const subscriber of subscribers) subscriber.next(envelope)
      return false
    }),
    share(),
  )

  const label$ = (label: string): Observable<string> => {
    expected.add(label)
    return new Observable<string>((subscriber) => {
      // Listed before subscribing, so envelopes delivered while the subscription starts reach it.
      routes.set(label, [...(routes.get(label) ?? []), subscriber])
      const lifecycle = routing$.subscribe({
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      })
      return () => {
        const rest = (routes.get(label) ?? []).filter((s) => s !== subscriber)
        if (rest.length > 0) routes.set(label, rest)
        else routes.delete(label)
        lifecycle.unsubscribe()
      }
    })
  }
  return {
    events$: label$('EVENT'),
    eose$: label$('EOSE'),
    ok$: label$('OK'),
    notice$: label$('NOTICE'),
    closed$: label$('CLOSED'),
    auth$: label$('AUTH'),
    label$,
    subscriberCount: (label) => routes.get(label)?.length ?? 0,
  }
}
