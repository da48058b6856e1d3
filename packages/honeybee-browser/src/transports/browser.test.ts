/**
 * The WebSocket adapter against a scripted WebSocket (in Node). The same adapter on Chromium's real
 * WebSocket is in test/*.test.ts.
 */
import type { CloseInfo, SocketHandlers } from 'honeybee'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { fakeWebSockets, last } from '../../test/helpers/fake-websocket.js'
import { browserSocketFactory, type WebSocketConstructor } from './browser.js'

interface Recorder extends SocketHandlers {
  readonly events: unknown[]
}

function recorder(): Recorder {
  const events: unknown[] = []
  return {
    events,
    onOpen: () => events.push('open'),
    onMessage: (data, byteLength) => events.push(['message', data, byteLength]),
    onPong: () => events.push('pong'),
    onClose: (info: CloseInfo) => events.push(['close', info]),
  }
}

describe('browserSocketFactory', () => {
  it('accepts the DOM WebSocket constructor as it is typed', () => {
    expectTypeOf<typeof WebSocket>().toExtend<WebSocketConstructor>()
  })

  it('reports open, text and binary frames, and asks for ArrayBuffers', () => {
    const fake = fakeWebSockets()
    const handlers = recorder()
    browserSocketFactory({ WebSocket: fake.WebSocket, protocols: 'nostr' })('ws://relay.test', handlers)
    const ws = last(fake.sockets)
    expect(ws.binaryType).toBe('arraybuffer')
    expect(ws.protocols).toBe('nostr')
    ws.open()
    ws.receive('["EOSE","a"]')
    ws.receive(new TextEncoder().encode('["NOTICE","é"]').buffer)
    expect(handlers.events).toEqual([
      'open',
      ['message', '["EOSE","a"]', 12],
      ['message', '["NOTICE","é"]', 15],
    ])
  })

  it('sends only while open, and exposes bufferedAmount for back pressure', () => {
    const fake = fakeWebSockets()
    const socket = browserSocketFactory({ WebSocket: fake.WebSocket })('ws://relay.test', recorder())
    const ws = last(fake.sockets)
    expect(socket.send('["REQ","a",{}]')).toBe(false)
    ws.open()
    expect(socket.send('["REQ","a",{}]')).toBe(true)
    expect(ws.sent).toEqual(['["REQ","a",{}]'])
    ws.bufferedAmount = 4096
    expect(socket.bufferedAmount).toBe(4096)
    ws.readyState = 2
    expect(socket.send('["CLOSE","a"]')).toBe(false)
    expect(socket).not.toHaveProperty('ping')
  })

  it('reports one close with the error when the socket failed', () => {
    const fake = fakeWebSockets()
    const handlers = recorder()
    browserSocketFactory({ WebSocket: fake.WebSocket })('ws://relay.test', handlers)
    last(fake.sockets).fail()
    expect(handlers.events).toHaveLength(1)
    const [, info] = handlers.events[0] as [string, CloseInfo]
    expect(info).toMatchObject({ code: 1006, reason: '' })
    expect(info.error).toBeInstanceOf(Error)
  })

  it('closes with a code the browser refuses by closing without one, never throwing', () => {
    const fake = fakeWebSockets()
    const socket = browserSocketFactory({ WebSocket: fake.WebSocket })('ws://relay.test', recorder())
    socket.close(1001, 'going away')
    expect(last(fake.sockets).closedWith).toEqual({ code: undefined, reason: undefined })
    socket.close(1000, 'done')
    expect(last(fake.sockets).closedWith).toEqual({ code: 1000, reason: 'done' })
  })

  it('terminate closes and detaches: nothing more reaches the core', () => {
    const fake = fakeWebSockets()
    const handlers = recorder()
    const socket = browserSocketFactory({ WebSocket: fake.WebSocket })('ws://relay.test', handlers)
    const ws = last(fake.sockets)
    ws.open()
    socket.terminate()
    expect(ws.closedWith).toBeDefined()
    ws.receive('["EOSE","late"]')
    ws.end(1000)
    expect(handlers.events).toEqual(['open'])
  })

  it('reports a URL the constructor refuses as a failed attempt, after returning', async () => {
    const fake = fakeWebSockets()
    const handlers = recorder()
    const socket = browserSocketFactory({ WebSocket: fake.WebSocket })('http://not-a-relay', handlers)
    expect(handlers.events).toEqual([])
    expect(socket.send('x')).toBe(false)
    await Promise.resolve()
    const [, info] = handlers.events[0] as [string, CloseInfo]
    expect(info.code).toBe(1006)
    expect(info.error).toBeInstanceOf(SyntaxError)
  })
})
