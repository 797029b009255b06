// The decryption screen with a server that lies about the sums (docs/PROTOCOL.md §11.2): the
// member's browser reads the cast ballots, finds that the sum it is asked to decrypt is one ballot's
// ciphertext, says so in words naming the row, and sends no partial decryption. With honest sums it
// decrypts and sends one.
import { h, render } from 'preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Vote } from '../../api'
import { setLang } from '../../i18n'
import { checkSums } from '../../workers/sums'
import { makeVote } from '../../workers/sums.fixture'
import { Decrypt, refusalLines } from './decrypt'
import { forgetKey, keepKey } from './sharefile'

const fx = makeVote(3, 2, false, 'decrypt screen')
const me = fx.board.c.members[2]
const subjects = ['Nguyễn Văn An', 'Trần Thị Bình']

function voteWith(sums: unknown): Vote {
  return {
    id: 'vote-1', ceremony_id: fx.board.c.id, casting_mode: 'electronic', paper: null, turnout: { ballots_cast: 3 },
    subjects: subjects.map((full_name, i) => ({ official_id: `official-${i}`, full_name, positions: [], ballot_group: 0 })),
    board: fx.board.c.members.map((user_id, i) => ({ user_id, full_name: `Thành viên ${i + 1}` })),
    encryption: { manifest: fx.input.manifest, sums, partials: [], threshold: 2, decrypted: false, shares_available: 3, credentials: 5, credential_lists: [] },
  } as unknown as Vote
}

/** Stubs fetch: the encrypted ballots as the fixture's server answers them; records every call. */
function server() {
  const calls: string[] = []
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    calls.push(`${req.method} ${new URL(req.url).pathname}`)
    if (req.method === 'GET' && req.url.endsWith('/encrypted-ballots')) return new Response(JSON.stringify(fx.input.answer), { status: 200, headers: { 'Content-Type': 'application/json' } })
    return new Response(JSON.stringify(voteWith(fx.input.sums)), { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
  return calls
}

async function until(f: () => boolean, ms = 20_000) {
  for (const end = Date.now() + ms; !f(); ) {
    if (Date.now() > end) throw new Error('timed out: ' + document.body.textContent)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function clickDecrypt(vote: Vote) {
  const root = document.createElement('div')
  document.body.replaceChildren(root)
  render(h(Decrypt, { vote, me: { id: me } as never, can: () => true, update: () => {}, reload: () => {} }), root)
  await until(() => !!root.querySelector('button.primary'))
  ;(root.querySelector('button.primary') as HTMLButtonElement).click()
  return root
}

describe('the decryption screen', { timeout: 60_000 }, () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    forgetKey(fx.board.c.id)
    setLang('vi')
  })

  it('refuses to decrypt a sum that is one ballot’s ciphertext, naming the row, and sends nothing', async () => {
    setLang('vi')
    keepKey(fx.board.keys[2])
    const calls = server()
    const one = fx.ballots[1].rows[1]
    const sums = JSON.parse(JSON.stringify(fx.input.sums)) as { a: string; b: string }[]
    sums[1] = { a: one.alpha.hex, b: one.beta.hex }
    const root = await clickDecrypt(voteWith(sums))
    await until(() => !!root.querySelector('#dec-refused'))
    const text = root.querySelector('#dec-refused')!.textContent!
    expect(text).toContain('không khớp với các phiếu đã bỏ')
    expect(text).toContain('Anh/chị không được giải mã')
    expect(text).toContain('Dòng 2 (Trần Thị Bình)')
    expect(calls).toEqual(['GET /api/v1/votes/vote-1/encrypted-ballots'])
  })

  it('checks, then decrypts the honest sums and sends the part', async () => {
    keepKey(fx.board.keys[2])
    const calls = server()
    const root = await clickDecrypt(voteWith(fx.input.sums))
    await until(() => calls.some((c) => c.startsWith('POST')))
    expect(calls).toEqual(['GET /api/v1/votes/vote-1/encrypted-ballots', 'POST /api/v1/votes/vote-1/partial-decryptions'])
    await until(() => !!root.querySelector('#dec-checked'))
    expect(root.querySelector('#dec-checked')!.textContent).toContain('tổng của 3 phiếu đã bỏ')
  })

  it('words a refusal in English under the English UI, naming the ballot and its tracking code', () => {
    const x = JSON.parse(JSON.stringify(fx.input))
    x.answer.ballots[2].ballot.signature = '00' + x.answer.ballots[2].ballot.signature.slice(2)
    const r = checkSums(x)
    if (r.ok) throw new Error('passed')
    setLang('en')
    const lines = refusalLines(r.failure, subjects)
    expect(lines[0]).toContain('You must not decrypt')
    expect(lines[1]).toMatch(/^Ballot 3 \(tracking code [0-9A-Z]{4}(-[0-9A-Z]{4}){3}\): its signature is invalid\.$/)
    expect(lines[2]).toBe('Where in the server’s answer: ballots[2].ballot.signature')
  })
})
