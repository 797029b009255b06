// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  type Ceremony, type Manifest, Member, ProtocolError, ballotFromJSON, ballotHash, ballotToJSON, checkCounts, checkReveal, combine,
  computeResult, checkConfirmation, countsSmall, credential, encryptBallot, newCode, newReveal, partialDecrypt, subjectsHash, sum,
  testRNG, verifyBallots, verifyPartials, verifyRound1, ciphertexts, type Round3Result, parseCode, formatCode, checkDigit,
} from './index'

function ceremony(n: number, t: number): Ceremony {
  return { id: 'ceremony-ts', councilId: 'council-1', voteId: 'vote-1', threshold: t, members: Array.from({ length: n }, (_, i) => `user-${i}`) }
}

export function runCeremony(c: Ceremony, seed: string) {
  const rng = testRNG(seed)
  const made = c.members.map((u) => Member.create(c, u, rng))
  const r1 = made.map((m) => m.round1)
  const r2 = made.map((m) => m.member.round2(r1, rng))
  const r3: Round3Result[] = made.map((m) => m.member.round3(r2.filter((r) => r.identifier !== m.member.identifier)))
  const res = computeResult(c, verifyRound1(c, r1))
  for (const r of r3) checkConfirmation(res, r.confirmation!)
  return { rng, r1, r2, r3, res, keys: r3.map((r) => r.key!) }
}

describe('a whole vote in the browser code', () => {
  it('runs a ceremony, ballots, decryption and counts', () => {
    const c = ceremony(3, 2)
    const { rng, res, keys } = runCeremony(c, 'ts whole vote')
    const m: Manifest = { voteId: 'vote-1', publicKey: res.groupKey, levels: 3, radix: 11, rows: 4, subjectsHash: subjectsHash(['a', 'b', 'c', 'd']) }
    const choices = [
      [0, 1, 2, -1],
      [2, 2, -1, 0],
      [1, 0, 0, 0],
    ]
    const ballots = choices.map((ch) => {
      const cred = credential(newCode(rng))
      const { ballot, secrets } = encryptBallot(m, cred.seed, ch, rng)
      expect(checkReveal(newReveal(m, ballot, secrets)).rows.length).toBe(4)
      return ballotFromJSON(JSON.parse(JSON.stringify(ballotToJSON(ballot))))
    })
    verifyBallots(m, ballots)
    const sums = sum(m.rows, ballots.map(ciphertexts))
    const ps = keys.slice(0, 2).map((k) => partialDecrypt(k, m.voteId, sums, rng))
    verifyPartials(res, m.voteId, sums, ps)
    const vs = combine(res, sums, ps)
    const counts = countsSmall(3, 11, 3, vs)
    expect(counts).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 0, 1],
      [2, 0, 0],
    ])
    checkCounts(3, 11, 3, vs, counts)
    expect(() => checkCounts(3, 11, 3, vs, [[1, 1, 1], [1, 1, 1], [1, 0, 1], [1, 1, 0]])).toThrow(ProtocolError)
    // a tampered ballot hash fails the signature
    const bad = ballotFromJSON(ballotToJSON(ballots[1]))
    bad.rows[2].proof[1].s += 1n
    expect(() => verifyBallots(m, [ballots[0], bad])).toThrow(/item 1: signature/)
    expect(ballotHash(ballots[0]).length).toBe(64)
  })
})

describe('credential codes', () => {
  it('catches every single typo and every adjacent swap', () => {
    const rng = testRNG('codes')
    for (let k = 0; k < 20; k++) {
      const c = newCode(rng)
      expect(parseCode(formatCode(c).toLowerCase())).toBe(c)
      for (let i = 0; i < 21; i++) {
        for (const ch of '0123456789ABCDEFGHJKMNPQRSTVWXYZ') {
          if (ch === c[i]) continue
          const typo = c.slice(0, i) + ch + c.slice(i + 1)
          expect(() => parseCode(typo)).toThrow(ProtocolError)
        }
        if (i < 20 && c[i] !== c[i + 1]) {
          const swap = c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2)
          expect(() => parseCode(swap)).toThrow(ProtocolError)
        }
      }
    }
    expect(checkDigit('00000000000000000000')).toBe('0')
  })
})
