/**
 * The New run / New sweep form's rules, pure: the fields as typed (strings), checked in plain words
 * ("Population size: a whole number from 2 to 10,000"), and turned into a start request. The ranges
 * come from their owners (the algorithms' config schemas, the budget limits of the API contract).
 */
import { FIGS1_METHODS, PAPER_ROLLOUTS, PAPER_SEEDS } from '../../../core/analysis/fig4-figure'
import { describeConfig } from '../../../core/training/config'
import { MAX_FOOD_POINTS, MAX_TASK_SEED } from '../../../core/tasks/tasks'
import type { AlgorithmName, RunStartRequest, SweepStartRequest } from '../../../shared/api'

export type BudgetKind = 'generations' | 'evaluations' | 'seconds'

/** Which food layout: a polygon, `random:SEED`, or points drawn on the arena or imported from a file. */
export type TaskChoice =
  | { kind: 'polygon'; name: string }
  | { kind: 'random'; seed: string }
  | { kind: 'custom'; name: string; food: [number, number][] }

export interface NewRunFields {
  mode: 'run' | 'sweep'
  algorithm: AlgorithmName
  /** The sweep's algorithms. */
  algorithms: AlgorithmName[]
  environment: 'worm' | 'quadratic'
  dim: string
  task: TaskChoice
  /** One seed (a run), or a list / range (a sweep). */
  seed: string
  seeds: string
  budgetKind: BudgetKind
  budget: string
  /** Hyperparameters as typed, by key; empty means the default. */
  params: Record<string, string>
  name: string
}

/** Field → message; the keys are the fields' test ids' suffixes (seed, seeds, budget, param-KEY, ...). */
export type FieldErrors = Record<string, string>

const int = (n: number): string => n.toLocaleString('en-US')
const num = (n: number): string => (n < 0 ? `−${int(-n)}` : int(n))

/** A default as shown in a hint: numbers with a proper minus sign and thousands separators. */
export const formatValue = (v: unknown): string =>
  typeof v === 'number'
    ? v < 0
      ? `−${(-v).toLocaleString('en-US', { maximumFractionDigits: 10 })}`
      : v.toLocaleString('en-US', { maximumFractionDigits: 10 })
    : String(v)

export interface NumberRule {
  integer: boolean
  min: number | null
  max: number | null
  exclusiveMin?: boolean
  exclusiveMax?: boolean
  multipleOf?: number | null
}

/** The rule in words: "a whole number from 2 to 10,000", "a number above 0 and below 1". */
export function describeRule(r: NumberRule): string {
  let { min } = r
  let exMin = r.exclusiveMin ?? false
  if (r.integer && exMin && min !== null) {
    min = Math.floor(min) + 1
    exMin = false
  }
  const what = r.integer ? (r.multipleOf === 2 ? 'an even whole number' : 'a whole number') : 'a number'
  if (min !== null && r.max !== null) {
    if (!exMin && !r.exclusiveMax) return `${what} from ${num(min)} to ${num(r.max)}`
    return `${what} ${exMin ? 'above' : 'from'} ${num(min)} and ${r.exclusiveMax ? 'below' : 'at most'} ${num(r.max)}`
  }
  if (min !== null) return `${what} ${exMin ? 'above' : 'of at least'} ${num(min)}`
  if (r.max !== null) return `${what} ${r.exclusiveMax ? 'below' : 'of at most'} ${num(r.max)}`
  return what
}

/** A number typed in a field, or the message naming the field and the rule. */
export function parseNumber(
  label: string,
  text: string,
  rule: NumberRule,
  required = true
): { value: number | null } | { error: string } {
  const t = text.trim().replace(/[,_\s]/g, '')
  const words = describeRule(rule)
  if (t === '') return required ? { error: `${label}: required, ${words}` } : { value: null }
  const v = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : NaN
  const ok =
    Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    (rule.min === null || (rule.exclusiveMin ? v > rule.min : v >= rule.min)) &&
    (rule.max === null || (rule.exclusiveMax ? v < rule.max : v <= rule.max)) &&
    (!rule.multipleOf || v % rule.multipleOf === 0)
  return ok ? { value: v } : { error: `${label}: ${words}` }
}

