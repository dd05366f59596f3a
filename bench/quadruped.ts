/**
 * Quadruped speed on one core: MuJoCo WASM physics alone, the simulator step (physics + observation +
 * rewards), the plastic and static networks alone, and whole episodes (network included). When the
 * Debian package libmujoco-dev and a C compiler are present, a native MuJoCo anchor (./quadruped_anchor.c)
 * times the same model (without the contact sensor its older MuJoCo lacks) against the WASM build.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import type { MainModule } from '@mujoco/mujoco'
import { QuadrupedEnvironment } from '../src/core/env/quadruped/env'
import { quadrupedMjcf } from '../src/core/env/quadruped/mjcf'
import { QuadrupedSim } from '../src/core/env/quadruped/sim'
import { PlasticMlp } from '../src/core/hebbian/network'
import { Rng } from '../src/core/util/rng'
import { loadMujoco } from '../src/engine/mujoco'
import { fmt, isMain, median } from './util'

const ROOT = resolve(import.meta.dirname, '..')
const OUT = join(ROOT, '.bench')

/** The pattern both the WASM and the native loop drive the joints with (torques in ±1). */
const ctrl = (t: number, k: number): number => Math.sin(t * 0.1 * (1 + k * 0.37) + k * 1.3)

/** µs per environment step of bare physics: 4 mj_step + mj_kinematics, as QuadrupedSim.step does. */
function timePhysics(mj: MainModule, xml: string, steps: number): { us: number; x: number } {
  const model = mj.MjModel.from_xml_string(xml)
  const data = new mj.MjData(model)
  try {
    const qpos = data.qpos as Float64Array
    for (let k = 0; k < 8; k++) qpos[7 + k] = 0.05 * k - 0.2
    mj.mj_kinematics(model, data)
    const c = data.ctrl as Float64Array
    const t0 = performance.now()
    for (let t = 0; t < steps; t++) {
      for (let k = 0; k < 8; k++) c[k] = ctrl(t, k)
      for (let s = 0; s < 4; s++) mj.mj_step(model, data)
      mj.mj_kinematics(model, data)
    }
    return { us: ((performance.now() - t0) * 1000) / steps, x: (data.qpos as Float64Array)[0] }
  } finally {
    data.delete()
    model.delete()
  }
}

function timeSim(mj: MainModule, steps: number): number {
  const sim = new QuadrupedSim(mj)
  const a = new Float64Array(8)
  try {
    sim.reset(new Rng(1), 'intact')
    const t0 = performance.now()
    for (let t = 0; t < steps; t++) {
      for (let k = 0; k < 8; k++) a[k] = ctrl(t, k)
      sim.step(a)
    }
    return ((performance.now() - t0) * 1000) / steps
  } finally {
    sim.dispose()
  }
}

function timeNetwork(kind: 'hebbian' | 'static', steps: number): number {
  const net = new PlasticMlp({
    sizes: [28, 128, 64, 8],
    controller: kind === 'hebbian' ? { kind, rule: 'ABCD_lr', init: 'uniform' } : { kind },
    outputTanh: true,
    normalise: false
  })
  const rng = new Rng(2)
  // Small coefficients keep the weights bounded over the loop (the timing does not depend on values).
  net.setGenome(Float64Array.from({ length: net.genomeLength }, () => 0.01 * rng.normal()))
  net.resetWeights(rng)
  const input = Float64Array.from({ length: 28 }, () => rng.uniform(-1, 1))
  const t0 = performance.now()
  for (let t = 0; t < steps; t++) {
    input[t % 28] = Math.sin(t)
    net.forward(input)
    net.update()
  }
  return ((performance.now() - t0) * 1000) / steps
}

/** µs per environment step (warm-up steps included) of whole episodes, and the steps they ran. */
function timeEpisodes(mj: MainModule, kind: 'hebbian' | 'static', episodes: number): number {
  const env = new QuadrupedEnvironment(
    { id: 'quadruped', controller: kind === 'static' ? { kind } : undefined, morphologies: ['intact'] },
    () => mj
  )
  try {
    const rng = new Rng(3)
    const g = Float64Array.from({ length: env.layout.length }, () => rng.normal())
    let steps = 0
    const t0 = performance.now()
    for (let e = 0; e < episodes; e++) steps += env.episode(g, 'intact', e).steps + 40
    return ((performance.now() - t0) * 1000) / steps
  } finally {
    env.dispose()
  }
}

