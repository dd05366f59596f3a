import type { Connectome } from '../../core/connectome/connectome'
import { ENVIRONMENT_IDS, environmentMetrics } from '../../core/env/registry'
import { compileNetwork } from '../../core/model/network'
import { DEFAULT_MODEL_PARAMS } from '../../core/model/params'
import { WormSimulator } from '../../core/model/rollout'
import { TASK_NAMES, taskByName } from '../../core/tasks/tasks'
import {
  API_VERSION,
  type AppInfo,
  type ChannelHandlers,
  type ConnectomeNode,
  type ConnectomeSummary,
  type RolloutRequest,
  type RolloutResponse
} from '../../shared/api'
import { tracedRollout } from './rollout'
import type { RunsService } from './runs'

export interface BackendContext {
  runtime: AppInfo['runtime']
  version: string
  /** Loads the active connectome (validated, cached by the loader). */
  connectome: () => Connectome
  /** The training runs of the workspace database. */
  runs: RunsService
}

export function createHandlers(ctx: BackendContext): ChannelHandlers {
  let sim: WormSimulator | undefined
  const simulator = (): WormSimulator => {
    const c = ctx.connectome()
    if (!sim || sim.net.connectome !== c) sim = new WormSimulator(compileNetwork(c), DEFAULT_MODEL_PARAMS)
    return sim
  }
  return {
    'app:info': () => appInfo(ctx),
    'connectome:summary': () => connectomeSummary(ctx.connectome()),
    'rollout:run': (req) => runRollout(simulator(), req),
    'runs:list': (req) => ctx.runs.list(req),
    'runs:backend': () => ctx.runs.rolloutBackend(),
    'runs:get': (req) => ctx.runs.get(req),
    'runs:replay': (req) => ctx.runs.replay(req),
    'runs:quadruped-replay': (req) => ctx.runs.quadrupedReplay(req),
    'runs:diff': (req) => ctx.runs.diff(req),
    'runs:start': (req) => ctx.runs.start(req),
    'runs:pause': (req) => ctx.runs.pause(req),
    'runs:resume': (req) => ctx.runs.resume(req),
    'runs:cancel': (req) => ctx.runs.cancel(req),
    'runs:delete': (req) => ctx.runs.delete(req),
    'runs:rename': (req) => ctx.runs.rename(req),
    'sweeps:start': (req) => ctx.runs.startSweep(req),
    'runs:compare': (req) => ctx.runs.compare(req),
    'runs:annotate': (req) => ctx.runs.annotate(req),
    'runs:export-genome': (req) => ctx.runs.exportGenome(req),
    'runs:export-metrics': (req) => ctx.runs.metricsCsv(req),
    'runs:report-fig4': (req) => ctx.runs.reportFig4(req),
    'runs:analyses': (req) => ctx.runs.analyses(req),
    'runs:analyse': (req) => ctx.runs.analyse(req)
  }
}

export function appInfo(ctx: BackendContext): AppInfo {
  const c = ctx.connectome()
  const v = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string }
  return {
    name: 'Connectome Lab',
    version: ctx.version,
    apiVersion: API_VERSION,
    runtime: ctx.runtime,
    versions: { node: v.node, electron: v.electron ?? null, chrome: v.chrome ?? null },
    connectome: {
      id: c.id,
      name: c.name,
      neurons: c.neurons.length,
      muscles: c.muscles.length,
      connections: c.pre.length,
      pairsHash: c.pairsHash
    },
    tasks: [...TASK_NAMES],
    model: {
      steps: DEFAULT_MODEL_PARAMS.steps,
      arenaWidth: DEFAULT_MODEL_PARAMS.arenaWidth,
      arenaHeight: DEFAULT_MODEL_PARAMS.arenaHeight
    },
    environments: ENVIRONMENT_IDS.map((id) => {
      const { metrics, headline } = environmentMetrics(id)
      return { id, headline, metrics: [...metrics] }
    })
  }
}

export function connectomeSummary(c: Connectome): ConnectomeSummary {
  const touch = new Set(c.sensory.touch)
  const food = new Set(c.sensory.food)
  const neuronNames = new Set(c.neurons.map((n) => n.name))
  const typeCounts = new Map<string, number>()
  for (const n of c.neurons) for (const t of n.types) typeCounts.set(t, (typeCounts.get(t) ?? 0) + 1)
  const nodes: ConnectomeNode[] = [
    ...c.neurons.map((n): ConnectomeNode => ({
      id: n.name,
      kind: 'neuron',
      types: [...n.types],
      neurotransmitters: [...n.neurotransmitters],
      sensory: touch.has(n.name) ? 'touch' : food.has(n.name) ? 'food' : null,
      side: null,
      locomotion: false
    })),
    ...c.muscles.map((m): ConnectomeNode => ({
      id: m.name,
      kind: 'muscle',
      types: [],
      neurotransmitters: [],
      sensory: null,
      side: m.side,
      locomotion: m.locomotion
    }))
  ]
  let neuronToNeuron = 0
  let excitatory = 0
  let inhibitory = 0
  const edges = c.pre.map((source, k) => {
    const weight = c.w0[k]
    if (neuronNames.has(c.post[k])) neuronToNeuron++
    if (weight > 0) excitatory++
    else if (weight < 0) inhibitory++
    return { source, target: c.post[k], weight }
  })
  return {
    id: c.id,
    name: c.name,
    sources: [...c.sources],
    pairsHash: c.pairsHash,
    counts: {
      neurons: c.neurons.length,
      muscles: c.muscles.length,
      locomotionMuscles: c.muscles.filter((m) => m.locomotion).length,
      connections: c.pre.length,
      neuronToNeuron,
      neuronToMuscle: c.pre.length - neuronToNeuron,
      excitatory,
      inhibitory
    },
    neuronTypes: [...typeCounts]
      .map(([type, n]) => ({ type, count: n }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    sensory: { touch: [...c.sensory.touch], food: [...c.sensory.food] },
    nodes,
    edges
  }
}

/** One rollout of the untrained network (genome = W0) on a named task, with its full trace. */
export function runRollout(sim: WormSimulator, req: RolloutRequest): RolloutResponse {
  const c = sim.net.connectome
  return {
    task: req.task,
    connectomeId: c.id,
    genome: 'w0',
    ...tracedRollout(sim, c.w0, taskByName(req.task))
  }
}
