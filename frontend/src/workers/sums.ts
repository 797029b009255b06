// A board member's check of the encrypted sums before decrypting them (docs/PROTOCOL.md §11.2): the
// browser recomputes the sums from every cast ballot (and the sealed paper totals, §13) that the
// server lists at GET /votes/{id}/encrypted-ballots, and decrypts only the sums it recomputed. A
// server that put one ballot's ciphertext in place of a row's sum would otherwise have t honest
// members open that ballot, and the record's verifier would see it only once the secret is out.
//
// Every signature, credential and sum is checked; the proofs of every ballot while the vote is small
// enough (PROOF_ROWS), else of a random sample of ballots (the proofs bound what a ballot may hold,
// not which ballots the sums add: §11.2 says why sampling them is enough here). No DOM: it runs in
// the cryptography worker (jobs.ts), and in vitest as it is.

import {
  type Ballot, type CeremonyResult, type Ciphertext, type Manifest, type PaperTotals, type ProofTerm, type Row, Elt, ProtocolError,
  ballotHash, checkPaperTotals, computeResult, credentialListFromJSON, decodePoint, fingerprint80, fromHex, manifestFromJSON,
  manifestHash, memberOf, paperCiphertexts, paperTotalsFromJSON, round1FromJSON, scalarHex, sum, sumsFromJSON, sumsHash, toHex,
  trackingCode, verifyBallots, verifyCredentialList, verifyRound1, verifySig, within,
} from '../protocol'
import type { RP } from '../protocol/group'
import { id as idOf, int, list, shape } from '../protocol/json'
import { MAX_LEVELS, MAX_ROWS } from '../protocol/manifest'

/**
 * The proofs of every ballot are checked while ballots × rows is at most this (a ballot's proofs cost
 * about 3.5 ms a row in a browser: 1 000 rows, 3.5 s); beyond it, those of a random sample of
 * ⌈PROOF_ROWS / rows⌉ ballots, at least PROOF_MIN_BALLOTS. Signatures, credentials and sums are
 * always checked for every ballot.
 */
export const PROOF_ROWS = 1000
export const PROOF_MIN_BALLOTS = 20

/** The public part of the member's opened key file: what the check trusts the ceremony by. */
export interface SumsKey {
  ceremony_id: string
  identifier: string
  verifying_share: string
  group_key: string
  fingerprint: string // the transcript fingerprint, read aloud at the ceremony, sealed in the file
}

/** What the page knows and the server's answer. */
export interface SumsInput {
  voteId: string
  manifest: unknown // the vote's manifest (§6), which the kiosks encrypted under
  sums: unknown // the encrypted sums the member is asked to decrypt (§11.1 wire form)
  cast: number // the ballots cast, as the console shows them
  paper: boolean // the vote has a paper part: its sealed totals are in the sums (§13.5)
  key: SumsKey
  answer: unknown // GET /votes/{id}/encrypted-ballots
  proofRows?: number // PROOF_ROWS unless a test says otherwise
}

/** Where the check failed. Ballot and row numbers count from 1 in the order of the answer. */
export type SumsStep = 'answer' | 'ceremony' | 'credentials' | 'count' | 'ballot' | 'paper' | 'row' | 'sums_hash'

/** Why a ballot was refused. */
export type BallotReason = 'order' | 'same' | 'altered' | 'invalid' | 'not_listed' | 'credential_reused' | 'ciphertext_reused' | 'signature' | 'proof'

export interface SumsFailure {
  step: SumsStep
  ballot?: number
  tracking?: string // the ballot's tracking code (16 characters)
  reason?: BallotReason
  other?: number // the earlier ballot a reused credential or ciphertext belongs to
  row?: number
  got?: number
  want?: number
  field: string // where, as a JSON path of the answer
  detail: string // the protocol's words (English), for the technical line
}

