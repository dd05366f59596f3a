/* Longer than 400 lines on purpose: every MADS component (mesh, poll, simplex, quad, cache) is tested
 * against the same reference problems defined once at the top. */
import { describe, it, expect } from 'vitest'
import { GMesh, MadsSearch, madsMinimize, madsMinimizeSync } from '../../src/core/mads/mads'
import type { MadsOptions, MadsResult } from '../../src/core/mads/mads'
import { NmSimplex } from '../../src/core/mads/simplex'
import { Rng } from '../../src/core/util/rng'

const sphere = (x: Float64Array): number => {
  let s = 0
  for (let i = 0; i < x.length; i++) s += (x[i] - 0.3) ** 2
  return s
}
const rosenbrock = (x: Float64Array): number => {
  let s = 0
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2
  return s
}
const rugged = (x: Float64Array): number => {
  let s = 0
  for (let i = 0; i < x.length; i++) {
    const u = x[i] - 0.3
    s += u * u + 0.1 * (1 - Math.cos(20 * Math.PI * u))
  }
  return s
}
const sumX = (x: Float64Array): number => {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]
  return s
}

function box(n: number, half = 1): { lower: Float64Array; upper: Float64Array } {
  return { lower: new Float64Array(n).fill(-half), upper: new Float64Array(n).fill(half) }
}

function opts(
  n: number,
  maxEvaluations: number,
  seed: number,
  extra: Partial<MadsOptions> = {}
): MadsOptions {
  return { ...box(n), maxEvaluations, seed, ...extra }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m])
}

/** Rank of a list of vectors (Gaussian elimination with partial pivoting). */
function rank(vectors: Float64Array[], tol = 1e-9): number {
  const rows = vectors.map((v) => Array.from(v))
  const n = rows.length ? rows[0].length : 0
  let r = 0
  for (let c = 0; c < n && r < rows.length; c++) {
    let p = r
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i][c]) > Math.abs(rows[p][c])) p = i
    if (Math.abs(rows[p][c]) < tol) continue
    ;[rows[r], rows[p]] = [rows[p], rows[r]]
    for (let i = r + 1; i < rows.length; i++) {
      const f = rows[i][c] / rows[r][c]
      for (let j = c; j < n; j++) rows[i][j] -= f * rows[r][j]
    }
    r++
  }
  return r
}

function isMultiple(v: number, step: number): boolean {
  const k = v / step
  return Math.abs(k - Math.round(k)) < 1e-9 * Math.max(1, Math.abs(k))
}

