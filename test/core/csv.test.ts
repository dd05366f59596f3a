/** The RFC 4180 writer and reader of src/core/util/csv.ts (the report's CSV; the strict readers are tested with genomes and layouts). */
import { describe, expect, it } from 'vitest'
import { csvField, csvRecord, csvRecords } from '../../src/core/util/csv'

describe('csvField / csvRecord', () => {
  it('quotes only what needs it, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField(1.5e-12)).toBe('1.5e-12')
    expect(csvField(null)).toBe('')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(' padded')).toBe('" padded"')
    expect(csvRecord(['x', 1, null, 'y,z'])).toBe('x,1,,"y,z"')
  })
})

describe('csvRecords', () => {
  it('reads back what csvRecord writes, whatever the fields hold', () => {
    const rows = [
      ['section', 'label', 'note'],
      ['a', 'EA, "pure"', ''],
      ['', 'line\nbreak', ' x '],
      ['"', ',', '""']
    ]
    const text = rows.map(csvRecord).join('\n') + '\n'
    expect(csvRecords(text)).toEqual(rows)
    expect(csvRecords(rows.map(csvRecord).join('\r\n'))).toEqual(rows)
  })
  it('keeps empty fields and ignores a final line ending only', () => {
    expect(csvRecords('a,,b\n,\n')).toEqual([
      ['a', '', 'b'],
      ['', '']
    ])
    expect(csvRecords('')).toEqual([])
    expect(csvRecords('\ufeffa\n')).toEqual([['a']])
  })
  it('refuses broken quoting', () => {
    expect(() => csvRecords('"open')).toThrow(/unterminated/)
    expect(() => csvRecords('ab"c')).toThrow(/quote inside an unquoted field/)
    expect(() => csvRecords('"a"b')).toThrow(/after a closing quote/)
  })
})
