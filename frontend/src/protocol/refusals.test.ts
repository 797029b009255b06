// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  type Ceremony, Member, ProtocolError, ballotFromJSON, ballotToJSON, certificationFromJSON, certificationToJSON, certify, checkComplaint,
  checkConfirmation, checkReopen, checkReveal, combine, complaintStatement, computeResult, confirmationStatement, countsSmall, credential,
  encryptBallot, fingerprint80, manifestFromJSON, newCode, newReopen, newReveal, openShareFile, partialDecrypt, partialFromJSON,
  partialToJSON, pointHex, revealFromJSON, revealToJSON, sealShareFile, shareFileFromJSON, shareFileToJSON, sign, subjectsHash, sum,
  sumsFromJSON, sumsToJSON, testRNG, transcript, verifyPartials, verifyRound1, type Manifest, ballotHash, verifyBallots, defaultThreshold,
} from './index'
import { runBoard, vectorCeremony } from './vectors'

const err = (f: () => unknown): ProtocolError => {
  try {
    f()
  } catch (e) {
    if (e instanceof ProtocolError) return e
    throw e
  }
  throw new Error('not refused')
}

describe('refusals name their field', () => {
  const rng = testRNG('refusals')
  const b = runBoard(vectorCeremony('r', 0, 3, 2), rng)
  const m: Manifest = { voteId: 'vote-1', publicKey: b.res.groupKey, levels: 3, radix: 21, rows: 4, subjectsHash: subjectsHash(['a', 'b', 'c', 'd']) }
  const code = newCode(rng)
  const cred = credential(code)
  const { ballot, secrets } = encryptBallot(m, cred.seed, [0, 2, -1, 1], rng)

  it('is strict about JSON', () => {
    const j: any = ballotToJSON(ballot)
    expect(err(() => ballotFromJSON({ ...j, extra: 1 }))).toMatchObject({ code: 'json', field: 'extra' })
    const { rows: _rows, ...noRows } = j
    expect(err(() => ballotFromJSON(noRows))).toMatchObject({ code: 'json', field: 'rows' })
    expect(err(() => ballotFromJSON({ ...j, version: 2 }))).toMatchObject({ code: 'version', field: 'version' })
    const upper = JSON.parse(JSON.stringify(j))
    upper.rows[1].proof[2].a = upper.rows[1].proof[2].a.toUpperCase()
    expect(err(() => ballotFromJSON(upper))).toMatchObject({ code: 'hex', field: 'rows[1].proof[2].a' })
    const ident = JSON.parse(JSON.stringify(j))
    ident.rows[3].beta = '0'.repeat(64)
    expect(err(() => ballotFromJSON(ident))).toMatchObject({ code: 'identity', field: 'rows[3].beta' })
    expect(err(() => pointHex('y', '0'.repeat(63), false))).toMatchObject({ code: 'length' })
    expect(pointHex('y', '0'.repeat(64), true).isIdentity()).toBe(true)
  })

  it('names the failing ballot, row and term of a batch', () => {
    const others = [1, 2, 3].map(() => encryptBallot(m, credential(newCode(rng)).seed, [1, 1, 1, 1], rng).ballot)
    const bad = ballotFromJSON(ballotToJSON(ballot))
    bad.rows[2].proof[3].s += 1n
    bad.signature = sign(cred.seed, ballotHash(bad))
    expect(err(() => verifyBallots(m, [...others, bad]))).toMatchObject({ code: 'proof', field: 'rows[2].proof[3]', index: 3 })
    const reused = ballotFromJSON(ballotToJSON(ballot))
    reused.rows[1].alpha = reused.rows[0].alpha
    reused.signature = sign(cred.seed, ballotHash(reused))
    expect(err(() => verifyBallots(m, [reused]))).toMatchObject({ code: 'duplicate', field: 'rows[1].alpha', index: 0 })
  })

  it('checks a Benaloh reveal offline', () => {
    const r = revealFromJSON(JSON.parse(JSON.stringify(revealToJSON(newReveal(m, ballot, secrets)))))
    expect(checkReveal(r).rows).toHaveLength(4)
    r.options[2] = 3
    expect(err(() => checkReveal(r))).toMatchObject({ code: 'mismatch', field: 'tracking_code' })
  })

  it('wraps and reopens a share file', () => {
    const f = shareFileFromJSON(JSON.parse(JSON.stringify(shareFileToJSON(sealShareFile(b.keys[2], 'Mật khẩu', { m: 8192, t: 1, p: 1 }, rng)))))
    // NFC and NFD spellings of the same passphrase open the file.
    const k = openShareFile(f, 'Mật khẩu'.normalize('NFD'))
    expect(k.signingShare).toBe(b.keys[2].signingShare)
    expect(err(() => openShareFile(f, 'mật khẩu'))).toMatchObject({ code: 'decrypt' })
    checkReopen(b.res, newReopen(k, rng))
    expect(err(() => sealShareFile(k, 'x', { m: 1 << 21, t: 1, p: 1 }, rng))).toMatchObject({ code: 'range', field: 'kdf.m' })
  })

  it('refuses a wrong partial decryption by its proof, and certifies', () => {
    const sums = sum(4, [ballot].map((x) => x.rows.map((r) => ({ alpha: r.alpha.b, beta: r.beta.b }))))
    const ps = b.keys.map((k) => partialDecrypt(k, m.voteId, sums, rng))
    verifyPartials(b.res, m.voteId, sums, ps)
    expect(countsSmall(3, 21, 1, combine(b.res, sums, ps.slice(1)))).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 1, 0]])
    const bad: any = partialToJSON(ps[1])
    bad.rows[0].d = ps[0].rows[0].d.hex
    const badP = partialFromJSON(bad)
    expect(err(() => verifyPartials(b.res, m.voteId, sums, [ps[0], badP]))).toMatchObject({ code: 'signature', index: 1 })
    const c = certify(b.keys[0], m.voteId, new Uint8Array(32), 'total_delegates', new Uint8Array(32).fill(7), 12)
    const j: any = certificationToJSON(c)
    delete j.audit_count
    expect(err(() => certificationFromJSON(j))).toMatchObject({ code: 'json', field: 'audit_count' })
  })

  it('decrypts a vote with no ballot at all', () => {
    const sums = sumsFromJSON(JSON.parse(JSON.stringify(sumsToJSON(sum(3, [])))))
    const ps = b.keys.slice(0, 2).map((k) => partialFromJSON(JSON.parse(JSON.stringify(partialToJSON(partialDecrypt(k, 'vote-1', sums, rng))))))
    verifyPartials(b.res, 'vote-1', sums, ps)
    expect(countsSmall(3, 11, 0, combine(b.res, sums, ps))).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]])
  })
})

