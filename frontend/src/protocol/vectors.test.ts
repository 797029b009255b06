// @vitest-environment node
// Cross-implementation vectors (docs/PROTOCOL.md §15): the TypeScript code checks every item of the
// file Go wrote and of its own file, regenerates both from their seeds, and makes noble's DKG accept
// Go's proofs of knowledge. TN_WRITE_VECTORS=1 rewrites testdata/vectors-ts.json.
import { readFileSync, writeFileSync } from 'node:fs'
import { env } from 'node:process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ristretto255_FROST } from '@noble/curves/ed25519.js'
import {
  ProtocolError, RistrettoPoint, ballotFromJSON, ballotHash, buildBallot, certificationFromJSON, certificationStatement, checkConfirmation,
  checkComplaint, checkCounts, checkPublicKey, checkReopen, checkReveal, ciphertexts, codeQR, combine, complaintFromJSON, computeResult,
  confirmationFromJSON, credential, credentialListFromJSON, credentialListHash, decodeScalar, deriveIdentifier, destructionFromJSON,
  fingerprint80, formatCode, fromHex, hash, hashToScalarBytes, lagrange, manifestFromJSON, mul, openShareFile, parseCode, parseCodeQR,
  partialFromJSON, pointHex, randomScalar, receiptQR, reopenFromJSON, revealFromJSON, round1FromJSON, round2FromJSON, scalarHex,
  scalarToHex, shareFileFromJSON, signingKeyOf, subjectsHash, sum, sumsFromJSON, sumsHash, toHex, trackingCode, verifyBallots,
  verifyCertification, verifyCredentialList, verifyDestruction, verifyPartials, verifyRound1, verifyRound2, voteFingerprint, Elt, countsSmall,
} from './index'
import { GO_PARAMS, TS_PARAMS, ceremonyFromJSON, checkObject, contextOf, generateVectors, originals } from './vectors'
import {
  ballotToJSON, checkPaperOpenings, checkPaperSubmission, checkPaperTotals, encryptBallot, encryptPaperTotals, manifestToJSON, newCode, paperCiphertexts,
  paperHash, paperSubmissionFromJSON, paperSubmissionToJSON, paperTotalsFromJSON, paperTotalsToJSON, partialDecrypt, partialToJSON, round1ToJSON, sign,
  sumsToJSON, testRNG,
} from './index'
import { ceremonyToJSON, flipJSON, runBoard } from './vectors'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const TS_FILE = here('./testdata/vectors-ts.json')
const GO_FILE = here('../../../internal/protocol/testdata/vectors-go.json')

if (env.TN_WRITE_VECTORS === '1') writeFileSync(TS_FILE, JSON.stringify(generateVectors(TS_PARAMS), null, 2) + '\n')

const load = (f: string) => JSON.parse(readFileSync(f, 'utf8'))

