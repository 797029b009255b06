// The generator of the cross-implementation test vectors (docs/PROTOCOL.md §15). It is the same
// procedure as the Go generator (internal/protocol/vectors_test.go): from the same parameters both
// produce the same file, so each side regenerates the other's. Test code only.
import { ed25519 } from '@noble/curves/ed25519.js'
import { type Bytes, type RNG, fingerprint80, fromHex, hash, testRNG, toHex, utf8 } from './bytes'
import { L, Elt, RistrettoPoint, mul, randomScalar, scalarToHex, hashToScalarBytes } from './group'
import { ProtocolError } from './errors'
import { type Ceremony, type CeremonyResult, type Complaint, type Round1, Member, checkComplaint, checkConfirmation, complaintFromJSON, complaintStatement, complaintToJSON, computeResult, confirmationFromJSON, confirmationToJSON, round1FromJSON, round1ToJSON, round2FromJSON, round2ToJSON, verifyRound1, verifyRound2, type ShareKey } from './ceremony'
import { codeQR, credential, credentialListFromJSON, credentialListHash, credentialListToJSON, formatCode, newCode, newCredentialList, verifyCredentialList } from './credential'
import { deriveIdentifier, lagrange } from './identifier'
import { type Manifest, manifestFromJSON, manifestToJSON, subjectsHash, voteFingerprint } from './manifest'
import { type Ballot, ballotFromJSON, ballotHash, ballotToJSON, checkReveal, ciphertexts, encryptBallot, newReveal, receiptQR, revealFromJSON, revealToJSON, trackingCode, verifyBallots } from './ballot'
import { type Ciphertext, combine, countsSmall, partialDecrypt, partialFromJSON, partialStatementForTests, partialToJSON, sum, sumsFromJSON, sumsHash, sumsToJSON, verifyPartials, type PartialDecryption } from './tally'
import { type KDFParams, checkReopen, destructionFromJSON, destructionToJSON, newDestruction, newReopen, openShareFile, reopenFromJSON, reopenToJSON, sealShareFile, shareFileFromJSON, shareFileToJSON, verifyDestruction } from './sharefile'
import { certificationFromJSON, certificationStatement, certificationToJSON, certify, verifyCertification } from './certification'
import { sign } from './ed'

export interface VectorParams {
  label: string
  seed: string
  ceremonies: [number, number][] // (n, t)
}

export const GO_PARAMS: VectorParams = { label: 'go', seed: 'tinnhiem vectors go', ceremonies: [[3, 2]] }
export const TS_PARAMS: VectorParams = { label: 'ts', seed: 'tinnhiem vectors ts', ceremonies: [[3, 2], [7, 4]] }

