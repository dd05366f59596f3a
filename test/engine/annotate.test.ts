/**
 * Run annotations (tags and notes) through the `runs:annotate` channel and the `lab tag` / `lab note`
 * commands, on real workspace files: the rules, the errors naming the field and the rule, and nothing
 * written when a change is refused.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { RunManager } from '../../src/engine/runs/manager'
import { Store } from '../../src/engine/store/store'
import { editTags, NOTES_MAX_LENGTH, tagProblem, TAGS_MAX_COUNT } from '../../src/shared/annotations'
import type { ApiEnvelope, RunEvent, RunSummary } from '../../src/shared/api'
import { lab, tempDir } from '../helpers/cli'

const tmp = tempDir('connectome-lab-annotate-')
const backends: LabBackend[] = []
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()))
  rmSync(tmp, { recursive: true, force: true })
})

/** A workspace with one queued run (nothing trained: annotations need no pool). */
function workspace(name: string): { db: string; id: string } {
  const db = join(tmp, `${name}.db`)
  const store = Store.open(db, { create: true })
  try {
    const run = new RunManager(store, null).create({
      algorithm: 'ea',
      seed: 3,
      config: { populationSize: 6 },
      budget: { generations: 2 }
    })
    return { db, id: run.id }
  } finally {
    store.close()
  }
}

function stored(db: string, id: string): { tags: string[]; notes: string; name: string } {
  const store = Store.open(db)
  try {
    const r = store.getRun(id)
    return { tags: r.tags, notes: r.notes, name: r.name }
  } finally {
    store.close()
  }
}

describe('the tag rules', () => {
  it('accepts words, digits and . _ - : +, and says which rule a bad tag breaks', () => {
    for (const ok of ['baseline', 'lr:0.1', 'v2-fix', 'pop_32', 'a+b', 'Ångström'])
      expect(tagProblem(ok), ok).toBeNull()
    expect(tagProblem('')).toMatch(/cannot be empty/)
    expect(tagProblem('two words')).toMatch(/letters, digits and \. _ - : \+/)
    expect(tagProblem('-lead')).toMatch(/starting with a letter or a digit/)
    expect(tagProblem('x'.repeat(33))).toMatch(/at most 32 characters/)
  })

  it('edits a tag list: appends once, removes, keeps the order', () => {
    expect(editTags(['a', 'b'], ['c', 'a', 'c'], [])).toEqual(['a', 'b', 'c'])
    expect(editTags(['a', 'b', 'c'], [], ['b'])).toEqual(['a', 'c'])
    expect(editTags(['a'], [' d '], ['a'])).toEqual(['d'])
  })
})