function checkFile(v: any) {
  it('encodings', () => {
    const e = v.encodings
    for (const o of e.random_scalars) expect(scalarToHex(randomScalar(() => fromHex('', o.bytes, 48)))).toBe(o.scalar)
    for (const o of e.points) {
      const p = Elt.of(mul(RistrettoPoint.BASE, scalarHex('scalar', o.scalar)))
      expect(p.hex).toBe(o.point)
      expect(pointHex('point', o.point, true).equals(p)).toBe(true)
    }
    for (const o of e.invalid_points) expect(() => pointHex('p', o.hex, false)).toThrow(expect.objectContaining({ code: o.code }))
    for (const s of e.invalid_scalars) expect(() => scalarHex('s', s)).toThrow(expect.objectContaining({ code: 'scalar' }))
    for (const o of e.invalid_hex) expect(() => pointHex('p', o.hex, false)).toThrow(expect.objectContaining({ code: o.code }))
    for (const k of e.invalid_keys) expect(() => checkPublicKey(fromHex('k', k, 32))).toThrow(expect.objectContaining({ code: 'key' }))
  })

  it('hashes, fingerprints, codes, identifiers, Lagrange coefficients', () => {
    for (const o of v.hashes) {
      const h = hash(o.tag, ...o.fields.map((f: string) => fromHex('', f, f.length / 2)))
      expect(toHex(h)).toBe(o.hash)
      expect(scalarToHex(hashToScalarBytes(h))).toBe(o.scalar)
    }
    for (const o of v.fingerprints) expect(fingerprint80(fromHex('', o.hash, 64))).toBe(o.fingerprint)
    for (const o of v.codes) {
      const c = parseCode(o.formatted.toLowerCase())
      expect(c).toBe(o.code)
      expect(formatCode(c)).toBe(o.formatted)
      expect(codeQR(c)).toBe(o.qr)
      expect(parseCodeQR(o.qr)).toBe(c)
      const k = credential(c)
      expect(toHex(k.seed)).toBe(o.seed)
      expect(toHex(k.publicKey)).toBe(o.public_key)
    }
    for (const o of v.identifiers) expect(deriveIdentifier(o.user_id)).toBe(o.identifier)
    for (const o of v.lagrange) expect(lagrange(o.identifiers).map(scalarToHex)).toEqual(o.coefficients)
  })

  v.ceremonies.forEach((o: any, i: number) => {
    it(`ceremony ${i} (${o.ceremony.members.length} members, t = ${o.ceremony.threshold})`, () => {
      const c = ceremonyFromJSON(o.ceremony)
      const r1 = o.round1.map(round1FromJSON)
      const sorted = verifyRound1(c, r1)
      const res = computeResult(c, sorted)
      expect(toHex(res.transcript)).toBe(o.transcript)
      expect(fingerprint80(res.transcript)).toBe(o.fingerprint)
      expect(res.groupKey.hex).toBe(o.group_key)
      expect(res.members.map((m) => ({ identifier: m.identifier, verifying_share: m.verifyingShare.hex }))).toEqual(o.verifying_shares)
      for (const r of o.round2) verifyRound2(c, sorted, res.transcript, round2FromJSON(r))
      for (const r of o.confirmations) checkConfirmation(res, confirmationFromJSON(r))
      o.signing_shares.forEach((s: string, j: number) => {
        const mk = res.members.find((m) => m.identifier === r1[j].identifier)!
        expect(RistrettoPoint.BASE.multiply(decodeScalar(fromHex('', s, 32))).equals(mk.verifyingShare.p)).toBe(true)
      })
      // noble's own DKG accepts these proofs of knowledge in its round 2 (as an outside participant).
      const { secret } = ristretto255_FROST.DKG.round1(deriveIdentifier('outsider'), { min: c.threshold, max: c.members.length })
      const others = o.round1.slice(1).map((r: any) => ({ identifier: r.identifier, commitment: r.commitment.map((x: string) => fromHex('', x, 32)), proofOfKnowledge: fromHex('', r.proof_of_knowledge, 64) }))
      expect(Object.keys(ristretto255_FROST.DKG.round2(secret, others)).length).toBe(c.members.length - 1)
      const bad = others.map((x: any, j: number) => (j === 0 ? { ...x, proofOfKnowledge: x.proofOfKnowledge.map((b: number, k: number) => (k === 40 ? b ^ 1 : b)) } : x))
      const { secret: s2 } = ristretto255_FROST.DKG.round1(deriveIdentifier('outsider'), { min: c.threshold, max: c.members.length })
      expect(() => ristretto255_FROST.DKG.round2(s2, bad)).toThrow()
      // The share file, the reopen check, the destruction and the complaint.
      const f = shareFileFromJSON(o.share_file)
      const k = openShareFile(f, o.passphrase)
      expect(scalarToHex(k.signingShare)).toBe(o.signing_shares[0])
      expect(toHex(signingKeyOf(k))).toBe(toHex(r1[0].signingKey))
      expect(k.fingerprint).toBe(o.fingerprint)
      expect(() => openShareFile(f, 'wrong')).toThrow(expect.objectContaining({ code: 'decrypt' }))
      checkReopen(res, reopenFromJSON(o.reopen))
      verifyDestruction(destructionFromJSON(o.destruction), r1[0].signingKey)
      checkComplaint(res, complaintFromJSON(o.complaint))
    })
  })

  it('ballots, reveal, credential list, certification', () => {
    const m = manifestFromJSON(v.manifest)
    expect(toHex(subjectsHash(v.subjects))).toBe(toHex(m.subjectsHash))
    expect(voteFingerprint(m)).toBe(v.vote_fingerprint)
    const bs = v.ballots.map((o: any) => {
      const b = ballotFromJSON(o.ballot)
      const h = ballotHash(b)
      expect(toHex(h)).toBe(o.hash)
      expect(trackingCode(h)).toBe(o.tracking_code)
      expect(receiptQR(h)).toBe(o.receipt_qr)
      const k = credential(o.code)
      expect(toHex(k.publicKey)).toBe(toHex(b.credential))
      const rebuilt = buildBallot(m, k.publicKey, o.choices.map((c: number) => c + 1), fromHex('', o.seed, 32))
      expect(toHex(ballotHash(rebuilt))).toBe(o.hash)
      return b
    })
    verifyBallots(m, bs)
    const r = revealFromJSON(v.reveal)
    checkReveal(r)
    expect(toHex(r.trackingCode)).toBe(toHex(ballotHash(bs[0])))
    const r10 = round1FromJSON(v.ceremonies[0].round1[0])
    const l = credentialListFromJSON(v.credential_list.list)
    verifyCredentialList(l, r10.signingKey)
    expect(fingerprint80(credentialListHash(l.voteId, l.credentials))).toBe(v.credential_list.fingerprint)
    const cert = certificationFromJSON(v.certification.certification)
    expect(toHex(certificationStatement(cert.voteId, cert.tallyHash, cert.base, cert.auditAnchor, cert.auditCount))).toBe(v.certification.statement)
    verifyCertification(cert, r10.signingKey)
  })

  it('tally: sums, partial decryptions, combination, counts', () => {
    const cx = contextOf(v)
    const bs = v.ballots.map((o: any) => ballotFromJSON(o.ballot))
    const sums = sum(cx.manifest.rows, bs.map(ciphertexts))
    expect(sums.map((s) => [s.a.hex, s.b.hex])).toEqual(sumsFromJSON(v.tally.sums).map((s) => [s.a.hex, s.b.hex]))
    expect(toHex(sumsHash(cx.manifest.voteId, sums))).toBe(v.tally.sums_hash)
    const ps = v.tally.partials.map(partialFromJSON)
    verifyPartials(cx.result, cx.manifest.voteId, sums, ps)
    const vs = combine(cx.result, sums, ps)
    expect(vs.map((x) => x.hex)).toEqual(v.tally.combined)
    expect(countsSmall(cx.manifest.levels, cx.manifest.radix, v.tally.total, vs)).toEqual(v.tally.counts)
    checkCounts(cx.manifest.levels, cx.manifest.radix, v.tally.total, vs, v.tally.counts)
  })

  it('negative vectors: one flipped bit in each kind of object is refused, with the same error', () => {
    const cx = contextOf(v)
    for (const [kind, doc] of Object.entries(originals(v))) checkObject(cx, kind, doc)
    for (const o of v.negative) {
      let err: unknown
      try {
        checkObject(cx, o.kind, o.object)
      } catch (e) {
        err = e
      }
      expect(err, `${o.kind} ${o.path}`).toBeInstanceOf(ProtocolError)
      const pe = err as ProtocolError
      expect({ kind: o.kind, path: o.path, code: pe.code, field: pe.field }).toEqual({ kind: o.kind, path: o.path, code: o.code, field: o.field })
    }
  })
}

