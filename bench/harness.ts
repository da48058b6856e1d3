/**
 * A small benchmark harness with no dependencies, built for noisy shared machines.
 *
 * {@link compare} runs its cases in interleaved rounds (A, B, C, then B, C, A, …) so that every case
 * sees the same background noise, and reports for each case the median time per operation over the
 * rounds, plus the ratio against a baseline case taken as the median of the per-round ratios: each
 * round's ratio compares two measurements made a few milliseconds apart, which cancels most of the
 * drift a shared machine has. Calibration and warm-up rounds come first and are not recorded.
 *
 * Every loop is bounded: a case runs a fixed number of iterations per round, and a comparison stops
 * after a fixed number of rounds or a time budget, whichever comes first.
 *
 * Cases may be synchronous (`() => unknown`) or asynchronous (`() => Promise<unknown>`); a case may
 * also declare how many units one call handles (for example, messages sent and received), so that
 * throughput suites report units per second.
 */
import { performance } from 'node:perf_hooks'

/** One operation to measure. Its result is consumed, so V8 cannot eliminate the work. */
export type CaseFn = () => unknown

/** A case with the number of units (messages, bytes, …) one call of `fn` handles. */
export interface CaseSpec {
  readonly fn: CaseFn
  /** Units one call handles; throughput is reported in units per second. Default 1. */
  readonly units?: number
}

export type Case = CaseFn | CaseSpec

export interface CompareOptions {
  /** The case the others are compared with. Default: the first one. */
  readonly baseline?: string
  /** Recorded rounds per case. Default 21. */
  readonly rounds?: number
  /** Unrecorded warm-up rounds per case, after calibration. Default 3. */
  readonly warmupRounds?: number
  /** Target duration of one round of one case, in milliseconds. Default 15. */
  readonly roundMs?: number
  /**
   * Time budget of the whole comparison, in milliseconds. Past it, no new round starts (at least 3
   * recorded rounds still run, so a median exists). Default 10 000.
   */
  readonly maxMs?: number
  /** The name of one unit, for the throughput column (`op`, `msg`, …). Default `op`. */
  readonly unit?: string
  /** A note printed under the table. */
  readonly note?: string
  /** The ratio every other case should reach against the baseline; the table says if it does. */
  readonly goal?: number
}

export interface CaseResult {
  readonly name: string
  /** Median time of one call over the recorded rounds, in nanoseconds. */
  readonly medianNsPerCall: number
  /** Median time of one unit, in nanoseconds (`medianNsPerCall / units`). */
  readonly medianNsPerUnit: number
  /** Units per second at the median. */
  readonly unitsPerSecond: number
  /** Baseline time over this case's time, the median of the per-round ratios (> 1: faster). */
  readonly ratio: number
  /** The interquartile range of the per-round ratios. */
  readonly ratioIqr: readonly [number, number]
  /** Relative spread of this case's rounds: interquartile range over median. */
  readonly relativeIqr: number
  /** Nanoseconds per call of each recorded round. */
  readonly roundsNsPerCall: readonly number[]
  /**
   * Nanoseconds of this process's CPU time (user + system, all threads: the garbage collector's
   * helpers too) per call of each recorded round. Less noisy than wall time on a shared machine, and
   * what a client costs its host.
   */
  readonly roundsCpuNsPerCall: readonly number[]
  /** Median CPU time of one unit, in nanoseconds. */
  readonly medianCpuNsPerUnit: number
  readonly callsPerRound: number
  readonly units: number
  readonly async: boolean
}

export interface ComparisonResult {
  readonly name: string
  readonly baseline: string
  readonly unit: string
  readonly cases: readonly CaseResult[]
  readonly note?: string
  readonly goal?: number
}

/** Where the loops store every call's result, so V8 cannot drop the calls. */
interface Sink {
  v: unknown
}
const sink: Sink = { v: undefined }

/** The last result a case returned (for debugging a suite). */
export function lastResult(): unknown {
  return sink.v
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  )
}

function collectGarbage(): void {
  // Available under `node --expose-gc`: start every round with a clean heap, so no case pays for the
  // garbage another one left behind.
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) gc()
}

type Loop = (fn: CaseFn, n: number, sink: Sink) => void | Promise<void>

