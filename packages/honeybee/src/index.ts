/**
 * @module honeybee: RxJS-observable Nostr WebSocket connections, independent of the environment.
 *
 * Use it through an environment edition (`honeybee-node`, `honeybee-browser`), which binds a socket
 * factory; use it directly to bring your own {@link SocketFactory}.
 */
export { CloseCode, closeError, isRetriableClose, isRetriableHttpStatus } from './close-codes.js'
export {
  type CompressionConfig,
  type ConnectionConfig,
  DEFAULT_CONFIG,
  type HealthConfig,
  type PartialConfig,
  PROFILES,
  type ProfileName,
  type RateLimitConfig,
  type ReconnectConfig,
  resolveConfig,
  type WriteQueueConfig,
} from './config.js'
export {
  type Connection,
  type ConnectionComponents,
  type ConnectionOptions,
  createConnection,
} from './connection.js'
export { canTransition } from './connection-status.js'
export {
  ConnectionError,
  type ConnectionErrorCode,
  HoneybeeError,
  type HoneybeeErrorCode,
  ProtocolError,
  type ProtocolErrorCode,
  TimeoutError,
  type TimeoutErrorCode,
  UsageError,
  type UsageErrorCode,
} from './errors.js'
export { createHeartbeat, type HealthMonitor, type HealthSignal } from './heartbeat.js'
export {
  createMetrics,
  type MetricsCollector,
  type MetricsOptions,
  type MetricsSnapshot,
  metricsStream,
} from './metrics.js'
export { createTokenBucket, type RateLimiter, unlimited } from './rate-limiter.js'
export { backoffDelay, exponentialBackoff, type ReconnectPolicy } from './reconnect.js'
export { createRouter, type Router, type RouterOptions } from './router.js'
export type { CloseInfo, SocketFactory, SocketHandlers, SocketLike } from './socket.js'
export { createWriteQueue, type WriteQueue } from './write-queue.js'