describe('GMesh', () => {
  it('starts at Δ = δ = 1 for a ±1 box (0.1·(ub − lb) = 0.2 truncated by the granular mesh)', () => {
    const mesh = GMesh.fromBounds([-1, -1, -1], [1, 1, 1])
    for (let i = 0; i < 3; i++) {
      expect(mesh.frameSize(i)).toBe(1)
      expect(mesh.meshSize(i)).toBe(1)
      expect(mesh.rho(i)).toBe(1)
    }
  })

  it('truncates other initial frames like NOMAD (exponent toward zero, mantissa to 1-2-5)', () => {
    // ±0.2 box → 0.04 → 0.1; width 20 → 2 → 2 (δ = 1); width 400 → 40 → 50 (δ = 10); width 1 → 0.1 → 0.1.
    const mesh = GMesh.fromBounds([-0.2, -10, -200, 0], [0.2, 10, 200, 1])
    expect([0, 1, 2, 3].map((i) => mesh.frameSize(i))).toEqual([0.1, 2, 50, 0.1])
    expect([0, 1, 2, 3].map((i) => mesh.meshSize(i))).toEqual([0.1, 1, 10, 0.1])
    expect([0, 1, 2, 3].map((i) => mesh.rho(i))).toEqual([1, 2, 5, 1])
  })

  it('refines on failure through 1 → 0.5 → 0.2 → 0.1 → 0.05, the mesh shrinking faster below the start', () => {
    const mesh = GMesh.fromBounds([-1, -1], [1, 1])
    const frames: number[] = []
    const meshes: number[] = []
    for (let k = 0; k < 5; k++) {
      frames.push(mesh.frameSize(0))
      meshes.push(mesh.meshSize(0))
      mesh.refine()
    }
    expect(frames).toEqual([1, 0.5, 0.2, 0.1, 0.05])
    expect(meshes).toEqual([1, 0.01, 0.01, 0.01, 1e-4])
    expect(mesh.frameSize(1)).toBe(0.02)
    for (let k = 0; k < 5; k++) expect(mesh.frameSize(0) / mesh.meshSize(0)).toBeCloseTo(mesh.rho(0), 9)
  })

  it('enlarges on success only the coordinates with |dᵢ| > 0.1·Δᵢ (anisotropy), ×2, ×2.5, ×2', () => {
    const mesh = GMesh.fromBounds([-1, -1, -1, -1], [1, 1, 1, 1])
    mesh.refine()
    mesh.refine() // Δ = 0.2 everywhere
    const changed = mesh.enlarge([0.2, 0.01, -0.03, 0])
    expect(changed).toBe(true)
    expect([0, 1, 2, 3].map((i) => mesh.frameSize(i))).toEqual([0.5, 0.2, 0.5, 0.2])
    // Exactly 0.1·Δ is not enough (strict inequality).
    expect(mesh.enlarge([0, 0.02, 0, 0])).toBe(false)
    expect(mesh.frameSize(1)).toBe(0.2)
    // The 1-2-5 cycle upward, with δ back at its initial value once Δ ≥ its start.
    const up = GMesh.fromBounds([-1], [1])
    const seen: number[] = []
    for (let k = 0; k < 4; k++) {
      up.enlarge([100])
      seen.push(up.frameSize(0))
      expect(up.meshSize(0)).toBe(1)
    }
    expect(seen).toEqual([2, 5, 10, 20])
  })

  it('projects directions onto the frame (largest coordinate = Δ) with coordinates multiple of δ', () => {
    const mesh = GMesh.fromBounds([-1, -1, -1, -1, -1], [1, 1, 1, 1, 1])
    mesh.refine() // Δ = 0.5, δ = 0.01
    const rng = new Rng(3)
    const out = new Float64Array(5)
    for (let t = 0; t < 20; t++) {
      const dir = Array.from({ length: 5 }, () => rng.normal())
      mesh.projectDirection(dir, out)
      const imax = dir.reduce((b, v, i) => (Math.abs(v) > Math.abs(dir[b]) ? i : b), 0)
      expect(Math.abs(out[imax])).toBeCloseTo(0.5, 12)
      for (let i = 0; i < 5; i++) {
        expect(isMultiple(out[i], mesh.meshSize(i))).toBe(true)
        expect(Math.abs(out[i])).toBeLessThanOrEqual(0.5 + 1e-12)
      }
    }
    const x = new Float64Array(5)
    mesh.project([0.123456, -0.4444, 0.005, 0.015, 1], [0.1, 0.2, 0.3, 0.4, 0.5], x)
    const center = [0.1, 0.2, 0.3, 0.4, 0.5]
    for (let i = 0; i < 5; i++) expect(isMultiple(x[i] - center[i], 0.01)).toBe(true)
    expect(x[0]).toBeCloseTo(0.12, 12)
  })

  it('reports the −50 mesh-index stopping rule', () => {
    const mesh = GMesh.fromBounds([-1], [1])
    let k = 0
    while (!mesh.allMeshIndicesBelow(-50)) {
      mesh.refine()
      k++
    }
    expect(mesh.meshIndex(0)).toBeLessThan(-50)
    expect(k).toBeGreaterThan(30)
  })
})

