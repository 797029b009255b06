// The one API client: openapi-fetch over the types generated from internal/web/openapi.yaml
// (`npm run gen:api`, run by every build), so a field renamed on the server breaks the build.
// One middleware adds the login and the language; errors arrive in the server's envelope and are
// raised as ApiError with the server's message (already in the user's language). A 401 asks the
// person to log in again (see session.ts) and then sends the very same request once more, so an
// unsaved form survives an expired session.

import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema'
import { lang } from '../i18n'

export type Schemas = components['schemas']
export type User = Schemas['User']
export type Council = Schemas['Council']
export type Delegate = Schemas['Delegate']
export type Official = Schemas['Official']
export type Position = Official['positions'][number]
export type Vote = Schemas['Vote']
export type VoteInput = Schemas['VoteInput']
export type Step = Vote['steps'][number]
export type Member = Vote['board'][number]
export type Turnout = Schemas['Turnout']
export type Tally = Schemas['Tally']
export type SubjectResult = Tally['subjects'][number]
export type Ballot = Schemas['Ballot']
export type PublicResult = Schemas['PublicResult']
export type PublicVote = Schemas['PublicVote']
export type RuleSet = Schemas['RuleSet']
export type RoleTable = Schemas['RoleTable']
export type Display = Schemas['Display']
export type DisplayVote = NonNullable<Display['vote']>
export type DisplayLink = Schemas['DisplayLink']
export type Device = Schemas['Device']
export type Security = Schemas['Security']
export type AuditEvent = Schemas['AuditEvent']
export type DocumentSettings = Schemas['DocumentSettings']
export type LoginResponse = Schemas['LoginResponse']
export type Status = Vote['status']
export type Level = Ballot['levels'][number]

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

// The session's token lives in sessionStorage (gone with the tab); the kiosk and the projector never
// store anything.
let token = ''
let expiresAt = ''
export function setSession(t: string, expires = '') {
  token = t
  expiresAt = expires
  if (t) {
    sessionStorage.setItem('tn.token', t)
    sessionStorage.setItem('tn.expires', expires)
  } else {
    sessionStorage.removeItem('tn.token')
    sessionStorage.removeItem('tn.expires')
  }
}
export function getToken(): string {
  if (!token) token = sessionStorage.getItem('tn.token') ?? ''
  return token
}
/** When the login token expires (RFC 3339), or '' when unknown. */
export function getExpiry(): string {
  if (!expiresAt) expiresAt = sessionStorage.getItem('tn.expires') ?? ''
  return expiresAt
}

type Relogin = () => Promise<boolean>
let relogin: Relogin | null = null
/** Sets what a 401 does: ask for the login again; true when the same person is back. */
export function onUnauthorized(f: Relogin | null) {
  relogin = f
}

// Requests that may be sent again after a new login: a copy taken before the first send.
const copies = new Map<string, Request>()
const noRetry = ['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/me']

const middleware: Middleware = {
  onRequest({ request, id, schemaPath }) {
    request.headers.set('Accept-Language', lang())
    const tk = getToken()
    if (tk && !request.headers.has('Authorization') && !request.headers.has('X-Display-Token') && !request.headers.has('X-Kiosk-Token'))
      request.headers.set('Authorization', 'Bearer ' + tk)
    if (request.headers.has('Authorization') && !noRetry.includes(schemaPath)) copies.set(id, request.clone())
    return request
  },
  async onResponse({ response, id }) {
    const copy = copies.get(id)
    copies.delete(id)
    if (response.status !== 401 || !copy || !relogin) return response
    if (!(await relogin())) return response
    copy.headers.set('Authorization', 'Bearer ' + getToken())
    return globalThis.fetch(copy)
  },
  onError({ id }) {
    copies.delete(id)
  },
}

/** The typed client. Use it through `unwrap`. */
export const api = createClient<paths>({
  baseUrl: typeof location !== 'undefined' && location.origin !== 'null' ? location.origin : 'http://localhost',
  fetch: (r) => globalThis.fetch(r),
})
api.use(middleware)

interface Answer<T> {
  data?: T
  error?: unknown
  response: Response
}

/** The answer's data, or the server's error as an ApiError. */
export async function unwrap<T>(p: Promise<Answer<T>>): Promise<T> {
  const r = await p
  if (r.response.ok) return r.data as T
  throw fromEnvelope(r.response, r.error)
}

function fromEnvelope(res: Response, body: unknown): ApiError {
  const env = body as Partial<Schemas['Error']> | undefined
  if (env && typeof env === 'object' && env.error)
    return new ApiError(res.status, env.error.code, env.error.message, env.error.fields ?? {}, env.request_id ?? '')
  return new ApiError(res.status, 'http_' + res.status, res.statusText)
}

/** Reads an error answer of a plain fetch (the kiosk's casting path). */
export async function toError(res: Response): Promise<ApiError> {
  let body: unknown = undefined
  try {
    body = await res.json()
  } catch {
    /* not the envelope */
  }
  return fromEnvelope(res, body)
}

/** A random key for one submission of a form (Idempotency-Key). */
export function newKey(): string {
  const b = new Uint8Array(16)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

/** Saves a file the API served (a blob) under the given name. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Opens a PDF the API served in a new tab, for reading or printing (a download where blocked). */
export function openBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const w = window.open(url, '_blank')
  if (!w) saveBlob(blob, filename)
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
