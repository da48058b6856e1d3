/**
 * The public API of each honeybee package, as a guard (STYLE G14, applesauce's exports test): a change
 * to what a package exports must show up here, on purpose, in the same commit. roots-ws has its own in
 * packages/roots-ws/src/exports.test.ts. The editions re-export the whole core and add their own.
 */
import { describe, expect, it } from 'vitest'

const CORE = [
  'BroadcastError',
  'CloseCode',
  'ConnectionError',
  'DEFAULT_CONFIG',
  'DEFAULT_MAX_SEEN_IDS',
  'DEFAULT_RESPONDER_LIMITS',
  'FRAME_HEAD_LENGTH',
  'HoneybeeError',
  'PROFILES',
  'ProtocolError',
  'REPLY_PREFIXES',
  'RelayError',
  'TimeoutError',
  'UsageError',
  'authenticated',
  'backoffDelay',
  'canTransition',
  'closeError',
  'createConnection',
  'createHeartbeat',
  'createMetrics',
  'createPool',
  'createRelayInfoFetcher',
  'createResponder',
  'createRouter',
  'createSubscriptionRegistry',
  'createTokenBucket',
  'createWriteQueue',
  'exponentialBackoff',
  'findCountRequest',
  'isRetriableClose',
  'isRetriableHttpStatus',
  'metricsStream',
  'normalizeRelayUrl',
  'parseReply',
  'publish',
  'readInbound',
  'relayInfoUrl',
  'relayInformation',
  'req',
  'resolveConfig',
  'resolveResponderLimits',
  'sendClose',
  'subscriptionsOf',
  'unlimited',
]

const EXPORTS: Record<string, readonly string[]> = {
  honeybee: CORE,
  'honeybee-node': [
    ...CORE,
    'acceptsInformation',
    'answerUpgradeRequired',
    'connect',
    'fromSocket',
    'handleInformationRequest',
    'serve',
    'wsAcceptor',
    'wsSocketFactory',
  ],
  'honeybee-browser': [
    ...CORE,
    'DEFAULT_PROBE_ID',
    'PROBE_FILTER',
    'browserSocketFactory',
    'connect',
    'pageLifecycle',
    'pausedWhile',
    'probeReply',
    'withProbe',
  ],
}

describe.each(Object.entries(EXPORTS))('%s', (name, expected) => {
  it('exports exactly its documented API', async () => {
    const module = (await import(name)) as Record<string, unknown>
    expect(Object.keys(module).sort()).toEqual([...expected].sort())
  })
})
