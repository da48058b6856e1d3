import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { NOT_QUEUED, type TimerEntry, TimerQueue } from './timer-queue.js'

/** An entry that notes when it fired, and may do something then. */
function entry(name: string, fired: string[], then?: (now: number) => void): TimerEntry {
  return {
    due: 0,
    position: NOT_QUEUED,
    order: 0,
    fire(now) {
      fired.push(`${name}@${now}`)
      then?.(now)
    },
  }
}

function inVirtualTime(body: (scheduler: TestScheduler) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
  scheduler.run(() => {
    body(scheduler)
    scheduler.flush()
  })
}

describe('TimerQueue', () => {
  it('fires each entry at its own due time, with one scheduled action however many are queued', () => {
    inVirtualTime((scheduler) => {
      const queue = new TimerQueue(scheduler)
      const fired: string[] = []
      const dues = [70, 10, 40, 10, 90, 30, 60, 20, 50, 80]
      for (const [i, due] of dues.entries()) queue.schedule(entry(`e${i}`, fired), due)
      expect(queue.size).toBe(10)
      expect(scheduler.actions).toHaveLength(1)
      scheduler.flush()
      // Due at the same time (10): in the order they were queued.
      expect(fired).toEqual([
        'e1@10',
        'e3@10',
        'e7@20',
        'e5@30',
        'e2@40',
        'e8@50',
        'e6@60',
        'e0@70',
        'e9@80',
        'e4@90',
      ])
      expect(queue.size).toBe(0)
      expect(scheduler.actions).toHaveLength(0) // nothing armed once empty
    })
  })

  it('moves an entry scheduled again, and never fires a cancelled one', () => {
    inVirtualTime((scheduler) => {
      const queue = new TimerQueue(scheduler)
      const fired: string[] = []
      const a = entry('a', fired)
      const b = entry('b', fired)
      const c = entry('c', fired)
      queue.schedule(a, 10)
      queue.schedule(b, 20)
      queue.schedule(c, 30)
      queue.schedule(a, 25) // later
      queue.schedule(c, 5) // earlier: the timer is armed again for it
      queue.cancel(b)
      queue.cancel(b) // idempotent
      expect(b.position).toBe(NOT_QUEUED)
      scheduler.flush()
      expect(fired).toEqual(['c@5', 'a@25'])
      expect(scheduler.actions).toHaveLength(0)
    })
  })

  it('lets an entry queue itself again when it fires, and one that fires cancel or move another due with it', () => {
    inVirtualTime((scheduler) => {
      const queue = new TimerQueue(scheduler)
      const fired: string[] = []
      let repeats = 0
      const periodic: TimerEntry = entry('p', fired, (now) => {
        if (++repeats < 3) queue.schedule(periodic, now + 10)
      })
      const victim = entry('victim', fired)
      const moved = entry('moved', fired)
      const killer = entry('killer', fired, () => {
        queue.cancel(victim)
        queue.schedule(moved, 50)
      })
      queue.schedule(periodic, 10)
      queue.schedule(killer, 15)
      queue.schedule(victim, 15)
      queue.schedule(moved, 15)
      scheduler.flush()
      expect(fired).toEqual(['p@10', 'killer@15', 'p@20', 'p@30', 'moved@50'])
    })
  })

  it('fires an entry queued again for now in a later run, not in a loop', () => {
    inVirtualTime((scheduler) => {
      const queue = new TimerQueue(scheduler)
      const fired: string[] = []
      let left = 3
      const again: TimerEntry = entry('again', fired, (now) => {
        if (--left > 0) queue.schedule(again, now)
        else expect(scheduler.now()).toBe(10)
      })
      queue.schedule(again, 10)
      scheduler.flush()
      expect(fired).toEqual(['again@10', 'again@10', 'again@10'])
    })
  })

  it('fires an entry due in the past at once (in the next run)', () => {
    inVirtualTime((scheduler) => {
      const queue = new TimerQueue(scheduler)
      const fired: string[] = []
      scheduler.schedule(() => queue.schedule(entry('late', fired), 5), 20)
      scheduler.flush()
      expect(fired).toEqual(['late@20'])
    })
  })
})
