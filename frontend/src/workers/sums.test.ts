// @vitest-environment node
// The member's check of the encrypted sums before decrypting (docs/PROTOCOL.md §11.2): a right
// answer passes; a server that swaps a row's sum for one ballot's ciphertext, drops, repeats or
// forges a ballot, or hides the paper totals is refused, by ballot or row.
import { describe, expect, it } from 'vitest'
import {
  type Ballot, ballotHash, ballotFromJSON, ballotToJSON, buildBallot, ciphertexts, publicKeyOf, sign, sum, sumsHash, sumsToJSON, testRNG, toHex,
  trackingCode,
} from '../protocol'
import { runBoard, vectorCeremony } from '../protocol/vectors'
import { runJob } from './jobs'
import { type SumsInput, type SumsResult, checkSums } from './sums'
import { answerBallots, makeVote, publicKeyPart } from './sums.fixture'

const v = makeVote(5, 4)
const clone = (x: SumsInput): SumsInput => JSON.parse(JSON.stringify(x))
type Answer = { ballots: { ballot_hash: string; ballot: unknown }[]; sums: unknown; sums_hash: string; paper_totals: unknown[] }
const answerOf = (x: SumsInput) => x.answer as Answer
const failure = (r: SumsResult) => {
  if (r.ok) throw new Error('the check passed')
  return r.failure
}

/** The server recomputes its sums (and their hash) over the ballots it now lists: a consistent lie. */
function consistent(x: SumsInput, bs: Ballot[]): SumsInput {
  const s = sum(v.m.rows, bs.map(ciphertexts))
  answerOf(x).ballots = answerBallots(bs)
  answerOf(x).sums = sumsToJSON(s)
  answerOf(x).sums_hash = toHex(sumsHash(v.m.voteId, s))
  x.sums = sumsToJSON(s)
  return JSON.parse(JSON.stringify(x))
}

