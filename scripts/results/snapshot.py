#!/usr/bin/env python3
"""A compact copy of a workspace's completed runs, small enough to commit under docs/results/.

`lab report` reads only each run's best-so-far metrics per generation (food eaten, L0, L2, against
rollouts and wall-clock seconds) and its final best genome. This copy keeps exactly what it needs:

- completed runs only (unfinished ones could not be resumed without their checkpoints);
- no checkpoints and no populations; only each run's last best genome (replays and exports still work);
- of the generation rows, the first, the last, and every row where the best solution changed. The
  report's curves are step functions of those rows, so they come out the same; what is lost is the
  per-generation population statistics (mean and worst fitness) and the time profile of the dropped
  rows. (cfNOMAD at 179,200 rollouts has ~170,000 generations of one evaluation each, almost all
  without a change.)

Usage: python3 scripts/results/snapshot.py WORKSPACE.db OUT.db
"""
import os
import sqlite3
import sys

src, out = sys.argv[1], sys.argv[2]
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
    db.execute("""DELETE FROM generations WHERE rowid IN (
                    SELECT rowid FROM (
                      SELECT rowid, genome_generation, best_metrics, best_fitness,
                             LAG(best_metrics) OVER w AS prev_metrics, LAG(best_fitness) OVER w AS prev_fitness,
                             LEAD(generation) OVER w AS next_generation
                      FROM generations WINDOW w AS (PARTITION BY run_id ORDER BY generation))
                    WHERE best_metrics = prev_metrics AND best_fitness = prev_fitness
                      AND next_generation IS NOT NULL AND genome_generation IS NULL)""")
    after = db.execute('SELECT COUNT(*) FROM generations').fetchone()[0]
db.execute('VACUUM')
runs = db.execute('SELECT COUNT(*) FROM runs').fetchone()[0]
db.close()
print(f'{out}: {runs} completed runs, {after} of {before} generation rows, {os.path.getsize(out) / 1e6:.1f} MB')