describe('vectors written by Go', () => checkFile(load(GO_FILE)))
describe('vectors written by TypeScript', () => checkFile(load(TS_FILE)))

describe('regeneration', () => {
  it('regenerates the TypeScript vectors identically', () => {
    expect(generateVectors(TS_PARAMS)).toEqual(load(TS_FILE))
  }, 60000)
  it('regenerates the Go vectors identically from the same seed', () => {
    expect(generateVectors(GO_PARAMS)).toEqual(load(GO_FILE))
  }, 60000)
})

// ---- Paper totals (docs/PROTOCOL.md §13, §15) ----
// A second pair of files from a second shared generator (Go: generatePaperVectors in
// vectors_test.go): a 3-member ceremony (t = 2), 2 ballots, the paper totals encrypted with member
// 0's key, and the decryption of the sums that include them. TN_WRITE_VECTORS=1 also rewrites
// testdata/paper-vectors-ts.json.
const TS_PAPER_FILE = here('./testdata/paper-vectors-ts.json')
const GO_PAPER_FILE = here('../../../internal/protocol/testdata/paper-vectors-go.json')
const GO_PAPER_PARAMS = { label: 'go', seed: 'tinnhiem paper vectors go' }
const TS_PAPER_PARAMS = { label: 'ts', seed: 'tinnhiem paper vectors ts' }
const PAPER_CHOICES = [[0, 1, 2], [2, -1, 0]]
const PAPER_BALLOTS = 4
const PAPER_TOTALS = [[2, 1, 0], [0, 0, 3], [0, 0, 0]]
const PAPER_NEG_CASES: [string, string, number, number, boolean][] = [
  ['paper_totals', 'manifest_hash', 0, 0, false],
  ['paper_totals', 'identifier', 0, 0, false],
  ['paper_totals', 'rows[0].alpha', 0, 0, false],
  ['paper_totals', 'rows[2].beta', 2, 1, false],
  ['paper_totals', 'signature', 3, 0, false],
  ['paper_submission', 'paper_totals.rows[0].alpha', 1, 0, true],
  ['paper_submission', 'paper_totals.rows[1].beta', 1, 0, true],
  ['paper_submission', 'openings[1]', 0, 0, false],
  ['paper_submission', 'openings[2]', 31, 7, false],
]