describe('the member’s check of the sums', { timeout: 60_000 }, () => {
  it('passes the right answer, every proof checked, with progress to the end', () => {
    const seen: number[] = []
    const r = checkSums(clone(v.input), (p) => seen.push(p))
    expect(r).toMatchObject({ ok: true, ballots: 5, rows: 4, proofs: 5, sampled: false, paper: false, sumsHash: answerOf(v.input).sums_hash })
    expect(seen[0]).toBe(0)
    expect(seen[seen.length - 1]).toBe(1)
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1])).toBe(true)
  })

  it('refuses a row whose sum is one ballot’s ciphertext, naming the row', () => {
    const x = clone(v.input)
    const one = v.ballots[3].rows[1]
    const sums = JSON.parse(JSON.stringify(x.sums)) as { a: string; b: string }[]
    sums[1] = { a: one.alpha.hex, b: one.beta.hex }
    x.sums = sums
    answerOf(x).sums = sums
    const f = failure(checkSums(x))
    expect(f).toMatchObject({ step: 'row', row: 2, field: 'sums[1]' })
  })

  it('refuses sums that the answer’s sums_hash does not hash to', () => {
    const x = clone(v.input)
    answerOf(x).sums_hash = toHex(sumsHash('another-vote', sum(v.m.rows, v.ballots.map(ciphertexts))))
    expect(failure(checkSums(x))).toMatchObject({ step: 'sums_hash' })
  })

  it('refuses a dropped ballot: by the count cast, or by the sums when the count is lied about too', () => {
    const dropped = v.ballots.filter((_, i) => i !== 2)
    const x = consistent(clone(v.input), dropped)
    expect(failure(checkSums(x))).toMatchObject({ step: 'count', got: 4, want: 5 })
    // The same list with the sums the server formed at the close.
    const y = clone(v.input)
    answerOf(y).ballots.splice(2, 1)
    expect(failure(checkSums({ ...y, cast: 4 }))).toMatchObject({ step: 'row', row: 1 })
  })

  it('refuses a ballot listed twice, and a ciphertext copied under another credential', () => {
    const x = clone(v.input)
    answerOf(x).ballots.splice(2, 0, answerOf(x).ballots[2])
    expect(failure(checkSums({ ...x, cast: 6 }))).toMatchObject({ step: 'ballot', ballot: 4, reason: 'same', other: 3 })
    // A spare credential signs a ballot made of ballot 2's ciphertexts: a valid signature of a
    // listed credential, but a ciphertext another ballot holds.
    const copy: Ballot = { ...ballotFromJSON(ballotToJSON(v.ballots[1])), credential: publicKeyOf(v.spare[0]) }
    copy.signature = sign(v.spare[0], ballotHash(copy))
    const y = consistent(clone(v.input), [...v.ballots, copy])
    const f = failure(checkSums({ ...y, cast: 6 }))
    expect(f).toMatchObject({ step: 'ballot', reason: 'ciphertext_reused' })
    expect([f.ballot, f.other].sort()).toEqual([answerOf(y).ballots.findIndex((b) => b.ballot_hash === toHex(ballotHash(v.ballots[1]))) + 1,
      answerOf(y).ballots.findIndex((b) => b.ballot_hash === toHex(ballotHash(copy))) + 1].sort())
  })

  it('refuses a bad signature, an altered ballot and an unlisted credential, naming the ballot and its tracking code', () => {
    const x = clone(v.input)
    const b = answerOf(x).ballots[3] as { ballot_hash: string; ballot: { signature: string } }
    b.ballot.signature = (b.ballot.signature[0] === '0' ? '1' : '0') + b.ballot.signature.slice(1)
    expect(failure(checkSums(x))).toMatchObject({ step: 'ballot', ballot: 4, reason: 'signature', tracking: trackingCode(ballotHash(v.ballots[3])) })
    const y = clone(v.input)
    const rowsOf = (i: number) => (answerOf(y).ballots[i].ballot as { rows: { beta: string }[] }).rows
    rowsOf(0)[0].beta = rowsOf(1)[0].beta
    expect(failure(checkSums(y))).toMatchObject({ step: 'ballot', ballot: 1, reason: 'altered' })
    // A ballot signed by a credential on no list (a server that made its own).
    const forged = buildBallot(v.m, publicKeyOf(new Uint8Array(32).fill(7)), [1, 0, 2, 3], new Uint8Array(32).fill(9))
    forged.signature = sign(new Uint8Array(32).fill(7), ballotHash(forged))
    const z = consistent(clone(v.input), [...v.ballots.slice(1), forged])
    const i = answerOf(z).ballots.findIndex((e) => e.ballot_hash === toHex(ballotHash(forged)))
    expect(failure(checkSums(z))).toMatchObject({ step: 'ballot', ballot: i + 1, reason: 'not_listed' })
  })

  it('refuses a ballot whose proof is wrong though signed, when its proofs are checked', () => {
    const bad = ballotFromJSON(ballotToJSON(v.ballots[0]))
    bad.rows[2].proof[1].s = (bad.rows[2].proof[1].s + 1n) % 7237005577332262213973186563042994240857116359379907606001950938285454250989n
    bad.signature = sign(v.seeds[0], ballotHash(bad))
    const x = consistent(clone(v.input), [bad, ...v.ballots.slice(1)])
    const i = answerOf(x).ballots.findIndex((e) => e.ballot_hash === toHex(ballotHash(bad)))
    expect(failure(checkSums(x))).toMatchObject({ step: 'ballot', ballot: i + 1, reason: 'proof' })
  })

  it('refuses a ceremony other than the one of the member’s key file', () => {
    const other = runBoard(vectorCeremony('sums', 0, 3, 2), testRNG('another board'))
    expect(failure(checkSums({ ...clone(v.input), key: publicKeyPart(other.keys[0]) }))).toMatchObject({ step: 'ceremony' })
  })

  it('adds the sealed paper totals, and refuses a vote with a paper part whose totals are missing', () => {
    const p = makeVote(3, 2, true, 'sums check with paper')
    expect(checkSums(clone(p.input))).toMatchObject({ ok: true, paper: true, ballots: 3 })
    const x = clone(p.input)
    answerOf(x).paper_totals = []
    expect(failure(checkSums(x))).toMatchObject({ step: 'paper', got: 0, want: 1 })
    // Without them the ballots alone do not add up to the sums asked.
    expect(failure(checkSums({ ...clone(x), paper: false }))).toMatchObject({ step: 'row', row: 1 })
  })

  it('checks the proofs of a random sample when the vote is large, and every signature still', () => {
    const r = checkSums({ ...clone(v.input), proofRows: 4 })
    expect(r).toMatchObject({ ok: true, ballots: 5, sampled: false })
    const big = makeVote(24, 2, false, 'sums sampled')
    const s = checkSums({ ...clone(big.input), proofRows: 2 }) // ⌈2/2⌉ = 1, at least 20 of 24
    expect(s).toMatchObject({ ok: true, ballots: 24, proofs: 20, sampled: true })
    const x = clone(big.input)
    const b = answerOf(x).ballots[23] as { ballot: { signature: string } }
    b.ballot.signature = '00' + b.ballot.signature.slice(2)
    expect(failure(checkSums({ ...x, proofRows: 2 }))).toMatchObject({ step: 'ballot', ballot: 24, reason: 'signature' })
  })

  it('runs as a job of the worker, and refuses a tampered server answer there', async () => {
    const ok = await runJob({ kind: 'sums', check: clone(v.input) })
    expect(ok).toMatchObject({ ok: true })
    const x = clone(v.input)
    const sums = x.sums as { a: string; b: string }[]
    sums[0] = { a: v.ballots[0].rows[0].alpha.hex, b: v.ballots[0].rows[0].beta.hex }
    expect(await runJob({ kind: 'sums', check: x })).toMatchObject({ ok: false, failure: { step: 'row', row: 1 } })
    expect(await runJob({ kind: 'sums', check: { ...clone(v.input), answer: { vote_id: 'vote-1' } } })).toMatchObject({ ok: false, failure: { step: 'answer' } })
  })
})
