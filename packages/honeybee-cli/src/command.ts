/** @module What every `honeybee` command is: its help and its run function. */

/** One `honeybee` command. */
export interface Command {
  /** Its full `--help` text. */
  readonly help: string
  /**
   * Runs it with the arguments after its name. Resolves with the exit code once it is done.
   * @throws {ArgumentError} for a mistake in the arguments (exit code 2).
   */
  run(argv: readonly string[]): Promise<number>
}