/**
 * A new loop function for each case, compiled from source so that V8 gives each its own type
 * feedback: the call of `fn` stays monomorphic and inlinable, as in a real caller, instead of one
 * shared megamorphic call site whose overhead would blur the fastest cases.
 */
function makeLoop(async: boolean): Loop {
  const body = async
    ? 'return (async () => { for (let i = 0; i < n; i++) sink.v = await fn() })()'
    : 'for (let i = 0; i < n; i++) sink.v = fn()'
  return new Function('fn', 'n', 'sink', body) as Loop
}

interface Runner {
  readonly name: string
  readonly fn: CaseFn
  readonly units: number
  readonly async: boolean
  readonly loop: Loop
  calls: number
  readonly rounds: number[]
  readonly cpuRounds: number[]
}

/** Calls the case `n` times; returns the elapsed time in nanoseconds. */
/** The wall time and this process's CPU time (user + system, all threads) of one run of `body`, in ns. */
export interface Timing {
  readonly ns: number
  readonly cpuNs: number
}

/** Times `body`, awaiting it if it returns a promise. */
export async function timed(body: () => unknown): Promise<Timing> {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const pending = body()
  if (isThenable(pending)) await pending
  const ns = (performance.now() - start) * 1e6
  const { user, system } = process.cpuUsage(cpu)
  return { ns, cpuNs: (user + system) * 1e3 }
}

/** Runs `n` calls of `r`. */
function run(r: Runner, n: number): Promise<Timing> {
  return timed(() => r.loop(r.fn, n, sink))
}

async function calibrate(r: Runner, roundMs: number): Promise<void> {
  const targetNs = roundMs * 1e6
  let n = 1
  for (let attempt = 0; attempt < 40; attempt++) {
    const { ns } = await run(r, n)
    if (ns >= targetNs / 4 || n >= 1 << 30) {
      r.calls = Math.max(1, Math.round((n * targetNs) / Math.max(ns, 1)))
      return
    }
    n *= 2
  }
  r.calls = n
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b)
}

/**
 * Measures `cases` against each other in one interleaved run.
 *
 * @param name - the comparison's title
 * @param cases - the cases, by name; each call's result is consumed
 * @returns the medians and ratios, the baseline first
 */
export async function compare(
  name: string,
  cases: Readonly<Record<string, Case>>,
  opts: CompareOptions = {},
): Promise<ComparisonResult> {
  const rounds = opts.rounds ?? 21
  const warmupRounds = opts.warmupRounds ?? 3
  const roundMs = opts.roundMs ?? 15
  const maxMs = opts.maxMs ?? 10_000
  const unit = opts.unit ?? 'op'
  const names = Object.keys(cases)
  const baseline = opts.baseline ?? names[0]
  if (baseline === undefined || !(baseline in cases)) throw new Error(`${name}: no baseline case`)
  // The baseline first, so it leads the table.
  const ordered = [baseline, ...names.filter((n) => n !== baseline)]

  const runners: Runner[] = []
  for (const caseName of ordered) {
    const c = cases[caseName]!
    const fn = typeof c === 'function' ? c : c.fn
    const units = typeof c === 'function' ? 1 : (c.units ?? 1)
    const first = fn()
    const isAsync = isThenable(first)
    if (isAsync) await first
    runners.push({
      name: caseName,
      fn,
      units,
      async: isAsync,
      loop: makeLoop(isAsync),
      calls: 1,
      rounds: [],
      cpuRounds: [],
    })
  }

  const started = performance.now()
  for (const r of runners) await calibrate(r, roundMs)
  for (let round = 0; round < warmupRounds + rounds; round++) {
    const recorded = round >= warmupRounds
    if (recorded && round - warmupRounds >= 3 && performance.now() - started > maxMs) break
    // Rotate the starting case every round, so no case always runs right after the same other one.
    for (let k = 0; k < runners.length; k++) {
      const r = runners[(round + k) % runners.length]!
      collectGarbage()
      const { ns, cpuNs } = await run(r, r.calls)
      if (recorded) {
        r.rounds.push(ns / r.calls)
        r.cpuRounds.push(cpuNs / r.calls)
      }
    }
  }

  const base = runners[0]!
  const results = runners.map((r): CaseResult => {
    const s = sorted(r.rounds)
    const median = quantile(s, 0.5)
    const ratios = sorted(r.rounds.map((ns, i) => base.rounds[i]! / base.units / (ns / r.units)))
    return {
      name: r.name,
      medianNsPerCall: median,
      medianNsPerUnit: median / r.units,
      unitsPerSecond: (1e9 * r.units) / median,
      ratio: quantile(ratios, 0.5),
      ratioIqr: [quantile(ratios, 0.25), quantile(ratios, 0.75)],
      relativeIqr: (quantile(s, 0.75) - quantile(s, 0.25)) / median,
      roundsNsPerCall: r.rounds,
      roundsCpuNsPerCall: r.cpuRounds,
      medianCpuNsPerUnit: quantile(sorted(r.cpuRounds), 0.5) / r.units,
      callsPerRound: r.calls,
      units: r.units,
      async: r.async,
    }
  })
  return {
    name,
    baseline,
    unit,
    cases: results,
    ...(opts.note === undefined ? {} : { note: opts.note }),
    ...(opts.goal === undefined ? {} : { goal: opts.goal }),
  }
}

