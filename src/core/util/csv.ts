/**
 * Strict reading of the lab's simple CSV files (genomes, food layouts): comma-separated, no quoting,
 * a header row, blank lines ignored, line numbers as in the file (1-based).
 */

/** A decimal number: optional sign, digits with an optional fraction, optional exponent. No hex, no words. */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

export interface CsvLine {
  /** 1-based line number in the file. */
  line: number
  /** The cells, trimmed. */
  cells: string[]
}

/** The non-blank lines of `text` with their line numbers, without building an array of every line. */
export function* csvLines(text: string): Generator<CsvLine> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0 // a UTF-8 byte-order mark
  let line = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    line++
    const raw = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end)
    if (raw.trim() !== '') yield { line, cells: raw.split(',').map((s) => s.trim()) }
    start = end + 1
  }
}

/**
 * The column names of a header line, lower-cased; refuses a duplicated or empty column name. `what`
 * names the file kind in errors.
 */
export function csvHeader(h: CsvLine, what: string): string[] {
  const names = h.cells.map((c) => c.toLowerCase())
  const seen = new Set<string>()
  names.forEach((n, i) => {
    if (n === '') throw new Error(`${what} header (line ${h.line}): column ${i + 1} has no name`)
    if (seen.has(n)) throw new Error(`${what} header (line ${h.line}): duplicated column '${h.cells[i]}'`)
    seen.add(n)
  })
  return names
}

/** Checks that a data line has as many cells as the header. */
export function checkCellCount(l: CsvLine, header: string[], what: string): void {
  if (l.cells.length !== header.length)
    throw new Error(
      `${what} line ${l.line}: ${l.cells.length} cell(s), the header has ${header.length} (${header.join(',')})`
    )
}

/**
 * The finite number in cell `raw` of column `column` on line `line`; refuses an empty cell, anything
 * but a decimal number (0x2, 1e, Infinity, NaN, 1_000) and a decimal out of the float64 range (1e999).
 * `subject` says what the number is ("weight of ADAL -> ADAR"), for the error.
 */
export function csvNumber(
  raw: string | undefined,
  line: number,
  column: string,
  what: string,
  subject: string
): number {
  const at = `${what} line ${line}, column '${column}'`
  if (raw === undefined || raw === '') throw new Error(`${at}: ${subject} is empty`)
  if (/^[+-]?(?:nan|inf(?:inity)?)$/i.test(raw)) throw new Error(`${at}: ${subject} is not finite: '${raw}'`)
  if (!DECIMAL.test(raw)) throw new Error(`${at}: ${subject} is not a decimal number: '${raw}'`)
  const n = Number(raw)
  if (!Number.isFinite(n))
    throw new Error(`${at}: ${subject} is not finite: '${raw}' (beyond the float64 range)`)
  return n
}
