// The board's encrypted paper totals (docs/PROTOCOL.md §13): per row the ciphertext of
// P_i = Σ_j p_{i,j} M^j, signed by the member who checked the totals against the tally sheet, and the
// openings r_i that only the server sees. No proof of the plaintext: a proof for a public P_i would
// let anyone test candidate totals and recover the paper split.
import { type Bytes, type RNG, Hasher, equalBytes, fromHex, systemRNG, toHex } from './bytes'
import { sign, verifySig } from './ed'
import { ProtocolError, fail, relocate, within } from './errors'
import { Elt, RistrettoPoint, mul, pointHex, randomScalar, scalarHex, scalarToHex } from './group'
import { type CeremonyResult, type ShareKey, memberOf } from './ceremony'
import { parseIdentifierHex } from './identifier'
import { id, int, list, shape } from './json'
import { type Manifest, MAX_ROWS, manifestHash, validateManifest } from './manifest'

/** The largest "ballots" a paper totals message may carry. */
export const MAX_PAPER_BALLOTS = 2 ** 32

export interface PaperRow {
  alpha: Elt // r_i·G
  beta: Elt // P_i·G + r_i·Y
}

export interface PaperTotals {
  version: 1
  voteId: string
  ceremonyId: string
  identifier: string
  manifestHash: Bytes // 64 bytes
  ballots: number // N_p, the valid paper ballots
  rows: PaperRow[]
  signature: Bytes // 64 bytes
}

/** H("tinnhiem/v1/paper-totals", vote_id, ceremony_id, x_j, manifest_hash, u64(ballots), alpha_0, beta_0, ...). */
export function paperHash(pt: PaperTotals): Bytes {
  const h = new Hasher('tinnhiem/v1/paper-totals')
    .str(pt.voteId)
    .str(pt.ceremonyId)
    .bytes(fromHex('identifier', pt.identifier, 32))
    .bytes(pt.manifestHash)
    .u64(pt.ballots)
  for (const r of pt.rows) h.bytes(r.alpha.b).bytes(r.beta.b)
  return h.digest()
}

/** The paper ciphertexts as the "extra" vector of sum() (§11.1). */
export const paperCiphertexts = (pt: PaperTotals): { alpha: Bytes; beta: Bytes }[] => pt.rows.map((r) => ({ alpha: r.alpha.b, beta: r.beta.b }))

/**
 * Checks settled totals against a manifest (n rows of k counts, each below M, each row adding up to
 * at most ballots, ballots below M) and returns P_i = Σ_j p_{i,j} M^j.
 */
function paperValues(m: Manifest, ballots: number, totals: number[][]): bigint[] {
  if (!Number.isSafeInteger(ballots) || ballots < 0) fail('ballots', 'range', 'a count of paper ballots is expected')
  if (ballots >= m.radix) fail('ballots', 'range', `the paper ballots must be below the radix ${m.radix}`)
  if (totals.length !== m.rows) fail('totals', 'length', `${totals.length} rows of totals for ${m.rows} rows`)
  return totals.map((row, i) => {
    if (row.length !== m.levels) fail(`totals[${i}]`, 'length', `${row.length} counts for ${m.levels} levels`)
    let s = 0
    let v = 0n
    let p = 1n
    row.forEach((c, j) => {
      if (!Number.isSafeInteger(c) || c < 0 || c >= m.radix) fail(`totals[${i}][${j}]`, 'range', 'a count reaches the radix')
      s += c
      v += BigInt(c) * p
      p *= BigInt(m.radix)
    })
    if (s > ballots) fail(`totals[${i}]`, 'range', `the counts add up to ${s}, more than the ${ballots} paper ballots`)
    return v
  })
}

/**
 * Encrypts settled paper totals (totals[i][j]: row i, level j) under the manifest's key and signs
 * them with the member's key (§13). One 48-byte r_i per row from rng; the openings go to the server
 * beside the message and are then forgotten: never stored, never published.
 */
export function encryptPaperTotals(m: Manifest, k: ShareKey, ballots: number, totals: number[][], rng: RNG = systemRNG): { paperTotals: PaperTotals; openings: string[] } {
  validateManifest(m)
  if (!k.groupKey.equals(m.publicKey)) fail('public_key', 'mismatch', "the share key is not of the ceremony that holds the vote's key")
  const vals = paperValues(m, ballots, totals)
  const openings: string[] = []
  const rows = vals.map((v) => {
    const pg = mul(RistrettoPoint.BASE, v)
    for (;;) {
      const r = randomScalar(rng)
      const beta = m.publicKey.p.multiply(r).add(pg)
      if (beta.is0()) continue // r = −P/y: probability 1/l, draw again (§13)
      openings.push(scalarToHex(r))
      return { alpha: Elt.of(RistrettoPoint.BASE.multiply(r)), beta: Elt.of(beta) }
    }
  })
  const pt: PaperTotals = { version: 1, voteId: m.voteId, ceremonyId: k.ceremonyId, identifier: k.identifier, manifestHash: manifestHash(m), ballots, rows, signature: new Uint8Array(64) }
  pt.signature = sign(k.signingSeed, paperHash(pt))
  return { paperTotals: pt, openings }
}

/** Checks the signature under a member's signing key (from its round-1 message). */
export const verifyPaperSignature = (pt: PaperTotals, signingKey: Bytes): void => verifySig('signature', signingKey, paperHash(pt), pt.signature)

/**
 * The verifier's (and the server's) check of a decoded message against the ceremony and the vote:
 * ids, member, manifest hash, n rows, ballots below M, no alpha repeated, signature.
 */
