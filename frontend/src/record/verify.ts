// The browser's verifier of a vote's public record (docs/RECORD.md): the same checks as the Go
// verifier (internal/record), in the same order, over the same bytes, using the browser's protocol
// implementation (frontend/src/protocol). It touches no DOM and can run in a Web Worker; the page and
// the worker wiring are the frontend's.
//
//   const report = await verifyRecord(bytes, 'vi', (stage, done, total) => postMessage({ stage, done, total }))
//   reportText(report)   // the text the CLI prints
import {
  type Ballot, type CeremonyResult, type Ciphertext, type Manifest, type PaperTotals, type PartialDecryption, ProtocolError,
  ballotFromJSON, ballotHash, certificationFromJSON, checkConfirmation, checkCounts, checkPaperTotals, ciphertexts, combine,
  computeResult, confirmationFromJSON, credentialListFromJSON, deriveIdentifier, equalBytes, fingerprint80, fromHex,
  manifestFromJSON, manifestHash, paperCiphertexts, paperTotalsFromJSON, partialFromJSON, round1FromJSON, subjectsHash,
  sum, sumsFromJSON, sumsHash, toHex, trackingCode, validateCeremony, verifyBallots, verifyCertification, verifyCredentialList,
  verifyPartials, verifyRound1, voteFingerprint,
} from '../protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import {
  type Rules, type Tally, type Vote, BASE_BALLOTS_RECEIVED, BASE_TOTAL_DELEGATES, FLAG_NO_CONFIDENCE_DUE, FLAG_RESIGNED, buildTally,
  canonicalJSON, compareTally, hashTally,
} from './tally'
import { type Lang, type Text, CHECK_TITLES, CODE_WORDS, P, T, tr } from './messages'

export const FORMAT = 'tinnhiem-record'
export const VERSION = 1
const MAX_ROWS = 1024
const MAX_LEVELS = 8
const MAX_FIGURE = 2 ** 32

export type Status = 'passed' | 'failed' | 'not_run' | 'not_checked'

export interface Check {
  id: string
  title: string
  items: number
  detail: string
  status: Status
  elapsedMs: number
}

export interface Failure {
  check: string
  place: string
  field: string
  code: string
  message: string
}

export interface DocumentResult {
  name: string
  sha256: string
  status: Status
}

export interface Report {
  lang: Lang
  voteId: string
  title: string
  council: string
  mode: string
  checks: Check[]
  documents: DocumentResult[]
  notes: string[]
  failure: Failure | null
  elapsedMs: number
}

export type Progress = (stage: string, done: number, total: number) => void

export const reportOK = (r: Report): boolean => r.failure === null && r.checks.every((c) => c.status !== 'failed')

// ---- decoding (docs/RECORD.md §2, §3) ----

type Sch = 'string' | 'int' | 'bool' | 'raw' | { list: Sch } | { fields: [string, Sch][]; nullable?: boolean; optional?: string[] } | { map: 'int' | 'string' }

const obj = (fields: [string, Sch][], nullable = false, optional: string[] = []): Sch => ({ fields, nullable, optional })
const list = (s: Sch): Sch => ({ list: s })
const S: Sch = 'string'
const I: Sch = 'int'
const B: Sch = 'bool'
const RAW: Sch = 'raw'

const SUBJECT = obj([['official_id', S], ['full_name', S], ['positions', RAW]])
const VOTE = obj([['vote_id', S], ['council_id', S], ['council_name', S], ['session', S], ['title', S], ['kind', S], ['vote_date', S],
  ['rule_set_id', S], ['rule_set_name', S], ['base', S], ['base_decision', S], ['subjects', list(SUBJECT)]])
const RULES = obj([['levels', list(S)], ['decisive', S], ['bands', list(obj([['band', S], ['num', I], ['den', I], ['inclusive', B]]))],
  ['default_band', S], ['consequences', list(obj([['band', S], ['text', S]]))], ['no_confidence_due_band', S], ['quorum', obj([['num', I], ['den', I]], true)]])
const BOARD = obj([['user_id', S], ['full_name', S], ['role', S], ['identifier', S]])
const FIGURES = obj([['total_delegates', I], ['ballots_issued', I], ['ballots_cast', I], ['codes_voided', I],
  ['paper', obj([['received', I], ['valid', I], ['invalid', I]], true)], ['ballots_received', I]])
const CEREMONY = obj([['ceremony_id', S], ['council_id', S], ['vote_id', S], ['threshold', I], ['members', list(S)], ['round1', list(RAW)],
  ['confirmations', list(RAW)], ['joint_key', S], ['transcript', S], ['fingerprint', S]])
const ENCRYPTED = obj([['manifest', RAW], ['manifest_hash', S], ['vote_fingerprint', S], ['ceremony', CEREMONY], ['credential_lists', list(RAW)],
  ['ballots', list(obj([['ballot_hash', S], ['ballot', RAW]]))], ['spoiled', list(S)], ['paper_totals', list(RAW)], ['sums', RAW], ['sums_hash', S],
  ['partial_decryptions', list(RAW)], ['certifications', list(RAW)]], true)
const PLAIN = obj([['ballots', list(S)], ['ballots_withheld', B], ['invalid', I], ['certified_by', list(S)]], true)
const RECORD = obj([['format', S], ['version', I], ['mode', S], ['vote', VOTE], ['rules', RULES], ['board', list(BOARD)], ['figures', FIGURES],
  ['encrypted', ENCRYPTED], ['plain', PLAIN], ['counts', list(list(I))], ['tally', RAW], ['tally_hash', S], ['audit_anchor', S],
  ['documents', list(obj([['name', S], ['sha256', S]]))], ['frontend_hash', S]])
const BASE_VIEW = obj([['base', S], ['base_value', I], ['percentages', { map: 'string' }], ['band', S]])
const TALLY = obj([['rule_set', S], ['kind', S], ['percentage_base', S], ['base_value', I], ['total_delegates', I], ['ballots_issued', I],
  ['ballots_received', I], ['valid_ballots', I], ['invalid_ballots', I], ['quorum', obj([['present', I], ['convened', I], ['met', B]])],
  ['subjects', list(obj([['official_id', S], ['full_name', S], ['positions', RAW], ['counts', { map: 'int' }], ['rated', I], ['blank', I],
    ['percentages', { map: 'string' }], ['band', S], ['consequence', S], ['flags', list(S)], ['alternative', BASE_VIEW]], false, ['alternative']))],
  ['no_confidence_due', list(S)], ['tally_hash', S]], false, ['quorum', 'tally_hash'])

class FormatError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(field ? `${field}: ${detail}` : detail)
  }
}

class VersionError extends Error {
  constructor(
    readonly format: string,
    readonly version: number,
  ) {
    super(`version ${version}`)
  }
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name)

