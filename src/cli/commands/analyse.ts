/**
 * `lab analyse RUN KIND`: one of the paper's analyses of a quadruped run (seed 002 Figs. 3–5, Table 1), run
 * on the worker pool with a progress bar, stored with the run, written as PNG/SVG/CSV/JSON with --out; and
 * `lab analyses RUN`: the analyses stored with a run. A shell over src/engine/analysis/hebbian.ts.
 */
import { SingleBar, Presets } from 'cli-progress'
import { InvalidArgumentError, type Command } from 'commander'
import { ANALYSIS_KINDS, type AnalysisKind } from '../../core/analysis/hebbian/types'
import { MORPHOLOGIES } from '../../core/env/quadruped/mjcf'
import { analysesOf, analyseRun, planRunAnalysis } from '../../engine/analysis/hebbian'
import { checkAnalysisDir, writeAnalysisFiles } from '../../engine/analysis/hebbian-files'
import { checkIdSyntax } from '../../engine/store/errors'
import type { StoredAnalysis } from '../../engine/store/analyses'
import { addEngineOptions, intArg, readJsonOption } from '../args'
import { dbPath, openStore, withEngine } from '../context'
import { table } from '../format'

interface AnalyseOptions {
  episodes?: number
  morphology?: string
  against?: string
  params?: string
  out?: string
  db?: string
  workers?: number
}

const kindArg = (v: string): AnalysisKind => {
  if (!(ANALYSIS_KINDS as readonly string[]).includes(v))
    throw new InvalidArgumentError(`unknown analysis '${v}': expected one of ${ANALYSIS_KINDS.join(', ')}`)
  return v as AnalysisKind
}

/** The kind's parameters: --params, then the flags on top (a flag the kind does not take is refused). */
function paramsOf(kind: AnalysisKind, o: AnalyseOptions): Record<string, unknown> {
  const p = readJsonOption(o.params, '--params')
  if (o.episodes !== undefined) {
    if (kind === 'pca')
      throw new Error(
        `pca analyses one lifetime: choose its draw with --params '{"episode": N}', not --episodes`
      )
    p.episodes = o.episodes
  }
  if (o.morphology !== undefined) {
    const list = o.morphology.split(',').map((s) => s.trim())
    for (const m of list)
      if (!(MORPHOLOGIES as readonly string[]).includes(m))
        throw new Error(`--morphology: unknown morphology '${m}' (expected ${MORPHOLOGIES.join(', ')})`)
    if (kind === 'damage-table') p.morphologies = list
    else if (list.length > 1)
      throw new Error(`--morphology: ${kind} takes one morphology, got ${list.length}`)
    else p.morphology = list[0]
  }
  return p
}

const fmtTime = (s: number): string =>
  Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}` : '--:--'

function summary(r: StoredAnalysis): string {
  const lines = [`${r.title}`, `analysis ${r.id} of run ${r.runId} (${r.kind})`]
  if (r.table) lines.push('', table([r.table.header, ...r.table.rows]).trimEnd())
  else
    for (const s of r.series)
      lines.push(`${s.name}: ${s.x.map((x, i) => `${x} → ${s.y[i].toFixed(1)}`).join(', ')}`)
  for (const n of r.notes ?? []) lines.push(`- ${n}`)
  return lines.join('\n') + '\n'
}

export function registerAnalyseCommand(program: Command): void {
  addEngineOptions(
    program
      .command('analyse')
      .description(
        "the Hebbian paper's analyses of a quadruped run: freeze | saturate | prune | pca | damage-table (stored with the run)"
      )
      .argument('<run>', 'run id (or a unique prefix): a quadruped run')
      .argument('<kind>', ANALYSIS_KINDS.join(' | '), kindArg)
      .option('--episodes <n>', 'episodes (draws 1..N); default 10, damage-table 100', intArg(1, 1000))
      .option('--morphology <m>', 'intact | right | left (damage-table: a comma list; default all three)')
      .option(
        '--against <run>',
        'a second run to compare with (saturate, prune, damage-table: the static run)'
      )
      .option(
        '--params <json|file>',
        'the other parameters as JSON, e.g. {"start": 300, "duration": 100} (docs/hebbian.md)'
      )
      .option('--out <dir>', 'write <kind>.png, .svg, .csv, .json there')
  ).action(async (runId: string, kind: AnalysisKind, o: AnalyseOptions) => {
    checkIdSyntax(runId)
    if (o.against !== undefined) checkIdSyntax(o.against)
    const req = { runId, kind, params: paramsOf(kind, o), ...(o.against ? { against: o.against } : {}) }
    if (o.out !== undefined) checkAnalysisDir(o.out, kind, [dbPath(o)])
    // Everything is checked before the workers start: a worm run or a bad parameter fails at once.
    const pre = openStore(o, 'read')
    try {
      planRunAnalysis(pre, req)
    } finally {
      pre.close()
    }
    const bar = new SingleBar(
      {
        format: ` {bar} {percentage}% | ${kind} | units {unitsDone}/{units} | ETA {eta}`,
        hideCursor: true,
        stream: process.stderr,
        etaBuffer: 20
      },
      Presets.shades_classic
    )
    const t0 = Date.now()
    let started = false
    const result = await withEngine(o, 'read', async ({ store, pool }) => {
      try {
        return await analyseRun(store, req, {
          pool,
          onProgress: (p) => {
            const elapsed = (Date.now() - t0) / 1000
            const eta = p.done > 0 ? (elapsed * (p.total - p.done)) / p.done : NaN
            const payload = { unitsDone: p.unitsDone, units: p.units, eta: fmtTime(eta) }
            if (!started) {
              bar.start(p.total, p.done, payload)
              started = true
            } else bar.update(p.done, payload)
          }
        })
      } finally {
        if (started) bar.stop()
      }
    })
    const files = o.out !== undefined ? writeAnalysisFiles(result, o.out) : []
    process.stdout.write(summary(result))
    if (files.length) process.stdout.write(`wrote ${files.join(', ')}\n`)
  })

  program
    .command('analyses')
    .description('list the analyses stored with a run (lab analyse)')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--db <path>', 'workspace database')
    .action((runId: string, o: { db?: string }) => {
      checkIdSyntax(runId)
      const store = openStore(o, 'read')
      try {
        const list = analysesOf(store, runId)
        if (list.length === 0) {
          process.stdout.write(`run ${store.getRun(runId).id} has no analyses yet (lab analyse RUN KIND)\n`)
          return
        }
        process.stdout.write(
          table([
            ['id', 'kind', 'created', 'title'],
            ...list.map((a) => [a.id, a.kind, a.createdAt.slice(0, 19).replace('T', ' '), a.title])
          ])
        )
      } finally {
        store.close()
      }
    })
}