interface PaperContext {
  result: ReturnType<typeof computeResult>
  manifest: ReturnType<typeof manifestFromJSON>
  ballots: number
  totals: number[][]
}

function paperContextOf(v: any): PaperContext {
  const c = ceremonyFromJSON(v.ceremony)
  const result = computeResult(c, verifyRound1(c, v.round1.map(round1FromJSON)))
  return { result, manifest: manifestFromJSON(v.manifest), ballots: v.paper.ballots, totals: v.paper.totals }
}

function checkPaperObject(cx: PaperContext, kind: string, doc: unknown): void {
  if (kind === 'paper_totals') return checkPaperTotals(cx.result, cx.manifest, paperTotalsFromJSON(doc))
  if (kind === 'paper_submission') return checkPaperSubmission(cx.result, cx.manifest, paperSubmissionFromJSON(doc), cx.ballots, cx.totals)
  throw new Error('unknown kind ' + kind)
}

const paperOriginals = (v: any): Record<string, unknown> => ({ paper_totals: v.paper.message, paper_submission: v.paper.submission })

/** The same procedure and draws as Go's generatePaperVectors. */
function generatePaperVectors(p: { label: string; seed: string }): any {
  const rng = testRNG(p.seed)
  const c = { id: `ceremony-paper-${p.label}`, councilId: 'council-1', voteId: 'vote-paper', threshold: 2, members: ['member-p-0', 'member-p-1', 'member-p-2'] }
  const b = runBoard(c, rng)
  const subjects = ['official-a', 'official-b', 'official-c']
  const m = { voteId: 'vote-paper', publicKey: b.res.groupKey, levels: 3, radix: 11, rows: 3, subjectsHash: subjectsHash(subjects) }
  const ballots = PAPER_CHOICES.map((ch) => {
    const code = newCode(rng)
    const { ballot } = encryptBallot(m, credential(code).seed, ch, rng)
    return { code, choices: ch, ballot }
  })
  const { paperTotals: pt, openings } = encryptPaperTotals(m, b.keys[0], PAPER_BALLOTS, PAPER_TOTALS, rng)
  const sums = sum(m.rows, ballots.map((x) => ciphertexts(x.ballot)), [paperCiphertexts(pt)])
  const ps = b.keys.slice(0, c.threshold).map((k) => partialDecrypt(k, m.voteId, sums, rng))
  const vs = combine(b.res, sums, ps)
  const total = ballots.length + PAPER_BALLOTS
  const out: any = {
    version: 1,
    generator: p.label,
    seed: p.seed,
    ceremony: ceremonyToJSON(c),
    round1: b.r1.map(round1ToJSON),
    manifest: manifestToJSON(m),
    subjects,
    ballots: ballots.map((x) => ({ code: x.code, choices: x.choices, ballot: ballotToJSON(x.ballot) })),
    paper: {
      ballots: PAPER_BALLOTS,
      totals: PAPER_TOTALS,
      message: paperTotalsToJSON(pt),
      hash: toHex(paperHash(pt)),
      openings,
      submission: paperSubmissionToJSON({ paperTotals: pt, openings }),
    },
    tally: {
      sums: sumsToJSON(sums),
      sums_hash: toHex(sumsHash(m.voteId, sums)),
      partials: ps.map(partialToJSON),
      combined: vs.map((x) => x.hex),
      counts: countsSmall(m.levels, m.radix, total, vs),
      total,
    },
  }
  const doc = JSON.parse(JSON.stringify(out))
  const cx = paperContextOf(doc)
  const orig = paperOriginals(doc)
  out.negative = PAPER_NEG_CASES.map(([kind, path, byteIdx, bit, resigned]) => {
    let tampered = flipJSON(orig[kind], path, byteIdx, bit)
    if (resigned) {
      try {
        const s = paperSubmissionFromJSON(tampered)
        s.paperTotals.signature = sign(b.keys[0].signingSeed, paperHash(s.paperTotals))
        tampered = paperSubmissionToJSON(s)
      } catch {
        // refused at decoding already
      }
    }
    let err: unknown
    try {
      checkPaperObject(cx, kind, tampered)
    } catch (e) {
      err = e
    }
    if (!(err instanceof ProtocolError)) throw new Error(`negative ${kind} ${path}: not refused (${String(err)})`)
    return { kind, path, byte: byteIdx, bit, resigned, object: tampered, code: err.code, field: err.field }
  })
  return out
}

