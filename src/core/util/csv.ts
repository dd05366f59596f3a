/**
 * Strict reading of the lab's simple CSV files (genomes, food layouts): comma-separated, no quoting,
 * a header row, blank lines ignored, line numbers as in the file (1-based).
 *
 * For tables with free text (the Fig. 4 report's labels and notes): `csvRecord` writes one record
 * with RFC 4180 quoting and `csvRecords` reads such text back.
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

/**
 * One RFC 4180 field: quoted (inner quotes doubled) when it holds a comma, a quote, a line break or
 * leading/trailing space; null and undefined become an empty field.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  const s = String(value)
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV record (no line ending) from its fields, quoted as `csvField`. */
export function csvRecord(fields: readonly (string | number | null | undefined)[]): string {
  return fields.map(csvField).join(',')
}

/**
 * The records of RFC 4180 text: quoted fields may hold commas, doubled quotes and line breaks; records
 * end at CRLF or LF; a final line ending adds no record. Fields are not trimmed. Throws on a quote
 * inside an unquoted field or an unterminated quoted field.
 */
export function csvRecords(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let quoted = false // the current field started with a quote
  let pending = false // something (a field or a separator) has been read on this record
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
      } else if (c === '"') {
        quoted = false
        i++
        const next = text[i]
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          throw new Error(`CSV: text after a closing quote at offset ${i}`)
      } else {
        field += c
        i++
      }
      continue
    }
    if (c === '"' && field === '') {
      quoted = true
      pending = true
      i++
    } else if (c === '"') throw new Error(`CSV: quote inside an unquoted field at offset ${i}`)
    else if (c === ',') {
      record.push(field)
      field = ''
      pending = true
      i++
    } else if (c === '\n' || c === '\r') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      pending = false
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      field += c
      pending = true
      i++
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field')
  if (pending || field !== '') {
    record.push(field)
    records.push(record)
  }
  return records
}
