/** The `runs:export-genome` channel: the engine's genome exporter, its bytes as base64 for the wire. */
import type { ParsedRequest, RunGenomeExportResponse } from '../../shared/api'
import { genomeExportFile } from '../genome-export'
import type { Store } from '../store/store'

export function exportGenomeOf(
  store: Store,
  req: ParsedRequest<'runs:export-genome'>
): RunGenomeExportResponse {
  const file = genomeExportFile(store, req.id, req.format, req.generation)
  const bytes = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data
  return {
    runId: store.getRun(req.id).id,
    generation: file.generation,
    format: req.format,
    fileName: file.fileName,
    mime: file.mime,
    bytes: bytes.toString('base64'),
    size: bytes.length
  }
}
