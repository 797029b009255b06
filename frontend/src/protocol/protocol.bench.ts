// @vitest-environment node
// Browser-side timings in Node (docs/PROTOCOL.md §16): npx vitest bench --run src/protocol
// (Chromium runs the same V8; the lead times it there too).
import { bench, describe } from 'vitest'
import { argon2id } from '@noble/hashes/argon2.js'
import {
  type Ballot, type Ceremony, type Manifest, DEFAULT_KDF, Member, checkConfirmation, computeResult, credential, encryptBallot,
  newCode, partialDecrypt, subjectsHash, sum, ciphertexts, testRNG, verifyBallots, verifyRound1, verifyPartials,
} from './index'
import { runBoard, vectorCeremony } from './vectors'

const rng = testRNG('bench')
const board = runBoard(vectorCeremony('bench', 0, 7, 4), rng)
const m: Manifest = {
  voteId: 'vote-1',
  publicKey: board.res.groupKey,
  levels: 3,
  radix: 501,
  rows: 50,
  subjectsHash: subjectsHash(Array.from({ length: 50 }, (_, i) => `official-${i}`)),
}
const cred = credential(newCode(rng))
const choices = Array.from({ length: 50 }, (_, i) => (i % 4) - 1)
const ballots: Ballot[] = [0, 1, 2, 3].map(() => encryptBallot(m, cred.seed, choices, rng).ballot)
const sums = sum(50, ballots.map(ciphertexts))
const partials = board.keys.slice(0, 4).map((k) => partialDecrypt(k, m.voteId, sums, rng))

function ceremony7(): void {
  const c: Ceremony = vectorCeremony('bench', 1, 7, 4)
  const made = c.members.map((u) => Member.create(c, u, rng))
  const r1 = made.map((x) => x.round1)
  const r2 = made.map((x) => x.member.round2(r1, rng))
  const r3 = made.map((x) => x.member.round3(r2.filter((r) => r.identifier !== x.member.identifier)))
  const res = computeResult(c, verifyRound1(c, r1))
  for (const r of r3) checkConfirmation(res, r.confirmation!)
}

describe('browser side', () => {
  bench('encrypt + prove + sign a 50-row ballot (kiosk)', () => {
    encryptBallot(m, cred.seed, choices, rng)
  }, { iterations: 5, warmupIterations: 1 })
  bench('verify one 50-row ballot (observer, batch)', () => {
    verifyBallots(m, ballots.slice(0, 1))
  }, { iterations: 5, warmupIterations: 1 })
  bench('verify four 50-row ballots in one batch', () => {
    verifyBallots(m, ballots)
  }, { iterations: 3, warmupIterations: 1 })
  bench('partial decryption of 50 sums (one member)', () => {
    partialDecrypt(board.keys[0], m.voteId, sums, rng)
  }, { iterations: 5, warmupIterations: 1 })
  bench('verify 4 partial decryptions of 50 sums', () => {
    verifyPartials(board.res, m.voteId, sums, partials)
  }, { iterations: 3, warmupIterations: 1 })
  bench('key ceremony of 7 members, t = 4 (all members in one process)', ceremony7, { iterations: 3, warmupIterations: 1 })
  bench('argon2id of a share file (64 MiB, t = 2)', () => {
    argon2id('passphrase', new Uint8Array(16), { ...DEFAULT_KDF, dkLen: 32 })
  }, { iterations: 3, warmupIterations: 0 })
})
