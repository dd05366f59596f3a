/**
 * Work units on the wire of the cluster. BullMQ stores job data and return values as JSON, which cannot
 * carry a Float64Array bit for bit. So a request or a reply is V8's structured serialisation (what the
 * local pool's `serialization: 'advanced'` IPC uses) in base64, inside a small versioned envelope. A
 * worker checks the envelope with zod, then the request itself with the pool's schema (../pool/validate).
 */
import { deserialize, serialize } from 'node:v8'
import { z } from 'zod'
import type { PoolResult } from '../pool/pool'
import type { WorkRequest, WorkResponse } from '../pool/protocol'
import { JobError, parseRequest } from '../pool/validate'

export const CODEC_VERSION = 1
/** Largest payload a job may carry (base64 characters): a 500,000-coordinate centre is ~5.3 M. */
export const MAX_PAYLOAD = 64 * 1024 * 1024

const envelope = z.strictObject({
  v: z.literal(CODEC_VERSION),
  payload: z
    .string()
    .max(MAX_PAYLOAD)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
})
export type Envelope = z.infer<typeof envelope>

export function encode(value: unknown): Envelope {
  return { v: CODEC_VERSION, payload: serialize(value).toString('base64') }
}

function open(raw: unknown, what: string): unknown {
  const e = envelope.safeParse(raw)
  if (!e.success) throw new JobError(`invalid ${what}: ${e.error.issues.map((i) => i.message).join('; ')}`)
  try {
    return deserialize(Buffer.from(e.data.payload, 'base64'))
  } catch (err) {
    throw new JobError(`invalid ${what}: the payload does not deserialise (${(err as Error).message})`)
  }
}

/** A job's data to a validated request, or a JobError saying what is wrong. */
export function decodeRequest(raw: unknown): WorkRequest {
  return parseRequest(open(raw, 'job'))
}

const reply = z.object({
  response: z.object({ kind: z.string() }).passthrough(),
  computeMs: z.number().nonnegative()
})

/** A job's return value (from a worker) to the reply; its round trip is measured by the coordinator. */
export function decodeReply<R extends WorkResponse>(raw: unknown): { response: R; computeMs: number } {
  const r = reply.safeParse(open(raw, 'reply'))
  if (!r.success) throw new JobError('invalid reply: not a response')
  return r.data as unknown as { response: R; computeMs: number }
}

export function encodeReply(r: Pick<PoolResult, 'response' | 'computeMs'>): Envelope {
  return encode({ response: r.response, computeMs: r.computeMs })
}
