// @vitest-environment node
// The board's encrypted paper totals (docs/PROTOCOL.md §13) in the browser code.
import { describe, expect, it } from 'vitest'
import {
  type Ceremony, type Manifest, ProtocolError, checkCounts, checkPaperOpenings, checkPaperSubmission, checkPaperTotals, ciphertexts, combine,
  countsSmall, credential, memberOf, encryptBallot, encryptPaperTotals, newCode, paperCiphertexts, paperSubmissionFromJSON, paperSubmissionToJSON,
  paperTotalsFromJSON, paperTotalsToJSON, partialDecrypt, subjectsHash, sum, testRNG, verifyPaperSignature, verifyPartials,
} from './index'
import { runBoard } from './vectors'

const ceremony: Ceremony = { id: 'ceremony-paper', councilId: 'council-1', voteId: 'vote-1', threshold: 2, members: ['user-0', 'user-1', 'user-2'] }
const TOTALS = [[3, 1, 0], [0, 0, 0], [1, 1, 3], [2, 2, 1]]
const N_P = 5

function setup(seed: string) {
  const rng = testRNG(seed)
  const board = { rng, ...runBoard(ceremony, rng) }
  const m: Manifest = { voteId: 'vote-1', publicKey: board.res.groupKey, levels: 3, radix: 11, rows: 4, subjectsHash: subjectsHash(['a', 'b', 'c', 'd']) }
  return { ...board, m }
}

function refusal(f: () => unknown): { code: string; field: string } {
  try {
    f()
  } catch (e) {
    if (e instanceof ProtocolError) return { code: e.code, field: e.field }
    throw e
  }
  throw new Error('not refused')
}