/** Checks a parsed value against a schema as Go's decoder and walker do; null lists read as []. */
function check(v: unknown, s: Sch, path: string): unknown {
  if (s === 'raw') return v
  if (s === 'string') {
    if (typeof v !== 'string') throw new FormatError(path, 'a string is expected')
    return v
  }
  if (s === 'int') {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new FormatError(path, 'an integer is expected')
    return v
  }
  if (s === 'bool') {
    if (typeof v !== 'boolean') throw new FormatError(path, 'true or false is expected')
    return v
  }
  if ('list' in s) {
    if (v === null) return []
    if (!Array.isArray(v)) throw new FormatError(path, 'a list is expected')
    return v.map((x, i) => check(x, s.list, `${path}[${i}]`))
  }
  if ('map' in s) {
    if (v === null) return {}
    if (typeof v !== 'object' || Array.isArray(v)) throw new FormatError(path, 'an object is expected')
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) check(x, s.map, join(path, k))
    return v
  }
  if (v === null) {
    if (s.nullable) return null
    throw new FormatError(path, 'an object is expected, not null')
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw new FormatError(path, 'an object is expected')
  const o = v as Record<string, unknown>
  const names = s.fields.map((f) => f[0])
  for (const k of Object.keys(o)) if (!names.includes(k)) throw new FormatError(join(path, k), 'unknown field')
  for (const [name, fs] of s.fields) {
    if (!(name in o)) {
      if (s.optional?.includes(name)) continue
      throw new FormatError(join(path, name), 'missing field')
    }
    check(o[name], fs, join(path, name))
  }
  return o
}

/**
 * The rules of the whole file that JSON.parse does not enforce: no object with a key twice and no
 * number with a fraction or an exponent, anywhere (docs/RECORD.md §2).
 */
function scan(text: string): void {
  const keys: (Set<string> | null)[] = []
  let expectKey = false
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // The closing quote: the next '"' not preceded by an odd number of backslashes.
      let j = text.indexOf('"', i + 1)
      let escaped = false
      for (;;) {
        let b = 0
        while (text.charCodeAt(j - 1 - b) === 0x5c) b++
        if (b > 0) escaped = true
        if (b % 2 === 0) break
        j = text.indexOf('"', j + 1)
      }
      if (j < 0) throw new FormatError('', 'unterminated string')
      if (!escaped && expectKey) escaped = text.slice(i + 1, j).includes('\\')
      if (expectKey) {
        const raw = text.slice(i, j + 1)
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1)
        const top = keys[keys.length - 1]!
        if (top.has(key)) throw new FormatError('', `the key "${key}" is repeated in an object`)
        top.add(key)
        expectKey = false
      }
      i = j + 1
    } else if (c === 0x7b) {
      keys.push(new Set())
      expectKey = true
      i++
    } else if (c === 0x5b) {
      keys.push(null)
      i++
    } else if (c === 0x7d || c === 0x5d) {
      keys.pop()
      i++
    } else if (c === 0x2c) {
      expectKey = keys.length > 0 && keys[keys.length - 1] !== null
      i++
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1
      while (j < n && '0123456789+-.eE'.includes(text[j])) j++
      const tok = text.slice(i, j)
      if (/[.eE]/.test(tok)) throw new FormatError('', `the number ${tok} is not an integer`)
      i = j
    } else i++
  }
}

interface RecordJSON {
  format: string
  version: number
  mode: string
  vote: Vote
  rules: Rules
  board: { user_id: string; full_name: string; role: string; identifier: string }[]
  figures: { total_delegates: number; ballots_issued: number; ballots_cast: number; codes_voided: number; paper: { received: number; valid: number; invalid: number } | null; ballots_received: number }
  encrypted: {
    manifest: unknown
    manifest_hash: string
    vote_fingerprint: string
    ceremony: { ceremony_id: string; council_id: string; vote_id: string; threshold: number; members: string[]; round1: unknown[]; confirmations: unknown[]; joint_key: string; transcript: string; fingerprint: string }
    credential_lists: unknown[]
    ballots: { ballot_hash: string; ballot: unknown }[]
    spoiled: string[]
    paper_totals: unknown[]
    sums: unknown
    sums_hash: string
    partial_decryptions: unknown[]
    certifications: unknown[]
  } | null
  plain: { ballots: string[]; ballots_withheld: boolean; invalid: number; certified_by: string[] } | null
  counts: number[][]
  tally: unknown
  tally_hash: string
  audit_anchor: string
  documents: { name: string; sha256: string }[]
  frontend_hash: string
}

/** Decodes a record's bytes strictly (docs/RECORD.md §2); throws a FormatError or a VersionError. */
export function decodeRecord(bytes: Uint8Array): RecordJSON {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    throw new FormatError('', 'the record is not valid UTF-8')
  }
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    throw new FormatError('', `not a JSON record: ${(e as Error).message}`)
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    if (o.format !== FORMAT || o.version !== VERSION) throw new VersionError(typeof o.format === 'string' ? o.format : '', typeof o.version === 'number' ? o.version : 0)
  }
  check(v, RECORD, '')
  scan(text)
  return v as RecordJSON
}

/** Decodes the record's tally object: unknown members refused, the omitted ones of §3.13 optional. */
export function parseTally(v: unknown): Tally {
  return check(v, TALLY, 'tally') as Tally
}

// ---- the verifier ----

const isHex = (s: string, n: number) => s.length === n && /^[0-9a-f]*$/.test(s)
const isName = (s: string) => /^[a-z0-9_]{1,64}$/.test(s)
const utf8Len = (s: string) => new TextEncoder().encode(s).length
const LETTERS: Record<string, string> = { high: 'h', medium: 'm', low: 'l', trust: 't', no_trust: 'n' }

function parseAnchor(s: string): { hash: Uint8Array; count: number } | null {
  const i = s.indexOf(':')
  if (i < 0) return null
  const h = s.slice(0, i)
  const c = s.slice(i + 1)
  if (!isHex(h, 64) || !/^[1-9][0-9]*$/.test(c)) return null
  const n = Number(c)
  if (!Number.isSafeInteger(n) || n >= 2 ** 53) return null
  return { hash: fromHex('anchor', h, 32), count: n }
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0))
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now())

class Fail extends Error {
  constructor(readonly f: Omit<Failure, 'check'>) {
    super(f.message)
  }
}

class Verifier {
  rep: Report
  l: Lang
  manifest!: Manifest
  res!: CeremonyResult
  creds = new Set<string>()
  ballots: Ballot[] = []
  paper: PaperTotals[] = []
  paperBallots = 0
  sums: Ciphertext[] = []
  valid = 0
  invalid = 0
  tallyHash = ''

  constructor(
    readonly rec: RecordJSON,
    readonly docs: Map<string, Uint8Array>,
    lang: Lang,
    readonly onProgress?: Progress,
  ) {
    this.l = lang
    this.rep = { lang, voteId: '', title: '', council: '', mode: '', checks: [], documents: [], notes: [], failure: null, elapsedMs: 0 }
  }

