const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

export const formatInt = (n: number): string => integer.format(n)
export const formatNum = (n: number): string => decimal.format(n)
export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** Running sum. */
export function cumulative(values: readonly number[]): number[] {
  let acc = 0
  return values.map((v) => (acc += v))
}
