/**
 * @module honeybee-node: the honeybee connection layer for Node, on `ws`. Re-exports the whole core,
 * so an application installs this one package.
 */
export * from 'honeybee'
export { connect, type NodeConnectOptions } from './connect.js'
export { fromSocket, wsAcceptor } from './from-socket.js'
export {
  acceptsInformation,
  answerUpgradeRequired,
  handleInformationRequest,
} from './information-document.js'
export { createPool, type NodePoolOptions } from './pool.js'
export { type RelayServer, type ServeOptions, serve } from './serve.js'
export { type TlsOptions, type WsSocketOptions, wsSocketFactory } from './ws-socket.js'
