/** Argument parsers and option groups shared by the `lab` commands (commander). */
import { InvalidArgumentError, type Command } from 'commander'
import { ALGORITHM_NAMES } from '../core/training/config'
import type { AlgorithmName } from '../core/training/types'
import { MAX_WORKERS } from '../engine/pool/pool'
import { FILE_LIMITS, readRegularFile } from '../engine/fs-util'
import type { Budget } from '../engine/store/store'

/** Ranges of the numeric options (docs/limits.md). */
export const LIMITS = {
  workers: MAX_WORKERS,
  generations: 1_000_000,
  evaluations: 1_000_000_000,
  seconds: 30 * 24 * 3600,
  seed: 2 ** 32 - 1,
  port: 65_535,
  concurrency: 16
} as const

/** A decimal integer in [min, max]; anything else (empty, signs, hex, fractions) is refused. */
export const intArg =
  (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    const n = Number(value)
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got '${value}'`)
    return n
  }

export const positiveArg = (value: string): number => {
  const n = Number(value)
  const decimal = /^\s*(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)
  if (!decimal || !Number.isFinite(n) || n <= 0 || n > LIMITS.seconds)
    throw new InvalidArgumentError(
      `expected a positive number of seconds up to ${LIMITS.seconds}, got '${value}'`
    )
  return n
}

export function algorithmArg(value: string): AlgorithmName {
  if (!(ALGORITHM_NAMES as string[]).includes(value)) {
    throw new InvalidArgumentError(
      `unknown algorithm '${value}': expected one of ${ALGORITHM_NAMES.join(', ')}`
    )
  }
  return value as AlgorithmName
}

/** An option holding a JSON object inline, or the path of a JSON file; `flag` names it in errors. */
export function readJsonOption(value: string | undefined, flag: string): Record<string, unknown> {
  if (value === undefined) return {}
  if (value.trim() === '') throw new Error(`${flag} is empty: give a JSON object or the path of a JSON file`)
  let text = value
  if (!value.trim().startsWith('{')) {
    // A path: only a regular file within the size limit (a FIFO or /dev/zero is refused unopened).
    text = readRegularFile(value, { maxBytes: FILE_LIMITS.jsonOption, what: `${flag} file` }).toString('utf8')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new Error(`${flag} is not valid JSON: ${(e as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${flag} must be a JSON object`)
  return parsed as Record<string, unknown>
}

export interface BudgetOptions {
  generations?: number
  evaluations?: number
  seconds?: number
}

export function budgetOf(o: BudgetOptions, fallback: Budget): Budget {
  const b: Budget = {}
  if (o.generations) b.generations = o.generations
  if (o.evaluations) b.evaluations = o.evaluations
  if (o.seconds) b.seconds = o.seconds
  return Object.keys(b).length ? b : fallback
}

export const addBudgetOptions = (c: Command): Command =>
  c
    .option(
      '--generations <n>',
      'budget: generations (train defaults to 10 when no budget is given)',
      intArg(1, LIMITS.generations)
    )
    .option('--evaluations <n>', 'budget: evaluations (rollouts)', intArg(1, LIMITS.evaluations))
    .option('--seconds <s>', 'budget: wall-clock seconds', positiveArg)

export const addEngineOptions = (c: Command): Command =>
  c
    .option('--db <path>', 'workspace database (default: the per-user file shared with the desktop app)')
    .option(
      '--workers <n>',
      `worker processes, 1 to ${MAX_WORKERS} (default: CPU count − 1)`,
      intArg(1, MAX_WORKERS)
    )
    .option(
      '--backend <url>',
      'where rollouts run: local (the default: this machine’s worker pool) or redis://[:password@]host:port, rediss:// for TLS (workers: `lab worker`)'
    )

export interface EnvOptions {
  env?: string
  envConfig?: string
  task?: string
}

export const addEnvOptions = (c: Command): Command =>
  c
    .option(
      '--env <id>',
      'environment: worm (default), quadratic (a toy: maximise −‖g − t‖²) or quadruped (MuJoCo, Hebbian or static network)'
    )
    .option(
      '--env-config <json|file>',
      'environment options as JSON, e.g. {"model": {"steps": 200}} for the worm, {"dim": 100} for quadratic'
    )
    .option('--task <name>', 'worm food layout: triangle … octagon, or random:SEED (default: pentagon)')

/** The environment part of a run request from the options. */
export function environmentOf(o: EnvOptions): { environment: { id: string }; task?: string } {
  const options = readJsonOption(o.envConfig, '--env-config')
  if ('id' in options && o.env !== undefined && options.id !== o.env)
    throw new Error(`--env ${o.env} contradicts --env-config id '${String(options.id)}'`)
  const id = o.env ?? (typeof options.id === 'string' ? options.id : 'worm')
  return { environment: { ...options, id }, ...(o.task !== undefined ? { task: o.task } : {}) }
}
