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
  type RelayLimitsConfig,
  type ResubscribeConfig,
  resolveConfig,
  type WriteQueueConfig,
} from './config.js'
export {
  type Connection,
  type ConnectionComponents,
  type ConnectionHooks,
  type ConnectionOptions,
  createConnection,
  FRAME_HEAD_LENGTH,
  type FrameFilter,
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
export type { Filter, NostrEvent } from './nostr.js'
export { BroadcastError, createPool, type Pool, type PoolOptions } from './pool.js'
export type { PoolOkResult } from './pool-publish.js'
export type { PoolError, PoolStatuses } from './pool-status.js'
export { DEFAULT_MAX_SEEN_IDS, type PoolMessage, type PoolSubscribeOptions } from './pool-subscribe.js'
export { type OkResult, type PublishOptions, publish } from './publish.js'
export { createTokenBucket, type RateLimiter, unlimited } from './rate-limiter.js'
export { backoffDelay, exponentialBackoff, type ReconnectPolicy } from './reconnect.js'
export {
  createRelayInfoFetcher,
  type FetchLike,
  type RelayInfoFetcherOptions,
  relayInfoUrl,
} from './relay-info.js'
export {
  type RelayFee,
  type RelayInformation,
  type RelayLimitation,
  relayInformation,
} from './relay-information.js'
export { parseReply, REPLY_PREFIXES, RelayError, type RelayReply, type ReplyPrefix } from './relay-reply.js'
export { normalizeRelayUrl } from './relay-url.js'
export { authenticated, type ReqOptions, req } from './req.js'
export { createResponder } from './responder.js'
export type {
  InboundEvent,
  InboundRequest,
  ResponderComponents,
  ResponderConnection,
  ResponderOptions,
  SocketAcceptor,
} from './responder-connection.js'
export { findCountRequest, type InboundMessage, readInbound } from './responder-inbound.js'
export {
  DEFAULT_RESPONDER_LIMITS,
  type PartialResponderLimits,
  type ResponderLimits,
  resolveResponderLimits,
} from './responder-limits.js'
export { createRouter, type Router, type RouterOptions } from './router.js'
export { sendClose } from './send-close.js'
export { type AuthState, type OkMessage, subscriptionsOf } from './session.js'
export type { CloseInfo, SocketFactory, SocketHandlers, SocketLike } from './socket.js'
export {
  createSubscriptionRegistry,
  type RegistryContext,
  type SeenIds,
  type SubscriptionInfo,
  type SubscriptionMessage,
  type SubscriptionRegistry,
  type SubscriptionRequest,
} from './subscription-registry.js'
export { createWriteQueue, type WriteQueue } from './write-queue.js'
