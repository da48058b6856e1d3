/**
 * @module The HTTP side of a relay's URL: the NIP-11 information document for requests that ask for
 * `application/nostr+json`, CORS for browsers, and `426 Upgrade Required` for everything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** NIP-11: relays must accept CORS requests. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
} as const

const MEDIA_TYPE = 'application/nostr+json'

/**
 * Whether the request's `Accept` header names `application/nostr+json` (parameters ignored).
 * @example
 * ```ts
 * acceptsInformation(request) // true for "Accept: text/html, application/nostr+json;q=0.9"
 * ```
 */
export function acceptsInformation(request: IncomingMessage): boolean {
  const accept = request.headers.accept
  if (accept === undefined) return false
  return accept.split(',').some((range) => range.split(';')[0]?.trim().toLowerCase() === MEDIA_TYPE)
}

/**
 * Answers a request for the NIP-11 document, if it is one: `GET`/`HEAD` with
 * `Accept: application/nostr+json` gets `document` as JSON; `OPTIONS` (a CORS preflight) gets 204.
 * Both carry the CORS headers. Returns `false`, having written nothing, for any other request.
 *
 * @param document - the JSON text of the document (serialize it once, not per request)
 * @example
 * ```ts
 * const document = JSON.stringify(relayInformation(resolveResponderLimits(), { name: 'my relay' }))
 * http.createServer((request, response) => {
 *   if (!handleInformationRequest(request, response, document)) myApp(request, response)
 * })
 * ```
 */
export function handleInformationRequest(
  request: IncomingMessage,
  response: ServerResponse,
  document: string,
): boolean {
  if (request.method === 'OPTIONS') {
    response.writeHead(204, { ...CORS_HEADERS, 'Access-Control-Max-Age': '86400' }).end()
    return true
  }
  if ((request.method !== 'GET' && request.method !== 'HEAD') || !acceptsInformation(request)) return false
  response.writeHead(200, {
    ...CORS_HEADERS,
    'Content-Type': MEDIA_TYPE,
    'Content-Length': Buffer.byteLength(document),
    Vary: 'Accept',
  })
  response.end(request.method === 'HEAD' ? undefined : document)
  return true
}

/**
 * Answers any other plain HTTP request to a relay's URL: `426 Upgrade Required` (with
 * `Upgrade: websocket`, as RFC 9110 asks), in plain text that says what the URL is.
 * @example
 * ```ts
 * if (!handleInformationRequest(request, response, document)) answerUpgradeRequired(response)
 * ```
 */
export function answerUpgradeRequired(response: ServerResponse): void {
  const body =
    'Upgrade Required: this is a Nostr relay. Connect with a WebSocket, or ask for its NIP-11 ' +
    `information document with "Accept: ${MEDIA_TYPE}".\n`
  response.writeHead(426, {
    ...CORS_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    Vary: 'Accept',
  })
  response.end(body)
}
