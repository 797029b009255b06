// A closed encrypted vote as GET /votes/{id}/encrypted-ballots answers it, for the tests and the
// timings of the member's check of the sums (sums.test.ts, sums.bench.ts). Not part of the app.
import {
  type Ballot, type Manifest, type ShareKey, ballotHash, ballotToJSON, ciphertexts, credential, credentialListToJSON, encryptBallot,
  encryptPaperTotals, fingerprint80, manifestToJSON, newCode, newCredentialList, paperCiphertexts, paperTotalsToJSON, round1ToJSON,
  subjectsHash, sum, sumsHash, sumsToJSON, testRNG, toHex,
} from '../protocol'
import { type Board, runBoard, vectorCeremony } from '../protocol/vectors'
import type { SumsInput, SumsKey } from './sums'

export interface Fixture {
  board: Board
  m: Manifest
  ballots: Ballot[] // in the answer's order (by ballot hash)
  seeds: Uint8Array[] // each ballot's credential seed, same order
  spare: Uint8Array[] // credential seeds of listed credentials that did not vote
  input: SumsInput
}

export const publicKeyPart = (k: ShareKey): SumsKey => ({
  ceremony_id: k.ceremonyId, identifier: k.identifier, verifying_share: k.verifyingShare.hex, group_key: k.groupKey.hex, fingerprint: k.fingerprint,
})

/** The answer's ballots: sorted by ballot hash, as the record sorts them. */
export function answerBallots(bs: Ballot[]) {
  return bs.map((b) => ({ ballot_hash: toHex(ballotHash(b)), ballot: ballotToJSON(b) })).sort((x, y) => (x.ballot_hash < y.ballot_hash ? -1 : 1))
}

/** A vote of n ballots × rows subjects (3 levels), a board of 3 (t = 2), optionally a paper part. */
export function makeVote(n: number, rows: number, paper = false, seed = 'sums check'): Fixture {
  const rng = testRNG(seed)
  const board = runBoard(vectorCeremony('sums', 0, 3, 2), rng)
  const m: Manifest = {
    voteId: 'vote-1', publicKey: board.res.groupKey, levels: 3, radix: n + 11, rows,
    subjectsHash: subjectsHash(Array.from({ length: rows }, (_, i) => `official-${i}`)),
  }
  const creds = Array.from({ length: n + 2 }, () => credential(newCode(rng)))
  const list = newCredentialList(m.voteId, creds.map((c) => c.publicKey), board.keys[1].identifier, board.keys[1].signingSeed)
  const made = creds.slice(0, n).map((c, i) => ({ seed: c.seed, ballot: encryptBallot(m, c.seed, Array.from({ length: rows }, (_, j) => ((i + j) % 4) - 1), rng).ballot }))
  made.sort((x, y) => (toHex(ballotHash(x.ballot)) < toHex(ballotHash(y.ballot)) ? -1 : 1))
  const ballots = made.map((x) => x.ballot)
  const pt = paper ? encryptPaperTotals(m, board.keys[0], 2, Array.from({ length: rows }, () => [1, 0, 1]), rng).paperTotals : null
  const sums = sum(rows, ballots.map(ciphertexts), pt ? [paperCiphertexts(pt)] : [])
  const c = board.c
  const answer = {
    vote_id: m.voteId,
    ceremony: {
      ceremony_id: c.id, council_id: c.councilId, vote_id: c.voteId, threshold: c.threshold, members: c.members, round1: board.r1.map(round1ToJSON),
      confirmations: [], joint_key: board.res.groupKey.hex, transcript: toHex(board.res.transcript), fingerprint: fingerprint80(board.res.transcript),
    },
    credential_lists: [credentialListToJSON(list)],
    ballots: answerBallots(ballots),
    paper_totals: pt ? [paperTotalsToJSON(pt)] : [],
    sums: sumsToJSON(sums),
    sums_hash: toHex(sumsHash(m.voteId, sums)),
  }
  const input: SumsInput = {
    voteId: m.voteId, manifest: manifestToJSON(m), sums: sumsToJSON(sums), cast: n, paper, key: publicKeyPart(board.keys[2]),
    answer: JSON.parse(JSON.stringify(answer)),
  }
  return { board, m, ballots, seeds: made.map((x) => x.seed), spare: creds.slice(n).map((c) => c.seed), input }
}
