/**
 * The synapse-specific Hebbian rules of Najarro & Risi (paper seed 002 = /work/shared/seeds/002_764ebf28a93029f6.txt,
 * Eq. 1) in the seven variants of the authors' code. Facts (coefficient order, which activation is pre and post)
 * are from /work/shared/docs/hebbian-environments.md §1 [H hebbian_weights_update.py].
 *
 * Every synapse owns a row of coefficients; Δw = η·(A·i·j + B·i + C·j + D) with i = pre, j = post, where a
 * variant without a term drops it and a missing η is a factor of 1. The row order is the authors', which is
 * not alphabetical for the `_lr` variants: η comes after the terms it multiplies except D (ABCD_lr = [A, B, C, η, D]).
 */

export type HebbianRule = 'A' | 'AD' | 'AD_lr' | 'ABC' | 'ABC_lr' | 'ABCD' | 'ABCD_lr'

export const HEBBIAN_RULES: readonly HebbianRule[] = ['A', 'AD', 'AD_lr', 'ABC', 'ABC_lr', 'ABCD', 'ABCD_lr']

/** Coefficients per synapse: A 1, AD 2, AD_lr 3, ABC 3, ABC_lr 4, ABCD 4, ABCD_lr 5. */
export const RULE_COEFFICIENTS: Record<HebbianRule, number> = {
  A: 1,
  AD: 2,
  AD_lr: 3,
  ABC: 3,
  ABC_lr: 4,
  ABCD: 4,
  ABCD_lr: 5
}

export function isHebbianRule(x: unknown): x is HebbianRule {
  return typeof x === 'string' && (HEBBIAN_RULES as readonly string[]).includes(x)
}

/**
 * Δw of one synapse from its coefficient row c[offset …] (the authors' order), pre activation i, post activation j.
 * The scalar reference of the rule; PlasticMlp.update inlines the same arithmetic per variant.
 *   A       [A]             A·i·j
 *   AD      [A, D]          A·i·j + D
 *   AD_lr   [A, D, η]       η(A·i·j + D)
 *   ABC     [A, B, C]       A·i·j + B·i + C·j
 *   ABC_lr  [A, B, C, η]    η(A·i·j + B·i + C·j)
 *   ABCD    [A, B, C, D]    A·i·j + B·i + C·j + D
 *   ABCD_lr [A, B, C, η, D] η(A·i·j + B·i + C·j + D)
 */
export function ruleDelta(
  rule: HebbianRule,
  c: ArrayLike<number>,
  offset: number,
  i: number,
  j: number
): number {
  const o = offset
  switch (rule) {
    case 'A':
      return c[o] * i * j
    case 'AD':
      return c[o] * i * j + c[o + 1]
    case 'AD_lr':
      return c[o + 2] * (c[o] * i * j + c[o + 1])
    case 'ABC':
      return c[o] * i * j + c[o + 1] * i + c[o + 2] * j
    case 'ABC_lr':
      return c[o + 3] * (c[o] * i * j + c[o + 1] * i + c[o + 2] * j)
    case 'ABCD':
      return c[o] * i * j + c[o + 1] * i + c[o + 2] * j + c[o + 3]
    case 'ABCD_lr':
      return c[o + 3] * (c[o] * i * j + c[o + 1] * i + c[o + 2] * j + c[o + 4])
  }
}
