import {
  BehaviorSubject,
  distinctUntilChanged,
  type Observable,
  type Observer,
  of,
  Subject,
  type Subscription,
  take,
} from 'rxjs'
import { describe, expect, it } from 'vitest'
import { HotStream, LatestStream } from './hot-stream.js'

/** Records what a subscriber sees: values, then '|' on completion. */
function record<T>(into: (T | '|')[]): { next: (value: T) => void; complete: () => void } {
  return { next: (value) => into.push(value), complete: () => into.push('|') }
}

describe('HotStream', () => {
  it('sends each value to the current subscribers, in subscription order; a late one gets only later values', () => {
    const stream = new HotStream<number>()
    const seen: string[] = []
    stream.emit(0) // nobody listens: dropped
    stream.subscribe((n) => seen.push(`a${n}`))
    stream.emit(1)
    stream.subscribe((n) => seen.push(`b${n}`))
    stream.subscribe((n) => seen.push(`c${n}`))
    stream.emit(2)
    expect(seen).toEqual(['a1', 'a2', 'b2', 'c2'])
  })

  it('sends nothing more to a subscriber that unsubscribed, and keeps serving the others', () => {
    const stream = new HotStream<number>()
    const a: number[] = []
    const b: number[] = []
    const first = stream.subscribe((n) => a.push(n))
    stream.subscribe((n) => b.push(n))
    stream.emit(1)
    first.unsubscribe()
    stream.emit(2)
    stream.subscribe((n) => a.push(n * 10)) // subscribing after an unsubscription (pruning) keeps the rest
    stream.emit(3)
    expect(a).toEqual([1, 30])
    expect(b).toEqual([1, 2, 3])
  })

  it('serves operators such as take(1), which unsubscribe on their own', () => {
    const stream = new HotStream<number>()
    const seen: (number | '|')[] = []
    stream.pipe(take(1)).subscribe(record(seen))
    stream.emit(1)
    stream.emit(2)
    expect(seen).toEqual([1, '|'])
  })

  it('behaves as a Subject when subscribers come and go during an emission', () => {
    const run = (stream: Observable<number>, next: (n: number) => void): string[] => {
      const seen: string[] = []
      const third: Subscription[] = []
      stream.subscribe((n) => {
        seen.push(`a${n}`)
        if (n !== 1) return
        third[0]?.unsubscribe() // not yet served this value: it gets nothing more
        stream.subscribe((m) => seen.push(`new${m}`)) // does not get the value being sent
      })
      stream.subscribe((n) => seen.push(`b${n}`))
      third.push(stream.subscribe((n) => seen.push(`c${n}`)))
      next(1)
      next(2)
      return seen
    }
    const ours = new HotStream<number>()
    const subject = new Subject<number>()
    const expected = run(subject.asObservable(), (n) => subject.next(n))
    expect(run(ours, (n) => ours.emit(n))).toEqual(expected)
    expect(expected).toEqual(['a1', 'b1', 'a2', 'b2', 'new2'])
  })

  it('is not an observer: handed to subscribe() by mistake, it is not fed', () => {
    const stream = new HotStream<number>()
    const seen: number[] = []
    stream.subscribe((n) => seen.push(n))
    // The types refuse it already. At run time it has no next(), so RxJS ignores it, as it ignores
    // a Subject's asObservable().
    of(1, 2).subscribe(stream as unknown as Partial<Observer<number>>)
    expect(seen).toEqual([])
    expect(stream.ended).toBe(false)
  })

  it('completes every subscriber once, and each later one at once', () => {
    const stream = new HotStream<number>()
    const a: (number | '|')[] = []
    const b: (number | '|')[] = []
    stream.subscribe(record(a))
    stream.subscribe(record(b))
    stream.end()
    stream.end()
    stream.emit(1)
    const late: (number | '|')[] = []
    stream.subscribe(record(late))
    expect([a, b, late]).toEqual([['|'], ['|'], ['|']])
    expect(stream.ended).toBe(true)
  })
})

describe('LatestStream', () => {
  it('replays the current value, then emits changes only, as a BehaviorSubject behind distinctUntilChanged', () => {
    const run = (stream: Observable<string>, next: (s: string) => void): (string | '|')[] => {
      const seen: (string | '|')[] = []
      stream.subscribe(record(seen))
      next('connected')
      next('closing')
      stream.subscribe((s) => seen.push(`late:${s}`))
      next('closing')
      next('closed')
      return seen
    }
    const ours = new LatestStream('connected')
    const subject = new BehaviorSubject('connected')
    const expected = run(subject.pipe(distinctUntilChanged()), (s) => subject.next(s))
    expect(run(ours, (s) => ours.emit(s))).toEqual(expected)
    expect(expected).toEqual(['connected', 'closing', 'late:closing', 'closed', 'late:closed'])
    expect(ours.value).toBe('closed')
  })

  it('does not replay once completed: a later subscriber only completes', () => {
    const stream = new LatestStream('closed')
    stream.end()
    const seen: (string | '|')[] = []
    stream.subscribe(record(seen))
    expect(seen).toEqual(['|'])
  })

  it('reaches a subscriber with a change it makes while its value is replayed, as a BehaviorSubject does', () => {
    const run = (stream: Observable<string>, next: (s: string) => void): string[] => {
      const seen: string[] = []
      stream.subscribe((s) => {
        seen.push(s)
        if (s === 'connected') next('closing')
      })
      return seen
    }
    const ours = new LatestStream('connected')
    const subject = new BehaviorSubject('connected')
    expect(run(ours, (s) => ours.emit(s))).toEqual(['connected', 'closing'])
    expect(run(subject.pipe(distinctUntilChanged()), (s) => subject.next(s))).toEqual([
      'connected',
      'closing',
    ])
  })
})