describe('paper totals', () => {
  it('are added to the encrypted sums before decryption: the counts are electronic + paper', () => {
    const { rng, res, keys, m } = setup('ts paper whole vote')
    const choices = [[0, 1, 2, -1], [0, 0, 2, 1], [2, -1, 0, 0]]
    const ballots = choices.map((ch) => encryptBallot(m, credential(newCode(rng)).seed, ch, rng).ballot)
    const { paperTotals, openings } = encryptPaperTotals(m, keys[0], N_P, TOTALS, rng)
    // The browser sends the submission; the server checks it and keeps the message only.
    const sub = paperSubmissionFromJSON(JSON.parse(JSON.stringify(paperSubmissionToJSON({ paperTotals, openings }))))
    checkPaperSubmission(res, m, sub, N_P, TOTALS)
    const stored = paperTotalsFromJSON(JSON.parse(JSON.stringify(paperTotalsToJSON(sub.paperTotals))))
    checkPaperTotals(res, m, stored)

    const sums = sum(m.rows, ballots.map(ciphertexts), [paperCiphertexts(stored)])
    const ps = keys.slice(1).map((k) => partialDecrypt(k, m.voteId, sums, rng))
    verifyPartials(res, m.voteId, sums, ps)
    const vs = combine(res, sums, ps)
    const total = ballots.length + stored.ballots
    const want = TOTALS.map((row, i) => row.map((c, j) => c + choices.filter((ch) => ch[i] === j).length))
    expect(countsSmall(m.levels, m.radix, total, vs)).toEqual(want)
    checkCounts(m.levels, m.radix, total, vs, want)
  })

  it('refuses totals that cannot be right, naming them', () => {
    const { keys, m } = setup('ts paper refusals')
    const other = runBoard({ ...ceremony, id: 'ceremony-other', members: ['x', 'y'] }, testRNG('another board'))
    const enc = (k = keys[0], n = N_P, t = TOTALS) => () => encryptPaperTotals(m, k, n, t, testRNG('r'))
    expect(refusal(enc(keys[0], 4, [[3, 1, 0], [0, 0, 0], [1, 1, 3], [2, 2, 0]]))).toEqual({ code: 'range', field: 'totals[2]' })
    expect(refusal(enc(keys[0], 10, [[0, 0, 0], [0, 11, 0], [0, 0, 0], [0, 0, 0]]))).toEqual({ code: 'range', field: 'totals[1][1]' })
    expect(refusal(enc(keys[0], 11))).toEqual({ code: 'range', field: 'ballots' })
    expect(refusal(enc(keys[0], N_P, TOTALS.slice(0, 3)))).toEqual({ code: 'length', field: 'totals' })
    expect(refusal(enc(other.keys[0]))).toEqual({ code: 'mismatch', field: 'public_key' })
  })

  it('checks the openings against the settled totals, naming the first bad row', () => {
    const { res, keys, m } = setup('ts paper openings')
    const { paperTotals: pt, openings } = encryptPaperTotals(m, keys[0], N_P, TOTALS, testRNG('paper openings'))
    checkPaperOpenings(m, pt, openings, N_P, TOTALS)
    const swapped = [openings[0], openings[2], openings[1], openings[3]]
    const other = [[3, 1, 0], [0, 0, 0], [1, 2, 2], [2, 2, 1]]
    expect(refusal(() => checkPaperOpenings(m, pt, openings, 6, TOTALS))).toEqual({ code: 'mismatch', field: 'ballots' })
    expect(refusal(() => checkPaperOpenings(m, pt, swapped, N_P, TOTALS))).toEqual({ code: 'mismatch', field: 'openings[1]' })
    expect(refusal(() => checkPaperOpenings(m, pt, openings, N_P, other))).toEqual({ code: 'mismatch', field: 'rows[2].beta' })
    expect(refusal(() => checkPaperOpenings(m, pt, [...openings.slice(0, 3), '0'.repeat(64)], N_P, TOTALS))).toEqual({ code: 'range', field: 'openings[3]' })
    expect(refusal(() => checkPaperSubmission(res, m, { paperTotals: pt, openings }, N_P, other))).toEqual({ code: 'mismatch', field: 'paper_totals.rows[2].beta' })
    expect(refusal(() => checkPaperSubmission(res, m, { paperTotals: pt, openings: swapped }, N_P, TOTALS))).toEqual({ code: 'mismatch', field: 'openings[1]' })
  })

  it('decodes strictly and checks the message against the ceremony and the vote', () => {
    const { res, keys, m } = setup('ts paper parse')
    const { paperTotals: pt } = encryptPaperTotals(m, keys[0], N_P, TOTALS, testRNG('paper parse'))
    const js = () => JSON.parse(JSON.stringify(paperTotalsToJSON(pt)))
    const parse = (f: (o: any) => void) => () => {
      const o = js()
      f(o)
      return paperTotalsFromJSON(o)
    }
    expect(refusal(parse((o) => (o.paper = true)))).toEqual({ code: 'json', field: 'paper' })
    expect(refusal(parse((o) => delete o.ballots))).toEqual({ code: 'json', field: 'ballots' })
    expect(refusal(parse((o) => (o.version = 2)))).toEqual({ code: 'version', field: 'version' })
    expect(refusal(parse((o) => (o.ballots = 2 ** 32 + 1)))).toEqual({ code: 'range', field: 'ballots' })
    expect(refusal(parse((o) => (o.rows = [])))).toEqual({ code: 'length', field: 'rows' })
    expect(refusal(parse((o) => (o.rows[2].alpha = '0'.repeat(64))))).toEqual({ code: 'identity', field: 'rows[2].alpha' })
    expect(refusal(parse((o) => (o.rows[0].beta = '0'.repeat(64))))).toEqual({ code: 'identity', field: 'rows[0].beta' })
    expect(refusal(parse((o) => (o.rows[3].beta = 'f'.repeat(64))))).toEqual({ code: 'point', field: 'rows[3].beta' })

    checkPaperTotals(res, m, paperTotalsFromJSON(js()))
    verifyPaperSignature(pt, memberOf(res, keys[0].identifier).signingKey)
    expect(refusal(() => verifyPaperSignature(pt, memberOf(res, keys[1].identifier).signingKey))).toEqual({ code: 'signature', field: 'signature' })
    expect(refusal(() => checkPaperTotals(res, { ...m, voteId: 'vote-2' }, pt))).toEqual({ code: 'mismatch', field: 'vote_id' })
    expect(refusal(() => checkPaperTotals(res, { ...m, subjectsHash: subjectsHash(['b', 'a', 'c', 'd']) }, pt))).toEqual({ code: 'mismatch', field: 'manifest_hash' })
    expect(refusal(() => checkPaperTotals(res, m, { ...pt, identifier: keys[1].identifier }))).toEqual({ code: 'signature', field: 'signature' })
    expect(refusal(() => checkPaperTotals(res, m, { ...pt, ballots: pt.ballots + 1 }))).toEqual({ code: 'signature', field: 'signature' })
    expect(refusal(() => checkPaperTotals(res, m, { ...pt, rows: [pt.rows[0], pt.rows[1], pt.rows[2], pt.rows[1]] }))).toEqual({ code: 'duplicate', field: 'rows[3].alpha' })
    expect(refusal(() => checkPaperTotals(res, m, { ...pt, rows: pt.rows.slice(0, 3) }))).toEqual({ code: 'length', field: 'rows' })
  })
})
