/**
 * @module The page's lifecycle as observables: network reachability and visibility (spec: browser
 * environment patterns, "page visibility handling").
 *
 * The event sources are injected (`window`, `document`, or a test's `EventTarget`s), so nothing here
 * reads a global; the browser entry (`connect`) passes the real ones by default. Listeners are added
 * when a stream is subscribed and removed when it is unsubscribed: a connection listens only while it
 * is active.
 *
 * ```
 * window  'offline'                         ──► network$ 'offline'
 * window  'online'                          ──► network$ 'online'
 * document 'visibilitychange' → visible     ──► network$ 'online'   (unless navigator.onLine is false)
 * document 'visibilitychange'               ──► hidden$ true | false
 * ```
 */
import { distinctUntilChanged, merge, Observable, of } from 'rxjs'

/** Something that raises DOM-style events: `window`, `document`, a worker's `self`, an `EventTarget`. */
export interface EventSourceLike {
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
}

/** Where the page's lifecycle events come from. */
export interface PageLifecycleSources {
  /** Raises `online` and `offline`: the window (or a worker's `self`); `navigator.onLine` is read from it. */
  readonly window?: EventSourceLike & { readonly navigator?: { readonly onLine?: boolean } }
  /** Raises `visibilitychange` and tells `visibilityState` (`'visible'` or `'hidden'`): the document. */
  readonly document?: EventSourceLike & { readonly visibilityState: string }
}

/** The page's lifecycle, as a connection uses it. */
export interface PageLifecycle {
  /**
   * `'offline'` when the window says so; `'online'` when it says so, and when the page becomes
   * visible again while the network is not known to be down (a returning user should not wait out a
   * backoff delay). Starts with `'offline'` when `navigator.onLine` is false at subscription. Cold.
   */
  readonly network$: Observable<'online' | 'offline'>
  /** Whether the page is hidden: the current value on subscribe, then each change. Cold. */
  readonly hidden$: Observable<boolean>
}

/**
 * The lifecycle of the page `sources` describe. A missing source contributes nothing: no window, no
 * network signals; no document, a page that is never hidden.
 * @example
 * ```ts
 * const { network$ } = pageLifecycle({ window, document })
 * createConnection(url, { socketFactory, network$ })
 * ```
 */
export function pageLifecycle(sources: PageLifecycleSources): PageLifecycle {
  const { window, document } = sources
  const offline = (): boolean => window?.navigator?.onLine === false
  const isHidden = (): boolean => document !== undefined && document.visibilityState === 'hidden'

  const network$ = merge(
    window === undefined
      ? of<never>()
      : new Observable<'online' | 'offline'>((subscriber) => {
          if (offline()) subscriber.next('offline')
          const online = (): void => subscriber.next('online')
          const gone = (): void => subscriber.next('offline')
          window.addEventListener('online', online)
          window.addEventListener('offline', gone)
          return () => {
            window.removeEventListener('online', online)
            window.removeEventListener('offline', gone)
          }
        }),
    fromVisibility<'online'>(document, (subscriber) => {
      if (!isHidden() && !offline()) subscriber.next('online')
    }),
  )

  const hidden$ =
    document === undefined
      ? of(false)
      : fromVisibility<boolean>(document, (subscriber) => subscriber.next(isHidden()), true).pipe(
          distinctUntilChanged(),
        )

  return { network$, hidden$ }
}

/** Runs `onChange` on each `visibilitychange` of `document` (and once on subscribe when `initial`). */
function fromVisibility<T>(
  document: EventSourceLike | undefined,
  onChange: (subscriber: { next(value: T): void }) => void,
  initial = false,
): Observable<T> {
  if (document === undefined) return of<never>()
  return new Observable<T>((subscriber) => {
    const changed = (): void => onChange(subscriber)
    if (initial) changed()
    document.addEventListener('visibilitychange', changed)
    return () => document.removeEventListener('visibilitychange', changed)
  })
}