/** The model as MuJoCo 2.2 (Debian's libmujoco) reads it: without the contact sensor (new in 3.x). */
function compatXml(): string {
  return quadrupedMjcf('intact').replace(/ {2}<sensor>[\s\S]*<\/sensor>\n/, '')
}

function buildAnchor(): { bin: string } | { why: string } {
  if (!existsSync('/usr/include/mujoco/mujoco.h'))
    return { why: 'no native MuJoCo (apt-get install libmujoco-dev gives MuJoCo 2.2.2)' }
  mkdirSync(OUT, { recursive: true })
  const bin = join(OUT, 'quadruped_anchor')
  const cc = spawnSync(
    'cc',
    ['-O2', '-o', bin, join(import.meta.dirname, 'quadruped_anchor.c'), '-lmujoco', '-lm'],
    {
      encoding: 'utf8'
    }
  )
  return cc.status === 0
    ? { bin }
    : { why: `the C build failed: ${(cc.stderr || cc.error?.message || '').trim()}` }
}

function timeAnchor(bin: string, xmlPath: string, steps: number): { us: number; x: number } {
  const out = execFileSync(bin, [xmlPath, String(steps)], { encoding: 'utf8' })
  const m = /us_per_step ([\d.]+) x (-?[\d.]+)/.exec(out)
  if (!m) throw new Error(`unexpected anchor output: ${out}`)
  return { us: Number(m[1]), x: Number(m[2]) }
}

export async function benchQuadruped({ rounds = 5, steps = 2000, episodes = 3 } = {}): Promise<void> {
  const mj = await loadMujoco()
  console.log(`\n== Quadruped: MuJoCo WASM (single-thread build), one core ==`)
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} (other work shares the cores)`
  )
  const xml = quadrupedMjcf('intact')
  timePhysics(mj, xml, steps) // JIT and WASM warm-up
  timeSim(mj, steps)
  const physics: number[] = []
  const sim: number[] = []
  const hebb: number[] = []
  const stat: number[] = []
  const epHebb: number[] = []
  const epStat: number[] = []
  for (let r = 0; r < rounds; r++) {
    physics.push(timePhysics(mj, xml, steps).us)
    sim.push(timeSim(mj, steps))
    hebb.push(timeNetwork('hebbian', steps))
    stat.push(timeNetwork('static', steps))
    epHebb.push(timeEpisodes(mj, 'hebbian', episodes))
    epStat.push(timeEpisodes(mj, 'static', episodes))
  }
  const line = (label: string, us: number) =>
    console.log(`${label.padEnd(44)}: ${fmt(us)} µs  (${fmt(1e6 / us, 0)} steps/s)`)
  console.log(`(median of ${rounds} rounds; one environment step = 0.0165 s = 4 MuJoCo steps)`)
  line('physics (4 mj_step + mj_kinematics)', median(physics))
  line('simulator step (+ observation, rewards)', median(sim))
  line('network ABCD_lr (forward + Hebbian update)', median(hebb))
  line('network static (forward)', median(stat))
  line('episode, ABCD_lr network (per env step)', median(epHebb))
  line('episode, static network (per env step)', median(epStat))

  const anchor = buildAnchor()
  if ('why' in anchor) {
    console.log(`native anchor                               : unavailable (${anchor.why})`)
    return
  }
  const compat = compatXml()
  const xmlPath = join(OUT, 'quadruped_compat.xml')
  writeFileSync(xmlPath, compat)
  const wasm: number[] = []
  const native: number[] = []
  let check = { wasm: 0, native: 0 }
  for (let r = 0; r < rounds; r++) {
    const w = timePhysics(mj, compat, steps)
    const n = timeAnchor(anchor.bin, xmlPath, steps)
    wasm.push(w.us)
    native.push(n.us)
    check = { wasm: w.x, native: n.x }
  }
  console.log(`anchor: the model without its contact sensor, physics only, the same loop in C:`)
  line('  WASM MuJoCo 3.14', median(wasm))
  line('  native MuJoCo 2.2.2 (Debian, C -O2)', median(native))
  console.log(
    `  ratio WASM / native: ${fmt(median(wasm) / median(native), 2)}; torso x after ${steps} steps: ` +
      `WASM ${check.wasm.toFixed(4)}, native ${check.native.toFixed(4)} (versions differ; a chaotic system)`
  )
}

if (isMain(import.meta.url)) await benchQuadruped()