describe('NmSimplex affine-independence test', () => {
  /** Distance of x from the affine hull of pts (least squares through Gram–Schmidt), in plain arithmetic. */
  function distToHull(pts: number[][], x: number[]): number {
    const base = pts[0]
    const basis: number[][] = []
    for (const p of pts.slice(1)) {
      const v = p.map((c, i) => c - base[i])
      for (const b of basis) {
        const d = v.reduce((s, c, i) => s + c * b[i], 0)
        for (let i = 0; i < v.length; i++) v[i] -= d * b[i]
      }
      const nv = Math.hypot(...v)
      if (nv > 1e-12) basis.push(v.map((c) => c / nv))
    }
    const r = x.map((c, i) => c - base[i])
    for (const b of basis) {
      const d = r.reduce((s, c, i) => s + c * b[i], 0)
      for (let i = 0; i < r.length; i++) r[i] -= d * b[i]
    }
    return Math.hypot(...r)
  }

  it('accepts or rejects replacements exactly like a brute-force distance check, over many updates', () => {
    const n = 5
    const rng = new Rng(11)
    const frame = new Float64Array(n).fill(1)
    const S = new NmSimplex(n, 0.01)
    const flat = new Float64Array((n + 1) * n)
    for (let k = 0; k < flat.length; k++) flat[k] = rng.normal()
    S.begin(flat.subarray(0, n), 0, frame)
    for (let k = 1; k <= n; k++) expect(S.tryAdd(flat, k * n, k)).toBe(true)
    expect(S.complete).toBe(true)
    let accepted = 0
    let rejected = 0
    for (let step = 0; step < 60; step++) {
      const s = S.worstSlot()
      const others: number[][] = []
      for (let j = 0; j <= n; j++) if (j !== s) others.push(Array.from(S.pts.subarray(j * n, (j + 1) * n)))
      // Half of the trials lie (almost) in the hyperplane of the other vertices.
      const x = new Float64Array(n)
      if (step % 2 === 0) {
        const w = others.map(() => rng.next())
        const ws = w.reduce((a, b) => a + b, 0)
        for (let j = 0; j < others.length; j++) for (let i = 0; i < n; i++) x[i] += (w[j] / ws) * others[j][i]
        x[0] += step % 4 === 0 ? 1e-4 : 0.5
      } else {
        for (let i = 0; i < n; i++) x[i] = rng.normal()
      }
      const expected = distToHull(others, Array.from(x)) > 0.01
      const got = S.canReplaceWorst(x)
      expect(got).toBe(expected)
      if (got) {
        S.replaceWorst(x, -step) // always becomes the best, so the worst slot rotates
        accepted++
      } else rejected++
    }
    expect(accepted).toBeGreaterThan(20)
    expect(rejected).toBeGreaterThan(5)
  })

  it('rejects an initial candidate that is affinely dependent on the vertices so far', () => {
    const S = new NmSimplex(3, 0.01)
    S.begin([0, 0, 0], 0, [1, 1, 1])
    const pts = new Float64Array([1, 0, 0, 2, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1])
    expect(S.tryAdd(pts, 0, 1)).toBe(true)
    expect(S.tryAdd(pts, 3, 2)).toBe(false) // collinear with the first edge
    expect(S.tryAdd(pts, 6, 3)).toBe(true)
    expect(S.tryAdd(pts, 9, 4)).toBe(false) // in the plane z = 0
    expect(S.tryAdd(pts, 12, 5)).toBe(true)
    expect(S.complete).toBe(true)
  })
})

describe('MADS poll', () => {
  /**
   * With f constant nothing improves, so with the searches off every iteration is one full poll: n points
   * along the kept directions, then the point along −(their sum). The ±10 box starts at Δ = 2, δ = 1.
   */
  function recordPolls(n: number, iterations: number, seed: number) {
    const points: Float64Array[] = []
    const lower = new Float64Array(n).fill(-10)
    const upper = new Float64Array(n).fill(10)
    madsMinimizeSync(
      (x) => {
        points.push(Float64Array.from(x))
        return 0
      },
      new Float64Array(n),
      {
        lower,
        upper,
        maxEvaluations: 1 + iterations * (n + 1),
        seed,
        speculativeSearch: false,
        nelderMead: false,
        quadModel: false
      }
    )
    const mesh = GMesh.fromBounds(lower, upper)
    const polls: { dirs: Float64Array[]; last: Float64Array; frame: number; meshSize: number }[] = []
    for (let it = 0; it < iterations; it++) {
      const block = points.slice(1 + it * (n + 1), 1 + (it + 1) * (n + 1))
      polls.push({
        dirs: block.slice(0, n),
        last: block[n],
        frame: mesh.frameSize(0),
        meshSize: mesh.meshSize(0)
      })
      mesh.refine()
    }
    return polls
  }

  it('uses n directions of rank n on the mesh and frame, and −(their sum) as the (n+1)-th point', () => {
    const n = 8
    const polls = recordPolls(n, 5, 7)
    const rng = new Rng(99)
    for (const { dirs, last, frame, meshSize } of polls) {
      expect(rank(dirs)).toBe(n)
      const sum = new Float64Array(n)
      for (const d of dirs) {
        let inf = 0
        for (let i = 0; i < n; i++) {
          expect(isMultiple(d[i], meshSize)).toBe(true)
          inf = Math.max(inf, Math.abs(d[i]))
          sum[i] += d[i]
        }
        expect(inf).toBeCloseTo(frame, 12) // scaled to the frame in ∞-norm
      }
      for (let i = 0; i < n; i++) expect(last[i]).toBeCloseTo(-sum[i], 12)
      // Positive spanning set: every direction u has a positive dot product with one of the n + 1.
      const all = [...dirs, last]
      const probes: number[][] = []
      for (let i = 0; i < n; i++) {
        const e = new Array<number>(n).fill(0)
        e[i] = 1
        probes.push(
          e,
          e.map((v) => -v)
        )
      }
      for (let t = 0; t < 200; t++) probes.push(Array.from({ length: n }, () => rng.normal()))
      for (const u of probes) {
        const best = Math.max(...all.map((d) => d.reduce((s, v, i) => s + v * u[i], 0)))
        expect(best).toBeGreaterThan(0)
      }
    }
    // Past the first refinement the directions are genuinely oblique (not coordinate steps).
    const oblique = polls[3].dirs.some((d) => d.filter((v) => v !== 0).length > 1)
    expect(oblique).toBe(true)
  })
})