if (env.TN_WRITE_VECTORS === '1') writeFileSync(TS_PAPER_FILE, JSON.stringify(generatePaperVectors(TS_PAPER_PARAMS), null, 2) + '\n')

function checkPaperFile(v: any) {
  it('paper totals: message, hash, submission, openings', () => {
    const cx = paperContextOf(v)
    const pt = paperTotalsFromJSON(v.paper.message)
    checkPaperTotals(cx.result, cx.manifest, pt)
    expect(toHex(paperHash(pt))).toBe(v.paper.hash)
    expect(paperTotalsToJSON(pt)).toEqual(v.paper.message)
    const s = paperSubmissionFromJSON(v.paper.submission)
    checkPaperSubmission(cx.result, cx.manifest, s, cx.ballots, cx.totals)
    expect(paperSubmissionToJSON(s)).toEqual(v.paper.submission)
    expect(s.openings).toEqual(v.paper.openings)
    checkPaperOpenings(cx.manifest, pt, v.paper.openings, cx.ballots, cx.totals)
  })

  it('paper totals: the sums include them, and the counts are electronic + paper', () => {
    const cx = paperContextOf(v)
    const m = cx.manifest
    const pt = paperTotalsFromJSON(v.paper.message)
    const want = cx.totals.map((row) => [...row])
    const bs = v.ballots.map((o: any) => {
      const b = ballotFromJSON(o.ballot)
      o.choices.forEach((c: number, i: number) => {
        if (c >= 0) want[i][c]++
      })
      return b
    })
    verifyBallots(m, bs)
    const sums = sum(m.rows, bs.map(ciphertexts), [paperCiphertexts(pt)])
    expect(sumsToJSON(sums)).toEqual(v.tally.sums)
    expect(toHex(sumsHash(m.voteId, sums))).toBe(v.tally.sums_hash)
    const ps = v.tally.partials.map(partialFromJSON)
    verifyPartials(cx.result, m.voteId, sums, ps)
    const vs = combine(cx.result, sums, ps)
    expect(vs.map((x) => x.hex)).toEqual(v.tally.combined)
    expect(v.tally.total).toBe(bs.length + pt.ballots)
    expect(countsSmall(m.levels, m.radix, v.tally.total, vs)).toEqual(v.tally.counts)
    expect(v.tally.counts).toEqual(want)
    checkCounts(m.levels, m.radix, v.tally.total, vs, v.tally.counts)
  })

  it('paper totals: negative vectors are refused with the same error', () => {
    const cx = paperContextOf(v)
    for (const [kind, doc] of Object.entries(paperOriginals(v))) checkPaperObject(cx, kind, doc)
    for (const o of v.negative) {
      let err: unknown
      try {
        checkPaperObject(cx, o.kind, o.object)
      } catch (e) {
        err = e
      }
      expect(err, `${o.kind} ${o.path}`).toBeInstanceOf(ProtocolError)
      const pe = err as ProtocolError
      expect({ kind: o.kind, path: o.path, code: pe.code, field: pe.field }).toEqual({ kind: o.kind, path: o.path, code: o.code, field: o.field })
    }
  })
}

describe('paper vectors written by Go', () => checkPaperFile(load(GO_PAPER_FILE)))
describe('paper vectors written by TypeScript', () => checkPaperFile(load(TS_PAPER_FILE)))

describe('paper regeneration', () => {
  it('regenerates the TypeScript paper vectors identically', () => {
    expect(generatePaperVectors(TS_PAPER_PARAMS)).toEqual(load(TS_PAPER_FILE))
  }, 60000)
  it('regenerates the Go paper vectors identically from the same seed', () => {
    expect(generatePaperVectors(GO_PAPER_PARAMS)).toEqual(load(GO_PAPER_FILE))
  }, 60000)
})
