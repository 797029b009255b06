// Encrypted sums, partial decryptions with Chaum–Pedersen proofs, their combination, and the check
// of published counts (docs/PROTOCOL.md §11).
import { type Bytes, type RNG, Hasher, fromHex, systemRNG, toHex } from './bytes'
import { sign, verifySig } from './ed'
import { ProtocolError, fail, within } from './errors'
import { type RP, Elt, RistrettoPoint, decodePoint, hashToScalarBytes, mod, msm, mul, mulPublic, pointHex, randomScalar, sc, scalarHex, scalarToHex } from './group'
import { type CeremonyResult, type MemberKey, type ShareKey, memberOf } from './ceremony'
import { lagrange, parseIdentifierHex } from './identifier'
import { id, list, shape } from './json'
import { MAX_ROWS } from './manifest'

export interface Ciphertext {
  a: Elt
  b: Elt
}

/** Componentwise sums per row of the ballots' ciphertexts plus any extra vectors (paper totals, §13). */
export function sum(n: number, ballots: { alpha: Bytes; beta: Bytes }[][], extra: { alpha: Bytes; beta: Bytes }[][] = []): Ciphertext[] {
  const A: RP[] = Array.from({ length: n }, () => RistrettoPoint.ZERO)
  const B: RP[] = Array.from({ length: n }, () => RistrettoPoint.ZERO)
  const all = [...ballots.map((v, i) => [`ballots[${i}]`, v] as const), ...extra.map((v, i) => [`extra[${i}]`, v] as const)]
  for (const [name, v] of all) {
    if (v.length !== n) fail(name, 'length', `${v.length} rows, expected ${n}`)
    v.forEach((c, i) => {
      A[i] = A[i].add(decodePoint(c.alpha, false, `${name}[${i}].alpha`).p)
      B[i] = B[i].add(decodePoint(c.beta, false, `${name}[${i}].beta`).p)
    })
  }
  return A.map((a, i) => ({ a: Elt.of(a), b: Elt.of(B[i]) }))
}

export function sumsHash(voteId: string, sums: Ciphertext[]): Bytes {
  const h = new Hasher('tinnhiem/v1/sums').str(voteId).u64(sums.length)
  for (const s of sums) h.bytes(s.a.b).bytes(s.b.b)
  return h.digest()
}

export interface DecryptionShare {
  d: Elt
  u: Elt
  v: Elt
  s: bigint
}

export interface PartialDecryption {
  version: 1
  voteId: string
  ceremonyId: string
  identifier: string
  sumsHash: Bytes
  rows: DecryptionShare[]
  signature: Bytes
}

function partialChallenge(voteId: string, identifier: string, yj: Elt, row: number, A: Elt, r: DecryptionShare): bigint {
  return hashToScalarBytes(
    new Hasher('tinnhiem/v1/partial-decryption')
      .str(voteId)
      .bytes(fromHex('identifier', identifier, 32))
      .bytes(yj.b)
      .u64(row)
      .bytes(A.b)
      .bytes(r.d.b)
      .bytes(r.u.b)
      .bytes(r.v.b)
      .digest(),
  )
}

/** The signed statement of a submission (exported for the test vectors' re-signing). */
export function partialStatementForTests(p: PartialDecryption): Bytes {
  return partialStatement(p)
}

function partialStatement(p: PartialDecryption): Bytes {
  const h = new Hasher('tinnhiem/v1/partial-decryptions').str(p.voteId).str(p.ceremonyId).bytes(fromHex('identifier', p.identifier, 32)).bytes(p.sumsHash)
  for (const r of p.rows) h.bytes(r.d.b).bytes(r.u.b).bytes(r.v.b).bytes(sc(r.s))
  return h.digest()
}

/** A member's partial decryption of every sum, with proofs, signed (one 48-byte nonce per row from rng). */
export function partialDecrypt(k: ShareKey, voteId: string, sums: Ciphertext[], rng: RNG = systemRNG, onRow?: (done: number, total: number) => void): PartialDecryption {
  id('vote_id', voteId)
  const p: PartialDecryption = { version: 1, voteId, ceremonyId: k.ceremonyId, identifier: k.identifier, sumsHash: sumsHash(voteId, sums), rows: [], signature: new Uint8Array(64) }
  sums.forEach((s, i) => {
    const w = randomScalar(rng)
    const r: DecryptionShare = { d: Elt.of(mul(s.a.p, k.signingShare)), u: Elt.of(RistrettoPoint.BASE.multiply(w)), v: Elt.of(mul(s.a.p, w)), s: 0n }
    const c = partialChallenge(voteId, k.identifier, k.verifyingShare, i, s.a, r)
    r.s = mod(w + c * k.signingShare)
    p.rows.push(r)
    onRow?.(i + 1, sums.length)
  })
  p.signature = sign(k.signingSeed, partialStatement(p))
  return p
}

