import { createPool, type NostrEvent, publish, req, serve } from 'honeybee-node'
import { filter, firstValueFrom, lastValueFrom, takeWhile, toArray } from 'rxjs'

// A tiny relay on the responder side: keeps events in memory, answers REQs with all of them.
const stored: string[] = []
const relay = await serve({ port: 0 })
relay.connections$.subscribe((peer) => {
  peer.events$.subscribe(({ event }) => {
    stored.push(event)
    peer.sendOK((JSON.parse(event) as NostrEvent).id, true, '')
  })
  peer.reqs$.subscribe(({ subId }) => {
    for (const event of stored) peer.sendEvent(subId, event)
    peer.sendEOSE(subId)
  })
})

// Two URLs for the same relay: the pool normalizes them and connects once.
const pool = createPool({ relays: [relay.url, `${relay.url}/`] })
console.log(pool.relays.length) // 1

const note: NostrEvent = {
  id: 'a'.repeat(64),
  pubkey: 'b'.repeat(64),
  created_at: 1,
  kind: 1,
  tags: [],
  content: 'hi',
  sig: 'c'.repeat(128),
}
const [verdict] = await lastValueFrom(pool.publish(note).pipe(toArray()))
console.log(verdict?.accepted) // true

// Subscribe across every relay; events are de-duplicated by id, and 'eose-all' marks the end of stored ones.
const messages = await lastValueFrom(
  pool.subscribe({ kinds: [1] }).pipe(
    takeWhile((m) => m.type !== 'eose-all'),
    toArray(),
  ),
)
console.log(messages.filter((m) => m.type === 'event').length) // 1

// The same verbs on one connection: req() is a cold observable that sends REQ, and CLOSE when unsubscribed.
const conn = pool.addRelay(relay.url)
const first = await firstValueFrom(req(conn, { kinds: [1] }).pipe(filter((m) => m.type === 'event')))
console.log(first.type === 'event' && first.event.content) // hi
const ok = await firstValueFrom(publish(conn, { ...note, id: 'd'.repeat(64) }))
console.log(ok.accepted) // true

pool.close()
await relay.close()
