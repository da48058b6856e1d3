import { expect } from 'vitest'
import { RootsError, type RootsErrorCode } from '../src/errors.js'

/** Asserts that `f` throws a RootsError with `code` (class and code both, as ws's receiver tests do). */
export function expectRootsError(f: () => unknown, code: RootsErrorCode): RootsError {
  let thrown: unknown
  try {
    f()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(RootsError)
  expect((thrown as RootsError).code).toBe(code)
  return thrown as RootsError
}
