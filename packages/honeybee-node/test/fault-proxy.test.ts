/** The fault proxy itself, on raw TCP: each mode does to the bytes what the other tests rely on. */
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { type FaultMode, FaultProxy } from './helpers/fault-proxy.js'
import { disposeAfterEach, sleep, until } from './helpers/wait.js'

const track = disposeAfterEach()

interface Peer {
  readonly socket: net.Socket
  readonly received: () => string
  readonly events: string[]
}

function observe(socket: net.Socket): Peer {
  let received = ''
  const events: string[] = []
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()))
  socket.on('end', () => events.push('end'))
  socket.on('error', (error: NodeJS.ErrnoException) => events.push(`error ${error.code}`))
  socket.on('close', () => events.push('close'))
  return { socket, received: () => received, events }
}

/** A TCP server, a proxy in front of it, and one client through the proxy, with both ends observed. */
async function rig(mode: FaultMode = 'pass'): Promise<{ proxy: FaultProxy; client: Peer; server: Peer }> {
  const servers: Peer[] = []
  const target = track(
    net.createServer({ allowHalfOpen: true }, (socket) => servers.push(observe(socket))),
    (s) => new Promise((resolve) => s.close(resolve)),
  )
  track(servers, (list) => {
    for (const peer of list) peer.socket.destroy()
  })
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve))
  const address = target.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  const proxy = track(new FaultProxy(address.port, mode), (p) => p.close())
  const url = new URL(await proxy.listen())
  const client = observe(
    track(net.connect({ host: '127.0.0.1', port: Number(url.port), allowHalfOpen: true }), (s) =>
      s.destroy(),
    ),
  )
  await until(() => proxy.accepted === 1, 'the proxy to accept')
  if (mode === 'stallHandshake') return { proxy, client, server: observe(new net.Socket()) }
  await until(() => servers.length === 1, 'the server to accept')
  return { proxy, client, server: servers[0]! }
}

describe('fault proxy', () => {
  it('pass: bytes both ways, and a FIN is passed on as a FIN', async () => {
    const { client, server } = await rig()
    client.socket.write('ping')
    server.socket.write('pong')
    await until(() => server.received() === 'ping' && client.received() === 'pong', 'bytes both ways')
    client.socket.end()
    await until(() => server.events.includes('end'), 'the FIN at the server')
    expect(server.events).not.toContain('error ECONNRESET')
  })

  it('blackhole: nothing crosses, neither bytes nor FIN, and both sockets stay open', async () => {
    const { proxy, client, server } = await rig()
    proxy.connection(0).setMode('blackhole')
    client.socket.write('lost')
    server.socket.write('lost too')
    server.socket.end()
    await sleep(50)
    expect(server.received()).toBe('')
    expect(client.received()).toBe('')
    expect(client.events).toEqual([])
    expect(client.socket.destroyed).toBe(false)
    expect(proxy.connection(0).upstream?.destroyed).toBe(false)
  })

  it('reset: both ends see ECONNRESET', async () => {
    const { proxy, client, server } = await rig()
    proxy.connection(0).setMode('reset')
    await until(() => client.events.includes('error ECONNRESET'), 'an RST at the client')
    await until(() => server.events.includes('error ECONNRESET'), 'an RST at the server')
  })

  it('fin: both ends see a clean end, no RST', async () => {
    const { proxy, client, server } = await rig()
    proxy.connection(0).setMode('fin')
    await until(() => client.events.includes('end') && server.events.includes('end'), 'a FIN at both ends')
    expect([...client.events, ...server.events]).not.toContain('error ECONNRESET')
  })

  it('delay: bytes arrive no sooner than the delay, in order', async () => {
    const { proxy, client, server } = await rig()
    proxy.connection(0).setMode({ delay: 50 })
    const sentAt = Date.now()
    for (let i = 0; i < 20; i++) client.socket.write(`${i},`)
    await until(() => server.received().length > 0, 'the first bytes')
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(45)
    const expected = Array.from({ length: 20 }, (_, i) => `${i},`).join('')
    await until(() => server.received() === expected, 'all bytes in order')
  })

  it('stallHandshake: accepts, never connects upstream, never answers; release forwards what was held', async () => {
    const { proxy, client } = await rig('stallHandshake')
    client.socket.write('GET / HTTP/1.1\r\n')
    await sleep(50)
    expect(proxy.connection(0).upstream).toBeUndefined()
    expect(client.received()).toBe('')
    expect(client.events).toEqual([])
    proxy.connection(0).setMode('pass')
    await until(
      () => proxy.connection(0).up.bytes === 'GET / HTTP/1.1\r\n'.length,
      'the held bytes forwarded',
    )
  })

  it('close() destroys every socket, even a blackholed one', async () => {
    const { proxy, client, server } = await rig()
    proxy.connection(0).setMode('blackhole')
    await proxy.close()
    await until(() => client.events.includes('end') && server.events.includes('end'), 'both ends closed')
    expect(proxy.connection(0).closed).toBe(true)
  })
})
