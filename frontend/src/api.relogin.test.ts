import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, onUnauthorized, setSession, unwrap } from './api'

// A 401 asks for the login again; the same request is then sent once more with the new token.
describe('an expired session', () => {
  afterEach(() => { vi.unstubAllGlobals(); onUnauthorized(null); setSession('') })

  it('resends the very same request after the new login', async () => {
    setSession('old-token', '')
    const seen: { auth: string | null; body: string; key: string | null }[] = []
    vi.stubGlobal('fetch', async (r: Request) => {
      seen.push({ auth: r.headers.get('Authorization'), body: await r.text(), key: r.headers.get('Idempotency-Key') })
      if (seen.length === 1) return new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'x', fields: {} }, request_id: 'r' }), { status: 401, headers: { 'Content-Type': 'application/json' } })
      return new Response(JSON.stringify({ id: 'v1' }), { status: 201, headers: { 'Content-Type': 'application/json' } })
    })
    onUnauthorized(async () => { setSession('new-token', ''); return true })
    const body = { kind: 'confidence' as const, title: 'T', session_name: 'S', session_opens_on: '2028-12-01', vote_date: '2028-12-05', rule_set: 'NQ96_2023' as const, official_ids: ['o1'] }
    const v = await unwrap(api.POST('/api/v1/councils/{id}/votes', { params: { path: { id: 'c1' }, header: { 'Idempotency-Key': 'key-12345678' } }, body }))
    expect(v.id).toBe('v1')
    expect(seen.map((s) => s.auth)).toEqual(['Bearer old-token', 'Bearer new-token'])
    expect(seen[0].body).toBe(seen[1].body)
    expect(seen.map((s) => s.key)).toEqual(['key-12345678', 'key-12345678'])
  })

  it('gives the error back when the person does not log in again', async () => {
    setSession('old-token', '')
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'Hết phiên', fields: {} }, request_id: 'r' }), { status: 401, headers: { 'Content-Type': 'application/json' } }))
    onUnauthorized(async () => false)
    await expect(unwrap(api.GET('/api/v1/councils'))).rejects.toMatchObject({ status: 401, message: 'Hết phiên' })
  })
})
