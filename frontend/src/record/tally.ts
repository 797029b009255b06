// The tally of a vote rebuilt from its public record (docs/RECORD.md §4): percentages half-up from
// the exact rational, bands by cross-multiplication from the record's rule data, the consequence
// texts, the base-sensitivity view, and the canonical bytes whose SHA-256 the board certified. A
// second implementation of internal/record/tally.go, written from the specification; the vitest
// tests hold it to the Go-written golden records.
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from '../protocol'

export const BASE_TOTAL_DELEGATES = 'total_delegates'
export const BASE_BALLOTS_RECEIVED = 'ballots_received'
export const FLAG_BASE_SENSITIVE = 'base_sensitive'
export const FLAG_RESIGNED = 'resigned'
export const FLAG_NO_CONFIDENCE_DUE = 'no_confidence_due'

export interface Band {
  band: string
  num: number
  den: number
  inclusive: boolean
}

export interface Rules {
  levels: string[]
  decisive: string
  bands: Band[]
  default_band: string
  consequences: { band: string; text: string }[]
  no_confidence_due_band: string
  quorum: { num: number; den: number } | null
}

export interface Subject {
  official_id: string
  full_name: string
  positions: unknown
}

export interface Vote {
  vote_id: string
  council_id: string
  council_name: string
  session: string
  title: string
  kind: string
  vote_date: string
  rule_set_id: string
  rule_set_name: string
  base: string
  base_decision: string
  subjects: Subject[]
}

export interface TallyBaseView {
  base: string
  base_value: number
  percentages: Record<string, string>
  band: string
}

export interface TallySubject {
  official_id: string
  full_name: string
  positions: unknown
  counts: Record<string, number>
  rated: number
  blank: number
  percentages: Record<string, string>
  band: string
  consequence: string
  flags: string[]
  alternative?: TallyBaseView
}

export interface Tally {
  rule_set: string
  kind: string
  percentage_base: string
  base_value: number
  total_delegates: number
  ballots_issued: number
  ballots_received: number
  valid_ballots: number
  invalid_ballots: number
  quorum?: { present: number; convened: number; met: boolean }
  subjects: TallySubject[]
  no_confidence_due: string[] | null
  tally_hash?: string
}

export interface TallyFigures {
  totalDelegates: number
  ballotsIssued: number
  valid: number
  invalid: number
}

/** 100·x/n rounded half-up to two decimals from the exact rational: floor((20000x + n) / 2n) hundredths. */
export function percent(x: number, n: number): string {
  if (x <= 0 || n <= 0) return '0.00'
  const q = (20000n * BigInt(x) + BigInt(n)) / (2n * BigInt(n))
  return `${q / 100n}.${String(q % 100n).padStart(2, '0')}`
}

/** The first band that holds for decisive count x of base n, or the default band. */
export function bandOf(r: Rules, x: number, n: number): string {
  const X = BigInt(x)
  const N = BigInt(n)
  for (const b of r.bands) {
    const lhs = BigInt(b.den) * X
    const rhs = BigInt(b.num) * N
    if ((b.inclusive && n > 0 && lhs >= rhs) || (!b.inclusive && lhs > rhs)) return b.band
  }
  return r.default_band
}

const consequence = (r: Rules, band: string): string => r.consequences.find((c) => c.band === band)?.text ?? ''
const otherBase = (b: string): string => (b === BASE_BALLOTS_RECEIVED ? BASE_TOTAL_DELEGATES : BASE_BALLOTS_RECEIVED)