function checkPartialShape(res: CeremonyResult, voteId: string, sh: Bytes, n: number, p: PartialDecryption): MemberKey {
  if (p.voteId !== voteId) fail('vote_id', 'mismatch', 'another vote')
  if (p.ceremonyId !== res.ceremony.id) fail('ceremony_id', 'mismatch', 'another ceremony')
  const mk = memberOf(res, p.identifier)
  if (toHex(p.sumsHash) !== toHex(sh)) fail('sums_hash', 'mismatch', 'these are not the published encrypted sums')
  if (p.rows.length !== n) fail('rows', 'length', `${p.rows.length} rows, expected ${n}`)
  p.rows.forEach((r, i) => {
    if (r.u.isIdentity()) fail(`rows[${i}].u`, 'identity', 'the identity element is not allowed here')
  })
  verifySig('signature', mk.signingKey, partialStatement(p), p.signature)
  return mk
}

function weight(): bigint {
  const b = crypto.getRandomValues(new Uint8Array(16))
  let x = 0n
  for (const v of b) x = (x << 8n) | BigInt(v)
  return x
}

function partialHolds(voteId: string, mk: MemberKey, i: number, A: Elt, r: DecryptionShare): boolean {
  const c = partialChallenge(voteId, mk.identifier, mk.verifyingShare, i, A, r)
  const u = mulPublic(RistrettoPoint.BASE, r.s).subtract(mulPublic(mk.verifyingShare.p, c))
  if (!u.equals(r.u.p)) return false
  return mulPublic(A.p, r.s).subtract(mulPublic(r.d.p, c)).equals(r.v.p)
}

/** Checks partial decryptions (§11.2) with one batch equation; throws naming the submission and row. */
export function verifyPartials(res: CeremonyResult, voteId: string, sums: Ciphertext[], ps: PartialDecryption[]): void {
  const sh = sumsHash(voteId, sums)
  const seen = new Set<string>()
  const keys = ps.map((p, pi) => {
    let mk: MemberKey
    try {
      mk = checkPartialShape(res, voteId, sh, sums.length, p)
    } catch (e) {
      if (e instanceof ProtocolError) throw new ProtocolError(e.field, e.code, e.detail, pi)
      throw e
    }
    if (seen.has(p.identifier)) throw new ProtocolError('identifier', 'duplicate', 'a second submission from this member', pi)
    seen.add(p.identifier)
    return mk
  })
  let g = 0n
  const yC = ps.map(() => 0n)
  const aC = sums.map(() => 0n)
  const points: RP[] = []
  const scalars: bigint[] = []
  ps.forEach((p, pi) => {
    p.rows.forEach((r, i) => {
      const c = partialChallenge(voteId, keys[pi].identifier, keys[pi].verifyingShare, i, sums[i].a, r)
      const z = weight()
      const z2 = weight()
      g = mod(g + z * r.s)
      yC[pi] = mod(yC[pi] - z * c)
      aC[i] = mod(aC[i] + z2 * r.s)
      points.push(r.d.p, r.u.p, r.v.p)
      scalars.push(mod(-z2 * c), mod(-z), mod(-z2))
    })
  })
  const all = [...points, RistrettoPoint.BASE, ...keys.map((k) => k.verifyingShare.p), ...sums.map((s) => s.a.p)]
  const sc_ = [...scalars, g, ...yC, ...aC]
  if (msm(all, sc_).is0()) return
  ps.forEach((p, pi) => {
    p.rows.forEach((r, i) => {
      if (!partialHolds(voteId, keys[pi], i, sums[i].a, r)) throw new ProtocolError(`rows[${i}]`, 'proof', 'the decryption proof does not verify', pi)
    })
  })
  fail('', 'proof', 'the batch does not verify')
}

