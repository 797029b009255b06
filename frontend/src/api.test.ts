import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, toError } from './api'
import { castWithRetry } from './screens/kiosk'

const envelope = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ error: { code, message, fields: { code: 'Sai' } }, request_id: 'r1' }), { status })

describe('the API client', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('reads the error envelope', async () => {
    const e = await toError(envelope(409, 'code_spent', 'Mã phiếu này đã được dùng để bỏ phiếu.'))
    expect(e).toBeInstanceOf(ApiError)
    expect([e.status, e.code, e.message, e.fields.code, e.requestId]).toEqual([409, 'code_spent', 'Mã phiếu này đã được dùng để bỏ phiếu.', 'Sai', 'r1'])
  })

  it('retries the same submission after a lost answer, and shows success only from the server', async () => {
    const calls: string[] = []
    const answers: (() => Promise<Response>)[] = [
      () => Promise.reject(new TypeError('network down')),
      () => Promise.resolve(envelope(503, 'unavailable', 'x')),
      () => Promise.resolve(new Response(JSON.stringify({ receipt: 'AB12-CD34', replay: true }), { status: 200 })),
    ]
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      calls.push(String(init.body))
      return answers[calls.length - 1]()
    })
    const retries: number[] = []
    const r = await castWithRetry({ code: 'X', choices: [] }, (n) => retries.push(n), async () => {})
    expect(r.receipt).toBe('AB12-CD34')
    expect(new Set(calls).size).toBe(1) // the very same body each time
    expect(retries).toEqual([2, 3])
  })

  it('does not retry a refusal', async () => {
    let n = 0
    vi.stubGlobal('fetch', () => {
      n++
      return Promise.resolve(envelope(409, 'code_spent', 'Mã phiếu này đã được dùng để bỏ phiếu.'))
    })
    await expect(castWithRetry({}, () => {}, async () => {})).rejects.toMatchObject({ code: 'code_spent' })
    expect(n).toBe(1)
  })

  it('gives up after a bounded number of attempts, never claiming success', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('down')))
    await expect(castWithRetry({}, () => {}, async () => {})).rejects.toBeInstanceOf(TypeError)
  })
})