export const INVALID_POINTS = [
  ['0100000000000000000000000000000000000000000000000000000000000000', 'point'],
  ['edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'point'],
  ['ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'point'],
  ['26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371', 'point'],
  ['3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e', 'point'],
  ['ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'point'],
  ['0000000000000000000000000000000000000000000000000000000000000000', 'identity'],
]
export const INVALID_SCALARS = [
  'edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010',
  'eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010',
  'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
]
export const INVALID_HEX = [
  ['E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D76', 'hex'],
  ['e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d7', 'length'],
  ['e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d', 'length'],
  ['0xf2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76', 'hex'],
  ['e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76 ', 'length'],
]
const TORSION8 = '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'
export const VECTOR_UIDS = ['user-a', 'alice@example.com', 'Nguyễn Văn Án', '5f0c3f9e-2d7a-4c1b-9a57-0c6a1d2e8b41']
export const VECTOR_KDF: KDFParams = { m: 8192, t: 1, p: 1 }
export const VECTOR_PASSPHRASE = 'mật khẩu của tôi 1'

export function invalidKeys(): string[] {
  const mixed = ed25519.Point.BASE.add(ed25519.Point.fromHex(TORSION8))
  return [
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    TORSION8,
    toHex(mixed.toBytes()),
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ]
}

export function vectorCeremony(label: string, i: number, n: number, t: number): Ceremony {
  return { id: `ceremony-${label}-${i}`, councilId: 'council-1', voteId: 'vote-1', threshold: t, members: Array.from({ length: n }, (_, j) => `member-${i}-${j}`) }
}

export const ceremonyToJSON = (c: Ceremony) => ({ id: c.id, council_id: c.councilId, vote_id: c.voteId, threshold: c.threshold, members: c.members })
export const ceremonyFromJSON = (j: any): Ceremony => ({ id: j.id, councilId: j.council_id, voteId: j.vote_id, threshold: j.threshold, members: j.members })

export interface Board {
  c: Ceremony
  r1: Round1[]
  r2: ReturnType<Member['round2']>[]
  r3: ReturnType<Member['round3']>[]
  res: CeremonyResult
  keys: ShareKey[]
}

export function runBoard(c: Ceremony, rng: RNG): Board {
  const made = c.members.map((u) => Member.create(c, u, rng))
  const r1 = made.map((m) => m.round1)
  const r2 = made.map((m) => m.member.round2(r1, rng))
  const r3 = made.map((m) => m.member.round3(r2.filter((r) => r.identifier !== m.member.identifier)))
  for (const r of r3) if (!r.confirmation) throw new Error('complaint in a test ceremony')
  const res = computeResult(c, verifyRound1(c, r1))
  for (const r of r3) checkConfirmation(res, r.confirmation!)
  return { c, r1, r2, r3, res, keys: r3.map((r) => r.key!) }
}

export const NEG_CASES: [string, string, number, number, boolean][] = [
  ['ballot', 'credential', 0, 1, false],
  ['ballot', 'manifest_hash', 5, 0, false],
  ['ballot', 'manifest_hash', 5, 0, true],
  ['ballot', 'rows[0].alpha', 0, 0, false],
  ['ballot', 'rows[0].alpha', 0, 1, false],
  ['ballot', 'rows[0].beta', 3, 2, false],
  ['ballot', 'rows[1].proof[2].a', 0, 1, true],
  ['ballot', 'rows[1].proof[2].b', 5, 3, true],
  ['ballot', 'rows[2].proof[0].c', 0, 1, false],
  ['ballot', 'rows[2].proof[0].c', 0, 1, true],
  ['ballot', 'rows[2].proof[3].s', 1, 0, true],
  ['ballot', 'rows[2].proof[3].s', 31, 7, false],
  ['ballot', 'signature', 10, 0, false],
  ['round1', 'commitment[1]', 2, 1, false],
  ['round1', 'proof_of_knowledge', 40, 0, false],
  ['round1', 'ceremony_key', 4, 1, false],
  ['round1', 'signing_key', 0, 2, false],
  ['round1', 'signature', 63, 0, false],
  ['round2', 'shares[0].ciphertext', 7, 0, false],
  ['round2', 'shares[1].nonce', 0, 0, false],
  ['round2', 'signature', 0, 0, false],
  ['confirmation', 'group_key', 1, 1, false],
  ['confirmation', 'verifying_share', 1, 1, false],
  ['confirmation', 'transcript', 0, 0, false],
  ['confirmation', 'signature', 32, 0, false],
  ['complaint', 'accused', 0, 0, false],
  ['complaint', 'signature', 1, 0, false],
  ['partial', 'rows[0].d', 2, 1, true],
  ['partial', 'rows[1].u', 2, 1, true],
  ['partial', 'rows[2].v', 2, 1, true],
  ['partial', 'rows[2].s', 0, 0, true],
  ['partial', 'sums_hash', 0, 0, false],
  ['partial', 'signature', 5, 5, false],
  ['certification', 'tally_hash', 0, 0, false],
  ['certification', 'audit_anchor', 31, 7, false],
  ['certification', 'signature', 2, 2, false],
  ['share_file', 'ciphertext', 10, 0, false],
  ['share_file', 'nonce', 0, 0, false],
  ['share_file', 'kdf.salt', 0, 0, false],
  ['reveal', 'seed', 0, 0, false],
  ['reveal', 'tracking_code', 0, 0, false],
  ['reveal', 'public_key', 0, 1, false],
  ['credential_list', 'credentials[1]', 0, 1, false],
  ['credential_list', 'signature', 0, 0, false],
  ['reopen', 'u', 0, 1, false],
  ['reopen', 'z', 0, 0, false],
  ['reopen', 'signature', 0, 0, false],
  ['destruction', 'signature', 0, 0, false],
]

/** Flips one bit of the hex field at path (dots and [i]) of a JSON value (a copy). */
export function flipJSON(doc: unknown, path: string, byteIdx: number, bit: number): unknown {
  const v = JSON.parse(JSON.stringify(doc))
  const parts: (string | number)[] = []
  for (const seg of path.split('.')) {
    const m = seg.match(/^([^[]*)((?:\[\d+\])*)$/)!
    if (m[1]) parts.push(m[1])
    for (const i of m[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(i[1]))
  }
  let cur: any = v
  for (let i = 0; i < parts.length - 1; i++) cur = cur[parts[i]]
  const last = parts[parts.length - 1]
  const b = fromHex('', cur[last], cur[last].length / 2)
  b[byteIdx] ^= 1 << bit
  cur[last] = toHex(b)
  return v
}

export interface NegContext {
  ceremony: Ceremony
  round1: Round1[]
  result: CeremonyResult
  manifest: Manifest
  sums: Ciphertext[]
  signer0: Bytes
}

export function contextOf(v: any): NegContext {
  const c0 = v.ceremonies[0]
  const ceremony = ceremonyFromJSON(c0.ceremony)
  const round1 = c0.round1.map(round1FromJSON)
  const result = computeResult(ceremony, verifyRound1(ceremony, round1))
  return { ceremony, round1, result, manifest: manifestFromJSON(v.manifest), sums: sumsFromJSON(v.tally.sums), signer0: round1[0].signingKey }
}

/** Parses and checks one object of a kind, as the server or the verifier would. */
export function checkObject(cx: NegContext, kind: string, doc: unknown): void {
  switch (kind) {
    case 'ballot':
      return verifyBallots(cx.manifest, [ballotFromJSON(doc)])
    case 'round1': {
      const r = round1FromJSON(doc)
      verifyRound1(cx.ceremony, [r, ...cx.round1.slice(1)])
      return
    }
    case 'round2': {
      const r = round2FromJSON(doc)
      return verifyRound2(cx.ceremony, verifyRound1(cx.ceremony, cx.round1), cx.result.transcript, r)
    }
    case 'confirmation':
      return checkConfirmation(cx.result, confirmationFromJSON(doc))
    case 'complaint':
      return checkComplaint(cx.result, complaintFromJSON(doc))
    case 'partial':
      return verifyPartials(cx.result, cx.manifest.voteId, cx.sums, [partialFromJSON(doc)])
    case 'certification':
      return verifyCertification(certificationFromJSON(doc), cx.signer0)
    case 'share_file':
      openShareFile(shareFileFromJSON(doc), VECTOR_PASSPHRASE)
      return
    case 'reveal':
      checkReveal(revealFromJSON(doc))
      return
    case 'credential_list':
      return verifyCredentialList(credentialListFromJSON(doc), cx.signer0)
    case 'reopen':
      return checkReopen(cx.result, reopenFromJSON(doc))
    case 'destruction':
      return verifyDestruction(destructionFromJSON(doc), cx.signer0)
  }
  throw new Error('unknown kind ' + kind)
}

export function originals(v: any): Record<string, unknown> {
  const c0 = v.ceremonies[0]
  return {
    ballot: v.ballots[0].ballot,
    round1: c0.round1[0],
    round2: c0.round2[0],
    confirmation: c0.confirmations[0],
    complaint: c0.complaint,
    partial: v.tally.partials[0],
    certification: v.certification.certification,
    share_file: c0.share_file,
    reveal: v.reveal,
    credential_list: v.credential_list.list,
    reopen: c0.reopen,
    destruction: c0.destruction,
  }
}

function resign(kind: string, doc: unknown, ballotCode: string, k: ShareKey): unknown {
  if (kind === 'ballot') {
    let b: Ballot
    try {
      b = ballotFromJSON(doc)
    } catch {
      return doc
    }
    b.signature = sign(credential(ballotCode).seed, ballotHash(b))
    return ballotToJSON(b)
  }
  let p: PartialDecryption
  try {
    p = partialFromJSON(doc)
  } catch {
    return doc
  }
  // The statement is internal to tally.ts: sign again through a fresh object with the same rows.
  return partialToJSON(resignPartial(p, k))
}

function resignPartial(p: PartialDecryption, k: ShareKey): PartialDecryption {
  return { ...p, signature: sign(k.signingSeed, partialStatementForTests(p)) }
}

/** Builds a vector file; random bytes are drawn in the order of the Go generator. */
export function generateVectors(p: VectorParams): any {
  const rng = testRNG(p.seed)
  const out: any = { version: 1, generator: p.label, seed: p.seed }
  const rs = [0, 1, 2].map(() => {
    const b = rng(48)
    return { bytes: toHex(b), scalar: scalarToHex((BigInt('0x' + toHex(Uint8Array.from(b).reverse())) % (L - 1n)) + 1n) }
  })
  const scalars = [0n, 1n, 2n, 3n, 255n, 1n << 64n, L - 1n, randomScalar(rng), randomScalar(rng)]
  out.encodings = {
    random_scalars: rs,
    points: scalars.map((x) => ({ scalar: scalarToHex(x), point: Elt.of(mul(RistrettoPoint.BASE, x)).hex })),
    invalid_points: INVALID_POINTS.map(([hex, code]) => ({ hex, code })),
    invalid_scalars: INVALID_SCALARS,
    invalid_hex: INVALID_HEX.map(([hex, code]) => ({ hex, code })),
    invalid_keys: invalidKeys(),
  }
  const long = rng(200)
  out.hashes = [[], ['', '00', '616263'], [toHex(long)]].map((fields) => {
    const h = hash('tinnhiem/v1/test', ...fields.map((f) => fromHex('', f, f.length / 2)))
    return { tag: 'tinnhiem/v1/test', fields, hash: toHex(h), scalar: scalarToHex(hashToScalarBytes(h)) }
  })
  out.fingerprints = [0, 1, 2].map(() => {
    const h = rng(64)
    return { hash: toHex(h), fingerprint: fingerprint80(h) }
  })
  out.codes = [0, 1, 2].map(() => {
    const c = newCode(rng)
    const k = credential(c)
    return { code: c, formatted: formatCode(c), qr: codeQR(c), seed: toHex(k.seed), public_key: toHex(k.publicKey) }
  })
  const ids = VECTOR_UIDS.map(deriveIdentifier)
  out.identifiers = VECTOR_UIDS.map((u, i) => ({ user_id: u, identifier: ids[i] }))
  out.lagrange = [[0, 1], [0, 2], [2, 0], [0, 1, 2], [1, 2, 3], [0, 1, 2, 3]].map((set) => {
    const sub = set.map((i) => ids[i])
    return { identifiers: sub, coefficients: lagrange(sub).map(scalarToHex) }
  })

  const boards: Board[] = []
  out.ceremonies = p.ceremonies.map(([n, t], i) => {
    const c = vectorCeremony(p.label, i, n, t)
    const b = runBoard(c, rng)
    boards.push(b)
    const f = sealShareFile(b.keys[0], VECTOR_PASSPHRASE, VECTOR_KDF, rng)
    const reopen = newReopen(b.keys[0], rng)
    const complaint: Complaint = { version: 1, ceremonyId: c.id, identifier: b.keys[0].identifier, accused: b.keys[1].identifier, reason: 'share', transcript: b.res.transcript, signature: new Uint8Array(64) }
    complaint.signature = sign(b.keys[0].signingSeed, complaintStatement(complaint))
    return {
      ceremony: ceremonyToJSON(c),
      round1: b.r1.map(round1ToJSON),
      round2: b.r2.map(round2ToJSON),
      confirmations: b.r3.map((r) => confirmationToJSON(r.confirmation!)),
      transcript: toHex(b.res.transcript),
      fingerprint: fingerprint80(b.res.transcript),
      group_key: b.res.groupKey.hex,
      verifying_shares: b.res.members.map((m) => ({ identifier: m.identifier, verifying_share: m.verifyingShare.hex })),
      signing_shares: b.keys.map((k) => scalarToHex(k.signingShare)),
      share_file: shareFileToJSON(f),
      passphrase: VECTOR_PASSPHRASE,
      reopen: reopenToJSON(reopen),
      destruction: destructionToJSON(newDestruction(b.keys[0])),
      complaint: complaintToJSON(complaint),
    }
  })

  const b0 = boards[0]
  const subjects = ['official-a', 'official-b', 'official-c']
  const m: Manifest = { voteId: 'vote-1', publicKey: b0.res.groupKey, levels: 3, radix: 11, rows: 3, subjectsHash: subjectsHash(subjects) }
  const choices = [[0, 1, 2], [2, -1, 0], [1, 1, -1]]
  const ballots: Ballot[] = []
  const creds: Bytes[] = []
  let reveal: unknown
  out.ballots = choices.map((ch, i) => {
    const code = newCode(rng)
    const k = credential(code)
    const { ballot, secrets } = encryptBallot(m, k.seed, ch, rng)
    if (i === 0) reveal = revealToJSON(newReveal(m, ballot, secrets))
    ballots.push(ballot)
    creds.push(k.publicKey)
    const h = ballotHash(ballot)
    return { code, choices: ch, seed: toHex(secrets.seed), ballot: ballotToJSON(ballot), hash: toHex(h), tracking_code: trackingCode(h), receipt_qr: receiptQR(h) }
  })
  out.manifest = manifestToJSON(m)
  out.subjects = subjects
  out.vote_fingerprint = voteFingerprint(m)
  out.reveal = reveal
  const cl = newCredentialList(m.voteId, creds, b0.keys[0].identifier, b0.keys[0].signingSeed)
  out.credential_list = { list: credentialListToJSON(cl), fingerprint: fingerprint80(credentialListHash(cl.voteId, cl.credentials)) }

  const sums = sum(m.rows, ballots.map(ciphertexts))
  const ps = b0.keys.slice(0, b0.c.threshold).map((k) => partialDecrypt(k, m.voteId, sums, rng))
  const vs = combine(b0.res, sums, ps)
  out.tally = {
    sums: sumsToJSON(sums),
    sums_hash: toHex(sumsHash(m.voteId, sums)),
    partials: ps.map(partialToJSON),
    combined: vs.map((v) => v.hex),
    counts: countsSmall(m.levels, m.radix, ballots.length, vs),
    total: ballots.length,
  }
  const tally32 = hash('tinnhiem/v1/test', utf8('tally')).slice(0, 32)
  const anchor32 = hash('tinnhiem/v1/test', utf8('anchor')).slice(0, 32)
  const cert = certify(b0.keys[0], m.voteId, tally32, 'total_delegates', anchor32, 42)
  out.certification = { certification: certificationToJSON(cert), statement: toHex(certificationStatement(m.voteId, tally32, 'total_delegates', anchor32, 42)) }

  const doc = JSON.parse(JSON.stringify(out))
  const cx = contextOf(doc)
  const orig = originals(doc)
  out.negative = NEG_CASES.map(([kind, path, byteIdx, bit, resigned]) => {
    let tampered = flipJSON(orig[kind], path, byteIdx, bit)
    if (resigned) tampered = resign(kind, tampered, doc.ballots[0].code, b0.keys[0])
    let err: unknown
    try {
      checkObject(cx, kind, tampered)
    } catch (e) {
      err = e
    }
    if (!(err instanceof ProtocolError)) throw new Error(`negative ${kind} ${path}: not refused (${String(err)})`)
    return { kind, path, byte: byteIdx, bit, resigned, object: tampered, code: err.code, field: err.field }
  })
  return out
}