/** V_i = B_i − Σ λ_j D_{j,i} from at least t verified partial decryptions (§11.3–11.4). */
export function combine(res: CeremonyResult, sums: Ciphertext[], ps: PartialDecryption[]): Elt[] {
  if (ps.length < res.ceremony.threshold) fail('partials', 'length', `${ps.length} partial decryptions, the threshold is ${res.ceremony.threshold}`)
  const lambda = lagrange(ps.map((p) => p.identifier))
  return sums.map((s, i) => {
    const x = msm(ps.map((p) => p.rows[i].d.p), lambda)
    return Elt.of(s.b.p.subtract(x))
  })
}

/** The verifier's check (§11.5): (Σ c_j M^j)·G = V_i and Σ c_j ≤ total, per row. */
export function checkCounts(levels: number, radix: number, total: number, vs: Elt[], counts: number[][]): void {
  if (counts.length !== vs.length) fail('counts', 'length', `${counts.length} rows of counts for ${vs.length} sums`)
  counts.forEach((c, i) => {
    if (c.length !== levels) fail(`counts[${i}]`, 'length', `${c.length} counts for ${levels} levels`)
    let s = 0
    let v = 0n
    let p = 1n
    for (const x of c) {
      if (!Number.isSafeInteger(x) || x < 0 || x >= radix) fail(`counts[${i}]`, 'range', 'a count is out of range')
      s += x
      v += BigInt(x) * p
      p *= BigInt(radix)
    }
    if (s > total) fail(`counts[${i}]`, 'range', 'the counts add up to more than the ballots')
    if (!mulPublic(RistrettoPoint.BASE, v).equals(vs[i].p)) fail(`counts[${i}]`, 'mismatch', 'the counts do not match the decrypted sum')
  })
}

/**
 * The counts by exhaustive search over the simplex (small votes, tests): the browser never needs it
 * (the server runs the fast search of §11.5 and the page checks with checkCounts).
 */
export function countsSmall(levels: number, radix: number, total: number, vs: Elt[]): number[][] {
  const table = new Map<string, number[]>()
  const rec = (j: number, left: number, acc: number[], v: bigint) => {
    if (j === levels) {
      table.set(toHex(mulPublic(RistrettoPoint.BASE, v).toBytes()), [...acc])
      return
    }
    for (let c = 0; c <= left; c++) rec(j + 1, left - c, [...acc, c], v + BigInt(c) * BigInt(radix) ** BigInt(j))
  }
  rec(0, total, [], 0n)
  return vs.map((v, i) => table.get(v.hex) ?? fail(`rows[${i}]`, 'log', `no counts of at most ${total} ballots give this sum`))
}

// ---- wire forms ----

export const sumsToJSON = (sums: Ciphertext[]) => sums.map((s) => ({ a: s.a.hex, b: s.b.hex }))

export function sumsFromJSON(j: unknown): Ciphertext[] {
  return list('', j, 0, MAX_ROWS).map((sj, i) => {
    const s = within(`[${i}]`, () => shape(sj, ['a', 'b']))
    return { a: pointHex(`[${i}].a`, s.a, true), b: pointHex(`[${i}].b`, s.b, true) }
  })
}

export const partialToJSON = (p: PartialDecryption) => ({
  version: 1,
  vote_id: p.voteId,
  ceremony_id: p.ceremonyId,
  identifier: p.identifier,
  sums_hash: toHex(p.sumsHash),
  rows: p.rows.map((r) => ({ d: r.d.hex, u: r.u.hex, v: r.v.hex, s: scalarToHex(r.s) })),
  signature: toHex(p.signature),
})

export function partialFromJSON(j: unknown): PartialDecryption {
  const o = shape(j, ['version', 'vote_id', 'ceremony_id', 'identifier', 'sums_hash', 'rows', 'signature'])
  return {
    version: 1,
    voteId: id('vote_id', o.vote_id),
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    sumsHash: fromHex('sums_hash', o.sums_hash, 64),
    rows: list('rows', o.rows, 1, MAX_ROWS).map((rj, i) => {
      const n = `rows[${i}]`
      const r = within(n, () => shape(rj, ['d', 'u', 'v', 's']))
      return { d: pointHex(n + '.d', r.d, true), u: pointHex(n + '.u', r.u, false), v: pointHex(n + '.v', r.v, true), s: scalarHex(n + '.s', r.s) }
    }),
    signature: fromHex('signature', o.signature, 64),
  }
}
