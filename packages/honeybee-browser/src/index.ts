/**
 * @module honeybee-browser: the honeybee connection layer for browsers, on the native `WebSocket`.
 * Re-exports the whole core, so an application installs this one package; `connect` and `createPool`
 * have the same shape as honeybee-node's.
 *
 * What differs from Node, and why:
 * - health is an application-level probe (`withProbe`), since browsers cannot send ping frames;
 * - connections follow the page (`pageLifecycle`): `online` and the page becoming visible retry at
 *   once, `offline` waits without using up reconnect attempts, probes may rest while hidden;
 * - no headers, TLS or compression options: the browser decides the handshake.
 *
 * Nothing here imports `ws` or `node:*` (enforced by test/architecture.test.ts).
 */
export * from 'honeybee'
export { type BrowserConnectOptions, connect } from './connect.js'
export {
  type EventSourceLike,
  type PageLifecycle,
  type PageLifecycleSources,
  pageLifecycle,
} from './page-lifecycle.js'
export { pausedWhile } from './pausable-health.js'
export { type BrowserPoolOptions, createPool } from './pool.js'
export {
  type BrowserSocketOptions,
  browserSocketFactory,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transports/browser.js'
export {
  DEFAULT_PROBE_ID,
  PROBE_FILTER,
  type ProbeOptions,
  probeReply,
  withProbe,
} from './transports/probe.js'
