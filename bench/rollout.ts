/**
 * Rollout speed on one core: the untrained connectome on the pentagon, timed alternately with the
 * plain C speed anchor (../shared/bench/worm_anchor.c) when a C compiler and ../shared are present.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { WormHebbianEnvironment } from '../src/core/env/worm-hebbian'
import { compileNetwork } from '../src/core/model/network'
import { WormSimulator, type PhaseProfile } from '../src/core/model/rollout'
import { taskByName } from '../src/core/tasks/tasks'
import { Rng } from '../src/core/util/rng'
import { readConnectome } from '../src/engine/resources'
import { fmt, isMain, median } from './util'

const ROOT = resolve(import.meta.dirname, '..')
const SHARED = resolve(ROOT, '..', 'shared')

function buildAnchor(): string | null {
  const src = join(SHARED, 'bench', 'worm_anchor.c')
  if (!existsSync(src)) return null
  const out = join(ROOT, '.bench')
  mkdirSync(out, { recursive: true })
  const bin = join(out, 'worm_anchor')
  const cc = spawnSync('cc', ['-O3', '-march=native', '-o', bin, src, '-lm'], { encoding: 'utf8' })
  return cc.status === 0 ? bin : null
}

function timeAnchor(bin: string, rollouts: number): { us: number; eaten: number; reward: number } {
  const out = execFileSync(
    bin,
    [join(SHARED, 'data', 'connectome', 'gopigo_edges.csv'), '5', String(rollouts)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }
  )
  const m = /eaten (\d+) reward ([\d.]+)\s+us_per_rollout ([\d.]+)/.exec(out)
  if (!m) throw new Error(`unexpected anchor output: ${out}`)
  return { eaten: Number(m[1]), reward: Number(m[2]), us: Number(m[3]) }
}

export function benchRollout({ rounds = 7, rollouts = 2000 } = {}): void {
  const c = readConnectome()
  const sim = new WormSimulator(compileNetwork(c))
  const task = taskByName('pentagon')
  const timeOurs = (): number => {
    const t0 = performance.now()
    for (let i = 0; i < rollouts; i++) sim.run(c.w0, task)
    return ((performance.now() - t0) * 1000) / rollouts
  }
  for (let i = 0; i < 500; i++) sim.run(c.w0, task) // JIT warm-up
  const first = sim.run(c.w0, task)
  console.log(`\n== Rollout: untrained connectome, pentagon, one core ==`)
  console.log(`result: ${first.foodEaten} eaten, reward ${first.reward.toFixed(6)}, ${first.spikes} spikes`)

  const anchor = buildAnchor()
  const ours: number[] = []
  const theirs: number[] = []
  for (let r = 0; r < rounds; r++) {
    if (anchor) theirs.push(timeAnchor(anchor, rollouts).us)
    ours.push(timeOurs())
  }
  const usOurs = median(ours)
  console.log(
    `TypeScript rollout : ${fmt(usOurs)} µs  (${fmt(1e6 / usOurs, 0)} rollouts/s; median of ${rounds} × ${rollouts})`
  )
  if (anchor) {
    const a = timeAnchor(anchor, 10)
    const usC = median(theirs)
    console.log(
      `C anchor (-O3)     : ${fmt(usC)} µs  (anchor result: ${a.eaten} eaten, reward ${a.reward.toFixed(6)})`
    )
    console.log(`ratio TS / C       : ${fmt(usOurs / usC, 3)}  (target ≤ 1.0)`)
  } else {
    console.log('C anchor           : skipped (no C compiler or ../shared/bench/worm_anchor.c)')
  }

  // The Hebbian worm (docs/environments.md): every synapse updated every step, random ABCD_lr coefficients.
  const hebb = new WormHebbianEnvironment({ id: 'worm-hebbian' }, c)
  const rng = new Rng(1)
  const coefficients = Float64Array.from({ length: hebb.layout.length }, () => 0.1 * rng.normal())
  const timeHebb = (): number => {
    const t0 = performance.now()
    for (let i = 0; i < rollouts / 10; i++) hebb.evaluate(coefficients)
    return ((performance.now() - t0) * 10000) / rollouts
  }
  timeHebb() // JIT warm-up
  const hebbOurs: number[] = []
  const hebbStatic: number[] = []
  for (let r = 0; r < rounds; r++) {
    hebbStatic.push(timeOurs())
    hebbOurs.push(timeHebb())
  }
  const usHebb = median(hebbOurs)
  console.log(
    `Hebbian worm       : ${fmt(usHebb)} µs  (${fmt(usHebb / median(hebbStatic), 1)} × the static rollout ` +
      `timed alternately; ABCD_lr, N(0, 0.1²) coefficients)`
  )

  const prof: PhaseProfile = { network: 0, sensing: 0, kinematics: 0 }
  const n = 1000
  const t0 = performance.now()
  for (let i = 0; i < n; i++) sim.run(c.w0, task, { profile: prof })
  const total = ((performance.now() - t0) * 1000) / n
  const us = (ms: number) => (ms * 1000) / n
  const rest = total - us(prof.network) - us(prof.sensing) - us(prof.kinematics)
  console.log(
    `profile per rollout (instrumented, ${fmt(total)} µs): network update ${fmt(us(prof.network))} µs, ` +
      `sensing+eating ${fmt(us(prof.sensing))} µs, kinematics ${fmt(us(prof.kinematics))} µs, ` +
      `setup/timer overhead ${fmt(rest)} µs`
  )
}

if (isMain(import.meta.url)) benchRollout()
