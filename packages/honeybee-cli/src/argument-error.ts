/**
 * @module The error for a mistake in what the user typed, and how any error becomes one line.
 *
 * Kept apart from `args.ts` (which loads honeybee-node) so that `cli.ts` can answer `--help` and report
 * an unknown command without loading the stack.
 */

/** What the user typed is wrong; the message is one line that says what and where. `cli.ts` exits 2. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError'
}

/** `text` with every run of line breaks replaced by a space. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

/** The first sentence of `message`, its first letter in lower case, on one line. */
export function firstSentence(message: string): string {
  const line = oneLine(message)
  const end = line.search(/\.(\s|$)/)
  const sentence = end === -1 ? line : line.slice(0, end)
  return sentence.charAt(0).toLowerCase() + sentence.slice(1)
}
