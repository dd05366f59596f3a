/**
 * The `runs:report-fig4` channel: the Fig. 4 report of the compared runs, built exactly as `lab report
 * fig4` builds it (reportData, reportTable with Fig. 4's arms, and core's CSV and Markdown of the
 * table), plus what makes the runs short of the paper's design: unequal budgets or seed counts, runs
 * left out. runs.ts loads it on first use (it brings the figure renderer's module along).
 */
import { FIGS1_METHODS } from '../../core/analysis/fig4-figure'
import { tableToCsv, tableToMarkdown } from '../../core/analysis/report-table'
import type { Budget, ParsedRequest, RunsReportFig4Response } from '../../shared/api'
import { LabError } from '../../shared/errors'
import { reportData } from '../report/data'
import { methodArms } from '../report/plan'
import { reportTable } from '../report/write'
import type { RunRow, Store } from '../store/store'

const PAPER_METHODS: readonly string[] = FIGS1_METHODS
const int = (n: number): string => n.toLocaleString('en-US')

/** "179,200 rollouts", "30 generations or 600 s". */
export function budgetText(b: Budget): string {
  const parts: string[] = []
  if (b.generations !== undefined) parts.push(`${int(b.generations)} generations`)
  if (b.evaluations !== undefined) parts.push(`${int(b.evaluations)} rollouts`)
  if (b.seconds !== undefined) parts.push(`${int(b.seconds)} s`)
  return parts.join(' or ')
}

const runList = (rows: RunRow[]): string => {
  const ids = rows.slice(0, 5).map((r) => r.id)
  return ids.join(', ') + (rows.length > 5 ? ` and ${rows.length - 5} more` : '')
}

export function reportFig4Of(store: Store, req: ParsedRequest<'runs:report-fig4'>): RunsReportFig4Response {
  const rows: RunRow[] = []
  for (const id of req.ids) {
    const row = store.getRun(id) // unknown or ambiguous ids fail here, as in runs:compare
    if (!rows.some((r) => r.id === row.id)) rows.push(row)
  }
  const other = rows.find((r) => r.environment !== 'worm')
  if (other)
    throw new LabError(
      'invalid-config',
      `report fig4: run ${other.id} ('${other.name}') is a ${other.environment} run; the paper's Fig. 4 takes worm runs only`
    )
  const notes: string[] = []
  const outside = rows.filter((r) => !PAPER_METHODS.includes(r.algorithm))
  if (outside.length > 0)
    notes.push(
      `Left out ${outside.length} run(s) of methods outside the paper's (${[...new Set(outside.map((r) => r.algorithm))].join(', ')}): ${runList(outside)}.`
    )
  const paper = rows.filter((r) => PAPER_METHODS.includes(r.algorithm))
  const empty = paper.filter((r) => r.generation === 0)
  if (empty.length > 0)
    notes.push(`Left out ${empty.length} run(s) with no generation yet: ${runList(empty)}.`)
  const used = paper.filter((r) => r.generation > 0)
  if (used.length === 0)
    throw new LabError('invalid-config', 'report fig4: none of these runs has a generation of a paper method')
  const unfinished = used.filter((r) => r.status !== 'completed')
  if (unfinished.length > 0)
    notes.push(
      `${unfinished.length} run(s) not completed; their latest values are used: ${runList(unfinished)}.`
    )

  // Fig. 4's arms are its methods, labelled as `lab report fig4` labels them.
  const arms = methodArms([...FIGS1_METHODS], {})
  const data = reportData(
    store,
    used.map((run) => ({ arm: run.algorithm, run })),
    arms.map((a) => a.key)
  )
  const table = reportTable(data, { arms })
  const label = new Map(arms.map((a) => [a.key, a.label]))

  // The text names every limit of a budget in a fixed order: equal texts are equal budgets.
  const budgets = [...new Set(used.map((r) => budgetText(r.budget)))]
  const budget = budgets.length === 1 ? budgets[0] : null
  if (budget === null) notes.push(`Not an equal-budget design: the budgets differ (${budgets.join('; ')}).`)
  const tasks = [...new Set(used.map((r) => r.task))]
  if (tasks.length > 1) notes.push(`The runs are on different tasks (${tasks.join(', ')}).`)
  const seeds = data.methods.map((m) => data.runs[m].length)
  if (Math.min(...seeds) < Math.max(...seeds))
    notes.push(
      `Unequal seeds: ${data.methods.map((m) => `${label.get(m) ?? m} ${data.runs[m].length}`).join(', ')}.`
    )
  return {
    ...data,
    table,
    markdown: tableToMarkdown(table),
    csv: tableToCsv(table),
    budget,
    task: tasks.length === 1 ? tasks[0] : null,
    notes
  }
}