describe('runs:annotate', () => {
  const { db, id } = workspace('api')
  const b = createLabBackend({ runtime: 'bridge', dbPath: db, workers: 1 })
  backends.push(b)

  const call = (payload: unknown): Promise<ApiEnvelope> => b.handle('runs:annotate', payload)

  it('sets tags and notes, answers the summary with them, and announces a status event', async () => {
    const events: RunEvent[] = []
    const off = b.onRunEvent((e) => events.push(e))
    const r = await call({
      id: id.slice(0, 8),
      tags: ['baseline', 'lr:0.1'],
      notes: 'first try\nsecond line'
    })
    off()
    expect(r.ok).toBe(true)
    const run = (r as { result: RunSummary }).result
    expect(run).toMatchObject({ id, tags: ['baseline', 'lr:0.1'], notes: 'first try\nsecond line' })
    expect(events).toEqual([
      { type: 'status', run: expect.objectContaining({ id, tags: ['baseline', 'lr:0.1'] }) }
    ])
    expect(stored(db, id)).toMatchObject({ tags: ['baseline', 'lr:0.1'], notes: 'first try\nsecond line' })
    // What is not given is kept.
    await call({ id, notes: 'only the notes' })
    expect(stored(db, id)).toMatchObject({ tags: ['baseline', 'lr:0.1'], notes: 'only the notes' })
    await call({ id, tags: [] })
    expect(stored(db, id)).toMatchObject({ tags: [], notes: 'only the notes' })
    const list = await b.handle('runs:list', {})
    expect((list as { result: { runs: RunSummary[] } }).result.runs[0]).toMatchObject({
      tags: [],
      notes: 'only the notes'
    })
  })

  it.each([
    [{ tags: ['ok', 'has space'] }, 'tags.1', /letters, digits/],
    [{ tags: ['x'.repeat(40)] }, 'tags.0', /at most 32 characters/],
    [{ tags: Array.from({ length: TAGS_MAX_COUNT + 1 }, (_, i) => `t${i}`) }, 'tags', /at most 20 tags/],
    [{ tags: ['a', 'b', 'a'] }, 'tags.2', /'a' is given twice/],
    [{ notes: 'n'.repeat(NOTES_MAX_LENGTH + 1) }, 'notes', /at most 10,000 characters/],
    [{}, '<root>', /give tags or notes/]
  ])('refuses %j naming the field and the rule, and writes nothing', async (change, path, rule) => {
    const before = stored(db, id)
    const r = await call({ id, ...change })
    expect(r.ok).toBe(false)
    const error = (
      r as { error: { code: string; message: string; issues: { path: string; message: string }[] } }
    ).error
    expect(error.code).toBe('bad-request')
    expect(error.issues[0].path).toBe(path)
    expect(error.issues[0].message).toMatch(rule)
    expect(error.message).toContain(path === '<root>' ? 'give tags or notes' : path)
    expect(stored(db, id)).toEqual(before)
  })

  it('refuses an unknown run and extra fields', async () => {
    expect(await call({ id: 'rnope', tags: ['a'] })).toMatchObject({
      ok: false,
      error: { code: 'unknown-run' }
    })
    expect(await call({ id, tags: ['a'], name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
  })
})

describe('lab tag and lab note', () => {
  const { db, id } = workspace('cli')

  it('adds and removes tags, shown by lab tag and lab show --json', () => {
    const add = lab(['tag', id, '--add', 'baseline', '--add', 'pop:6', '--db', db])
    expect(add.stderr).toBe('')
    expect(add.stdout).toBe(`run ${id}: baseline, pop:6\n`)
    const rm = lab(['tag', id.slice(0, 8), '--remove', 'baseline', '--json', '--db', db])
    expect(JSON.parse(rm.stdout)).toEqual(['pop:6'])
    expect(stored(db, id).tags).toEqual(['pop:6'])
    const show = JSON.parse(lab(['show', id, '--json', '--db', db]).stdout) as { tags: string[] }
    expect(show.tags).toEqual(['pop:6'])
  })

  it('refuses a bad tag naming the option and the rule, and writes nothing', () => {
    const r = lab(['tag', id, '--add', 'fine', '--add', 'not fine', '--db', db])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^lab: error: --add "not fine": a tag is 1 to 32 characters/)
    expect(stored(db, id).tags).toEqual(['pop:6'])
  })

  it('writes, shows and clears notes; refuses notes over the limit', () => {
    expect(lab(['note', id, 'a promising seed', '--db', db]).stdout).toMatch(/notes saved \(16 characters\)/)
    expect(lab(['note', id, '--db', db]).stdout).toBe('a promising seed\n')
    expect(lab(['show', id, '--db', db]).stdout).toMatch(/notes +a promising seed/)
    const long = lab(['note', id, 'n'.repeat(NOTES_MAX_LENGTH + 1), '--db', db])
    expect(long.code).toBe(1)
    expect(long.stderr).toMatch(/TEXT: notes have at most 10,000 characters/)
    expect(stored(db, id).notes).toBe('a promising seed')
    expect(lab(['note', id, '--clear', '--db', db]).stdout).toBe(`run ${id}: notes cleared\n`)
    expect(stored(db, id).notes).toBe('')
  })
})
