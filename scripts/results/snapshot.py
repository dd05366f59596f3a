#!/usr/bin/env python3
"""A compact copy of a workspace's completed runs, small enough to commit under docs/results/.

`lab report` reads only each run's best-so-far metrics per generation (food eaten, L0, L2, against
rollouts and wall-clock seconds) and its final best genome. This copy keeps exactly what it needs:

- completed runs only (unfinished ones could not be resumed without their checkpoints);
- no checkpoints and no populations; only each run's last best genome (replays and exports still work);
- of the generation rows, the first, the last, every row where food eaten changes, and in each of
  BUCKETS equal slices of the run's rollouts and of its wall-clock time, the last row. The report samples
  its curves on a 400-point grid of step functions, so a curve moves by at most one slice (1/1000 of the
  run) and the final values are exact. What is lost is the per-generation population statistics (mean
  and worst fitness) and the time profile of the dropped rows. (cfNOMAD at 179,200 rollouts has ~170,000
  generations of one evaluation each; the EA's best changes in most of its generations.)

Usage: python3 scripts/results/snapshot.py WORKSPACE.db OUT.db [BUCKETS, default 1000]
"""
import os
import sqlite3
import sys

src, out = sys.argv[1], sys.argv[2]
BUCKETS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
if BUCKETS < 1:
    sys.exit('BUCKETS must be a positive integer')
if os.path.exists(out):
    sys.exit(f'{out} exists: remove it first')
sqlite3.connect(f'file:{src}?mode=ro', uri=True).execute('VACUUM INTO ?', (out,))
db = sqlite3.connect(out)
db.execute('PRAGMA foreign_keys = ON')
with db:
    db.execute("DELETE FROM runs WHERE status <> 'completed'")
    db.execute('DELETE FROM sweeps WHERE id NOT IN (SELECT sweep_id FROM runs WHERE sweep_id IS NOT NULL)')
    db.execute('DELETE FROM checkpoints')
    db.execute("DELETE FROM genomes WHERE kind = 'population'")
    db.execute("""DELETE FROM genomes WHERE kind = 'best' AND generation <
                  (SELECT MAX(g.generation) FROM genomes g WHERE g.run_id = genomes.run_id AND g.kind = 'best')""")
    db.execute("""UPDATE generations SET genome_generation = NULL WHERE genome_generation IS NOT NULL AND NOT EXISTS
                  (SELECT 1 FROM genomes g WHERE g.run_id = generations.run_id AND g.kind = 'best'
                   AND g.generation = generations.genome_generation)""")
    before = db.execute('SELECT COUNT(*) FROM generations').fetchone()[0]
    db.execute(f"""DELETE FROM generations WHERE rowid IN (
                    SELECT rowid FROM (
                      SELECT rowid, genome_generation, generation,
                             json_extract(best_metrics, '$.foodEaten') AS food,
                             LAG(json_extract(best_metrics, '$.foodEaten')) OVER w AS prev_food,
                             LAG(generation) OVER w AS prev_generation,
                             CAST(evaluations * {BUCKETS} / MAX(evaluations) OVER r AS INTEGER) AS e_slice,
                             CAST(LEAD(evaluations) OVER w * {BUCKETS} / MAX(evaluations) OVER r AS INTEGER)
                               AS next_e_slice,
                             CAST(wall_seconds * {BUCKETS} / MAX(wall_seconds) OVER r AS INTEGER) AS w_slice,
                             CAST(LEAD(wall_seconds) OVER w * {BUCKETS} / MAX(wall_seconds) OVER r AS INTEGER)
                               AS next_w_slice
                      FROM generations
                      WINDOW w AS (PARTITION BY run_id ORDER BY generation), r AS (PARTITION BY run_id))
                    WHERE prev_generation IS NOT NULL AND next_e_slice IS NOT NULL AND genome_generation IS NOT generation
                      AND food IS prev_food AND e_slice = next_e_slice AND w_slice = next_w_slice)""")
    after = db.execute('SELECT COUNT(*) FROM generations').fetchone()[0]
db.execute('VACUUM')
runs = db.execute('SELECT COUNT(*) FROM runs').fetchone()[0]
db.close()
print(f'{out}: {runs} completed runs, {after} of {before} generation rows, {os.path.getsize(out) / 1e6:.1f} MB')