/** Rebuilds the certified tally (docs/RECORD.md §4.3): no annotations, no tally_hash. */
export function buildTally(v: Vote, r: Rules, f: TallyFigures, counts: number[][]): Tally {
  if (counts.length !== v.subjects.length) throw new Error(`${counts.length} rows of counts for ${v.subjects.length} subjects`)
  const received = f.valid + f.invalid
  const n = v.base === BASE_BALLOTS_RECEIVED ? received : f.totalDelegates
  const decisive = r.levels.indexOf(r.decisive)
  if (decisive < 0) throw new Error(`the decisive level ${r.decisive} is not a level of the vote`)
  const t: Tally = {
    rule_set: v.rule_set_id,
    kind: v.kind,
    percentage_base: v.base,
    base_value: n,
    total_delegates: f.totalDelegates,
    ballots_issued: f.ballotsIssued,
    ballots_received: received,
    valid_ballots: f.valid,
    invalid_ballots: f.invalid,
    subjects: [],
    no_confidence_due: null,
  }
  if (r.quorum) {
    t.quorum = { present: f.ballotsIssued, convened: f.totalDelegates, met: BigInt(r.quorum.den) * BigInt(f.ballotsIssued) >= BigInt(r.quorum.num) * BigInt(f.totalDelegates) }
  }
  v.subjects.forEach((s, i) => {
    const row = counts[i]
    if (row.length !== r.levels.length) throw new Error(`subject ${i} has ${row.length} counts for ${r.levels.length} levels`)
    const ts: TallySubject = { official_id: s.official_id, full_name: s.full_name, positions: s.positions, counts: {}, rated: 0, blank: 0, percentages: {}, band: '', consequence: '', flags: [] }
    r.levels.forEach((l, j) => {
      ts.counts[l] = row[j]
      ts.rated += row[j]
      ts.percentages[l] = percent(row[j], n)
    })
    ts.blank = f.valid - ts.rated
    const x = row[decisive]
    ts.band = bandOf(r, x, n)
    ts.consequence = consequence(r, ts.band)
    if (bandOf(r, x, f.totalDelegates) !== bandOf(r, x, received)) {
      ts.flags.push(FLAG_BASE_SENSITIVE)
      const ob = otherBase(v.base)
      const m = ob === BASE_BALLOTS_RECEIVED ? received : f.totalDelegates
      const alt: TallyBaseView = { base: ob, base_value: m, percentages: {}, band: bandOf(r, x, m) }
      r.levels.forEach((l, j) => (alt.percentages[l] = percent(row[j], m)))
      ts.alternative = alt
    }
    t.subjects.push(ts)
  })
  return t
}

// ---- canonical JSON (docs/RECORD.md §4.4) ----

const HEXL = '0123456789abcdef'

/** A string as Go's encoding/json writes it (HTML-safe: <, >, & and U+2028/9 escaped). */
export function goString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    switch (c) {
      case 0x22:
        out += '\\"'
        break
      case 0x5c:
        out += '\\\\'
        break
      case 0x0a:
        out += '\\n'
        break
      case 0x0d:
        out += '\\r'
        break
      case 0x09:
        out += '\\t'
        break
      case 0x08:
        out += '\\b'
        break
      case 0x0c:
        out += '\\f'
        break
      case 0x3c:
      case 0x3e:
      case 0x26:
        out += '\\u00' + HEXL[c >> 4] + HEXL[c & 15]
        break
      case 0x2028:
        out += '\\u2028'
        break
      case 0x2029:
        out += '\\u2029'
        break
      default:
        if (c < 0x20) out += '\\u00' + HEXL[c >> 4] + HEXL[c & 15]
        else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd' // a lone surrogate: Go writes U+FFFD
        else out += ch
    }
  }
  return out + '"'
}

/**
 * A JSON value in the record's canonical form: no whitespace, keys in their order, strings as
 * goString, integers of at most 2^53. Refuses other numbers and keys made only of digits (whose order
 * JavaScript does not keep).
 */
export function canonicalJSON(v: unknown): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) && Math.abs(v) !== 2 ** 53) throw new Error(`the number ${v} is not an integer of at most 2^53`)
    if (Object.is(v, -0)) throw new Error('the number -0 is not canonical')
    return String(v)
  }
  if (typeof v === 'string') return goString(v)
  if (Array.isArray(v)) return '[' + v.map(canonicalJSON).join(',') + ']'
  if (typeof v === 'object') {
    const parts: string[] = []
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (/^[0-9]+$/.test(k)) throw new Error(`the key ${k} is made only of digits`)
      parts.push(goString(k) + ':' + canonicalJSON(x))
    }
    return '{' + parts.join(',') + '}'
  }
  throw new Error('not a JSON value')
}

const sortedMap = (m: Record<string, number | string>): string => {
  const keys = Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) // level names are a–z, 0–9, _
  return '{' + keys.map((k) => goString(k) + ':' + (typeof m[k] === 'number' ? String(m[k]) : goString(m[k] as string))).join(',') + '}'
}

const withoutFlags = (flags: string[]): string[] => flags.filter((f) => f !== FLAG_RESIGNED && f !== FLAG_NO_CONFIDENCE_DUE)

