// Encrypted ballots (docs/PROTOCOL.md §8): one packed exponential-ElGamal ciphertext per row with a
// disjunctive Chaum–Pedersen proof over its k+1 options, the ballot hash (tracking code), the
// credential's signature, batch verification, and the Benaloh reveal (§9).
import { type Bytes, type RNG, Hasher, equalBytes, fingerprint80, fromHex, systemRNG, toHex } from './bytes'
import { keyHex, publicKeyOf, sign, verifySig, checkPublicKey } from './ed'
import { ProtocolError, fail, relocate, within } from './errors'
import {
  type RP, Elt, G, RistrettoPoint, hashToScalarBytes, mod, msm, mul, mulPublic, pointHex, sc, scalarHex, scalarToHex,
} from './group'
import { id, int, list, shape } from './json'
import { type Manifest, MAX_LEVELS, MAX_ROWS, manifestHash, optionValues, validateManifest } from './manifest'

export interface ProofTerm {
  a: Elt
  b: Elt
  c: bigint
  s: bigint
}

export interface Row {
  alpha: Elt
  beta: Elt
  proof: ProofTerm[] // k + 1 terms, option 0 = blank
}

export interface Ballot {
  version: 1
  voteId: string
  manifestHash: Bytes // 64 bytes: the hash of the manifest it was made under (§6)
  credential: Bytes // 32-byte public credential
  rows: Row[]
  signature: Bytes // 64 bytes (zero until signed)
}

/** What the kiosk keeps until the ballot is cast or audited. */
export interface BallotSecrets {
  seed: Bytes // 32 bytes
  options: number[] // per row: 0 = blank, j+1 = level j
}

/** x(i, m) = Hs("tinnhiem/v1/ballot-nonce", seed, u64(i), u64(m)). */
function ballotNonce(seed: Bytes, row: number, m: number): bigint {
  return hashToScalarBytes(new Hasher('tinnhiem/v1/ballot-nonce').bytes(seed).u64(row).u64(m).digest())
}

/** Hs("tinnhiem/v1/ballot-proof", vote_id, G, Y, M, k, i, credential, alpha, beta, a_0, b_0, ...). */
export function rowChallenge(m: Manifest, credential: Bytes, i: number, row: Row): bigint {
  const h = new Hasher('tinnhiem/v1/ballot-proof')
    .str(m.voteId)
    .bytes(G.b)
    .bytes(m.publicKey.b)
    .u64(m.radix)
    .u64(m.levels)
    .u64(i)
    .bytes(credential)
    .bytes(row.alpha.b)
    .bytes(row.beta.b)
  for (const t of row.proof) h.bytes(t.a.b).bytes(t.b.b)
  return hashToScalarBytes(h.digest())
}

class ZeroNonce extends Error {}

/**
 * The unsigned ballot of these options, computed deterministically from a 32-byte seed (§8.4). The
 * kiosk's encryption and the Benaloh check both call it. onRow reports progress.
 */