const SEED_RULE: NumberRule = { integer: true, min: 0, max: MAX_TASK_SEED }
export const MAX_SWEEP_SEEDS = 1000

/** Seeds as typed for a sweep: a list `1, 2, 5`, a range `1-10`, or both (`1-3, 7`). */
export function parseSeeds(text: string): { value: number[] } | { error: string } {
  const rule = `a list like 1, 2, 5 or a range like 1-10, of whole numbers from 0 to ${int(MAX_TASK_SEED)}`
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean)
  if (!parts.length) return { error: `Seeds: required, ${rule}` }
  const seeds: number[] = []
  for (const p of parts) {
    const m = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(p)
    if (!m) return { error: `Seeds: '${p}' is not a seed or a range; give ${rule}` }
    const lo = Number(m[1])
    const hi = m[2] === undefined ? lo : Number(m[2])
    if (lo > MAX_TASK_SEED || hi > MAX_TASK_SEED) return { error: `Seeds: ${rule}` }
    if (hi < lo) return { error: `Seeds: the range ${p} runs backwards; write it low-high, e.g. ${hi}-${lo}` }
    if (seeds.length + hi - lo + 1 > MAX_SWEEP_SEEDS)
      return { error: `Seeds: at most ${int(MAX_SWEEP_SEEDS)} seeds in a sweep` }
    for (let s = lo; s <= hi; s++) {
      if (seeds.includes(s)) return { error: `Seeds: ${s} is listed twice` }
      seeds.push(s)
    }
  }
  return { value: seeds }
}

/**
 * The paper's Fig. 4 design as a sweep (what `lab report fig4` trains by default): the five methods and
 * Suppl. Fig. S1's random-init control, seeds 1–30, the pentagon, 179,200 rollouts each, and the
 * paper's hyperparameters (the defaults: the typed ones are cleared).
 */
export function paperFig4Preset(f: NewRunFields): NewRunFields {
  return {
    ...f,
    mode: 'sweep',
    algorithms: [...FIGS1_METHODS],
    seeds: `1-${PAPER_SEEDS}`,
    task: { kind: 'polygon', name: 'pentagon' },
    budgetKind: 'evaluations',
    budget: String(PAPER_ROLLOUTS),
    params: {}
  }
}

/** The budget limits of the API contract (src/shared/api-runs.ts budgetRequestSchema). */
export const BUDGET_RULES: Record<BudgetKind, NumberRule & { label: string }> = {
  generations: { label: 'Budget (generations)', integer: true, min: 1, max: 1_000_000 },
  evaluations: { label: 'Budget (rollouts)', integer: true, min: 1, max: 1_000_000_000 },
  seconds: { label: 'Budget (seconds)', integer: false, min: 0, exclusiveMin: true, max: 30 * 24 * 3600 }
}

/**
 * The hyperparameters of the form: the algorithm's, or for a sweep those of any of its algorithms (each
 * value then goes to the algorithms that have the key), with the algorithms that have each.
 */
export function formParams(
  algorithms: AlgorithmName[]
): (ReturnType<typeof describeConfig>[number] & { algorithms: AlgorithmName[] })[] {
  const byKey = new Map<string, ReturnType<typeof describeConfig>[number] & { algorithms: AlgorithmName[] }>()
  for (const a of algorithms)
    for (const d of describeConfig(a)) {
      const seen = byKey.get(d.key)
      if (seen) seen.algorithms.push(a)
      else byKey.set(d.key, { ...d, algorithms: [a] })
    }
  return [...byKey.values()]
}

/** The sweep's hyperparameters per algorithm: each value for the algorithms that have its key. */
function sweepConfig(
  algorithms: AlgorithmName[],
  config: Record<string, number | string>
): Record<string, Record<string, number | string>> {
  const params = formParams(algorithms)
  const out: Record<string, Record<string, number | string>> = {}
  for (const [key, value] of Object.entries(config))
    for (const a of params.find((d) => d.key === key)?.algorithms ?? []) (out[a] ??= {})[key] = value
  return out
}