describe('MADS driver behaviour', () => {
  it('evaluates x0 first and only points inside the bounds, whatever the search', () => {
    const cases: {
      n: number
      f: (x: Float64Array) => number
      lower: number[]
      upper: number[]
      block: number
    }[] = [
      { n: 10, f: sumX, lower: [-1], upper: [1], block: 1 },
      { n: 10, f: (x) => -sphere(x), lower: [-0.2], upper: [0.7], block: 4 },
      { n: 49, f: sumX, lower: [-1], upper: [1], block: 1 },
      { n: 49, f: rosenbrock, lower: [-0.5], upper: [0.25], block: 8 }
    ]
    for (const c of cases) {
      const lower = new Float64Array(c.n).fill(c.lower[0])
      const upper = new Float64Array(c.n).fill(c.upper[0])
      let outside = 0
      let first: Float64Array | null = null
      const x0 = new Float64Array(c.n).fill(0.1)
      const r = madsMinimizeSync(
        (x) => {
          first ??= Float64Array.from(x)
          for (let i = 0; i < c.n; i++) if (!(x[i] >= lower[i] && x[i] <= upper[i])) outside++
          return c.f(x)
        },
        x0,
        { lower, upper, maxEvaluations: 400, seed: 5, blockSize: c.block }
      )
      expect(outside).toBe(0)
      expect(Array.from(first!)).toEqual(Array.from(x0))
      expect(r.trace[0].kind).toBe('initial')
      for (let i = 0; i < c.n; i++) expect(r.x[i] >= lower[i] && r.x[i] <= upper[i]).toBe(true)
    }
  })

  it('never evaluates a point twice; cache hits are counted but are not evaluations', () => {
    // sum(x) drives MADS into the corner of the box, where clipped trial points coincide.
    const seen = new Set<string>()
    let calls = 0
    let duplicates = 0
    const r = madsMinimizeSync(
      (x) => {
        calls++
        const key = Array.from(x).join(',')
        if (seen.has(key)) duplicates++
        seen.add(key)
        return sumX(x)
      },
      new Float64Array(10),
      opts(10, 600, 2)
    )
    expect(duplicates).toBe(0)
    expect(r.evaluations).toBe(calls)
    expect(r.trace.length).toBe(calls)
    expect(r.cacheHits).toBeGreaterThan(0)
    expect(r.f).toBe(-10)
  })

  it('is deterministic for a seed, and the seed matters', () => {
    const a = madsMinimizeSync(rosenbrock, new Float64Array(10), opts(10, 500, 42))
    const b = madsMinimizeSync(rosenbrock, new Float64Array(10), opts(10, 500, 42))
    const c = madsMinimizeSync(rosenbrock, new Float64Array(10), opts(10, 500, 43))
    expect(b.trace).toEqual(a.trace)
    expect(Array.from(b.x)).toEqual(Array.from(a.x))
    expect(b.cacheHits).toBe(a.cacheHits)
    expect(c.trace.map((t) => t.f)).not.toEqual(a.trace.map((t) => t.f))
  })

  it('stops at the budget, or when every mesh index is below −50', () => {
    const r = madsMinimizeSync(sphere, new Float64Array(3), opts(3, 137, 1))
    expect(r.evaluations).toBe(137)
    expect(r.stopReason).toBe('budget')
    const flat = madsMinimizeSync(() => 1, new Float64Array(2), opts(2, 100000, 1))
    expect(flat.stopReason).toBe('mesh')
    expect(flat.evaluations).toBeLessThan(100000)
  })

  it('improves only on strictly lower values and records improvements in the trace', () => {
    const r = madsMinimizeSync(sphere, new Float64Array(10), opts(10, 300, 9))
    let best = Infinity
    for (const t of r.trace) {
      expect(t.improved).toBe(t.f < best)
      best = Math.min(best, t.f)
    }
    expect(r.f).toBe(best)
    expect(sphere(r.x)).toBe(r.f)
  })

  it('rejects inconsistent options', () => {
    expect(() =>
      madsMinimizeSync(sphere, [0, 0], { lower: [-1], upper: [1, 1], maxEvaluations: 10, seed: 0 })
    ).toThrow()
    expect(() =>
      madsMinimizeSync(sphere, [0], { lower: [1], upper: [-1], maxEvaluations: 10, seed: 0 })
    ).toThrow()
  })
})

