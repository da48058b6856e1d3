/**
 * @module The one error type roots-ws throws.
 *
 * Every function in roots-ws either returns a value or throws a {@link RootsError}; nothing else ever
 * escapes, whatever the input (no `TypeError`, no `SyntaxError`, no stack overflow).
 */

/**
 * Why an envelope was refused.
 *
 * | code | meaning |
 * | --- | --- |
 * | `InvalidJSON` | the text is not valid JSON (anywhere in it, for `find*`) |
 * | `InvalidEnvelope` | valid JSON, but not a non-empty array whose first element is a string |
 * | `WrongEnvelopeLabel` | a different label than the function expects |
 * | `MissingField` | fewer elements than the envelope needs |
 * | `WrongFieldType` | an element of the wrong JSON type |
 */
export type RootsErrorCode =
  | 'InvalidJSON'
  | 'MissingField'
  | 'WrongFieldType'
  | 'InvalidEnvelope'
  | 'WrongEnvelopeLabel'

/**
 * A malformed or unexpected envelope. The peer that sent it is at fault: catch it, count it, drop the
 * envelope, and keep the connection.
 *
 * @example
 * ```ts
 * try {
 *   findOK(envelope)
 * } catch (error) {
 *   if (error instanceof RootsError && error.code === 'WrongEnvelopeLabel') return
 *   throw error
 * }
 * ```
 */
export class RootsError extends Error {
  override readonly name = 'RootsError'

  /** Stable machine-readable reason; see {@link RootsErrorCode}. */
  readonly code: RootsErrorCode

  constructor(code: RootsErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