export function checkPaperTotals(res: CeremonyResult, m: Manifest, pt: PaperTotals): void {
  if (pt.voteId !== m.voteId) fail('vote_id', 'mismatch', 'another vote')
  if (pt.ceremonyId !== res.ceremony.id) fail('ceremony_id', 'mismatch', 'another ceremony')
  const mk = memberOf(res, pt.identifier)
  if (!equalBytes(pt.manifestHash, manifestHash(m))) fail('manifest_hash', 'mismatch', "not the vote's manifest")
  if (pt.rows.length !== m.rows) fail('rows', 'length', `${pt.rows.length} rows, expected ${m.rows}`)
  if (pt.ballots >= m.radix) fail('ballots', 'range', `the paper ballots must be below the radix ${m.radix}`)
  const seen = new Set<string>()
  pt.rows.forEach((r, i) => {
    if (r.alpha.isIdentity()) fail(`rows[${i}].alpha`, 'identity', 'the identity element is not allowed here')
    if (r.beta.isIdentity()) fail(`rows[${i}].beta`, 'identity', 'the identity element is not allowed here')
    if (seen.has(r.alpha.hex)) fail(`rows[${i}].alpha`, 'duplicate', 'the same alpha as another row')
    seen.add(r.alpha.hex)
  })
  verifyPaperSignature(pt, mk.signingKey)
}

function parseOpening(field: string, s: unknown): bigint {
  const r = scalarHex(field, s)
  if (r === 0n) fail(field, 'range', 'r is never zero')
  return r
}

/**
 * The server's check of the openings against the settled totals: ballots = N_p, alpha_i = r_i·G,
 * beta_i = P_i·G + r_i·Y; names the first bad row.
 */
export function checkPaperOpenings(m: Manifest, pt: PaperTotals, openings: string[], ballots: number, totals: number[][]): void {
  if (pt.rows.length !== m.rows) fail('rows', 'length', `${pt.rows.length} rows, expected ${m.rows}`)
  if (pt.ballots !== ballots) fail('ballots', 'mismatch', `${pt.ballots} paper ballots, the settled count is ${ballots}`)
  const vals = paperValues(m, ballots, totals)
  if (openings.length !== m.rows) fail('openings', 'length', `${openings.length} openings for ${m.rows} rows`)
  openings.forEach((o, i) => {
    const r = parseOpening(`openings[${i}]`, o)
    if (!RistrettoPoint.BASE.multiply(r).equals(pt.rows[i].alpha.p)) fail(`openings[${i}]`, 'mismatch', `r does not open rows[${i}].alpha`)
    if (!m.publicKey.p.multiply(r).add(mul(RistrettoPoint.BASE, vals[i])).equals(pt.rows[i].beta.p))
      fail(`rows[${i}].beta`, 'mismatch', 'the row does not encrypt the settled paper totals')
  })
}

export interface PaperSubmission {
  paperTotals: PaperTotals
  openings: string[]
}

/** checkPaperTotals then checkPaperOpenings; the message's fields are named under "paper_totals". */
export function checkPaperSubmission(res: CeremonyResult, m: Manifest, s: PaperSubmission, ballots: number, totals: number[][]): void {
  within('paper_totals', () => checkPaperTotals(res, m, s.paperTotals))
  try {
    checkPaperOpenings(m, s.paperTotals, s.openings, ballots, totals)
  } catch (e) {
    // ballots, rows: fields of the message; openings and the server's own totals keep their names.
    if (e instanceof ProtocolError && !e.field.startsWith('openings') && !e.field.startsWith('totals')) throw relocate(e, 'paper_totals')
    throw e
  }
}

// ---- wire forms ----

export const paperTotalsToJSON = (pt: PaperTotals) => ({
  version: 1,
  vote_id: pt.voteId,
  ceremony_id: pt.ceremonyId,
  identifier: pt.identifier,
  manifest_hash: toHex(pt.manifestHash),
  ballots: pt.ballots,
  rows: pt.rows.map((r) => ({ alpha: r.alpha.hex, beta: r.beta.hex })),
  signature: toHex(pt.signature),
})

/** Decodes a paper totals message (strict; checks against the vote are checkPaperTotals'). */
export function paperTotalsFromJSON(j: unknown): PaperTotals {
  const o = shape(j, ['version', 'vote_id', 'ceremony_id', 'identifier', 'manifest_hash', 'ballots', 'rows', 'signature'])
  return {
    version: 1,
    voteId: id('vote_id', o.vote_id),
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    manifestHash: fromHex('manifest_hash', o.manifest_hash, 64),
    ballots: int('ballots', o.ballots, 0, MAX_PAPER_BALLOTS),
    rows: list('rows', o.rows, 1, MAX_ROWS).map((rj, i) => {
      const n = `rows[${i}]`
      const r = within(n, () => shape(rj, ['alpha', 'beta']))
      return { alpha: pointHex(n + '.alpha', r.alpha, false), beta: pointHex(n + '.beta', r.beta, false) }
    }),
    signature: fromHex('signature', o.signature, 64),
  }
}

export const paperSubmissionToJSON = (s: PaperSubmission) => ({ paper_totals: paperTotalsToJSON(s.paperTotals), openings: [...s.openings] })

/** Decodes {"paper_totals": {...}, "openings": [...]}: one canonical non-zero scalar per row. */
export function paperSubmissionFromJSON(j: unknown): PaperSubmission {
  const o = shape(j, ['paper_totals', 'openings'])
  const pt = within('paper_totals', () => paperTotalsFromJSON(o.paper_totals))
  if (!Array.isArray(o.openings)) fail('openings', 'json', 'an array is expected')
  if (o.openings.length !== pt.rows.length) fail('openings', 'length', `${o.openings.length} openings for ${pt.rows.length} rows`)
  o.openings.forEach((x, i) => parseOpening(`openings[${i}]`, x))
  return { paperTotals: pt, openings: o.openings as string[] }
}
