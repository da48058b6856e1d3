/**
 * Node 20 has no global `WebSocket`; NDK and Nostrify's `NRelay1` (through websocket-ts) take no socket
 * implementation as an option and use the global one. This installs `ws`'s for the duration of a test.
 */
import WebSocket from 'ws'

/** Sets `globalThis.WebSocket` to `ws`'s; returns the function that restores what was there. */
export function installGlobalWebSocket(): () => void {
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket')
  Object.defineProperty(globalThis, 'WebSocket', {
    value: WebSocket,
    writable: true,
    configurable: true,
    enumerable: false,
  })
  return () => {
    if (previous === undefined) Reflect.deleteProperty(globalThis, 'WebSocket')
    else Object.defineProperty(globalThis, 'WebSocket', previous)
  }
}
