// @vitest-environment node
// The member's check of the sums before decrypting (docs/PROTOCOL.md §11.2, §16.2), in Node (one
// thread, what the worker gets; Chromium runs the same V8):
//   npx vitest bench --run src/workers
// 50 ballots × 12 subjects are made here; 500 × 50 come from the Go-written National Assembly-sized
// record (TN_RECORD_NA=/tmp/record-na.json go test ./internal/record -run TestGoldenNAVerifies), when
// TN_RECORD_NA names it.
import { readFileSync } from 'node:fs'
import { bench, describe } from 'vitest'
import { computeResult, fingerprint80, round1FromJSON, verifyRound1 } from '../protocol'
import { type SumsInput, checkSums } from './sums'
import { makeVote } from './sums.fixture'

const small = makeVote(50, 12, false, 'sums bench')

function fromRecord(path: string): SumsInput {
  const r = JSON.parse(readFileSync(path, 'utf8')) as any
  const e = r.encrypted
  const c = { id: e.ceremony.ceremony_id, councilId: e.ceremony.council_id, voteId: e.ceremony.vote_id, threshold: e.ceremony.threshold, members: e.ceremony.members }
  const res = computeResult(c, verifyRound1(c, e.ceremony.round1.map(round1FromJSON)))
  const me = res.members[0]
  return {
    voteId: r.vote.vote_id, manifest: e.manifest, sums: e.sums, cast: r.figures.ballots_cast, paper: r.figures.paper !== null,
    key: { ceremony_id: c.id, identifier: me.identifier, verifying_share: me.verifyingShare.hex, group_key: res.groupKey.hex, fingerprint: fingerprint80(res.transcript) },
    answer: { vote_id: r.vote.vote_id, ceremony: e.ceremony, credential_lists: e.credential_lists, ballots: e.ballots, paper_totals: e.paper_totals, sums: e.sums, sums_hash: e.sums_hash },
  }
}

const must = (x: ReturnType<typeof checkSums>) => {
  if (!x.ok) throw new Error(JSON.stringify(x.failure))
  return x
}

describe('the member’s check of the sums', () => {
  bench('50 ballots × 12 subjects, every proof', () => {
    must(checkSums(small.input))
  }, { iterations: 3, warmupIterations: 1 })
  const na = process.env.TN_RECORD_NA
  if (na) {
    const input = fromRecord(na)
    bench('500 ballots × 50 subjects: signatures and sums of all, proofs of a sample', () => {
      const r = must(checkSums(input))
      console.log(`  ${r.ballots} ballots, proofs of ${r.proofs}: ${(r.ms / 1000).toFixed(1)} s`)
    }, { iterations: 2, warmupIterations: 0 })
    bench('500 ballots × 50 subjects: every proof', () => {
      const r = must(checkSums({ ...input, proofRows: Infinity }))
      console.log(`  ${r.ballots} ballots, proofs of ${r.proofs}: ${(r.ms / 1000).toFixed(1)} s`)
    }, { iterations: 1, warmupIterations: 0 })
  }
})
