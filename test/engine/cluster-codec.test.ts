import { describe, expect, it } from 'vitest'
import { decodeReply, decodeRequest, encode, encodeReply } from '../../src/engine/cluster/codec'
import { isRedisUrl, redisOptions, safeUrl } from '../../src/engine/cluster/connection'

describe('the cluster codec', () => {
  it('carries a request bit for bit (NaN payloads, −0, subnormals) and checks it with the pool schema', () => {
    const data = new Float64Array([Number.NaN, -0, 5e-324, 1 / 3, -1e308])
    const bits = new DataView(data.buffer)
    bits.setUint32(4, 0x7ff80001) // a NaN with a payload
    const req = decodeRequest(
      encode({ kind: 'evaluate', env: { id: 'worm' }, genomes: { kind: 'dense', count: 1, data } })
    )
    expect(req.kind).toBe('evaluate')
    const back = (req as { genomes: { data: Float64Array } }).genomes.data
    expect(Buffer.from(back.buffer, back.byteOffset, back.byteLength).equals(Buffer.from(data.buffer))).toBe(
      true
    )
  })

  it('refuses a bad envelope or request with a JobError naming the problem', () => {
    expect(() => decodeRequest({ v: 1, payload: '***' })).toThrow(/invalid job: not base64/)
    expect(() => decodeRequest({ v: 9, payload: '' })).toThrow(/invalid job/)
    expect(() => decodeRequest({ v: 1, payload: Buffer.from('garbage').toString('base64') })).toThrow(
      /does not deserialise|invalid/
    )
    expect(() => decodeRequest(encode({ kind: 'evaluate' }))).toThrow(/invalid job: (env|genomes)/)
    expect(() => decodeRequest(encode({ kind: 'rm -rf' }))).toThrow(/invalid job/)
  })

  it('round-trips a reply', () => {
    const r = decodeReply(encodeReply({ response: { kind: 'ping', pid: 7 }, computeMs: 1.5 }))
    expect(r).toEqual({ response: { kind: 'ping', pid: 7 }, computeMs: 1.5 })
    expect(() => decodeReply(encode({ nope: 1 }))).toThrow(/invalid reply/)
  })
})

describe('Redis URLs', () => {
  it('reads host, port, database, user and password, and TLS for rediss://', () => {
    const o = redisOptions('redis://alice:p%40ss@10.0.0.5:6380/2')
    expect(o).toMatchObject({
      host: '10.0.0.5',
      port: 6380,
      db: 2,
      username: 'alice',
      password: 'p@ss',
      tls: undefined
    })
    expect(redisOptions('rediss://cache.example')).toMatchObject({
      host: 'cache.example',
      port: 6379,
      tls: { servername: 'cache.example' }
    })
    expect(redisOptions('redis://127.0.0.1').maxRetriesPerRequest).toBeNull()
    expect(redisOptions('rediss://127.0.0.1:6380').tls).toEqual({}) // no SNI for an IP address
  })

  it('refuses what is not a Redis URL, and never prints the password', () => {
    expect(() => redisOptions('http://host')).toThrow(/redis:\/\/ or rediss:\/\//)
    expect(() => redisOptions('redis://host/x')).toThrow(/database must be a number/)
    expect(() => redisOptions('')).toThrow(/a Redis URL is needed/)
    expect(isRedisUrl('REDIS://h')).toBe(true)
    expect(isRedisUrl('local')).toBe(false)
    expect(safeUrl('redis://:S3cret@h:6379')).toBe('redis://:***@h:6379')
    expect(safeUrl('redis://h:6379')).not.toMatch(/\*/)
  })
})