describe('MADS block / async drivers', () => {
  function same(a: MadsResult, b: MadsResult): void {
    expect(b.trace).toEqual(a.trace)
    expect(Array.from(b.x)).toEqual(Array.from(a.x))
    expect(b.evaluations).toBe(a.evaluations)
    expect(b.cacheHits).toBe(a.cacheHits)
  }

  it('gives the sync result with blockSize 1', async () => {
    for (const [f, n] of [
      [rosenbrock, 10],
      [sphere, 49]
    ] as const) {
      const sync = madsMinimizeSync(f, new Float64Array(n), opts(n, 400, 4))
      const asyncR = await madsMinimize(async (xs) => xs.map(f), new Float64Array(n), opts(n, 400, 4))
      same(sync, asyncR)
    }
  })

  it('evaluates poll points in blocks and is independent of the evaluation order inside a block', async () => {
    const n = 12
    const o = opts(n, 600, 8, { blockSize: 6 })
    const sync = madsMinimizeSync(rugged, new Float64Array(n), o)
    const sizes: number[] = []
    const parallel = await madsMinimize(
      (xs) => {
        sizes.push(xs.length)
        // Resolve the points of the block in reverse order, as a parallel pool might.
        return Promise.all(
          xs.map(
            (x, k) => new Promise<number>((resolve) => setTimeout(() => resolve(rugged(x)), xs.length - k))
          )
        )
      },
      new Float64Array(n),
      o
    )
    same(sync, parallel)
    expect(Math.max(...sizes)).toBe(6)
    // The ask/tell interface drives the same state machine.
    const search = new MadsSearch(new Float64Array(n), o)
    for (let xs = search.ask(); xs; xs = search.ask()) search.tell(xs.map(rugged))
    same(sync, search.result())
  })
})

describe('MADS quality (x0 = 0, box [−1, 1]^n, median over 10 seeds)', () => {
  function med(f: (x: Float64Array) => number, n: number, budget: number): number {
    const values: number[] = []
    for (let seed = 0; seed < 10; seed++)
      values.push(madsMinimizeSync(f, new Float64Array(n), opts(n, budget, seed)).f)
    return median(values)
  }

  it('n = 49, 200 evaluations: at least as good as NOMAD 4 within 10% (sphere 2.89, Rosenbrock 48)', () => {
    expect(med(sphere, 49, 200)).toBeLessThanOrEqual(2.89 * 1.1)
    expect(med(rosenbrock, 49, 200)).toBeLessThanOrEqual(48 * 1.1)
    expect(med(rugged, 49, 200)).toBeLessThan(4.41)
  })

  it('n = 10, 200 evaluations: the quadratic-model search solves the sphere; progress elsewhere', () => {
    expect(med(sphere, 10, 200)).toBeLessThan(1e-6)
    expect(med(rosenbrock, 10, 200)).toBeLessThan(8.9)
    expect(med(rugged, 10, 200)).toBeLessThan(0.6)
  })
})
