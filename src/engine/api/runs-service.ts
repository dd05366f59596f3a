/**
 * The contract of the runs service (runs.ts implements it): one documented method per `runs:*` /
 * `sweeps:*` channel, over the workspace store and, once a run trains here, a worker pool.
 */
import type {
  ParsedRequest,
  RunDeleteResponse,
  RunEvent,
  RunGetResponse,
  RunMetricsCsvResponse,
  RunReplayResponse,
  QuadrupedReplayResponse,
  RunDiffResponse,
  RunsListResponse,
  RunSummary,
  RunsCompareResponse,
  SweepStartResponse,
  RunGenomeExportResponse,
  RunsReportFig4Response,
  AnalysisResult,
  RolloutBackend,
  Unsubscribe
} from '../../shared/api'

export interface RunsServiceOptions {
  /** The workspace database (default: `defaultDbPath()`, its folder created when missing). */
  dbPath?: string
  /** Worker processes of the pool (default: the pool's, CPU count − 1). */
  workers?: number
  /**
   * Where rollouts run: 'local' (this machine's pool) or a redis:// URL served by `lab worker`s
   * (docs/cluster.md). Default: the CONNECTOME_LAB_BACKEND environment variable, else 'local'.
   */
  rollouts?: string
  /** Unexpected failures of runs trained in the background. */
  log?: (message: string, error?: unknown) => void
}

export interface RunsService {
  readonly dbPath: string
  list(req: ParsedRequest<'runs:list'>): Promise<RunsListResponse>
  get(req: ParsedRequest<'runs:get'>): Promise<RunGetResponse>
  replay(req: ParsedRequest<'runs:replay'>): Promise<RunReplayResponse>
  /** One traced episode of a quadruped run's genome on a morphology (quadruped-replay.ts). */
  quadrupedReplay(req: ParsedRequest<'runs:quadruped-replay'>): Promise<QuadrupedReplayResponse>
  diff(req: ParsedRequest<'runs:diff'>): Promise<RunDiffResponse>
  start(req: ParsedRequest<'runs:start'>): Promise<RunSummary>
  pause(req: ParsedRequest<'runs:pause'>): Promise<RunSummary>
  resume(req: ParsedRequest<'runs:resume'>): Promise<RunSummary>
  cancel(req: ParsedRequest<'runs:cancel'>): Promise<RunSummary>
  delete(req: ParsedRequest<'runs:delete'>): Promise<RunDeleteResponse>
  rename(req: ParsedRequest<'runs:rename'>): Promise<RunSummary>
  startSweep(req: ParsedRequest<'sweeps:start'>): Promise<SweepStartResponse>
  /** Groups of runs compared (src/engine/analysis/compare.ts). */
  compare(req: ParsedRequest<'runs:compare'>): Promise<RunsCompareResponse>
  /** Replaces a run's tags and/or notes (allowed whenever a rename is). */
  annotate(req: ParsedRequest<'runs:annotate'>): Promise<RunSummary>
  /** A run's best genome as JSON, CSV or .npy bytes (the engine's exporter, shared with `lab export`). */
  exportGenome(req: ParsedRequest<'runs:export-genome'>): Promise<RunGenomeExportResponse>
  /** A run's metrics as CSV (the engine's exporter, shared with `lab export --metrics`). */
  metricsCsv(req: ParsedRequest<'runs:export-metrics'>): Promise<RunMetricsCsvResponse>
  /** The paper's Fig. 4 report of worm runs (report-fig4.ts, the data and table of `lab report fig4`). */
  reportFig4(req: ParsedRequest<'runs:report-fig4'>): Promise<RunsReportFig4Response>
  /** A run's stored analyses, newest first (src/engine/analysis/hebbian.ts). */
  analyses(req: ParsedRequest<'runs:analyses'>): Promise<AnalysisResult[]>
  /** Runs one of the paper's analyses of a quadruped run on the worker pool and stores it. */
  analyse(req: ParsedRequest<'runs:analyse'>): Promise<AnalysisResult>
  /** Progress and status events of every run trained here, and deletions made here. */
  onEvent(listener: (event: RunEvent) => void): Unsubscribe
  /** Where rollouts run and the workers serving them now (starts the backend). */
  rolloutBackend(): Promise<RolloutBackend>
  /** Whether a pool was started (for tests and diagnostics). */
  hasPool(): boolean
  /** Stops training here (runs left paused, resumable), closes the pool and the database. */
  close(): Promise<void>
}
