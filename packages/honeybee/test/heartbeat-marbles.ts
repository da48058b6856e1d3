/**
 * What the heartbeat marble tests share: a health config in milliseconds scaled down 1000× so that
 * marbles stay short (ping after 25, pong timeout 15, 3 misses), and the signals by marble letter.
 */
import type { HealthConfig } from '../src/config.js'

export const config: HealthConfig = { enabled: true, pingInterval: 25, pongTimeout: 15, failureThreshold: 3 }

export const signals = {
  p: { type: 'ping' },
  m: { type: 'missed', missed: 1 },
  n: { type: 'missed', missed: 2 },
  u: { type: 'unhealthy', missed: 3 },
} as const