/** The canonical bytes the board certifies (docs/RECORD.md §4.4), as a string. */
export function certifiedJSON(t: Tally): string {
  const parts = [
    `"rule_set":${goString(t.rule_set)}`,
    `"kind":${goString(t.kind)}`,
    `"percentage_base":${goString(t.percentage_base)}`,
    `"base_value":${t.base_value}`,
    `"total_delegates":${t.total_delegates}`,
    `"ballots_issued":${t.ballots_issued}`,
    `"ballots_received":${t.ballots_received}`,
    `"valid_ballots":${t.valid_ballots}`,
    `"invalid_ballots":${t.invalid_ballots}`,
  ]
  if (t.quorum) parts.push(`"quorum":{"present":${t.quorum.present},"convened":${t.quorum.convened},"met":${t.quorum.met}}`)
  const subjects = t.subjects.map((s) => {
    const p = [
      `"official_id":${goString(s.official_id)}`,
      `"full_name":${goString(s.full_name)}`,
      `"positions":${canonicalJSON(s.positions)}`,
      `"counts":${sortedMap(s.counts)}`,
      `"rated":${s.rated}`,
      `"blank":${s.blank}`,
      `"percentages":${sortedMap(s.percentages)}`,
      `"band":${goString(s.band)}`,
      `"consequence":${goString(s.consequence)}`,
      `"flags":[${withoutFlags(s.flags).map(goString).join(',')}]`,
    ]
    if (s.alternative) {
      const a = s.alternative
      p.push(`"alternative":{"base":${goString(a.base)},"base_value":${a.base_value},"percentages":${sortedMap(a.percentages)},"band":${goString(a.band)}}`)
    }
    return '{' + p.join(',') + '}'
  })
  parts.push(`"subjects":[${subjects.join(',')}]`, `"no_confidence_due":null`)
  return '{' + parts.join(',') + '}'
}

/** The tally hash: hex SHA-256 of the canonical bytes. */
export const hashTally = (t: Tally): string => toHex(sha256(new TextEncoder().encode(certifiedJSON(t))))

export interface TallyDiff {
  field: string
  recorded: string
  computed: string
}

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v))

function differ(field: string, g: unknown, w: unknown): TallyDiff | null {
  const gs = show(g)
  const ws = show(w)
  return gs === ws ? null : { field, recorded: gs, computed: ws }
}

function compareLevels(field: string, g: Record<string, unknown> | undefined, w: Record<string, unknown>): TallyDiff | null {
  const gg = g ?? {}
  const keys = [...new Set([...Object.keys(w), ...Object.keys(gg)])].sort()
  for (const k of keys) {
    const d = differ(`${field}.${k}`, gg[k], w[k])
    if (d) return d
  }
  return null
}

/** The first field where the recorded tally differs from the rebuilt one, annotations ignored. */
export function compareTally(got: Tally, want: Tally): TallyDiff | null {
  const top: (keyof Tally)[] = ['rule_set', 'kind', 'percentage_base', 'base_value', 'total_delegates', 'ballots_issued', 'ballots_received', 'valid_ballots', 'invalid_ballots']
  for (const k of top) {
    const d = differ(k, got[k], want[k])
    if (d) return d
  }
  const q = (x: Tally['quorum']) => (x ? `present ${x.present}, convened ${x.convened}, met ${x.met}` : '—')
  const dq = differ('quorum', q(got.quorum), q(want.quorum))
  if (dq) return dq
  if (got.subjects.length !== want.subjects.length) return { field: 'subjects', recorded: String(got.subjects.length), computed: String(want.subjects.length) }
  for (let i = 0; i < want.subjects.length; i++) {
    const g = got.subjects[i]
    const w = want.subjects[i]
    const p = `subjects[${i}]`
    const checks: [string, unknown, unknown][] = [
      ['official_id', g.official_id, w.official_id],
      ['full_name', g.full_name, w.full_name],
      ['positions', canonicalOr(g.positions), canonicalOr(w.positions)],
    ]
    for (const [f, a, b] of checks) {
      const d = differ(`${p}.${f}`, a, b)
      if (d) return d
    }
    const dc = compareLevels(`${p}.counts`, g.counts, w.counts)
    if (dc) return dc
    for (const [f, a, b] of [['rated', g.rated, w.rated], ['blank', g.blank, w.blank]] as const) {
      const d = differ(`${p}.${f}`, a, b)
      if (d) return d
    }
    const dp = compareLevels(`${p}.percentages`, g.percentages, w.percentages)
    if (dp) return dp
    for (const [f, a, b] of [['band', g.band, w.band], ['consequence', g.consequence, w.consequence], ['flags', withoutFlags(g.flags ?? []).join(' '), w.flags.join(' ')]] as const) {
      const d = differ(`${p}.${f}`, a, b)
      if (d) return d
    }
    if (!g.alternative !== !w.alternative) return { field: `${p}.alternative`, recorded: g.alternative ? 'present' : '—', computed: w.alternative ? 'present' : '—' }
    if (w.alternative && g.alternative) {
      const ga = g.alternative
      const wa = w.alternative
      const d =
        differ(`${p}.alternative.base`, ga.base, wa.base) ??
        differ(`${p}.alternative.base_value`, ga.base_value, wa.base_value) ??
        compareLevels(`${p}.alternative.percentages`, ga.percentages, wa.percentages) ??
        differ(`${p}.alternative.band`, ga.band, wa.band)
      if (d) return d
    }
  }
  return null
}

function canonicalOr(v: unknown): string {
  try {
    return canonicalJSON(v)
  } catch {
    return JSON.stringify(v)
  }
}