  t(m: Text, ...args: unknown[]) {
    return tr(this.l, m, ...args)
  }

  progress(stage: string, done: number, total: number) {
    this.onProgress?.(stage, done, total)
  }

  fail(place: Text | string, field: string, code: string, message: string, ...placeArgs: unknown[]): never {
    throw new Fail({ place: typeof place === 'string' ? place : this.t(place, ...placeArgs), field, code, message })
  }

  /** A protocol error at a place: its field is appended to base. */
  protocolFail(place: string, base: string, e: unknown): never {
    if (!(e instanceof ProtocolError)) throw e
    const w = CODE_WORDS[e.code]
    let msg = this.l === 'en' || !w ? e.detail : `${w[0]} (${e.detail})`
    if (e.field) msg = `${e.field}: ${msg}`
    const path = e.field ? (e.field.startsWith('[') ? base + e.field : join(base, e.field)) : base
    throw new Fail({ place, field: path, code: e.code, message: msg })
  }

  /** Runs f, turning a ProtocolError into a failure at place. */
  guard<R>(place: string, base: string, f: () => R): R {
    try {
      return f()
    } catch (e) {
      if (e instanceof ProtocolError) this.protocolFail(place, base, e)
      throw e
    }
  }

  async run(id: string, f: (c: Check) => void | Promise<void>) {
    const c: Check = { id, title: this.t(CHECK_TITLES[id]), items: 0, detail: '', status: 'passed', elapsedMs: 0 }
    if (this.rep.failure) {
      c.status = 'not_run'
      this.rep.checks.push(c)
      return
    }
    const start = now()
    this.progress(id, 0, 1)
    try {
      await f(c)
    } catch (e) {
      if (!(e instanceof Fail)) throw e
      c.status = 'failed'
      this.rep.failure = { check: id, ...e.f }
    }
    c.elapsedMs = now() - start
    this.rep.checks.push(c)
    await tick()
  }

  subjectName(i: number) {
    return this.rec.vote.subjects[i]?.full_name ?? '?'
  }

  memberName(id: string) {
    return this.rec.board.find((m) => m.identifier === id)?.full_name ?? id.slice(0, 16) + '…'
  }

  ballotPlace(i: number) {
    const h = this.rec.encrypted!.ballots[i]?.ballot_hash ?? ''
    return this.t(P.ballot, i + 1, isHex(h, 128) ? trackingCode(fromHex('', h, 64)) : '?')
  }

  // ---- 5.1 ----
  format(c: Check) {
    const r = this.rec
    c.items = 1
    c.detail = `${r.format} v${r.version}, ${r.mode}`
    const okMode = (r.mode === 'encrypted' && r.encrypted && !r.plain) || (r.mode === 'plain' && r.plain && !r.encrypted)
    if (!okMode) this.fail(P.record, 'mode', 'mode', this.t(T.badMode, r.mode))
    if (!isHex(r.tally_hash, 64)) this.fail(P.record, 'tally_hash', 'hex', this.t(T.tallyHashHex))
    if (!parseAnchor(r.audit_anchor)) this.fail(P.record, 'audit_anchor', 'anchor', this.t(T.badAnchor, r.audit_anchor))
    if (r.frontend_hash !== '' && !isHex(r.frontend_hash, 64)) this.fail(P.record, 'frontend_hash', 'hex', this.t(T.frontendHex))
  }

  // ---- 5.2 ----
  vote(c: Check) {
    const r = this.rec
    const v = r.vote
    c.items = v.subjects.length
    c.detail = this.t(T.voteDetail, v.subjects.length, r.rules.levels.length, v.base)
    for (const [name, val] of [['vote_id', v.vote_id], ['kind', v.kind], ['rule_set_id', v.rule_set_id]] as const) {
      const n = utf8Len(val)
      if (n < 1 || n > 128) this.fail(P.vote, `vote.${name}`, 'invalid', this.t(T.idBytes, name))
    }
    if (v.base !== BASE_TOTAL_DELEGATES && v.base !== BASE_BALLOTS_RECEIVED) this.fail(P.vote, 'vote.base', 'invalid', this.t(T.badBase, v.base))
    if (v.subjects.length < 1 || v.subjects.length > MAX_ROWS) this.fail(P.vote, 'vote.subjects', 'length', this.t(T.subjectCount, v.subjects.length, MAX_ROWS))
    const seen = new Map<string, number>()
    v.subjects.forEach((s, i) => {
      const field = `vote.subjects[${i}]`
      const n = utf8Len(s.official_id)
      if (n < 1 || n > 128) this.fail(P.subject, field + '.official_id', 'invalid', this.t(T.officialBytes), i + 1, s.full_name)
      if (seen.has(s.official_id)) this.fail(P.subject, field + '.official_id', 'duplicate', this.t(T.sameId, seen.get(s.official_id)! + 1), i + 1, s.full_name)
      seen.set(s.official_id, i)
      try {
        canonicalJSON(s.positions)
      } catch {
        this.fail(P.subject, field + '.positions', 'json', this.t(T.positionsCanonical), i + 1, s.full_name)
      }
    })
    this.rules()
    if (r.counts.length !== v.subjects.length) this.fail(P.vote, 'counts', 'length', this.t(T.countRows, r.counts.length, v.subjects.length))
    r.counts.forEach((row, i) => {
      if (row.length !== r.rules.levels.length) this.fail(P.counts, `counts[${i}]`, 'length', this.t(T.countsPerLevel, row.length, r.rules.levels.length), i + 1, this.subjectName(i))
      row.forEach((x, j) => {
        if (x < 0 || x > MAX_FIGURE) this.fail(P.counts, `counts[${i}][${j}]`, 'range', this.t(T.countRange, x), i + 1, this.subjectName(i))
      })
    })
    if (r.mode === 'plain') {
      r.rules.levels.forEach((l, j) => {
        if (!LETTERS[l]) this.fail(P.rules, `rules.levels[${j}]`, 'invalid', this.t(T.noLetter, l))
      })
      return
    }
    this.manifestCheck()
  }