/**
 * A result that is not a timing comparison (a memory or latency table a suite measured its own way):
 * Markdown printed as it is, under the heading `name`, with its numbers in `data` for results.json.
 */
export interface ReportResult {
  readonly name: string
  readonly markdown: string
  readonly data?: unknown
}

/** What a suite returns: comparisons and reports, in the order they are printed. */
export type SuiteResult = ComparisonResult | ReportResult

function isReport(result: SuiteResult): result is ReportResult {
  return typeof (result as Partial<ReportResult>).markdown === 'string'
}

/** A comparison's table ({@link toMarkdown}), or a report's Markdown under its heading. */
export function render(result: SuiteResult): string {
  return isReport(result) ? [`#### ${result.name}`, '', result.markdown].join('\n') : toMarkdown(result)
}

/** `1234.5` → `1.23 µs`, with three significant digits. */
export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toPrecision(3)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`
  return `${ns.toPrecision(3)} ns`
}

/** `1234567` → `1.23 M`, with three significant digits. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e9) return `${(perSecond / 1e9).toPrecision(3)} G`
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)} M`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)} k`
  return perSecond.toPrecision(3)
}

function formatRatio(ratio: number): string {
  if (ratio >= 10) return `${ratio.toFixed(1)}×`
  return ratio >= 0.1 ? `${ratio.toFixed(2)}×` : `${ratio.toPrecision(2)}×`
}

/** A Markdown table of one comparison, with a heading and the note, if any. */
export function toMarkdown(result: ComparisonResult): string {
  const { unit } = result
  const lines = [
    `#### ${result.name}`,
    '',
    `| case | median time / ${unit} | ${unit}/s | ± (IQR/median) | vs \`${result.baseline}\` (IQR) |`,
    '| --- | ---: | ---: | ---: | ---: |',
  ]
  for (const c of result.cases) {
    const ratio =
      c.name === result.baseline
        ? '1 (baseline)'
        : `**${formatRatio(c.ratio)}** (${formatRatio(c.ratioIqr[0])}–${formatRatio(c.ratioIqr[1])})`
    const spread = `${(c.relativeIqr * 100).toFixed(1)} %`
    lines.push(
      `| \`${c.name}\` | ${formatDuration(c.medianNsPerUnit)} | ${formatRate(c.unitsPerSecond)} | ${spread} | ${ratio} |`,
    )
  }
  if (result.goal !== undefined) {
    const goal = result.goal
    const verdicts = result.cases
      .filter((c) => c.name !== result.baseline)
      .map((c) => {
        const verdict =
          c.ratio >= goal ? 'met' : `**missed** (${((c.ratio / goal) * 100).toFixed(0)} % of it)`
        return `\`${c.name}\` ${formatRatio(c.ratio)}: ${verdict}`
      })
    lines.push('', `Goal: ≥ ${formatRatio(goal)} the baseline. ${verdicts.join('; ')}.`)
  }
  if (result.note !== undefined) lines.push('', result.note)
  return lines.join('\n')
}
