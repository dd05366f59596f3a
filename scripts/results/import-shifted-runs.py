#!/usr/bin/env python3
"""Copies the ten shifted-selection rENOMAD runs of the first Fig. 4 attempt into the issue-10 workspace.

Those runs (sweep se6wmk7057ef, seeds 1-10 at 179,200 rollouts) were trained before the `selection`,
`crossover` and `madsBlockSize` options existed, when the code always shifted the parents' fitnesses
(epsilon 0.01), used Eq. 7 crossover and evaluated MADS points one at a time. Their stored config is
given those three keys with exactly those values, so that `lab report study` finds them as the
`{"selection": "shifted"}` arm. Nothing else about them changes. (Checked: a fresh run with
`selection: shifted`, seed 1, reproduces the old run's first generation to the last digit, 277.3959111449695.)

Usage: python3 scripts/results/import-shifted-runs.py FROM.db TO.db
"""
import json
import sqlite3
import sys

src, dst = sys.argv[1], sys.argv[2]
db = sqlite3.connect(dst)
db.execute('ATTACH DATABASE ? AS old', (f'file:{src}?mode=ro',))
ids = [r[0] for r in db.execute(
    "SELECT id FROM old.runs WHERE algorithm = 'renomad' AND status = 'completed' AND json_extract(config, '$.selection') IS NULL")]
assert len(ids) == 10, ids
with db:
    sweeps = {r[0] for r in db.execute(f"SELECT sweep_id FROM old.runs WHERE id IN ({','.join('?' * len(ids))})", ids)}
    for s in sweeps:
        db.execute('INSERT OR IGNORE INTO sweeps SELECT * FROM old.sweeps WHERE id = ?', (s,))
    for run_id in ids:
        if db.execute('SELECT 1 FROM runs WHERE id = ?', (run_id,)).fetchone():
            continue
        db.execute('INSERT INTO runs SELECT * FROM old.runs WHERE id = ?', (run_id,))
        config = json.loads(db.execute('SELECT config FROM runs WHERE id = ?', (run_id,)).fetchone()[0])
        config.update({'selection': 'shifted', 'crossover': 'fitness', 'madsBlockSize': 1})
        db.execute('UPDATE runs SET config = ? WHERE id = ?', (json.dumps(config, separators=(',', ':')), run_id))
        for table in ('generations', 'genomes', 'checkpoints'):
            db.execute(f'INSERT INTO {table} SELECT * FROM old.{table} WHERE run_id = ?', (run_id,))
print(f'copied {len(ids)} runs: {" ".join(ids)}')