  rules() {
    const ru = this.rec.rules
    const bad = (field: string, m: Text, ...a: unknown[]): never => this.fail(P.rules, 'rules.' + field, 'invalid', this.t(m, ...a))
    if (ru.levels.length < 1 || ru.levels.length > MAX_LEVELS) bad('levels', T.levelCount, ru.levels.length, MAX_LEVELS)
    ru.levels.forEach((l, i) => {
      if (!isName(l) || ru.levels.indexOf(l) !== i) bad(`levels[${i}]`, T.levelName)
    })
    if (!ru.levels.includes(ru.decisive)) bad('decisive', T.decisive, ru.decisive)
    const ids: string[] = []
    const frac = (num: number, den: number) => num >= 0 && den >= 1 && num <= den && den <= 1000
    ru.bands.forEach((b, i) => {
      if (!isName(b.band) || ids.includes(b.band)) bad(`bands[${i}].band`, T.bandName)
      if (!frac(b.num, b.den)) bad(`bands[${i}]`, T.threshold, b.num, b.den)
      ids.push(b.band)
    })
    if (!isName(ru.default_band) || ids.includes(ru.default_band)) bad('default_band', T.defaultBand)
    ids.push(ru.default_band)
    if (ru.consequences.length !== ids.length) bad('consequences', T.consequenceCount, ru.consequences.length, ids.length)
    ru.consequences.forEach((cq, i) => {
      if (!ids.includes(cq.band) || ru.consequences.findIndex((x) => x.band === cq.band) !== i) bad(`consequences[${i}].band`, T.consequenceBand, cq.band)
    })
    if (ru.no_confidence_due_band !== '' && !ids.includes(ru.no_confidence_due_band)) bad('no_confidence_due_band', T.noBand, ru.no_confidence_due_band)
    if (ru.quorum && !frac(ru.quorum.num, ru.quorum.den)) bad('quorum', T.quorum, ru.quorum.num, ru.quorum.den)
  }

  manifestCheck() {
    const e = this.rec.encrypted!
    const v = this.rec.vote
    const m = this.guard(this.t(P.manifest), 'encrypted.manifest', () => manifestFromJSON(e.manifest))
    this.manifest = m
    const bad = (field: string, t: Text, ...a: unknown[]): never => this.fail(P.manifest, 'encrypted.' + field, 'mismatch', this.t(t, ...a))
    if (m.voteId !== v.vote_id) bad('manifest.vote_id', T.manifestVote, m.voteId)
    if (m.levels !== this.rec.rules.levels.length) bad('manifest.levels', T.manifestLevels, m.levels, this.rec.rules.levels.length)
    if (m.rows !== v.subjects.length) bad('manifest.rows', T.manifestRows, m.rows, v.subjects.length)
    if (!equalBytes(m.subjectsHash, subjectsHash(v.subjects.map((s) => s.official_id)))) bad('manifest.subjects_hash', T.subjectsHash)
    if (e.manifest_hash !== toHex(manifestHash(m))) bad('manifest_hash', T.manifestHash)
    if (e.vote_fingerprint !== voteFingerprint(m)) bad('vote_fingerprint', T.voteFingerprint, e.vote_fingerprint, voteFingerprint(m))
  }

  // ---- 5.3 ----
  ceremony(c: Check) {
    const ce = this.rec.encrypted!.ceremony
    const pc = { id: ce.ceremony_id, councilId: ce.council_id, voteId: ce.vote_id, threshold: ce.threshold, members: ce.members }
    c.items = ce.members.length
    this.guard(this.t(P.ceremony), 'encrypted.ceremony', () => validateCeremony(pc))
    if (ce.council_id !== this.rec.vote.council_id) this.fail(P.ceremony, 'encrypted.ceremony.council_id', 'mismatch', this.t(T.otherCouncil))
    const msgs = ce.round1.map((raw, i) => this.guard(this.t(P.round1, i + 1), `encrypted.ceremony.round1[${i}]`, () => round1FromJSON(raw)))
    const sorted = this.guard(this.t(P.ceremony), 'encrypted.ceremony', () => verifyRound1(pc, msgs, false))
    const res = this.guard(this.t(P.ceremony), 'encrypted.ceremony', () => computeResult(pc, sorted))
    this.res = res
    const fp = fingerprint80(res.transcript)
    c.detail = this.t(T.ceremonyDetail, ce.members.length, ce.threshold, fp)
    const bad = (field: string, t: Text, ...a: unknown[]): never => this.fail(P.ceremony, 'encrypted.ceremony.' + field, 'mismatch', this.t(t, ...a))
    if (ce.joint_key !== res.groupKey.hex) bad('joint_key', T.jointKey)
    if (ce.transcript !== toHex(res.transcript)) bad('transcript', T.transcript)
    if (ce.fingerprint !== fp) bad('fingerprint', T.ceremonyFingerprint, ce.fingerprint, fp)
    if (!this.manifest.publicKey.equals(res.groupKey)) this.fail(P.manifest, 'encrypted.manifest.public_key', 'mismatch', this.t(T.voteKey))
    const confirmed = new Set<string>()
    ce.confirmations.forEach((raw, i) => {
      const place = this.t(P.confirmation, i + 1)
      const field = `encrypted.ceremony.confirmations[${i}]`
      const cf = this.guard(place, field, () => confirmationFromJSON(raw))
      this.guard(place, field, () => checkConfirmation(res, cf))
      if (confirmed.has(cf.identifier)) this.fail(P.confirmation, field + '.identifier', 'duplicate', this.t(T.confirmedTwice), i + 1)
      confirmed.add(cf.identifier)
    })
    if (confirmed.size !== res.members.length) bad('confirmations', T.notAllConfirmed, confirmed.size, res.members.length)
    const board = this.rec.board
    board.forEach((m, i) => {
      const field = `board[${i}]`
      if (!ce.members.includes(m.user_id)) this.fail(P.board, field + '.user_id', 'mismatch', this.t(T.notCeremonyMember), i + 1, m.full_name)
      let id = ''
      try {
        id = deriveIdentifier(m.user_id)
      } catch {
        /* no identifier */
      }
      if (m.identifier !== id) this.fail(P.board, field + '.identifier', 'mismatch', this.t(T.identifierDerived), i + 1, m.full_name)
      if (board.findIndex((x) => x.user_id === m.user_id) !== i) this.fail(P.board, field + '.user_id', 'duplicate', this.t(T.repeatedMember), i + 1, m.full_name)
    })
    if (board.length !== ce.members.length) this.fail(P.ceremony, 'board', 'mismatch', this.t(T.boardSize, board.length, ce.members.length))
  }

  // ---- 5.4 ----
  credentials(c: Check) {
    const e = this.rec.encrypted!
    if (e.credential_lists.length === 0) this.fail(P.record, 'encrypted.credential_lists', 'length', this.t(T.noList))
    e.credential_lists.forEach((raw, i) => {
      const place = this.t(P.credList, i + 1)
      const field = `encrypted.credential_lists[${i}]`
      const l = this.guard(place, field, () => credentialListFromJSON(raw))
      if (l.voteId !== this.rec.vote.vote_id) this.fail(P.credList, field + '.vote_id', 'mismatch', this.t(T.otherVoteList), i + 1)
      const mk = this.res.members.find((m) => m.identifier === l.identifier)
      if (!mk) this.fail(P.credList, field + '.identifier', 'mismatch', this.t(T.signerNotMember), i + 1)
      this.guard(place, field, () => verifyCredentialList(l, mk.signingKey))
      l.credentials.forEach((cr, j) => {
        const h = toHex(cr)
        if (this.creds.has(h)) this.fail(P.credList, `${field}.credentials[${j}]`, 'duplicate', this.t(T.credInTwoLists), i + 1)
        this.creds.add(h)
      })
    })
    c.items = this.creds.size
    c.detail = this.t(T.credDetail, this.creds.size, e.credential_lists.length)
  }