function food(
  choice: TaskChoice,
  errors: FieldErrors
): { task?: string; environment?: RunStartRequest['environment'] } {
  if (choice.kind === 'polygon') return { task: choice.name }
  if (choice.kind === 'random') {
    const r = parseNumber('Layout seed', choice.seed, SEED_RULE)
    if ('error' in r) errors['task-seed'] = r.error
    return { task: `random:${'value' in r ? r.value : 0}` }
  }
  if (choice.food.length === 0)
    errors.layout = 'Food layout: place at least one food source on the arena, or import a file'
  else if (choice.food.length > MAX_FOOD_POINTS)
    errors.layout = `Food layout: at most ${int(MAX_FOOD_POINTS)} food sources`
  if (!/^[\w-]{1,32}$/.test(choice.name))
    errors['layout-name'] = 'Layout name: 1 to 32 letters, digits, - or _'
  return { environment: { id: 'worm', task: `custom:${choice.name}`, food: choice.food } }
}

/**
 * The start request of the form, or every field's error. Nothing is defaulted silently: an empty seed,
 * budget or layout seed is an error; an empty hyperparameter is its (paper) default.
 */
export function buildRequest(
  f: NewRunFields
): { run: RunStartRequest; sweep: SweepStartRequest | null } | { errors: FieldErrors } {
  const errors: FieldErrors = {}
  const algorithms = f.mode === 'sweep' ? f.algorithms : [f.algorithm]
  if (!algorithms.length) errors.algorithms = 'Algorithms: tick at least one algorithm for the sweep'

  const config: Record<string, number | string> = {}
  for (const d of formParams(algorithms)) {
    const text = f.params[d.key] ?? ''
    if (d.options) {
      // A choice (e.g. selection): empty is the default; anything else must be one of its options.
      if (text === '') continue
      if (d.options.includes(text)) config[d.key] = text
      else errors[`param-${d.key}`] = `${d.label}: one of ${d.options.join(', ')}`
      continue
    }
    const r = parseNumber(d.label, text, d, false)
    if ('error' in r) errors[`param-${d.key}`] = r.error
    else if (r.value !== null) config[d.key] = r.value
  }
  for (const [lo, hi] of [
    ['mutationLow', 'mutationHigh'],
    ['initLow', 'initHigh']
  ] as const) {
    const defaults = formParams(algorithms)
    const get = (k: string) =>
      (config[k] as number | undefined) ?? (defaults.find((d) => d.key === k)?.default as number | undefined)
    const [a, b] = [get(lo), get(hi)]
    if (a !== undefined && b !== undefined && a > b && !errors[`param-${hi}`])
      errors[`param-${hi}`] =
        `${defaults.find((d) => d.key === hi)?.label}: must not be below ${defaults.find((d) => d.key === lo)?.label} (${a})`
  }

  const rule = BUDGET_RULES[f.budgetKind]
  const budget = parseNumber(rule.label, f.budget, rule)
  if ('error' in budget) errors.budget = budget.error

  let seed = 0
  let seeds: number[] = []
  if (f.mode === 'run') {
    const r = parseNumber('Seed', f.seed, SEED_RULE)
    if ('error' in r) errors.seed = r.error
    else seed = r.value!
  } else {
    const r = parseSeeds(f.seeds)
    if ('error' in r) errors.seeds = r.error
    else seeds = r.value
  }

  const worm = f.mode === 'sweep' || f.environment === 'worm'
  let where: { task?: string; environment?: RunStartRequest['environment'] } = {}
  if (worm) where = food(f.task, errors)
  else {
    const r = parseNumber('Dimensions', f.dim, { integer: true, min: 1, max: 2_000_000 })
    if ('error' in r) errors.dim = r.error
    where = { environment: { id: 'quadratic', dim: 'value' in r ? r.value! : 1, seed } }
  }
  const name = f.name.trim()
  if (name.length > 120) errors.name = 'Name: at most 120 characters'
  if (Object.keys(errors).length) return { errors }

  const b = { [f.budgetKind]: (budget as { value: number }).value }
  const run: RunStartRequest = {
    algorithm: f.algorithm,
    ...where,
    seed,
    budget: b,
    config,
    ...(name ? { name } : {})
  }
  const sweep: SweepStartRequest | null =
    f.mode === 'sweep'
      ? {
          algorithms,
          ...(where.task ? { tasks: [where.task] } : { environment: where.environment }),
          seeds,
          budget: b,
          config: sweepConfig(algorithms, config),
          ...(name ? { name } : {})
        }
      : null
  return { run, sweep }
}
