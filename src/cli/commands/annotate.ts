/**
 * `lab tag` and `lab note`: a run's tags and notes, checked by the same rules as the app's `runs:annotate`
 * channel (src/shared/annotations.ts). Nothing is written unless the whole change is valid.
 */
import type { Command } from 'commander'
import type { z } from 'zod'
import { editTags, notesSchema, tagSchema, tagsSchema } from '../../shared/annotations'
import { checkIdSyntax } from '../../engine/store/errors'
import { openStore } from '../context'

/** The first issue of a failed parse, as `FIELD: rule` (e.g. `tags[1]: a tag has at most 32 characters`). */
function problem(field: string, error: z.ZodError): string {
  const i = error.issues[0]
  const at = i.path.length ? `${field}[${i.path.join('.')}]` : field
  return `${at}: ${i.message}`
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

export function registerAnnotateCommands(program: Command): void {
  program
    .command('tag')
    .description("show a run's tags, or add and remove some")
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--add <tag>', 'add a tag (repeatable)', collect, [])
    .option('--remove <tag>', 'remove a tag (repeatable)', collect, [])
    .option('--json', 'print the tags as a JSON array')
    .option('--db <path>', 'workspace database')
    .action((runId: string, opts: { add: string[]; remove: string[]; json?: boolean; db?: string }) => {
      checkIdSyntax(runId)
      const store = openStore(opts, 'read')
      try {
        const run = store.getRun(runId)
        let tags = run.tags
        if (opts.add.length || opts.remove.length) {
          for (const t of opts.add) {
            const one = tagSchema.safeParse(t)
            if (!one.success) throw new Error(`--add ${JSON.stringify(t)}: ${one.error.issues[0].message}`)
          }
          const parsed = tagsSchema.safeParse(editTags(run.tags, opts.add, opts.remove))
          if (!parsed.success) throw new Error(problem('tags', parsed.error))
          tags = parsed.data
          store.updateMeta(run.id, { tags })
        }
        process.stdout.write(
          opts.json
            ? JSON.stringify(tags) + '\n'
            : `run ${run.id}: ${tags.length ? tags.join(', ') : 'no tags'}\n`
        )
      } finally {
        store.close()
      }
    })

  program
    .command('note')
    .description("show a run's notes, or replace them (--clear empties them)")
    .argument('<run>', 'run id (or a unique prefix)')
    .argument('[text]', 'the new notes')
    .option('--clear', 'remove the notes')
    .option('--db <path>', 'workspace database')
    .action((runId: string, text: string | undefined, opts: { clear?: boolean; db?: string }) => {
      checkIdSyntax(runId)
      if (opts.clear && text !== undefined) throw new Error('note: give TEXT or --clear, not both')
      const store = openStore(opts, 'read')
      try {
        const run = store.getRun(runId)
        if (text === undefined && !opts.clear) {
          process.stdout.write(run.notes ? `${run.notes}\n` : `run ${run.id} has no notes\n`)
          return
        }
        const parsed = notesSchema.safeParse(opts.clear ? '' : text)
        if (!parsed.success) throw new Error(problem('TEXT', parsed.error))
        store.updateMeta(run.id, { notes: parsed.data })
        process.stdout.write(
          parsed.data
            ? `run ${run.id}: notes saved (${parsed.data.length} characters)\n`
            : `run ${run.id}: notes cleared\n`
        )
      } finally {
        store.close()
      }
    })
}
