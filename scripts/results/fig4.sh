#!/bin/bash
# Regenerates docs/results/fig4 and docs/results/renomad-study from a workspace holding the runs
# (default: docs/results/fig4/fig4.db, a compact snapshot made by snapshot.py), training nothing. With
# TRAIN=1, it trains whatever runs are missing first (hours at the paper's budget) in that workspace.
#   bash scripts/results/fig4.sh [WORKSPACE.db]
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=${1:-docs/results/fig4/fig4.db}
SEEDS=${SEEDS:-1-10}
TRAIN_FLAG=$([ "${TRAIN:-0}" = 1 ] && echo "" || echo "--no-train")
npm run -s lab -- report fig4 --seeds "$SEEDS" --db "$DB" --out docs/results/fig4 $TRAIN_FLAG
npm run -s lab -- report study --algo renomad --title "rENOMAD: what closes the gap?" \
  --base-name "paper defaults" \
  --arm 'shifted selection={"selection":"shifted"}' \
  --arm 'uniform crossover={"crossover":"uniform"}' \
  --arm 'MADS block 4={"madsBlockSize":4}' \
  --arm 'MADS box 0.2={"madsBound":0.2}' \
  --seeds "$SEEDS" --db "$DB" --out docs/results/renomad-study $TRAIN_FLAG