export type SumsResult =
  | { ok: true; ballots: number; rows: number; paper: boolean; proofs: number; sampled: boolean; sumsHash: string; ms: number }
  | { ok: false; failure: SumsFailure; ms: number }

class Refused extends Error {
  constructor(readonly f: SumsFailure) {
    super(`${f.step}: ${f.detail}`)
  }
}

const refuse = (f: SumsFailure): never => {
  throw new Refused(f)
}

/** Runs f; a ProtocolError it throws becomes a refusal at step, its field under base. */
function at<T>(step: SumsStep, base: string, f: () => T, extra: Partial<SumsFailure> = {}): T {
  try {
    return f()
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e
    const field = e.field ? (e.field.startsWith('[') || !base ? base + e.field : `${base}.${e.field}`) : base
    return refuse({ step, field, detail: e.detail, ...extra })
  }
}

/**
 * A point kept as its 32 bytes and decoded (canonical, not the identity) only when its value is
 * used: hashing a ballot needs the bytes of its 500 points, the sum only alpha and beta, and only
 * the sampled ballots' proofs need the commitments decoded (a decoding costs what 40 additions do).
 */
function lazyPoint(field: string, s: unknown): Elt {
  const b = fromHex(field, s, 32)
  let p: RP | undefined
  const e = Object.create(Elt.prototype) as Elt
  Object.defineProperties(e, {
    b: { value: b, enumerable: true },
    p: { get: () => (p ??= decodePoint(b, false, field).p), enumerable: true },
  })
  return e
}

/** ballotFromJSON's decoding, with points decoded on use (lazyPoint); the credential is bytes. */
function ballotLazy(j: unknown): Ballot {
  const o = shape(j, ['version', 'vote_id', 'manifest_hash', 'credential', 'rows', 'signature'])
  const rows: Row[] = list('rows', o.rows, 1, MAX_ROWS).map((rj, i) => {
    const name = `rows[${i}]`
    const r = within(name, () => shape(rj, ['alpha', 'beta', 'proof']))
    const proof: ProofTerm[] = list(name + '.proof', r.proof, 2, MAX_LEVELS + 1).map((tj, k) => {
      const tn = `${name}.proof[${k}]`
      const t = within(tn, () => shape(tj, ['a', 'b', 'c', 's']))
      return { a: lazyPoint(tn + '.a', t.a), b: lazyPoint(tn + '.b', t.b), c: scalarHex(tn + '.c', t.c), s: scalarHex(tn + '.s', t.s) }
    })
    return { alpha: lazyPoint(name + '.alpha', r.alpha), beta: lazyPoint(name + '.beta', r.beta), proof }
  })
  return {
    version: 1,
    voteId: idOf('vote_id', o.vote_id),
    manifestHash: fromHex('manifest_hash', o.manifest_hash, 64),
    credential: fromHex('credential', o.credential, 32),
    rows,
    signature: fromHex('signature', o.signature, 64),
  }
}

/** A random sample of k of the indices 0…n−1, in ascending order (CSPRNG: the server cannot guess it). */
function sample(n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i)
  const r = new Uint32Array(k)
  crypto.getRandomValues(r)
  for (let i = 0; i < k; i++) {
    const j = i + (r[i] % (n - i))
    ;[idx[i], idx[j]] = [idx[j], idx[i]]
  }
  return idx.slice(0, k).sort((a, b) => a - b)
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now())

/**
 * The member's check (docs/PROTOCOL.md §11.2, "Before decrypting"). Never throws for a bad answer:
 * it returns the first failure. progress gets 0…1.
 */
export function checkSums(input: SumsInput, progress: (p: number) => void = () => {}): SumsResult {
  const t0 = now()
  try {
    return { ...run(input, progress), ms: now() - t0 }
  } catch (e) {
    if (e instanceof Refused) return { ok: false, failure: e.f, ms: now() - t0 }
    if (e instanceof ProtocolError) return { ok: false, failure: { step: 'answer', field: e.field, detail: e.detail }, ms: now() - t0 }
    throw e
  }
}

