/**
 * @module honeybee-cli as a library: the embedded relay, for tests and tools that want one in-process.
 */
export { type AddResult, createEventStore, type EventStore } from './relay/event-store.js'
export { matchFilter, matchFilters } from './relay/filter.js'
export { type RelayOptions, type RunningRelay, startRelay } from './relay/relay.js'
export { type CreatedAtWindow, validateEvent } from './relay/validate.js'