describe('the key ceremony', () => {
  const c: Ceremony = { id: 'c-1', councilId: 'council', voteId: 'vote', threshold: defaultThreshold(3), members: ['an', 'binh', 'chi'] }

  it('complains against the sender of a bad share, naming both sides', () => {
    const rng = testRNG('complaint')
    const made = c.members.map((u) => Member.create(c, u, rng))
    const r1 = made.map((x) => x.round1)
    const r2 = made.map((x) => x.member.round2(r1, rng))
    // The server flips a bit of a share: the signature over round 2 fails, so the member refuses the message.
    const tampered = { ...r2[1], shares: r2[1].shares.map((s, i) => (i === 0 ? { ...s, ciphertext: Uint8Array.from(s.ciphertext, (x, j) => (j === 0 ? x ^ 1 : x)) } : s)) }
    const target = made.find((x) => x.member.identifier === r2[1].shares[0].recipient)!
    expect(err(() => target.member.round3([tampered, ...r2.filter((r) => r.identifier !== r2[1].identifier && r.identifier !== target.member.identifier)]))).toMatchObject({ code: 'signature' })
    // A complaint is signed, bound to the transcript and names a member.
    const res = computeResult(c, verifyRound1(c, r1))
    const k0 = made[0].member.round3(r2.filter((r) => r.identifier !== made[0].member.identifier)).key!
    const complaint = { version: 1 as const, ceremonyId: c.id, identifier: k0.identifier, accused: made[1].member.identifier, reason: 'share' as const, transcript: res.transcript, signature: new Uint8Array(64) as Uint8Array }
    complaint.signature = sign(k0.signingSeed, complaintStatement(complaint))
    checkComplaint(res, complaint)
    expect(err(() => checkComplaint(res, { ...complaint, accused: k0.identifier }))).toMatchObject({ code: 'mismatch', field: 'accused' })
  })

  it('catches a swapped ceremony key with the fingerprint', () => {
    const rng = testRNG('swap')
    const made = c.members.map((u) => Member.create(c, u, rng))
    const r1 = made.map((x) => x.round1)
    const honest = transcript(c, verifyRound1(c, r1))
    // The server shows member 0 a round-1 message of its own making for 'chi': well signed, so only
    // the fingerprint read aloud can catch it.
    const forged = Member.create(c, 'chi', rng).round1
    const shown = [r1[0], r1[1], forged]
    const seen = transcript(c, verifyRound1(c, shown))
    expect(fingerprint80(seen)).not.toBe(fingerprint80(honest))
    // Member 0 goes on with what it was shown: its transcript (and so its confirmation) differs.
    made[0].member.round2(shown, rng)
    expect(fingerprint80(made[0].member.transcript!)).toBe(fingerprint80(seen))
  })

  it('confirms the same joint key and fingerprint on every side', () => {
    const b = runBoard({ ...c, id: 'c-2' }, testRNG('confirm'))
    const res = computeResult(b.c, verifyRound1(b.c, b.r1))
    for (const r of b.r3) {
      checkConfirmation(res, r.confirmation!)
      const other = { ...r.confirmation!, transcript: new Uint8Array(64) }
      other.signature = sign(r.key!.signingSeed, confirmationStatement(other))
      expect(err(() => checkConfirmation(res, other))).toMatchObject({ code: 'mismatch', field: 'transcript' })
    }
    expect(new Set(b.r3.map((r) => r.key!.groupKey.hex)).size).toBe(1)
    expect(manifestFromJSON({ version: 1, vote_id: 'v', public_key: res.groupKey.hex, levels: 2, radix: 3, rows: 1, subjects_hash: '00'.repeat(64) }).levels).toBe(2)
  })
})
