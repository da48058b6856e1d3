import { connect } from 'honeybee-node'
import { encloseEOSE, encloseReq, encloseSubscriptionEvent, findSubscriptionEvent } from 'roots-ws'
import { WebSocketServer } from 'ws'

// A stand-in relay on a free loopback port: answers any REQ with one event and EOSE.
const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 })
await new Promise((resolve) => relay.once('listening', resolve))
relay.on('connection', (socket) =>
  socket.on('message', () => {
    socket.send(encloseSubscriptionEvent('feed', '{"id":"ab12","kind":1,"content":"hello"}'))
    socket.send(encloseEOSE('feed'))
  }),
)
const { port } = relay.address() as { port: number }

// Nothing connects until something subscribes (or sends); then one socket serves every stream.
const conn = connect(`ws://127.0.0.1:${port}`)
const statuses: string[] = []
conn.status$.subscribe((status) => statuses.push(status))
conn.events$.subscribe((envelope) => console.log(findSubscriptionEvent(envelope).event)) // {"id":"ab12","kind":1,"content":"hello"}
conn.eose$.subscribe(() => {
  console.log(conn.metrics().messagesReceived) // 2
  conn.close()
  relay.close()
  console.log(statuses.join(' → ')) // disconnected → connecting → connected → closing
})
conn.send(encloseReq('feed', ['{"kinds":[1]}'])) // held until the socket is open, then sent once
