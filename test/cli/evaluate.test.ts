import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, tempDir } from '../helpers/cli'

/** `lab evaluate`: a run's best genome on held-out food layouts (issue 11's generalisation test). */
describe('lab evaluate', () => {
  const dir = tempDir()
  const db = join(dir, 'w.db')
  const ids: Record<string, string> = {}
  const train = (name: string, args: string[]) => {
    const r = lab(['train', '--generations', '2', '--workers', '1', '--db', db, '--name', name, ...args])
    expect(r.code, r.stderr).toBe(0)
    ids[name] = /run (\w+)/.exec(r.stdout)![1]
  }
  const lastBest = (id: string): Record<string, number> => {
    const d = new Database(db, { readonly: true })
    try {
      const row = d
        .prepare('SELECT best_metrics FROM generations WHERE run_id = ? ORDER BY generation DESC LIMIT 1')
        .get(id) as { best_metrics: string }
      return JSON.parse(row.best_metrics) as Record<string, number>
    } finally {
      d.close()
    }
  }

  beforeAll(() => {
    const model = '{"model":{"steps":60}}'
    train('worm', ['--algo', 'es', '--config', '{"populationSize":4}', '--env-config', model])
    train('plastic', [
      '--algo',
      'hebbian-es',
      '--env',
      'worm-hebbian',
      '--config',
      '{"populationSize":4}',
      '--env-config',
      model
    ])
    train('toy', ['--algo', 'es', '--env', 'quadratic', '--config', '{"populationSize":4}'])
  })

  it('scores each best genome on every task; on its own task it matches what training stored', () => {
    const r = lab(['evaluate', ids.worm, ids.plastic, '--tasks', 'pentagon,random:1-3', '--json', '--db', db])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as {
      tasks: string[]
      metric: string
      rows: { run: string; environment: string; values: number[]; mean: number }[]
    }
    expect(out.tasks).toEqual(['pentagon', 'random:1', 'random:2', 'random:3'])
    expect(out.metric).toBe('foodEaten')
    expect(out.rows.map((x) => x.environment)).toEqual(['worm', 'worm-hebbian'])
    for (const row of out.rows) {
      expect(row.values).toHaveLength(4)
      expect(row.values[0]).toBe(lastBest(row.run).foodEaten)
      expect(row.mean).toBeCloseTo(row.values.reduce((a, b) => a + b, 0) / 4, 12)
    }
  })

  it('refuses runs without food layouts and bad task lists, clearly', () => {
    const toy = lab(['evaluate', ids.toy, '--db', db])
    expect(toy.code).not.toBe(0)
    expect(toy.stderr).toMatch(/quadratic environment .* no other food layouts/)
    const range = lab(['evaluate', ids.worm, '--tasks', 'random:5-2', '--db', db])
    expect(range.code).not.toBe(0)
    expect(range.stderr).toMatch(/bad range 'random:5-2'/)
    const task = lab(['evaluate', ids.worm, '--tasks', 'nonagon', '--db', db])
    expect(task.code).not.toBe(0)
    expect(task.stderr).toMatch(/nonagon/)
  })
})
