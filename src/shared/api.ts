/**
 * The one API contract between the Connectome Lab UI and its backend (Electron main process, or the
 * WebSocket bridge of `lab serve` / the UI tests). Every channel has a request schema (validated by the
 * backend before anything runs) and a response schema (validated by the backend before it answers and
 * by the renderer on receipt). Payloads are plain JSON-compatible data so both transports carry them.
 *
 * Adding a channel: add its method to LAB_METHODS (./methods.ts) and its schemas here; the compiler then
 * points at the backend handler, and the preload/renderer clients pick the method up from the table.
 */
import { z } from 'zod'
import {
  appInfoSchema,
  connectomeSummarySchema,
  rolloutRequestSchema,
  rolloutResponseSchema
} from './api-app'
import {
  runDeleteResponseSchema,
  runDiffRequestSchema,
  runDiffResponseSchema,
  runGetResponseSchema,
  runRefSchema,
  runRenameRequestSchema,
  runReplayRequestSchema,
  runReplayResponseSchema,
  runsListRequestSchema,
  runsListResponseSchema,
  runStartRequestSchema,
  runSummarySchema,
  sweepStartRequestSchema,
  sweepStartResponseSchema,
  runMetricsCsvResponseSchema,
  type RunEvent
} from './api-runs'
import { runsCompareRequestSchema, runsCompareResponseSchema } from './api-compare'
import { runGenomeExportRequestSchema, runGenomeExportResponseSchema } from './api-genome-export'
import { runsReportFig4RequestSchema, runsReportFig4ResponseSchema } from './api-report'
import {
  analysisResultSchema,
  runsAnalyseRequestSchema,
  runsAnalysesRequestSchema,
  runsAnalysesResponseSchema
} from './api-analysis'
import type { Channel, LAB_METHODS, LabMethod } from './methods'
import { runAnnotateRequestSchema } from './annotations'
import { quadrupedReplayRequestSchema, quadrupedReplayResponseSchema } from './api-quadruped'

export * from './methods'
export * from './schemas'
export * from './api-app'
export * from './api-runs'
export * from './api-compare'
export * from './annotations'
export * from './api-genome-export'
export * from './api-report'
export * from './api-weights'
export * from './api-quadruped'
export * from './api-analysis'

/** Where the runs started here do their rollouts, and who serves them (engine/api/runs.ts). */
export const rolloutBackendSchema = z.object({
  kind: z.enum(['local', 'redis']),
  /** 'local pool, 2 workers', or the Redis URL without its password and the queue. */
  description: z.string(),
  /** The processes serving it: the pool's, or the `lab worker`s connected to the queue. */
  workers: z.array(z.string())
})
export type RolloutBackend = z.infer<typeof rolloutBackendSchema>

// ---- the channel map ------------------------------------------------------------------------------

interface ChannelSpec {
  request: z.ZodType
  response: z.ZodType
}

export const API_CHANNELS = {
  'app:info': { request: z.undefined(), response: appInfoSchema },
  'connectome:summary': { request: z.undefined(), response: connectomeSummarySchema },
  'rollout:run': { request: rolloutRequestSchema, response: rolloutResponseSchema },
  'runs:list': { request: runsListRequestSchema, response: runsListResponseSchema },
  'runs:get': { request: runRefSchema, response: runGetResponseSchema },
  'runs:replay': { request: runReplayRequestSchema, response: runReplayResponseSchema },
  'runs:quadruped-replay': {
    request: quadrupedReplayRequestSchema,
    response: quadrupedReplayResponseSchema
  },
  'runs:diff': { request: runDiffRequestSchema, response: runDiffResponseSchema },
  'runs:start': { request: runStartRequestSchema, response: runSummarySchema },
  'runs:pause': { request: runRefSchema, response: runSummarySchema },
  'runs:resume': { request: runRefSchema, response: runSummarySchema },
  'runs:cancel': { request: runRefSchema, response: runSummarySchema },
  'runs:delete': { request: runRefSchema, response: runDeleteResponseSchema },
  'runs:rename': { request: runRenameRequestSchema, response: runSummarySchema },
  'sweeps:start': { request: sweepStartRequestSchema, response: sweepStartResponseSchema },
  'runs:compare': { request: runsCompareRequestSchema, response: runsCompareResponseSchema },
  'runs:annotate': { request: runAnnotateRequestSchema, response: runSummarySchema },
  'runs:export-genome': { request: runGenomeExportRequestSchema, response: runGenomeExportResponseSchema },
  'runs:export-metrics': { request: runRefSchema, response: runMetricsCsvResponseSchema },
  'runs:report-fig4': { request: runsReportFig4RequestSchema, response: runsReportFig4ResponseSchema },
  'runs:analyses': { request: runsAnalysesRequestSchema, response: runsAnalysesResponseSchema },
  'runs:analyse': { request: runsAnalyseRequestSchema, response: analysisResultSchema },
  'runs:backend': { request: z.undefined(), response: rolloutBackendSchema }
} as const satisfies Record<Channel, ChannelSpec> // exactly the channels of LAB_METHODS, no more, no less

export type { Channel, LabMethod }
export type ApiRequest<C extends Channel> = z.input<(typeof API_CHANNELS)[C]['request']>
export type ApiResponse<C extends Channel> = z.output<(typeof API_CHANNELS)[C]['response']>
/** A request after validation, as handlers receive it. */
export type ParsedRequest<C extends Channel> = z.output<(typeof API_CHANNELS)[C]['request']>

type MethodChannel<M extends LabMethod> = (typeof LAB_METHODS)[M]
type MethodFn<C extends Channel> = [ApiRequest<C>] extends [undefined]
  ? () => Promise<ApiResponse<C>>
  : (request: ApiRequest<C>) => Promise<ApiResponse<C>>

/**
 * The request/response half of the API: one method per channel, e.g. `appInfo(): Promise<AppInfo>`,
 * `runRollout(req: RolloutRequest): Promise<RolloutResponse>`, `listRuns(req): Promise<RunsListResponse>`.
 */
export type LabCalls = { readonly [M in LabMethod]: MethodFn<MethodChannel<M>> }

/** Unsubscribes a listener. */
export type Unsubscribe = () => void

/** The event half: run progress and status changes pushed by the backend. */
export interface LabEvents {
  readonly onRunEvent: (listener: (event: RunEvent) => void) => Unsubscribe
}

/** What the renderer sees as `window.lab` (Electron) or the bridge client (browser). */
export type LabApi = LabCalls & LabEvents

/** The backend side of one channel. */
export type ChannelHandler<C extends Channel> = (
  request: ParsedRequest<C>
) => ApiResponse<C> | Promise<ApiResponse<C>>
export type ChannelHandlers = { [C in Channel]: ChannelHandler<C> }

/** Formats zod issues for an error envelope. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '<root>', message: i.message }))
}
