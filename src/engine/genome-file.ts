import { extname } from 'node:path'
import type { Connectome } from '../core/connectome/connectome'
import { GenomeError, checkGenome, genomeFromCsv, genomeFromJson } from '../core/connectome/genome'
import { decodeNpy } from './formats/npy'
import { FILE_LIMITS, readRegularFile } from './fs-util'

/**
 * Reads a genome file (.json, .npy or .csv, chosen by extension) and checks it against the connectome.
 * Only a regular file of at most FILE_LIMITS.genome bytes is read (see readRegularFile).
 */
export function readGenomeFile(path: string, c: Connectome): Float64Array {
  if (path === '') throw new GenomeError('genome file: the path is empty')
  const ext = extname(path).toLowerCase()
  if (!['.json', '.npy', '.csv'].includes(ext)) {
    throw new GenomeError(`cannot tell the format of '${path}': use a .json, .npy or .csv file`)
  }
  let bytes: Buffer
  try {
    bytes = readRegularFile(path, { maxBytes: FILE_LIMITS.genome, what: 'genome file' })
  } catch (e) {
    throw new GenomeError((e as Error).message)
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