  // ---- 5.5 ----
  async ballotsCheck(c: Check) {
    const e = this.rec.encrypted!
    const n = e.ballots.length
    const used = new Map<string, number>()
    const alphas = new Map<string, [number, number]>()
    const bad = (i: number, field: string, code: string, t: Text, ...a: unknown[]): never =>
      this.fail(this.ballotPlace(i), `encrypted.ballots[${i}]${field}`, code, this.t(t, ...a))
    // First every structural check in ballot order, then the proofs of the ballots before the first
    // structural failure: the first failure in ballot order, as the Go verifier reports it.
    let structural: Fail | null = null
    let upTo = n
    for (let i = 0; i < n && !structural; i++) {
      try {
        const cb = e.ballots[i]
        if (!isHex(cb.ballot_hash, 128)) bad(i, '.ballot_hash', 'hex', T.trackingHex)
        if (i > 0 && cb.ballot_hash === e.ballots[i - 1].ballot_hash) bad(i, '.ballot_hash', 'duplicate', T.sameTracking, i)
        if (i > 0 && cb.ballot_hash < e.ballots[i - 1].ballot_hash) bad(i, '.ballot_hash', 'order', T.notSorted)
        const b = this.guard(this.ballotPlace(i), `encrypted.ballots[${i}].ballot`, () => ballotFromJSON(cb.ballot))
        this.ballots.push(b)
        if (cb.ballot_hash !== toHex(ballotHash(b))) bad(i, '.ballot_hash', 'mismatch', T.altered)
        const cred = toHex(b.credential)
        if (!this.creds.has(cred)) bad(i, '.ballot.credential', 'credential', T.credNotListed)
        if (used.has(cred)) bad(i, '.ballot.credential', 'duplicate', T.sameCredential, used.get(cred)! + 1)
        used.set(cred, i)
        b.rows.forEach((r, ri) => {
          const prev = alphas.get(r.alpha.hex)
          if (prev && prev[0] !== i) bad(i, `.ballot.rows[${ri}].alpha`, 'duplicate', T.replayed, prev[0] + 1, prev[1])
          alphas.set(r.alpha.hex, [i, ri])
        })
      } catch (err) {
        if (!(err instanceof Fail)) throw err
        structural = err
        upTo = i
      }
      if (i % 50 === 49) {
        this.progress('ballots', Math.floor((i + 1) / 4), n)
        await tick()
      }
    }
    // Batches of BATCH ballots (one multi-scalar multiplication each); a failing batch is rechecked
    // ballot by ballot, so the failure names the first bad ballot.
    for (let lo = 0; lo < upTo; lo += BATCH) {
      const hi = Math.min(lo + BATCH, upTo)
      try {
        verifyBallots(this.manifest, this.ballots.slice(lo, hi))
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err
        for (let i = lo; i < hi; i++) {
          try {
            verifyBallots(this.manifest, [this.ballots[i]])
          } catch (one) {
            if (!(one instanceof ProtocolError)) throw one
            this.protocolFail(this.ballotPlace(i), `encrypted.ballots[${i}].ballot`, new ProtocolError(one.field, one.code, one.detail))
          }
        }
        throw err
      }
      this.progress('ballots', Math.floor(upTo / 4 + ((hi) * 3) / 4), n)
      await tick()
    }
    if (structural) throw structural
    c.items = n
    c.detail = this.t(T.ballotsDetail, n, this.manifest.rows)
  }

  // ---- 5.6 ----
  figures(c: Check) {
    const f = this.rec.figures
    c.items = 6
    const bad = (field: string, code: string, t: Text, ...a: unknown[]): never => this.fail(P.figures, 'figures.' + field, code, this.t(t, ...a))
    for (const [name, val] of [['total_delegates', f.total_delegates], ['ballots_issued', f.ballots_issued], ['ballots_cast', f.ballots_cast],
      ['codes_voided', f.codes_voided], ['ballots_received', f.ballots_received]] as const) {
      if (val < 0 || val > MAX_FIGURE) bad(name, 'range', T.figureRange, name, val)
    }
    let paperReceived = 0
    if (f.paper) {
      const p = f.paper
      if (p.received < 0 || p.valid < 0 || p.invalid < 0 || p.received > MAX_FIGURE) bad('paper', 'range', T.paperRange)
      if (p.valid + p.invalid !== p.received) bad('paper', 'arithmetic', T.paperSum, p.valid, p.invalid, p.received)
      paperReceived = p.received
    }
    if (f.ballots_received !== f.ballots_cast + paperReceived) bad('ballots_received', 'arithmetic', T.receivedSum, f.ballots_received, f.ballots_cast, paperReceived)
    if (f.ballots_received > f.ballots_issued) bad('ballots_received', 'arithmetic', T.receivedIssued, f.ballots_received, f.ballots_issued)
    if (f.ballots_issued > f.total_delegates) bad('ballots_issued', 'arithmetic', T.issuedT, f.ballots_issued, f.total_delegates)
    if (this.rec.mode === 'plain') {
      const p = this.rec.plain!
      if (p.ballots_withheld) {
        if (!f.paper || p.ballots.length !== 0) this.fail(P.figures, 'plain.ballots_withheld', 'invalid', this.t(T.withheldInvalid))
        if (p.invalid !== f.paper!.invalid) bad('paper.invalid', 'arithmetic', T.paperInvalid, f.paper!.invalid, p.invalid)
        this.valid = f.ballots_cast + f.paper!.valid
        this.invalid = p.invalid
        c.detail = this.t(T.plainFiguresDetail, f.ballots_issued, f.total_delegates, f.ballots_received)
        return
      }
      if (p.invalid < 0 || p.ballots.length + p.invalid !== f.ballots_received) bad('ballots_received', 'arithmetic', T.plainReceived, p.ballots.length, p.invalid, f.ballots_received)
      if (!f.paper && p.invalid !== 0) bad('paper', 'arithmetic', T.invalidNoPaper, p.invalid)
      if (f.paper && p.invalid !== f.paper.invalid) bad('paper.invalid', 'arithmetic', T.paperInvalid, f.paper.invalid, p.invalid)
      this.valid = p.ballots.length
      this.invalid = p.invalid
      c.detail = this.t(T.plainFiguresDetail, f.ballots_issued, f.total_delegates, f.ballots_received)
      return
    }
    const e = this.rec.encrypted!
    if (f.ballots_cast !== e.ballots.length) bad('ballots_cast', 'count', T.castCount, f.ballots_cast, e.ballots.length)
    if (e.ballots.length > this.creds.size) bad('ballots_cast', 'count', T.moreThanCreds, e.ballots.length, this.creds.size)
    const cast = new Set(e.ballots.map((b) => b.ballot_hash))
    e.spoiled.forEach((s, i) => {
      const field = `encrypted.spoiled[${i}]`
      if (!isHex(s, 128)) this.fail(P.spoiled, field, 'hex', this.t(T.spoiledHex), i + 1)
      if (i > 0 && s <= e.spoiled[i - 1]) this.fail(P.spoiled, field, 'order', this.t(T.spoiledOrder), i + 1)
      if (cast.has(s)) this.fail(P.spoiled, field, 'mismatch', this.t(T.spoiledCast), i + 1)
    })
    this.valid = f.ballots_cast + (f.paper?.valid ?? 0)
    this.invalid = f.paper?.invalid ?? 0
    c.detail = this.t(T.figuresDetail, e.ballots.length, this.creds.size, f.ballots_received, f.ballots_issued, f.total_delegates, e.spoiled.length)
  }