export function buildBallot(m: Manifest, credential: Bytes, options: number[], seed: Bytes, onRow?: (done: number, total: number) => void): Ballot {
  validateManifest(m)
  if (options.length !== m.rows) fail('options', 'length', `${options.length} options for ${m.rows} rows`)
  const vals = optionValues(m)
  const valG = vals.map((v) => mul(RistrettoPoint.BASE, v))
  // A private copy of Y with a precomputed table: every multiplication by Y below is fixed-base.
  const Y = RistrettoPoint.fromBytes(m.publicKey.b)
  Y.precompute(8, false)
  const G = RistrettoPoint.BASE
  const rows: Row[] = []
  options.forEach((o, i) => {
    if (!Number.isInteger(o) || o < 0 || o > m.levels) fail(`options[${i}]`, 'range', `an option is 0 (blank) to ${m.levels}`)
    const r = ballotNonce(seed, i, 0)
    const w = ballotNonce(seed, i, 1)
    if (r === 0n || w === 0n) throw new ZeroNonce()
    const alpha = G.multiply(r)
    const beta = Y.multiply(r).add(valG[o])
    const row: Row = { alpha: Elt.of(alpha), beta: Elt.of(beta), proof: [] }
    let sumC = 0n
    for (let opt = 0; opt <= m.levels; opt++) {
      if (opt === o) {
        row.proof.push({ a: Elt.of(G.multiply(w)), b: Elt.of(Y.multiply(w)), c: 0n, s: 0n })
        continue
      }
      const c = ballotNonce(seed, i, 2 + 2 * opt)
      const s = ballotNonce(seed, i, 3 + 2 * opt)
      // a = s·G − c·alpha = (s − c·r)·G and b = s·Y − c·(beta − v·G) = (s − c·r)·Y − c·(v* − v)·G:
      // the same points as the verifier's equations, from fixed bases only.
      const t = mod(s - c * r)
      const a = mul(G, t)
      const b = mul(Y, t).add(mul(G, mod(-c * (vals[o] - vals[opt]))))
      row.proof.push({ a: Elt.of(a), b: Elt.of(b), c, s })
      sumC = mod(sumC + c)
    }
    const ch = rowChallenge(m, credential, i, row)
    const t = row.proof[o]
    t.c = mod(ch - sumC)
    t.s = mod(w + t.c * r)
    rows.push(row)
    onRow?.(i + 1, options.length)
  })
  return { version: 1, voteId: m.voteId, manifestHash: manifestHash(m), credential: Uint8Array.from(credential), rows, signature: new Uint8Array(64) }
}

/**
 * Encrypts and signs a ballot. choices: one per row, -1 for a blank row or a level index 0..k-1.
 * The credential is the seed from credential(code).
 */
export function encryptBallot(
  m: Manifest,
  credentialSeed: Bytes,
  choices: number[],
  rng: RNG = systemRNG,
  onRow?: (done: number, total: number) => void,
): { ballot: Ballot; secrets: BallotSecrets } {
  const options = choices.map((c) => c + 1)
  const pub = publicKeyOf(credentialSeed)
  for (;;) {
    const seed = rng(32)
    let b: Ballot
    try {
      b = buildBallot(m, pub, options, seed, onRow)
    } catch (e) {
      if (e instanceof ZeroNonce) continue
      throw e
    }
    b.signature = sign(credentialSeed, ballotHash(b))
    return { ballot: b, secrets: { seed, options } }
  }
}

/** The ballot hash (§8.6): the tracking code, signed by the credential. */
export function ballotHash(b: Ballot): Bytes {
  const h = new Hasher('tinnhiem/v1/ballot').str(b.voteId).bytes(b.manifestHash).bytes(b.credential)
  for (const r of b.rows) {
    h.bytes(r.alpha.b).bytes(r.beta.b)
    for (const t of r.proof) h.bytes(t.a.b).bytes(t.b.b).bytes(sc(t.c)).bytes(sc(t.s))
  }
  return h.digest()
}

/** The 16 characters people compare. */
export const trackingCode = (h: Bytes): string => fingerprint80(h)

/** The receipt's QR payload: "TN1R:" and the full hash in upper-case hex. */
export const receiptQR = (h: Bytes): string => 'TN1R:' + toHex(h).toUpperCase()

export function ballotToJSON(b: Ballot) {
  return {
    version: 1,
    vote_id: b.voteId,
    manifest_hash: toHex(b.manifestHash),
    credential: toHex(b.credential),
    rows: b.rows.map((r) => ({
      alpha: r.alpha.hex,
      beta: r.beta.hex,
      proof: r.proof.map((t) => ({ a: t.a.hex, b: t.b.hex, c: scalarToHex(t.c), s: scalarToHex(t.s) })),
    })),
    signature: toHex(b.signature),
  }
}

