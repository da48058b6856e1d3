/** The page lifecycle on injected event sources (Node's EventTarget standing in for window and document). */
import { describe, expect, it } from 'vitest'
import { pageLifecycle } from './page-lifecycle.js'

function fakePage(options: { onLine?: boolean; visibilityState?: string } = {}) {
  const navigator = { onLine: options.onLine ?? true }
  const window = Object.assign(new EventTarget(), { navigator })
  const document = Object.assign(new EventTarget(), { visibilityState: options.visibilityState ?? 'visible' })
  return { window, document, navigator }
}

describe('pageLifecycle', () => {
  it('network$: offline and online from the window, online when the page becomes visible', () => {
    const page = fakePage()
    const seen: string[] = []
    const sub = pageLifecycle(page).network$.subscribe((s) => seen.push(s))
    page.window.dispatchEvent(new Event('offline'))
    page.window.dispatchEvent(new Event('online'))
    page.document.visibilityState = 'hidden'
    page.document.dispatchEvent(new Event('visibilitychange'))
    page.document.visibilityState = 'visible'
    page.document.dispatchEvent(new Event('visibilitychange'))
    expect(seen).toEqual(['offline', 'online', 'online'])
    sub.unsubscribe()
  })

  it('network$: becoming visible while the browser says it is offline is no reason to retry', () => {
    const page = fakePage({ onLine: false })
    const seen: string[] = []
    const sub = pageLifecycle(page).network$.subscribe((s) => seen.push(s))
    page.document.dispatchEvent(new Event('visibilitychange'))
    expect(seen).toEqual(['offline']) // the state at subscription
    sub.unsubscribe()
  })

  it('listens only while subscribed', () => {
    const page = fakePage()
    const seen: string[] = []
    const lifecycle = pageLifecycle(page)
    page.window.dispatchEvent(new Event('offline'))
    const sub = lifecycle.network$.subscribe((s) => seen.push(s))
    sub.unsubscribe()
    page.window.dispatchEvent(new Event('online'))
    page.document.dispatchEvent(new Event('visibilitychange'))
    expect(seen).toEqual([])
  })

  it('hidden$: the visibility now, then each change', () => {
    const page = fakePage({ visibilityState: 'hidden' })
    const seen: boolean[] = []
    const sub = pageLifecycle(page).hidden$.subscribe((h) => seen.push(h))
    page.document.dispatchEvent(new Event('visibilitychange')) // no change
    page.document.visibilityState = 'visible'
    page.document.dispatchEvent(new Event('visibilitychange'))
    page.document.visibilityState = 'hidden'
    page.document.dispatchEvent(new Event('visibilitychange'))
    expect(seen).toEqual([true, false, true])
    sub.unsubscribe()
  })

  it('without sources: no network signals, never hidden', () => {
    const network: string[] = []
    const hidden: boolean[] = []
    const lifecycle = pageLifecycle({})
    let completed = false
    lifecycle.network$.subscribe({ next: (s) => network.push(s), complete: () => (completed = true) })
    lifecycle.hidden$.subscribe((h) => hidden.push(h))
    expect(network).toEqual([])
    expect(completed).toBe(true)
    expect(hidden).toEqual([false])
  })
})
