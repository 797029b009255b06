// @vitest-environment node
import { readFileSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type Report, reportOK, reportText, verifyRecord } from './verify'
import { percent } from './tally'

// The golden records are written by Go (go test ./internal/record -run TestGoldenRecordsFile -update):
// this browser verifier must accept them, agree with the Go verifier's tally hash, and name the same
// failures for the same tamperings.
const dir = fileURLToPath(new URL('./testdata/', import.meta.url))
const load = (name: string) => readFileSync(dir + `record-${name}.json`)
const docs = (name: string) => {
  const j = JSON.parse(readFileSync(dir + `documents-${name}.json`, 'utf8')) as Record<string, string>
  return new Map(Object.entries(j).map(([k, v]) => [k, new TextEncoder().encode(v)]))
}

function mustOK(r: Report) {
  if (!reportOK(r)) throw new Error(reportText(r))
  for (const c of r.checks) expect([c.id, c.status]).toEqual([c.id, 'passed'])
}

/** Edits the record's JSON and re-serialises it (one line, as Go writes it, except for escaping). */
function tamper(name: string, f: (r: any) => void): Uint8Array {
  const r = JSON.parse(load(name).toString('utf8'))
  f(r)
  return new TextEncoder().encode(JSON.stringify(r) + '\n')
}

async function wantFailure(bytes: Uint8Array, check: string, field: string, code: string, words: string, documents = docs('small')) {
  const r = await verifyRecord(bytes, 'vi', undefined, documents)
  expect(reportOK(r)).toBe(false)
  expect(r.failure).not.toBeNull()
  const f = r.failure!
  expect([f.check, f.field.startsWith(field) ? field : f.field, f.code]).toEqual([check, field, code])
  expect(reportText(r)).toContain(words)
  return r
}

describe('the browser verifier on the Go golden records', () => {
  it('verifies the small encrypted record, with the Go tally hash', async () => {
    const bytes = load('small')
    const stages = new Set<string>()
    const r = await verifyRecord(bytes, 'vi', (stage) => stages.add(stage), docs('small'))
    mustOK(r)
    expect(r.checks.map((c) => c.id)).toEqual(['format', 'vote', 'ceremony', 'credentials', 'ballots', 'figures', 'sums', 'decryption', 'tally', 'certifications', 'documents'])
    expect(r.checks.find((c) => c.id === 'ballots')!.items).toBe(12)
    const goHash = JSON.parse(bytes.toString('utf8')).tally_hash
    expect(r.checks.find((c) => c.id === 'tally')!.detail).toContain(goHash.slice(0, 16))
    expect(stages.has('ballots')).toBe(true)
    expect(reportText(r)).toContain('KẾT QUẢ: HỢP LỆ')
    expect(reportText(await verifyRecord(bytes, 'en'))).toContain('RESULT: VALID')
  })

  it('verifies the record with a paper part and the plain record', async () => {
    mustOK(await verifyRecord(load('paper'), 'vi', undefined, docs('paper')))
    const plain = await verifyRecord(load('plain'), 'en', undefined, docs('plain'))
    mustOK(plain)
    expect(reportText(plain)).toContain('nothing in it is cryptographically attested')
  })

  it('reports a document not given as not checked', async () => {
    const r = await verifyRecord(load('small'), 'vi')
    expect(reportOK(r)).toBe(true)
    expect(r.documents.every((d) => d.status === 'not_checked')).toBe(true)
    expect(r.checks.at(-1)!.status).toBe('not_checked')
  })

  it('computes percentages as the vectors of rules.md §6', () => {
    expect([percent(1, 32), percent(17, 60), percent(1, 8), percent(7, 9), percent(40, 40), percent(0, 40), percent(3, 0)]).toEqual(['3.13', '28.33', '12.50', '77.78', '100.00', '0.00', '0.00'])
  })
})

describe('tampering is detected as the Go verifier names it', () => {
  it('a ballot dropped', async () => {
    await wantFailure(tamper('small', (r) => r.encrypted.ballots.splice(4, 1)), 'figures', 'figures.ballots_cast', 'count', 'số phiếu điện tử ghi là 12 nhưng bản ghi có 11 phiếu')
    await wantFailure(
      tamper('small', (r) => {
        r.encrypted.ballots.splice(4, 1)
        r.figures.ballots_cast--
        r.figures.ballots_received--
      }),
      'sums', 'encrypted.sums[0]', 'mismatch', 'không phải tích các bản mã của 11 phiếu',
    )
  })

  it('a count edited', async () => {
    await wantFailure(tamper('small', (r) => r.counts[1][2]++), 'decryption', 'counts[1]', 'mismatch', 'không phải giá trị giải mã của tổng mã hóa')
  })

  it('a percentage edited', async () => {
    await wantFailure(tamper('small', (r) => (r.tally.subjects[2].percentages.low = '51.00')), 'tally', 'tally.subjects[2].percentages.low', 'mismatch', 'bản ghi ghi 51.00, tính lại được')
  })

  it('a ballot signature altered', async () => {
    await wantFailure(
      tamper('small', (r) => {
        const sig: string = r.encrypted.ballots[9].ballot.signature
        r.encrypted.ballots[9].ballot.signature = (sig[0] === '0' ? '1' : '0') + sig.slice(1)
      }),
      'ballots', 'encrypted.ballots[9].ballot.signature', 'signature', 'phiếu thứ 10',
    )
  })

  it('the version changed, a document swapped, a paper row changed', async () => {
    await wantFailure(tamper('small', (r) => (r.version = 2)), 'format', 'version', 'version', 'phiên bản 2 của định dạng tinnhiem-record không được hỗ trợ')
    const swapped = docs('small')
    swapped.set('nghi-quyet.pdf', new TextEncoder().encode('another resolution'))
    await wantFailure(load('small'), 'documents', 'documents[', 'mismatch', 'tài liệu nghi-quyet.pdf', swapped)
    await wantFailure(
      tamper('paper', (r) => {
        const row = r.encrypted.paper_totals[0].rows[1]
        ;[row.alpha, row.beta] = [r.encrypted.paper_totals[0].rows[0].beta, row.beta]
      }),
      'paper', 'encrypted.paper_totals[0].signature', 'signature', 'tổng phiếu giấy thứ 1', docs('paper'),
    )
  })

  it('refuses what JSON.parse would accept and Go would not', async () => {
    const text = load('small').toString('utf8')
    await wantFailure(new TextEncoder().encode(text.replace('"ballot":{"version":1,', '"ballot":{"version":1,"version":1,')), 'format', '', 'json', 'repeated in an object')
    await wantFailure(new TextEncoder().encode(text.replace('"ballot":{"version":1,', '"ballot":{"version":1.0,')), 'format', '', 'json', 'not an integer')
  })
})

// The National Assembly-sized record (500 ballots × 50 subjects), when a Go test has written it:
// TN_RECORD_NA=/tmp/record-na.json go test ./internal/record -run TestGoldenNAVerifies
const na = process.env.TN_RECORD_NA
describe.skipIf(!na || !existsSync(na))('the National Assembly-sized record', () => {
  it('verifies and reports its time', async () => {
    const bytes = readFileSync(na!)
    let last = ''
    const t0 = performance.now()
    const r = await verifyRecord(bytes, 'vi', (stage, done, total) => {
      if (stage !== last || done === total) console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s: ${stage} ${done}/${total}`)
      last = stage
    })
    console.log(reportText(r))
    expect(reportOK(r)).toBe(true)
    expect(last).toBe('documents')
  }, 600_000)
})
