import type { Budget } from '../store/store'

/** True once any limit of the budget is reached (a run stops at the first one). */
export function budgetUsed(b: Budget, generation: number, evaluations: number, seconds: number): boolean {
  return (
    (b.generations !== undefined && generation >= b.generations) ||
    (b.evaluations !== undefined && evaluations >= b.evaluations) ||
    (b.seconds !== undefined && seconds >= b.seconds)
  )
}

/** How much of the budget is used (the largest fraction over its limits). */
export function budgetFraction(b: Budget, generation: number, evaluations: number, seconds: number): number {
  return Math.max(
    b.generations ? generation / b.generations : 0,
    b.evaluations ? evaluations / b.evaluations : 0,
    b.seconds ? seconds / b.seconds : 0
  )
}
