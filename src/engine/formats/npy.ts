/**
 * NumPy .npy (format version 1.0/2.0/3.0) for 1-D float64 arrays, following the format
 * specification in numpy.lib.format: magic "\x93NUMPY", version, header length, a Python-literal
 * header dict {'descr', 'fortran_order', 'shape'} padded with spaces to a 64-byte boundary and
 * ending in '\n', then the raw data.
 */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]

export function encodeNpyFloat64(values: ArrayLike<number>): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`
  const unpadded = 10 + header.length + 1
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const out = Buffer.alloc(10 + header.length + 8 * values.length)
  MAGIC.forEach((b, i) => (out[i] = b))
  out[6] = 1
  out[7] = 0
  out.writeUInt16LE(header.length, 8)
  out.write(header, 10, 'latin1')
  const data = new Float64Array(values.length)
  data.set(Array.from(values))
  Buffer.from(data.buffer).copy(out, 10 + header.length)
  return out
}

export class NpyError extends Error {
  override name = 'NpyError'
}

/** Decodes a 1-D numeric .npy (float64 expected; little- or big-endian float/int are converted). */
export function decodeNpy(buf: Uint8Array): Float64Array {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  if (b.length === 0) throw new NpyError('empty file, not a .npy')
  const magicSeen = Math.min(b.length, MAGIC.length)
  if (!MAGIC.slice(0, magicSeen).every((m, i) => b[i] === m))
    throw new NpyError('not a .npy file (bad magic)')
  if (b.length < 8) throw new NpyError(`truncated header: the file ends after ${b.length} bytes`)
  const major = b[6]
  let offset: number
  if (major === 1) offset = 10
  else if (major === 2 || major === 3) offset = 12
  else throw new NpyError(`unsupported .npy version ${major}`)
  if (b.length < offset)
    throw new NpyError(`truncated header: the file ends after ${b.length} bytes, inside the header length`)
  const headerLen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8)
  if (b.length < offset + headerLen)
    throw new NpyError(
      `truncated header: the header is ${headerLen} bytes, the file ends ${offset + headerLen - b.length} bytes short of it`
    )
  const header = b.toString('latin1', offset, offset + headerLen)
  const descr = /'descr':\s*'([<>|=])([fi])(\d)'/.exec(header)
  const shape = /'shape':\s*\(\s*(\d+)\s*,?\s*\)/.exec(header)
  if (/'fortran_order':\s*True/.test(header)) throw new NpyError('Fortran-ordered arrays are not supported')
  if (!descr) throw new NpyError(`unsupported dtype in header ${header.trim()}`)
  if (!shape) throw new NpyError(`expected a 1-D array, header says ${header.trim()}`)
  const n = Number(shape[1])
  const [, order, kind, sizeStr] = descr
  const size = Number(sizeStr)
  if (!((kind === 'f' || kind === 'i') && (size === 8 || size === 4)))
    throw new NpyError(`unsupported dtype ${order}${kind}${size}`)
  const dataStart = offset + headerLen
  if (b.length !== dataStart + n * size) {
    throw new NpyError(
      `data length ${b.length - dataStart} bytes does not match shape (${n},) of ${size}-byte items`
    )
  }
  const little = order !== '>'
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const p = dataStart + i * size
    if (kind === 'f' && size === 8) out[i] = little ? b.readDoubleLE(p) : b.readDoubleBE(p)
    else if (kind === 'f' && size === 4) out[i] = little ? b.readFloatLE(p) : b.readFloatBE(p)
    else if (kind === 'i' && size === 8) {
      const v = little ? b.readBigInt64LE(p) : b.readBigInt64BE(p)
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
        throw new NpyError(`int64 value ${v} at index ${i} is beyond 2^53 and cannot be read exactly`)
      out[i] = Number(v)
    } else if (kind === 'i' && size === 4) out[i] = little ? b.readInt32LE(p) : b.readInt32BE(p)
    else throw new NpyError(`unsupported dtype ${order}${kind}${size}`)
  }
  return out
}