  // ---- 5.7 ----
  paperCheck(c: Check) {
    const e = this.rec.encrypted!
    const seen = new Set<string>()
    e.paper_totals.forEach((raw, i) => {
      const place = this.t(P.paper, i + 1)
      const field = `encrypted.paper_totals[${i}]`
      const pt = this.guard(place, field, () => paperTotalsFromJSON(raw))
      this.guard(place, field, () => checkPaperTotals(this.res, this.manifest, pt))
      if (seen.has(pt.identifier)) this.fail(P.paper, field + '.identifier', 'duplicate', this.t(T.paperTwice), i + 1)
      seen.add(pt.identifier)
      this.paper.push(pt)
      this.paperBallots += pt.ballots
    })
    const valid = this.rec.figures.paper?.valid ?? 0
    if (this.paperBallots !== valid) this.fail(P.figures, 'figures.paper.valid', 'mismatch', this.t(T.paperValid, valid, this.paperBallots))
    c.items = e.paper_totals.length
    c.detail = this.t(T.paperDetail, e.paper_totals.length, this.paperBallots)
  }

  // ---- 5.8 ----
  async sumsCheck(c: Check) {
    const e = this.rec.encrypted!
    const n = this.manifest.rows
    c.items = n
    const recorded = this.guard(this.t(P.sums), 'encrypted.sums', () => sumsFromJSON(e.sums))
    if (recorded.length !== n) this.fail(P.sums, 'encrypted.sums', 'length', this.t(T.sumCount, recorded.length, n))
    const sums = this.guard(this.t(P.sums), 'encrypted', () => sum(n, this.ballots.map(ciphertexts), this.paper.map(paperCiphertexts)))
    sums.forEach((s, i) => {
      if (!s.a.equals(recorded[i].a) || !s.b.equals(recorded[i].b))
        this.fail(P.sumRow, `encrypted.sums[${i}]`, 'mismatch', this.t(T.sumMismatch, this.ballots.length, this.paper.length), i + 1, this.subjectName(i))
    })
    this.sums = recorded
    if (e.sums_hash !== toHex(sumsHash(this.rec.vote.vote_id, recorded))) this.fail(P.sums, 'encrypted.sums_hash', 'mismatch', this.t(T.sumsHash))
    c.detail = this.t(T.sumsDetail, n)
  }

  // ---- 5.9 ----
  decryption(c: Check) {
    const e = this.rec.encrypted!
    const ps: PartialDecryption[] = e.partial_decryptions.map((raw, i) => this.guard(this.t(P.partial, i + 1, '?'), `encrypted.partial_decryptions[${i}]`, () => partialFromJSON(raw)))
    try {
      verifyPartials(this.res, this.rec.vote.vote_id, this.sums, ps)
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err
      const i = Math.max(0, err.index)
      const name = i < ps.length ? this.memberName(ps[i].identifier) : '?'
      this.protocolFail(this.t(P.partial, i + 1, name), `encrypted.partial_decryptions[${i}]`, new ProtocolError(err.field, err.code, err.detail))
    }
    const t = this.res.ceremony.threshold
    if (ps.length < t) this.fail(P.record, 'encrypted.partial_decryptions', 'threshold', this.t(T.partialsThreshold, ps.length, t))
    const vs = this.guard(this.t(P.record), 'encrypted.partial_decryptions', () => combine(this.res, this.sums, ps))
    const total = this.rec.figures.ballots_cast + this.paperBallots
    if (total >= this.manifest.radix) this.fail(P.manifest, 'encrypted.manifest.radix', 'range', this.t(T.radix, this.manifest.radix, total))
    this.rec.counts.forEach((row, i) => {
      try {
        checkCounts(this.manifest.levels, this.manifest.radix, total, vs.slice(i, i + 1), [row])
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err
        const place = this.t(P.counts, i + 1, this.subjectName(i))
        if (err.code === 'mismatch') this.fail(place, `counts[${i}]`, 'mismatch', this.t(T.countsNotDecryption, `[${row.join(' ')}]`))
        this.protocolFail(place, `counts[${i}]`, new ProtocolError('', err.code, err.detail))
      }
    })
    c.items = ps.length
    c.detail = this.t(T.decryptionDetail, ps.length, t, this.rec.counts.length)
  }

  // ---- 5.10 ----
  recount(c: Check) {
    const p = this.rec.plain!
    if (p.ballots_withheld) {
      c.detail = this.t(T.withheldDetail)
      return
    }
    const ru = this.rec.rules
    const n = this.rec.vote.subjects.length
    const index = new Map<string, number>([['0', -1], ['x', -1]])
    ru.levels.forEach((l, j) => index.set(LETTERS[l], j))
    const counts = Array.from({ length: n }, () => ru.levels.map(() => 0))
    p.ballots.forEach((marks, k) => {
      const field = `plain.ballots[${k}]`
      if (marks.length !== n) this.fail(P.plainBallot, field, 'length', this.t(T.marksLength, marks.length, n), k + 1)
      if (k > 0 && marks < p.ballots[k - 1]) this.fail(P.plainBallot, field, 'order', this.t(T.plainOrder), k + 1)
      for (let i = 0; i < n; i++) {
        const j = index.get(marks[i])
        if (j === undefined) this.fail(P.plainBallot, field, 'invalid', this.t(T.badMark, marks[i], i + 1), k + 1)
        if (j >= 0) counts[i][j]++
      }
    })
    counts.forEach((row, i) =>
      row.forEach((x, j) => {
        if (x !== this.rec.counts[i][j]) this.fail(P.counts, `counts[${i}][${j}]`, 'mismatch', this.t(T.recountMismatch, ru.levels[j], this.rec.counts[i][j], x), i + 1, this.subjectName(i))
      }),
    )
    c.items = p.ballots.length
    c.detail = this.t(T.recountDetail, p.ballots.length, n)
  }

