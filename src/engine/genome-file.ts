import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import type { Connectome } from '../core/connectome/connectome'
import { GenomeError, checkGenome, genomeFromCsv, genomeFromJson } from '../core/connectome/genome'
import { decodeNpy } from './formats/npy'

/** Reads a genome file (.json, .npy or .csv, chosen by extension) and checks it against the connectome. */
export function readGenomeFile(path: string, c: Connectome): Float64Array {
  const ext = extname(path).toLowerCase()
  if (!['.json', '.npy', '.csv'].includes(ext)) {
    throw new GenomeError(`cannot tell the format of '${path}': use a .json, .npy or .csv file`)
  }
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (e) {
    throw new GenomeError(
      `cannot read genome file '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`
    )
  }
  try {
    if (ext === '.npy') return checkGenome(c, decodeNpy(bytes))
    if (ext === '.csv') return genomeFromCsv(c, bytes.toString('utf8'))
    let data: unknown
    try {
      data = JSON.parse(bytes.toString('utf8'))
    } catch (e) {
      throw new GenomeError(`not valid JSON: ${(e as Error).message}`)
    }
    return genomeFromJson(c, data)
  } catch (e) {
    throw new GenomeError(`${path}: ${(e as Error).message}`)
  }
}
