/**
 * Which of the compared runs the side-by-side views show first: each group's best run by its final
 * value (the paper's Fig. 2b,c and Fig. 5 show one typical trained worm per method), up to `max` runs,
 * in group order. Pure, so the rule is unit-tested.
 */
export interface GroupFinals {
  key: string
  finals: { runId: string; value: number }[]
}

export function representatives(groups: GroupFinals[], max: number): string[] {
  const picked: string[] = []
  for (const g of groups) {
    if (picked.length >= max) break
    let best: { runId: string; value: number } | null = null
    for (const f of g.finals) if (!best || f.value > best.value) best = f
    if (best) picked.push(best.runId)
  }
  // Fewer groups than places: fill with the other runs, best first.
  if (picked.length < max) {
    const rest = groups
      .flatMap((g) => g.finals)
      .filter((f) => !picked.includes(f.runId))
      .sort((a, b) => b.value - a.value)
    for (const f of rest.slice(0, max - picked.length)) picked.push(f.runId)
  }
  return picked
}

/** A picked list after the user toggles a run, holding at most `max` (the oldest pick makes way). */
export function togglePick(picked: string[], id: string, max: number): string[] {
  if (picked.includes(id)) return picked.filter((p) => p !== id)
  const next = [...picked, id]
  return next.length > max ? next.slice(next.length - max) : next
}
