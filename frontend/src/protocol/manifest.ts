// The vote manifest and the vote fingerprint (docs/PROTOCOL.md §6).
import { type Bytes, Hasher, fingerprint80, fromHex, toHex } from './bytes'
import { fail } from './errors'
import { type Elt, pointHex } from './group'
import { id, int, shape } from './json'

export const MAX_LEVELS = 8
export const MAX_ROWS = 1024
export const MAX_RADIX = 2 ** 32

export interface Manifest {
  voteId: string
  publicKey: Elt // Y
  levels: number // k
  radix: number // M
  rows: number // n
  subjectsHash: Bytes // 64 bytes
}

/** H("tinnhiem/v1/subjects", id_1, ..., id_n) over the subjects' ids in ballot order. */
export function subjectsHash(ids: string[]): Bytes {
  const h = new Hasher('tinnhiem/v1/subjects')
  for (const s of ids) h.str(s)
  return h.digest()
}

export function validateManifest(m: Manifest): void {
  id('vote_id', m.voteId)
  if (m.publicKey.isIdentity()) fail('public_key', 'identity', 'the identity element is not allowed here')
  int('levels', m.levels, 1, MAX_LEVELS)
  int('radix', m.radix, 2, MAX_RADIX)
  if (BigInt(m.radix) ** BigInt(m.levels) >= 2n ** 63n) fail('radix', 'range', 'radix^levels must be below 2^63')
  int('rows', m.rows, 1, MAX_ROWS)
  if (m.subjectsHash.length !== 64) fail('subjects_hash', 'length', 'a hash has 64 bytes')
}

export function manifestHash(m: Manifest): Bytes {
  return new Hasher('tinnhiem/v1/manifest')
    .str(m.voteId)
    .bytes(m.publicKey.b)
    .u64(m.levels)
    .u64(m.radix)
    .u64(m.rows)
    .bytes(m.subjectsHash)
    .digest()
}

/** The vote fingerprint the kiosk shows. */
export const voteFingerprint = (m: Manifest): string => fingerprint80(manifestHash(m))

/** v_0 = 0, v_{j+1} = M^j. */
export function optionValues(m: Manifest): bigint[] {
  const v = [0n]
  let p = 1n
  for (let j = 0; j < m.levels; j++) {
    v.push(p)
    p *= BigInt(m.radix)
  }
  return v
}

export const manifestToJSON = (m: Manifest) => ({
  version: 1,
  vote_id: m.voteId,
  public_key: m.publicKey.hex,
  levels: m.levels,
  radix: m.radix,
  rows: m.rows,
  subjects_hash: toHex(m.subjectsHash),
})

export function manifestFromJSON(j: unknown): Manifest {
  const o = shape(j, ['version', 'vote_id', 'public_key', 'levels', 'radix', 'rows', 'subjects_hash'])
  const m: Manifest = {
    voteId: id('vote_id', o.vote_id),
    publicKey: pointHex('public_key', o.public_key, false),
    levels: int('levels', o.levels, 1, MAX_LEVELS),
    radix: int('radix', o.radix, 2, MAX_RADIX),
    rows: int('rows', o.rows, 1, MAX_ROWS),
    subjectsHash: fromHex('subjects_hash', o.subjects_hash, 64),
  }
  validateManifest(m)
  return m
}