  // ---- 5.11 ----
  tally(c: Check) {
    const r = this.rec
    c.items = r.vote.subjects.length
    r.counts.forEach((row, i) => {
      const s = row.reduce((a, b) => a + b, 0)
      if (s > this.valid) this.fail(P.counts, `counts[${i}]`, 'arithmetic', this.t(T.rowOverValid, s, this.valid), i + 1, this.subjectName(i))
    })
    let built: Tally
    try {
      built = buildTally(r.vote, r.rules, { totalDelegates: r.figures.total_delegates, ballotsIssued: r.figures.ballots_issued, valid: this.valid, invalid: this.invalid }, r.counts)
    } catch (err) {
      this.fail(P.tally, 'counts', 'invalid', (err as Error).message)
    }
    const hash = hashTally(built)
    this.tallyHash = hash
    let recorded: Tally
    try {
      recorded = parseTally(r.tally)
    } catch (err) {
      this.fail(P.tally, 'tally', 'json', this.t(T.tallyMalformed, (err as Error).message))
    }
    const d = compareTally(recorded, built)
    if (d) this.fail(P.tally, 'tally.' + d.field, 'mismatch', this.t(T.tallyDiff, 'tally.' + d.field, quoteIfText(d.recorded), quoteIfText(d.computed)))
    if (hashTally(recorded) !== hash) this.fail(P.tally, 'tally', 'mismatch', this.t(T.canonicalDiffers))
    if (r.tally_hash !== hash) this.fail(P.tally, 'tally_hash', 'mismatch', this.t(T.tallyHash, r.tally_hash.slice(0, 16), hash.slice(0, 16)))
    if (recorded.tally_hash !== undefined && recorded.tally_hash !== '' && recorded.tally_hash !== hash)
      this.fail(P.tally, 'tally.tally_hash', 'mismatch', this.t(T.tallyTallyHash, recorded.tally_hash.slice(0, 16), hash.slice(0, 16)))
    const due = r.rules.no_confidence_due_band
    const listed = new Set(recorded.no_confidence_due ?? [])
    recorded.subjects.forEach((s, i) => {
      const flags = s.flags ?? []
      const should = due !== '' && s.band === due && !flags.includes(FLAG_RESIGNED)
      if (flags.includes(FLAG_NO_CONFIDENCE_DUE) !== should || listed.has(s.official_id) !== should)
        this.fail(P.subject, `tally.subjects[${i}].flags`, 'mismatch', this.t(T.annotation, s.band), i + 1, s.full_name)
    })
    c.detail = this.t(T.tallyDetail, built.subjects.length, hash.slice(0, 16))
  }

  // ---- 5.12 ----
  certifications(c: Check) {
    const e = this.rec.encrypted!
    const anchor = parseAnchor(this.rec.audit_anchor)!
    const th = fromHex('tally_hash', this.tallyHash, 32)
    const seen = new Set<string>()
    e.certifications.forEach((raw, i) => {
      const field = `encrypted.certifications[${i}]`
      const cert = this.guard(this.t(P.certification, i + 1, '?'), field, () => certificationFromJSON(raw))
      const name = this.memberName(cert.identifier)
      const bad = (f: string, t: Text, ...a: unknown[]): never => this.fail(P.certification, `${field}.${f}`, 'mismatch', this.t(t, ...a), i + 1, name)
      if (cert.voteId !== this.rec.vote.vote_id) bad('vote_id', T.certOtherVote)
      if (cert.ceremonyId !== this.res.ceremony.id) bad('ceremony_id', T.certOtherCeremony)
      const mk = this.res.members.find((m) => m.identifier === cert.identifier)
      if (!mk) return bad('identifier', T.signerNotMember)
      if (seen.has(cert.identifier)) this.fail(P.certification, field + '.identifier', 'duplicate', this.t(T.certifiedTwice), i + 1, name)
      seen.add(cert.identifier)
      this.guard(this.t(P.certification, i + 1, name), field, () => verifyCertification(cert, mk.signingKey))
      if (!equalBytes(cert.tallyHash, th)) bad('tally_hash', T.certOtherTally, toHex(cert.tallyHash.slice(0, 8)), this.tallyHash.slice(0, 16))
      if (cert.base !== this.rec.vote.base) bad('base', T.certBase, cert.base, this.rec.vote.base)
      if (!equalBytes(cert.auditAnchor, anchor.hash) || cert.auditCount !== anchor.count) bad('audit_anchor', T.certAnchor, toHex(cert.auditAnchor.slice(0, 8)), cert.auditCount)
    })
    const board = this.rec.board.length
    if (2 * seen.size <= board) this.fail(P.record, 'encrypted.certifications', 'count', this.t(T.majority, seen.size, board))
    c.items = seen.size
    c.detail = this.t(T.certDetail, seen.size, board)
  }

  plainCertifications(c: Check) {
    const p = this.rec.plain!
    p.certified_by.forEach((u, i) => {
      const field = `plain.certified_by[${i}]`
      if (!this.rec.board.some((m) => m.user_id === u)) this.fail(P.record, field, 'mismatch', this.t(T.notBoard, u))
      if (p.certified_by.indexOf(u) !== i) this.fail(P.record, field, 'duplicate', this.t(T.repeats, u))
    })
    if (2 * p.certified_by.length <= this.rec.board.length) this.fail(P.record, 'plain.certified_by', 'count', this.t(T.majority, p.certified_by.length, this.rec.board.length))
    c.items = p.certified_by.length
    c.detail = this.t(T.plainCertDetail, p.certified_by.length, this.rec.board.length)
  }

  // ---- 5.13 ----
  documents(c: Check) {
    const docs = this.rec.documents
    let matched = 0
    let notGiven = 0
    let first: Fail | null = null
    docs.forEach((d, i) => {
      const field = `documents[${i}]`
      if (d.name === '' || docs.findIndex((x) => x.name === d.name) !== i) this.fail(P.document, field + '.name', 'duplicate', this.t(T.docName), d.name)
      if (!isHex(d.sha256, 64)) this.fail(P.document, field + '.sha256', 'hex', this.t(T.docHex), d.name)
      const res: DocumentResult = { name: d.name, sha256: d.sha256, status: 'not_checked' }
      const data = this.docs.get(d.name)
      if (data) {
        const h = toHex(sha256(data))
        if (h === d.sha256) {
          res.status = 'passed'
          matched++
        } else {
          res.status = 'failed'
          first ??= new Fail({ place: this.t(P.document, d.name), field: field + '.sha256', code: 'mismatch', message: this.t(T.docMismatch, h.slice(0, 16), d.sha256.slice(0, 16)) })
        }
      } else notGiven++
      this.rep.documents.push(res)
    })
    for (const name of [...this.docs.keys()].sort()) {
      if (!docs.some((d) => d.name === name))
        first ??= new Fail({ place: this.t(P.document, name), field: 'documents', code: 'unknown', message: this.t(T.docUnknown, name, docs.map((d) => d.name).join(', ')) })
    }
    c.items = matched
    c.detail = this.t(T.docsDetail, matched, notGiven, docs.length)
    if (first) throw first
    if (matched === 0) c.status = 'not_checked'
  }

