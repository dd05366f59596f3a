/**
 * MADS benchmark: solution quality against NOMAD 4 references and bookkeeping overhead per evaluation.
 *
 *   npx tsx bench/mads.ts
 *
 * Quality: x0 = 0, box [−1, 1]^n, median best value over 10 seeds for each problem / n / budget.
 * Overhead: mean time spent inside MADS (everything but the objective) per evaluation at n = 49, with free
 * objectives (NOMAD 4 spends about 4 ms per evaluation).
 */

import { pathToFileURL } from 'node:url'
import { madsMinimizeSync } from '../src/core/mads/mads'

export interface MadsBenchProblem {
  name: string
  f: (x: Float64Array) => number
}

export const madsBenchProblems: MadsBenchProblem[] = [
  {
    name: 'sphere',
    f: (x) => {
      let s = 0
      for (let i = 0; i < x.length; i++) s += (x[i] - 0.3) ** 2
      return s
    }
  },
  {
    name: 'rosenbrock',
    f: (x) => {
      let s = 0
      for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2
      return s
    }
  },
  {
    name: 'rugged',
    f: (x) => {
      let s = 0
      for (let i = 0; i < x.length; i++) {
        const u = x[i] - 0.3
        s += u * u + 0.1 * (1 - Math.cos(20 * Math.PI * u))
      }
      return s
    }
  }
]

/** Known NOMAD 4 medians (docs/optimizers.md calibration): n = 49, 200 evaluations. */
export const nomadReference: Record<string, number> = {
  'sphere/49/200': 2.89,
  'rosenbrock/49/200': 48
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m])
}

export function madsMedian(
  f: (x: Float64Array) => number,
  n: number,
  budget: number,
  seeds = 10
): { median: number; values: number[] } {
  const values: number[] = []
  for (let seed = 0; seed < seeds; seed++) {
    const r = madsMinimizeSync(f, new Float64Array(n), {
      lower: new Float64Array(n).fill(-1),
      upper: new Float64Array(n).fill(1),
      maxEvaluations: budget,
      seed
    })
    values.push(r.f)
  }
  return { median: median(values), values }
}

/** Mean bookkeeping µs per evaluation over `runs` runs of `budget` evaluations at dimension n. */
export function madsOverheadMicros(f: (x: Float64Array) => number, n = 49, budget = 1000, runs = 10): number {
  let ms = 0
  let evals = 0
  for (let seed = 0; seed < runs; seed++) {
    const r = madsMinimizeSync(f, new Float64Array(n), {
      lower: new Float64Array(n).fill(-1),
      upper: new Float64Array(n).fill(1),
      maxEvaluations: budget,
      seed
    })
    ms += r.bookkeepingMs ?? 0
    evals += r.evaluations
  }
  return (1000 * ms) / evals
}

export async function benchMads(): Promise<void> {
  console.log('MADS quality: x0 = 0, box [-1,1]^n, median best f over 10 seeds')
  console.log('problem      n  budget      f(x0)     median   NOMAD ref')
  for (const p of madsBenchProblems) {
    for (const n of [10, 49]) {
      const f0 = p.f(new Float64Array(n))
      for (const budget of [200, 1000]) {
        const { median: med } = madsMedian(p.f, n, budget)
        const ref = nomadReference[`${p.name}/${n}/${budget}`]
        console.log(
          `${p.name.padEnd(11)} ${String(n).padStart(2)} ${String(budget).padStart(7)} ${f0.toPrecision(4).padStart(10)} ` +
            `${med.toPrecision(4).padStart(10)} ${ref === undefined ? '' : ref.toPrecision(3).padStart(11)}`
        )
      }
    }
  }
  // Warm up the JIT before timing.
  madsOverheadMicros((x) => x[0], 49, 1000, 2)
  const sum = (x: Float64Array): number => {
    let s = 0
    for (let i = 0; i < x.length; i++) s += x[i]
    return s
  }
  const sumUs = madsOverheadMicros(sum)
  const sphereUs = madsOverheadMicros(madsBenchProblems[0].f)
  console.log(`MADS bookkeeping at n=49 (10 runs x 1000 evals): f = sum x: ${sumUs.toFixed(2)} us/eval`)
  console.log(`MADS bookkeeping at n=49 (10 runs x 1000 evals): f = sphere: ${sphereUs.toFixed(2)} us/eval`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchMads().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