/** Decodes a ballot's wire form (encodings only; verifyBallots checks the rest). */
export function ballotFromJSON(j: unknown): Ballot {
  const o = shape(j, ['version', 'vote_id', 'manifest_hash', 'credential', 'rows', 'signature'])
  const voteId = id('vote_id', o.vote_id)
  const manifestHashB = fromHex('manifest_hash', o.manifest_hash, 64)
  const credential = keyHex('credential', o.credential)
  const rows = list('rows', o.rows, 1, MAX_ROWS).map((rj, i) => {
    const name = `rows[${i}]`
    const r = within(name, () => shape(rj, ['alpha', 'beta', 'proof']))
    return {
      alpha: pointHex(name + '.alpha', r.alpha, false),
      beta: pointHex(name + '.beta', r.beta, false),
      proof: list(name + '.proof', r.proof, 2, MAX_LEVELS + 1).map((tj, k) => {
        const tn = `${name}.proof[${k}]`
        const t = within(tn, () => shape(tj, ['a', 'b', 'c', 's']))
        return { a: pointHex(tn + '.a', t.a, false), b: pointHex(tn + '.b', t.b, false), c: scalarHex(tn + '.c', t.c), s: scalarHex(tn + '.s', t.s) }
      }),
    }
  })
  return { version: 1, voteId, manifestHash: manifestHashB, credential, rows, signature: fromHex('signature', o.signature, 64) }
}

/** §8.8 steps 2, 3, 6, 7 and the challenge sums. */
function checkBallotShape(m: Manifest, mh: Bytes, b: Ballot): void {
  if (b.voteId !== m.voteId) fail('vote_id', 'mismatch', 'the ballot is for another vote')
  if (!equalBytes(b.manifestHash, mh)) fail('manifest_hash', 'mismatch', 'the ballot was made under another manifest (key, levels, radix or subjects)')
  if (b.rows.length !== m.rows) fail('rows', 'length', `${b.rows.length} rows, the vote has ${m.rows} subjects`)
  const seen = new Map<string, number>()
  b.rows.forEach((r, i) => {
    if (r.proof.length !== m.levels + 1) fail(`rows[${i}].proof`, 'length', `${r.proof.length} terms, the vote needs ${m.levels + 1}`)
    const k = r.alpha.hex
    if (seen.has(k)) fail(`rows[${i}].alpha`, 'duplicate', `same alpha as rows[${seen.get(k)}]: randomness reused`)
    seen.set(k, i)
  })
  checkPublicKey(b.credential, 'credential')
  verifySig('signature', b.credential, ballotHash(b), b.signature)
  b.rows.forEach((r, i) => {
    let sum = 0n
    for (const t of r.proof) sum = mod(sum + t.c)
    if (sum !== rowChallenge(m, b.credential, i, r)) fail(`rows[${i}].proof`, 'proof', 'the challenges do not add up to the hash of the statement')
  })
}

/** Random 128-bit weights for batch verification. */
function weights(n: number): bigint[] {
  const b = crypto.getRandomValues(new Uint8Array(16 * n))
  const out: bigint[] = []
  for (let i = 0; i < n; i++) {
    let x = 0n
    for (let j = 0; j < 16; j++) x = (x << 8n) | BigInt(b[16 * i + j])
    out.push(x)
  }
  return out
}

/** Accumulates the batch equation of §8.9 over rows. */
class BallotBatch {
  g = 0n
  y = 0n
  points: RP[] = []
  scalars: bigint[] = []
  constructor(private vals: bigint[]) {}
  addRow(r: Row): void {
    const z = weights(2 * r.proof.length)
    let ac = 0n
    let bc = 0n
    r.proof.forEach((t, o) => {
      const z1 = z[2 * o]
      const z2 = z[2 * o + 1]
      this.g = mod(this.g + z1 * t.s + z2 * t.c * this.vals[o])
      this.y = mod(this.y + z2 * t.s)
      ac = mod(ac - z1 * t.c)
      bc = mod(bc - z2 * t.c)
      this.points.push(t.a.p, t.b.p)
      this.scalars.push(mod(-z1), mod(-z2))
    })
    this.points.push(r.alpha.p, r.beta.p)
    this.scalars.push(ac, bc)
  }
  ok(Y: RP): boolean {
    return msm([...this.points, RistrettoPoint.BASE, Y], [...this.scalars, this.g, this.y]).is0()
  }
}

function termHolds(Y: RP, r: Row, o: number, v: bigint): boolean {
  const t = r.proof[o]
  const a = mulPublic(RistrettoPoint.BASE, t.s).subtract(mulPublic(r.alpha.p, t.c))
  if (!a.equals(t.a.p)) return false
  const b = mulPublic(Y, t.s).subtract(mulPublic(r.beta.p.subtract(mulPublic(RistrettoPoint.BASE, v)), t.c))
  return b.equals(t.b.p)
}

