// The one API client. Errors arrive in the server's envelope and are raised as ApiError with the
// server's message (already in the user's language) and its per-field messages.

import { lang } from './i18n'

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: Record<string, string> = {},
    public requestId = '',
  ) {
    super(message)
  }
}

export interface User { id: string; username: string; full_name: string; role: string; council_id?: string; active: boolean }
export interface Council { id: string; name: string; body: string; level: string; place: string; khoa: string; term_start_year: number; term_end_year: number }
export interface Delegate { id: string; full_name: string; code: string; active: boolean; took_office_on?: string | null; left_office_on?: string | null }
export interface Position { category: string; title: string; elected_on: string }
export interface Official { id: string; full_name: string; positions: Position[]; retirement_announced: boolean; illness_leave_since?: string | null; active: boolean }
export interface Turnout { status: string; total_delegates: number; ballots_issued: number; ballots_cast: number; codes_generated: number; codes_voided: number }
export interface Subject { official_id: string; full_name: string; positions: Position[]; ballot_group: number; resigned_on?: string }
export interface Member { user_id: string; full_name: string; username: string; board_role: string; certified: boolean }
export interface Vote {
  id: string; council_id: string; kind: string; title: string; session_name: string; session_opens_on: string; vote_date: string
  rule_set: string; percentage_base: string; status: string; subjects: Subject[]
  exclusions: { official_id: string; full_name: string; reason: string }[]
  warnings: { code: string; message: string }[]; ballot_groups: string[]; board: Member[]; turnout: Turnout
  tally_hash?: string; resolution_number?: string; adopted_on?: string; resolution_fingerprint?: string
}
export interface SubjectResult {
  official_id: string; full_name: string; positions: Position[]; counts: Record<string, number>; rated: number; blank: number
  percentages: Record<string, string>; band: string; consequence: string; flags: string[]
}
export interface Tally {
  rule_set: string; kind: string; percentage_base: string; base_value: number; total_delegates: number; ballots_issued: number
  ballots_received: number; valid_ballots: number; invalid_ballots: number; subjects: SubjectResult[]; no_confidence_due: string[]
  tally_hash: string; quorum?: { present: number; convened: number; met: boolean }
}
export interface Ballot {
  vote_id: string; council: string; kind: string; title: string; session_name: string; levels: string[]; ballot_groups: string[]
  subjects: { official_id: string; full_name: string; positions: Position[]; ballot_group: number }[]
}
export interface PublicResult extends Tally {
  vote: { id: string; council: string; title: string; session_name: string; vote_date: string; kind: string; resolution_number: string; adopted_on?: string; resolution_fingerprint: string }
  receipts: string[]
}

let token = ''
/** Staff sessions live in sessionStorage (gone with the tab); the kiosk never stores anything. */
export function setToken(t: string, remember = true) {
  token = t
  if (remember) {
    if (t) sessionStorage.setItem('tn.token', t)
    else sessionStorage.removeItem('tn.token')
  }
}
export function getToken(): string {
  if (!token) token = sessionStorage.getItem('tn.token') ?? ''
  return token
}

export interface RequestOptions { method?: string; body?: unknown; csv?: string; raw?: boolean; signal?: AbortSignal; anonymous?: boolean }

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': lang() }
  let body: BodyInit | undefined
  if (opts.csv !== undefined) {
    headers['Content-Type'] = 'text/csv; charset=utf-8'
    body = opts.csv
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  const t = opts.anonymous ? '' : getToken()
  if (t) headers['Authorization'] = 'Bearer ' + t
  const res = await fetch(path, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body, signal: opts.signal })
  if (!res.ok) throw await toError(res)
  if (opts.raw) return (await res.blob()) as T
  return (await res.json()) as T
}

export async function toError(res: Response): Promise<ApiError> {
  try {
    const env = await res.json()
    if (env && env.error) return new ApiError(res.status, env.error.code, env.error.message, env.error.fields ?? {}, env.request_id ?? '')
  } catch {
    /* not the envelope */
  }
  return new ApiError(res.status, 'http_' + res.status, res.statusText)
}

/** Downloads a file the API serves (with the login), under the given name. */
export async function download(path: string, filename: string, opts: RequestOptions = {}) {
  const blob = await request<Blob>(path, { ...opts, raw: true })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
