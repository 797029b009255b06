// The board's and the kiosk's screens as the review asked: opened keys and ceremony secrets wiped
// (after each duty, after 10 idle minutes, at logout), the joint key and the board checked by this
// browser, round-3 failures named and not retried, paper totals sealed only in the manifest's order,
// local failures told in Vietnamese (never as network trouble), the kiosk's manifest check.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api'
import { setLang } from '../i18n'
import { Member, ProtocolError, manifestToJSON, subjectsHash, testRNG, voteFingerprint } from '../protocol'
import { runBoard, vectorCeremony } from '../protocol/vectors'
import { wipeSecrets } from '../secrets'
import { logout } from '../session'
import { errorMessage } from '../ui'
import { keyFromWire, keyToWire } from '../workers/wire'
import { reasonText, round3Failure, sameBoard } from './board/ceremony'
import { KEY_IDLE_MS, forgetKey, keepKey, keptKey, knownGroupKey, touchKeys } from './board/keys'
import { checkTotalsOrder } from './board/papertotals'
import { checkRevealText } from './check'
import { type EncBallot, checkEncryptedBallot } from './kiosk/encrypted'

const board = runBoard(vectorCeremony('review', 0, 3, 2), testRNG('tinnhiem review tests'))
/** A fresh copy of member 0's key (a wipe zeroes the copy's bytes, not the fixture's). */
const freshKey = () => keyFromWire(keyToWire(board.keys[0]))
const subjects = ['off-a', 'off-b', 'off-c']
const manifest = { voteId: 'vote-1', publicKey: board.keys[0].groupKey, levels: 3, radix: 101, rows: 3, subjectsHash: subjectsHash(subjects) }
setLang('vi')

afterEach(() => {
  vi.useRealTimers()
  wipeSecrets()
  setLang('vi')
})

describe('an opened key', () => {
  it('is forgotten, its seed zeroed, after the duty that used it', () => {
    const k = freshKey()
    keepKey(k)
    expect(keptKey(k.ceremonyId)).toBe(k)
    forgetKey(k.ceremonyId)
    expect(keptKey(k.ceremonyId)).toBeNull()
    expect(k.signingSeed.every((b) => b === 0)).toBe(true)
  })
  it('is forgotten after 10 minutes without activity on the page, not while the member works', () => {
    vi.useFakeTimers()
    const k = freshKey()
    keepKey(k)
    vi.advanceTimersByTime(KEY_IDLE_MS - 60_000)
    touchKeys() // a key press or a click
    vi.advanceTimersByTime(KEY_IDLE_MS - 60_000)
    expect(keptKey(k.ceremonyId)).toBe(k)
    dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    vi.advanceTimersByTime(KEY_IDLE_MS - 1)
    expect(keptKey(k.ceremonyId)).toBe(k)
    vi.advanceTimersByTime(1)
    expect(keptKey(k.ceremonyId)).toBeNull()
    expect(k.signingSeed.every((b) => b === 0)).toBe(true)
  })
  it('is wiped at logout, and the joint key it gave stays known (it is public)', async () => {
    const k = freshKey()
    keepKey(k)
    await logout()
    expect(keptKey(k.ceremonyId)).toBeNull()
    expect(k.signingSeed.every((b) => b === 0)).toBe(true)
    expect(knownGroupKey(k.ceremonyId)).toBe(board.keys[0].groupKey.hex)
  })
})

