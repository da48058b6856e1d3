/**
 * @module The message router (spec honeybee §7): one inbound stream, split by label.
 *
 * Each envelope's label is read once with roots-ws `getLabel` (which reads only as far as the label),
 * however many routed streams are subscribed. A malformed envelope, or one whose label nobody expects,
 * is reported and counted, never fatal: the streams go on.
 */

import { getLabel, isStandardLabel, RootsError } from 'roots-ws'
import { filter, map, type Observable, share } from 'rxjs'
import { type HoneybeeError, ProtocolError } from './errors.js'

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

/** What the router needs besides the envelopes. */
export interface RouterOptions {
  /** Labels besides the standard ones that are expected. */
  readonly customLabels: readonly string[]
  /** Called for each envelope that could not be routed. */
  readonly report: (error: HoneybeeError) => void
}

interface Labelled {
  readonly label: string
  readonly envelope: string
}

/**
 * Routes `messages$` by label.
 * @example
 * ```ts
 * const router = createRouter(conn.messages$, { customLabels: ['COUNT'], report: console.warn })
 * router.eose$.subscribe((env) => findEOSE(env))
 * ```
 */
export function createRouter(messages$: Observable<string>, options: RouterOptions): Router {
  const expected = new Set(options.customLabels)
  const labelled$ = messages$.pipe(
    // Read each label once; drop what cannot be routed, saying why.
    map((envelope): Labelled | undefined => {
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
      if (!isStandardLabel(label) && !expected.has(label)) {
        options.report(
          new ProtocolError(
            'UnknownEnvelopeType',
            `dropped an envelope with unknown label ${JSON.stringify(label)}`,
          ),
        )
        return undefined
      }
      return { label, envelope }
    }),
    filter((routed): routed is Labelled => routed !== undefined),
    // One label read per envelope, shared by every routed stream.
    share(),
  )
  const label$ = (label: string): Observable<string> => {
    expected.add(label)
    return labelled$.pipe(
      filter((routed) => routed.label === label),
      map((routed) => routed.envelope),
    )
  }
  return {
    events$: label$('EVENT'),
    eose$: label$('EOSE'),
    ok$: label$('OK'),
    notice$: label$('NOTICE'),
    closed$: label$('CLOSED'),
    auth$: label$('AUTH'),
    label$,
  }
}