  notes() {
    const r = this.rec
    const add = (t: Text, ...a: unknown[]) => this.rep.notes.push(this.t(t, ...a))
    if (r.mode === 'plain') add(T.notePlain)
    if (r.figures.paper && r.mode === 'encrypted') add(T.notePaper)
    if (r.audit_anchor) add(T.noteAnchor, r.audit_anchor)
    if (r.frontend_hash) add(T.noteFrontend, r.frontend_hash)
    if (r.encrypted && r.encrypted.vote_fingerprint) add(T.noteFingerprints, r.encrypted.vote_fingerprint, r.encrypted.ceremony.fingerprint)
  }
}

/** Ballots per batch equation in the browser (noble's MSM is Pippenger: larger batches are cheaper a point). */
const BATCH = 8

function quoteIfText(s: string): string {
  return /^-?[0-9]+(\.[0-9]+)?$/.test(s) ? s : JSON.stringify(s)
}

/**
 * Verifies a record's bytes (docs/RECORD.md §5) with the published documents given by name, in
 * Vietnamese ('vi') or English ('en'), telling onProgress how far each check is. Never throws for a
 * bad record: the report says what failed and where.
 */
export async function verifyRecord(bytes: Uint8Array, lang: Lang = 'vi', onProgress?: Progress, documents: Map<string, Uint8Array> = new Map()): Promise<Report> {
  const start = now()
  let rec: RecordJSON
  try {
    rec = decodeRecord(bytes)
  } catch (e) {
    const v = new Verifier({} as RecordJSON, documents, lang, onProgress)
    await v.run('format', () => {
      if (e instanceof VersionError) {
        if (e.format !== FORMAT) v.fail(P.record, 'format', 'version', v.t(T.notRecord, FORMAT, e.format))
        v.fail(P.record, 'version', 'version', v.t(T.badVersion, e.version, FORMAT, VERSION))
      }
      if (e instanceof FormatError) v.fail(P.record, e.field, 'json', v.t(T.malformed, e.message))
      throw e
    })
    v.rep.elapsedMs = now() - start
    return v.rep
  }
  const decoded = now() - start
  const v = new Verifier(rec, documents, lang, onProgress)
  v.rep.voteId = rec.vote.vote_id
  v.rep.title = rec.vote.title
  v.rep.mode = rec.mode
  v.rep.council = [rec.vote.council_name, rec.vote.session, rec.vote.vote_date].filter((s) => s).join(', ')
  await v.run('format', (c) => v.format(c))
  v.rep.checks[0].elapsedMs += decoded // the decoding is part of the first check's time
  await v.run('vote', (c) => v.vote(c))
  if (rec.mode === 'plain') {
    await v.run('figures', (c) => v.figures(c))
    await v.run('recount', (c) => v.recount(c))
    await v.run('tally', (c) => v.tally(c))
    await v.run('certifications', (c) => v.plainCertifications(c))
  } else {
    await v.run('ceremony', (c) => v.ceremony(c))
    await v.run('credentials', (c) => v.credentials(c))
    await v.run('ballots', (c) => v.ballotsCheck(c))
    await v.run('figures', (c) => v.figures(c))
    if (rec.encrypted && (rec.encrypted.paper_totals.length > 0 || rec.figures.paper)) await v.run('paper', (c) => v.paperCheck(c))
    await v.run('sums', (c) => v.sumsCheck(c))
    await v.run('decryption', (c) => v.decryption(c))
    await v.run('tally', (c) => v.tally(c))
    await v.run('certifications', (c) => v.certifications(c))
  }
  await v.run('documents', (c) => v.documents(c))
  if (rec.format === FORMAT) v.notes()
  v.rep.elapsedMs = now() - start
  return v.rep
}

const STATUS: Record<Status, Text> = {
  passed: ['ĐẠT', 'PASS'],
  failed: ['LỖI', 'FAIL'],
  not_run: ['—', '—'],
  not_checked: ['CHƯA', 'N/A'],
}

function seconds(l: Lang, ms: number): string {
  const s = `${Math.floor(ms / 1000)}.${String(Math.floor((ms % 1000) / 10)).padStart(2, '0')} s`
  return l === 'vi' ? s.replace('.', ',') : s
}

/** The report as text, as the command prints it. */
export function reportText(r: Report): string {
  const l = r.lang
  const t = (m: Text, ...a: unknown[]) => tr(l, m, ...a)
  let out = t(T.heading) + '\n'
  if (r.title || r.voteId) out += '  ' + t(T.voteLine, `${r.title} (${r.voteId})`.trim()) + '\n'
  if (r.council) out += '  ' + t(T.councilLine, r.council) + '\n'
  if (r.mode) out += '  ' + t(T.modeLine, FORMAT, VERSION, t(r.mode === 'plain' ? T.modePlain : T.modeEnc)) + '\n'
  out += '\n'
  const width = Math.max(0, ...r.checks.map((c) => [...c.title].length))
  for (const c of r.checks) {
    let line = `  [${t(STATUS[c.status]).padEnd(4)}] ${c.title}${' '.repeat(width - [...c.title].length)}`
    if (c.status === 'not_run') line += '  ' + t(T.notRunAfter)
    else {
      if (c.detail) line += '  ' + c.detail
      if (c.status === 'passed' || c.status === 'failed') line += `  (${seconds(l, c.elapsedMs)})`
    }
    out += line.trimEnd() + '\n'
  }
  if (r.documents.length) {
    out += '\n'
    for (const d of r.documents) {
      const st = d.status === 'passed' ? t(T.docMatch) : d.status === 'failed' ? t(T.docNoMatch) : t(T.docNotGiven, d.name)
      out += `  [${t(STATUS[d.status]).padEnd(4)}] ${d.name}  ${d.sha256.slice(0, 16)}…  ${st}\n`
    }
  }
  if (r.notes.length) out += '\n' + t(T.notes) + '\n' + r.notes.map((n) => '  - ' + n + '\n').join('')
  out += '\n'
  if (r.failure) {
    const title = CHECK_TITLES[r.failure.check] ? t(CHECK_TITLES[r.failure.check]) : r.failure.check
    out += t(T.firstFailure, title, r.failure.place) + '\n  ' + r.failure.message + '\n'
    if (r.failure.field) out += '  ' + t(T.jsonPath, r.failure.field) + '\n'
    return out + '\n' + t(T.resultFail, seconds(l, r.elapsedMs)) + '\n'
  }
  out += t(T.resultOK, r.checks.filter((c) => c.status === 'passed').length, seconds(l, r.elapsedMs))
  const notChecked = r.documents.filter((d) => d.status === 'not_checked').length
  if (notChecked) out += ' ' + t(T.docsNotChecked, notChecked)
  if (r.mode === 'plain') out += ' ' + t(T.plainResult)
  return out + '\n'
}