function run(input: SumsInput, progress: (p: number) => void): Omit<Extract<SumsResult, { ok: true }>, 'ms'> {
  const { voteId, key } = input
  const a = at('answer', '', () => shape(input.answer, ['vote_id', 'ceremony', 'credential_lists', 'ballots', 'paper_totals', 'sums', 'sums_hash']))
  if (a.vote_id !== voteId) refuse({ step: 'answer', field: 'vote_id', detail: 'the answer is for another vote' })

  // 1. The ceremony: its round-1 messages give the members' signing keys; they are the ones the
  // member's own file was made from (the transcript fingerprint read aloud, the joint key, the
  // member's verifying share).
  const res: CeremonyResult = at('ceremony', 'ceremony', () => {
    const cj = shape(a.ceremony, ['ceremony_id', 'council_id', 'vote_id', 'threshold', 'members', 'round1', 'confirmations', 'joint_key', 'transcript', 'fingerprint'])
    const c = {
      id: idOf('ceremony_id', cj.ceremony_id),
      councilId: idOf('council_id', cj.council_id),
      voteId: idOf('vote_id', cj.vote_id),
      threshold: int('threshold', cj.threshold, 2, 255),
      members: list('members', cj.members, 2, 255).map((u, i) => idOf(`members[${i}]`, u)),
    }
    const r1 = list('round1', cj.round1, 0, 255).map((r, i) => within(`round1[${i}]`, () => round1FromJSON(r)))
    return computeResult(c, verifyRound1(c, r1))
  })
  if (res.ceremony.id !== key.ceremony_id) refuse({ step: 'ceremony', field: 'ceremony.ceremony_id', detail: 'not the ceremony of your key file' })
  if (fingerprint80(res.transcript) !== key.fingerprint) refuse({ step: 'ceremony', field: 'ceremony.round1', detail: 'the round-1 messages do not give the fingerprint of your key file' })
  if (res.groupKey.hex !== key.group_key) refuse({ step: 'ceremony', field: 'ceremony.round1', detail: 'the round-1 messages do not give the joint key of your key file' })
  const mine = at('ceremony', 'ceremony', () => memberOf(res, key.identifier))
  if (mine.verifyingShare.hex !== key.verifying_share) refuse({ step: 'ceremony', field: 'ceremony.round1', detail: 'your verifying share differs from your key file' })
  const m: Manifest = at('answer', 'manifest', () => manifestFromJSON(input.manifest))
  if (m.voteId !== voteId) refuse({ step: 'answer', field: 'manifest.vote_id', detail: 'the manifest is for another vote' })
  if (!m.publicKey.equals(res.groupKey)) refuse({ step: 'ceremony', field: 'manifest.public_key', detail: "the manifest's key is not the ceremony's joint key" })
  const mh = manifestHash(m)

  // 2. The credential lists, each signed by a member.
  const creds = new Set<string>()
  list('credential_lists', a.credential_lists, 0, 1 << 16).forEach((raw, i) => {
    const field = `credential_lists[${i}]`
    const l = at('credentials', field, () => credentialListFromJSON(raw))
    if (l.voteId !== voteId) refuse({ step: 'credentials', field: field + '.vote_id', detail: 'a list for another vote' })
    at('credentials', field, () => verifyCredentialList(l, memberOf(res, l.identifier).signingKey))
    l.credentials.forEach((c, j) => {
      const h = toHex(c)
      if (creds.has(h)) refuse({ step: 'credentials', field: `${field}.credentials[${j}]`, detail: 'a credential in two lists' })
      creds.add(h)
    })
  })

  // 3. As many ballots as the console shows cast; each signed by a listed credential of its own;
  // no ciphertext twice.
  const raws = list('ballots', a.ballots, 0, 1 << 20)
  if (raws.length !== input.cast) refuse({ step: 'count', field: 'ballots', got: raws.length, want: input.cast, detail: `${raws.length} ballots, ${input.cast} cast` })
  const n = raws.length
  const placeOf = (i: number) => {
    const h = (raws[i] as { ballot_hash?: unknown } | null)?.ballot_hash
    return { ballot: i + 1, tracking: typeof h === 'string' && /^[0-9a-f]{128}$/.test(h) ? trackingCode(fromHex('', h, 64)) : '?' }
  }
  const proofs = n * m.rows <= (input.proofRows ?? PROOF_ROWS) ? n : Math.min(n, Math.max(PROOF_MIN_BALLOTS, Math.ceil((input.proofRows ?? PROOF_ROWS) / m.rows)))
  // Work units for the progress: a ballot's signature and hash 1, its part of the sum 3, a proof 12.
  const total = Math.max(1, 4 * n + 12 * proofs)
  let done = 0
  const step = (u: number) => {
    done += u
    progress(Math.min(1, done / total))
  }
  progress(0)
  const ballots: Ballot[] = []
  const usedBy = new Map<string, number>()
  const alphas = new Map<string, number>()
  let prev = ''
  raws.forEach((rj, i) => {
    const field = `ballots[${i}]`
    const cb = at('ballot', field, () => shape(rj, ['ballot_hash', 'ballot']), { ballot: i + 1, reason: 'invalid' })
    const h = typeof cb.ballot_hash === 'string' ? cb.ballot_hash : ''
    const place = placeOf(i)
    const bad = (reason: BallotReason, sub: string, detail: string, other?: number): never =>
      refuse({ step: 'ballot', ...place, reason, field: field + sub, detail, other })
    if (place.tracking === '?') bad('invalid', '.ballot_hash', 'not a ballot hash')
    if (i > 0 && h === prev) bad('same', '.ballot_hash', 'the same ballot as the one before', i)
    if (i > 0 && h < prev) bad('order', '.ballot_hash', 'the ballots are not in the order of their hashes')
    prev = h
    const b = at('ballot', field + '.ballot', () => ballotLazy(cb.ballot), { ...place, reason: 'invalid' })
    if (toHex(ballotHash(b)) !== h) bad('altered', '.ballot', 'the ballot does not have this hash: it was altered')
    if (b.voteId !== voteId) bad('invalid', '.ballot.vote_id', 'a ballot of another vote')
    if (toHex(b.manifestHash) !== toHex(mh)) bad('invalid', '.ballot.manifest_hash', 'made under another manifest')
    if (b.rows.length !== m.rows) bad('invalid', '.ballot.rows', `${b.rows.length} rows, the vote has ${m.rows}`)
    b.rows.forEach((r, ri) => {
      if (r.proof.length !== m.levels + 1) bad('invalid', `.ballot.rows[${ri}].proof`, `${r.proof.length} terms, the vote needs ${m.levels + 1}`)
    })
    const cred = toHex(b.credential)
    if (!creds.has(cred)) bad('not_listed', '.ballot.credential', 'the credential is on no list the board signed')
    if (usedBy.has(cred)) bad('credential_reused', '.ballot.credential', 'a second ballot of this credential', usedBy.get(cred)! + 1)
    usedBy.set(cred, i)
    b.rows.forEach((r, ri) => {
      const k = r.alpha.hex
      const o = alphas.get(k)
      if (o === i) bad('invalid', `.ballot.rows[${ri}].alpha`, 'two rows of the ballot share an alpha')
      if (o !== undefined) bad('ciphertext_reused', `.ballot.rows[${ri}].alpha`, 'a ciphertext that another ballot holds', o + 1)
      alphas.set(k, i)
    })
    at('ballot', field + '.ballot', () => verifySig('signature', b.credential, fromHex('', h, 64), b.signature), { ...place, reason: 'signature' })
    ballots.push(b)
    step(1)
  })

  // 4. The sealed paper totals: exactly one message with a paper part, signed by a member.
  const paperRaw = list('paper_totals', a.paper_totals, 0, 255)
  if (paperRaw.length !== (input.paper ? 1 : 0))
    refuse({ step: 'paper', field: 'paper_totals', got: paperRaw.length, want: input.paper ? 1 : 0, detail: `${paperRaw.length} paper totals messages` })
  const paper: PaperTotals[] = paperRaw.map((raw, i) => {
    const pt = at('paper', `paper_totals[${i}]`, () => paperTotalsFromJSON(raw))
    at('paper', `paper_totals[${i}]`, () => checkPaperTotals(res, m, pt))
    return pt
  })

  // 5. The sums, row by row: the ballots' ciphertexts plus the paper rows (protocol.sum, a chunk of
  // ballots at a time for the progress), against the sums to decrypt; then their hash.
  const asked: Ciphertext[] = at('row', 'sums', () => sumsFromJSON(input.sums))
  if (asked.length !== m.rows) refuse({ step: 'row', field: 'sums', got: asked.length, want: m.rows, detail: `${asked.length} sums for ${m.rows} rows` })
  const acc: { a: RP; b: RP }[] = at('paper', 'paper_totals', () => sum(m.rows, [], paper.map(paperCiphertexts))).map((s) => ({ a: s.a.p, b: s.b.p }))
  const CHUNK = 25
  for (let lo = 0; lo < n; lo += CHUNK) {
    const chunk = ballots.slice(lo, lo + CHUNK)
    let part: Ciphertext[]
    try {
      part = sum(m.rows, chunk.map((b) => b.rows.map((r) => ({ alpha: r.alpha.b, beta: r.beta.b }))))
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e
      // sum names "ballots[j][row].alpha" within the chunk: a point that is not one.
      const [, j, rest] = /^ballots\[(\d+)\](.*)$/.exec(e.field) ?? ['', '0', '']
      const i = lo + Number(j)
      return refuse({ step: 'ballot', ...placeOf(i), reason: 'invalid', field: `ballots[${i}].ballot.rows${rest}`, detail: e.detail })
    }
    acc.forEach((s, r) => {
      s.a = s.a.add(part[r].a.p)
      s.b = s.b.add(part[r].b.p)
    })
    step(3 * chunk.length)
  }
  const got: Ciphertext[] = acc.map((s) => ({ a: Elt.of(s.a), b: Elt.of(s.b) }))
  got.forEach((s, r) => {
    if (!s.a.equals(asked[r].a) || !s.b.equals(asked[r].b))
      refuse({ step: 'row', row: r + 1, field: `sums[${r}]`, detail: `row ${r + 1}: the sum asked is not the sum of the ${n} ballots${paper.length ? ' and the paper totals' : ''}` })
  })
  const sh = toHex(sumsHash(voteId, got))
  if (a.sums_hash !== sh) refuse({ step: 'sums_hash', field: 'sums_hash', detail: 'the hash of the sums differs from the recomputed one' })

  // 6. The proofs: every ballot's, or a random sample's (CSPRNG), each ballot alone so that the first
  // bad one is named.
  const which = proofs === n ? ballots.map((_, i) => i) : sample(n, proofs)
  for (const i of which) {
    try {
      verifyBallots(m, [ballots[i]])
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e
      const reason: BallotReason = e.code === 'proof' ? 'proof' : e.code === 'signature' ? 'signature' : 'invalid'
      refuse({ step: 'ballot', ...placeOf(i), reason, field: `ballots[${i}].ballot${e.field ? '.' + e.field : ''}`, detail: e.detail })
    }
    step(12)
  }
  progress(1)
  return { ok: true, ballots: n, rows: m.rows, paper: paper.length > 0, proofs: which.length, sampled: which.length < n, sumsHash: sh }
}