describe('the key ceremony', () => {
  it('forgets a member’s secrets: nothing more can be made with them', () => {
    const c = vectorCeremony('forget', 1, 2, 2)
    const a = Member.create(c, c.members[0], testRNG('a'))
    const b = Member.create(c, c.members[1], testRNG('b'))
    a.member.forget()
    expect(() => a.member.round2([a.round1, b.round1], testRNG('r2'))).toThrow()
  })
  it('checks that its members are exactly the vote’s board', () => {
    const c = { members: [{ user_id: 'u1' }, { user_id: 'u2' }, { user_id: 'u3' }] }
    expect(sameBoard(c, [{ user_id: 'u3' }, { user_id: 'u1' }, { user_id: 'u2' }])).toBe(true)
    expect(sameBoard(c, [{ user_id: 'u1' }, { user_id: 'u2' }])).toBe(false)
    expect(sameBoard(c, [{ user_id: 'u1' }, { user_id: 'u2' }, { user_id: 'u4' }])).toBe(false)
    expect(sameBoard({ members: [{ user_id: 'u1' }, { user_id: 'u1' }] }, [{ user_id: 'u1' }, { user_id: 'u2' }])).toBe(false)
  })
  it('names the member whose round-2 message failed this browser’s check, in Vietnamese', () => {
    const c = vectorCeremony('r3', 2, 3, 2)
    const made = c.members.map((u, i) => Member.create(c, u, testRNG('m' + i)))
    const r1 = made.map((m) => m.round1)
    const r2 = made.map((m, i) => m.member.round2(r1, testRNG('s' + i)))
    // Member 0 receives the others' messages; the second one's signature is broken.
    const others = r2.slice(1).map((r) => ({ ...r, signature: r.signature.slice() }))
    others[1].signature[0] ^= 1
    let thrown: unknown
    try {
      made[0].member.round3(others)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ProtocolError)
    const names = [{ identifier: r2[1].identifier, full_name: 'Trần Thị Bình' }, { identifier: r2[2].identifier, full_name: 'Lê Văn Cường' }]
    const told = round3Failure(thrown, names)
    expect(told).toBeInstanceOf(ApiError)
    expect((told as ApiError).message).toContain('Lê Văn Cường')
    expect((told as ApiError).message).toContain('chữ ký không hợp lệ')
    expect(errorMessage(told)).not.toBe(errorMessage(new TypeError('Failed to fetch')))
    // A request that failed is not the member's fault: it is left as it is (and tried again).
    const net = new TypeError('Failed to fetch')
    expect(round3Failure(net, names)).toBe(net)
  })
  it('tells an abort reason it does not know without the server’s English, under the Vietnamese UI', () => {
    expect(reasonText('complaint: share')).toContain('không khớp')
    expect(reasonText('stalled: member reloaded')).not.toContain('stalled')
    setLang('en')
    expect(reasonText('stalled: member reloaded')).toContain('stalled')
  })
})

describe('the paper totals', () => {
  const tt = { entered: 5, subjects: [...subjects], counts: [[1, 2, 0], [0, 0, 5], [3, 1, 1]] }
  it('are sealed only in the order the manifest binds', () => {
    expect(() => checkTotalsOrder(manifest, tt)).not.toThrow()
    const swapped = { ...tt, subjects: ['off-b', 'off-a', 'off-c'] }
    expect(() => checkTotalsOrder(manifest, swapped)).toThrow(/thứ tự người được lấy phiếu/)
    expect(() => checkTotalsOrder(manifest, { ...tt, subjects: subjects.slice(0, 2), counts: tt.counts.slice(0, 2) })).toThrow(ApiError)
  })
  it('refuse a row without one count per level', () => {
    expect(() => checkTotalsOrder(manifest, { ...tt, counts: [[1, 2, 0], [0, 5], [3, 1, 1]] })).toThrow(/dòng 2 .* có 2 cột/)
  })
})

describe('a local failure', () => {
  it('is never told as network trouble, and names what failed', () => {
    const net = errorMessage(new TypeError('Failed to fetch'))
    expect(net).toContain('Không kết nối được máy chủ')
    const check = errorMessage(new ProtocolError('rows[2].beta', 'mismatch', 'the row differs'))
    expect(check).not.toBe(net)
    expect(check).toContain('rows[2].beta: không khớp')
    expect(check).not.toContain('the row differs')
    const other = errorMessage(new Error('worker crashed'))
    expect(other).not.toBe(net)
    expect(other).not.toContain('worker crashed') // English only under the English UI
    setLang('en')
    expect(errorMessage(new Error('worker crashed'))).toContain('worker crashed')
  })
  it('of the kiosk’s manifest check says the ballot does not match, not the network', () => {
    const eb: EncBallot = {
      manifest: manifestToJSON(manifest), fingerprint: voteFingerprint(manifest), vote_id: 'vote-1', council: 'HĐND', kind: 'confidence', title: 'LPTN',
      session_name: 'Kỳ họp', levels: ['high', 'medium', 'low'], ballot_groups: [],
      subjects: subjects.map((id, i) => ({ official_id: id, full_name: `Người ${i + 1}`, positions: [], ballot_group: 0 })),
    }
    const broken = { ...eb, manifest: { ...(eb.manifest as object), public_key: 'zz' } }
    expect(() => checkEncryptedBallot(broken)).toThrow(ApiError)
    expect(() => checkEncryptedBallot(broken)).toThrow(/không khớp với mã nhận diện/)
  })
  it('of the offline check page is told in the page’s language', () => {
    const r = checkRevealText('{"version":1}', [])
    expect(r.ok).toBe(false)
    expect(r.problem).toContain('Đây không phải mã QR kiểm tra máy')
    expect(r.problem).not.toMatch(/missing|expected|field/i)
  })
})