/**
 * Checks ballots against a manifest (§8.8 steps 2–8) with one batch equation over all their rows;
 * throws a ProtocolError naming the first failing ballot (index), row and term.
 */
export function verifyBallots(m: Manifest, bs: Ballot[]): void {
  validateManifest(m)
  const vals = optionValues(m)
  const Y = m.publicKey.p
  const mh = manifestHash(m)
  const batch = new BallotBatch(vals)
  bs.forEach((b, i) => {
    try {
      checkBallotShape(m, mh, b)
    } catch (e) {
      throw relocate(e, '', i)
    }
    for (const r of b.rows) batch.addRow(r)
  })
  if (batch.ok(Y)) return
  bs.forEach((b, i) => {
    const one = new BallotBatch(vals)
    for (const r of b.rows) one.addRow(r)
    if (one.ok(Y)) return
    b.rows.forEach((r, ri) => {
      r.proof.forEach((_, o) => {
        if (!termHolds(Y, r, o, vals[o])) throw new ProtocolError(`rows[${ri}].proof[${o}]`, 'proof', 'the proof does not verify', i)
      })
    })
    throw new ProtocolError('rows', 'proof', 'the proofs do not verify', i)
  })
  fail('', 'proof', 'the batch does not verify')
}

/** The row ciphertexts' encodings (what the tally adds). */
export const ciphertexts = (b: Ballot): { alpha: Bytes; beta: Bytes }[] => b.rows.map((r) => ({ alpha: r.alpha.b, beta: r.beta.b }))

// ---- the Benaloh challenge (§9) ----

export interface Reveal {
  manifest: Manifest
  credential: Bytes
  seed: Bytes
  options: number[]
  trackingCode: Bytes // the full ballot hash
}

export function newReveal(m: Manifest, b: Ballot, s: BallotSecrets): Reveal {
  return { manifest: m, credential: b.credential, seed: s.seed, options: [...s.options], trackingCode: ballotHash(b) }
}

/**
 * The offline check of a reveal: recompute the ballot from the seed and options and compare its hash
 * with the tracking code the kiosk showed. Returns the recomputed ballot; the page then shows the vote
 * fingerprint, the tracking code and each row's option.
 */
export function checkReveal(r: Reveal): Ballot {
  const b = buildBallot(r.manifest, r.credential, r.options, r.seed)
  if (!equalBytes(ballotHash(b), r.trackingCode)) fail('tracking_code', 'mismatch', 'the recomputed ballot has another tracking code: the kiosk did not encrypt these choices')
  return b
}

export const revealToJSON = (r: Reveal) => ({
  version: 1,
  vote_id: r.manifest.voteId,
  public_key: r.manifest.publicKey.hex,
  levels: r.manifest.levels,
  radix: r.manifest.radix,
  subjects_hash: toHex(r.manifest.subjectsHash),
  credential: toHex(r.credential),
  seed: toHex(r.seed),
  options: r.options,
  tracking_code: toHex(r.trackingCode),
})

export function revealFromJSON(j: unknown): Reveal {
  const o = shape(j, ['version', 'vote_id', 'public_key', 'levels', 'radix', 'subjects_hash', 'credential', 'seed', 'options', 'tracking_code'])
  const levels = int('levels', o.levels, 1, MAX_LEVELS)
  const options = list('options', o.options, 1, MAX_ROWS).map((x, i) => int(`options[${i}]`, x, 0, levels))
  const manifest: Manifest = {
    voteId: id('vote_id', o.vote_id),
    publicKey: pointHex('public_key', o.public_key, false),
    levels,
    radix: int('radix', o.radix, 2, 2 ** 32),
    rows: options.length,
    subjectsHash: fromHex('subjects_hash', o.subjects_hash, 64),
  }
  validateManifest(manifest)
  return {
    manifest,
    credential: keyHex('credential', o.credential),
    seed: fromHex('seed', o.seed, 32),
    options,
    trackingCode: fromHex('tracking_code', o.tracking_code, 64),
  }
}

