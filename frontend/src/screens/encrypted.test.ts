// The pure logic of the encrypted screens: key-file names and passphrase hints, the worker's wire
// forms and jobs, the kiosk's reading of both kinds of code and its check of a ballot against its
// manifest, slips, the certification anchor, and the offline check of a reveal.
import { describe, expect, it } from 'vitest'
import {
  ProtocolError, checkReveal, credential, credentialListFromJSON, credentialListToJSON, fingerprint80, formatCode, manifestToJSON, newCode, revealFromJSON,
  subjectsHash, testRNG, verifyCredentialList, voteFingerprint, signingKeyOf,
} from '../protocol'
import { runBoard, vectorCeremony } from '../protocol/vectors'
import { runJob } from '../workers/jobs'
import { keyFromWire, keyToWire, type EncryptResult, type WireKey } from '../workers/wire'
import { passphraseBits, passphraseStrength, shareFileName, slug } from './board/sharefile'
import { makeSlips } from './board/slips'
import { parseAnchor } from './board/sign'
import { checkRevealText } from './check'
import { asBallot, checkEncryptedBallot, choicesFor, expectFrom, groupsOf, readCode, revealText, trackingOf, type EncBallot } from './kiosk/encrypted'
import { checkChar } from '../code'
import { setLang } from '../i18n'

const board = runBoard(vectorCeremony('ui', 0, 3, 2), testRNG('tinnhiem ui tests'))
const key = board.keys[0]
const subjects = ['off-a', 'off-b', 'off-c']
const manifest = { voteId: 'vote-1', publicKey: key.groupKey, levels: 3, radix: 101, rows: 3, subjectsHash: subjectsHash(subjects) }
const eb: EncBallot = {
  manifest: manifestToJSON(manifest), fingerprint: voteFingerprint(manifest), vote_id: 'vote-1', council: 'HĐND tỉnh', kind: 'confidence', title: 'LPTN',
  session_name: 'Kỳ họp', levels: ['high', 'medium', 'low'], ballot_groups: [],
  subjects: subjects.map((id, i) => ({ official_id: id, full_name: `Người ${i + 1}`, positions: [], ballot_group: 0 })),
}
setLang('vi')

describe('key files', () => {
  it('are named for the vote and the member, without diacritics', () => {
    expect(slug('Lấy phiếu tín nhiệm — Kỳ họp thứ 15')).toBe('lay-phieu-tin-nhiem-ky-hop-thu-15')
    expect(slug('Đoàn Quốc Huy')).toBe('doan-quoc-huy')
    expect(shareFileName('LPTN năm 2025', 'Lương Văn Khải')).toBe('tinnhiem-khoa-lptn-nam-2025-luong-van-khai.json')
    expect(slug('!!!')).toBe('x')
  })
  it('hint at a passphrase’s strength', () => {
    expect(passphraseStrength('abc')).toBe('weak')
    expect(passphraseStrength('aaaaaaaaaaaaaaaaaaaa')).toBe('weak')
    expect(passphraseStrength('Password12')).toBe('fair')
    expect(passphraseStrength('con mèo nhà tôi thích ăn cá kho tộ')).toBe('strong')
    expect(passphraseBits('Tr0ub4dor&3-horse!')).toBeGreaterThanOrEqual(70)
  })
})

describe('the worker', () => {
  it('carries a share key as hex and checks it on arrival', () => {
    const w = keyToWire(key)
    const back = keyFromWire(JSON.parse(JSON.stringify(w)) as WireKey)
    expect(back.signingShare).toBe(key.signingShare)
    expect(back.verifyingShare.hex).toBe(key.verifyingShare.hex)
    expect(() => keyFromWire({ ...w, verifying_share: board.keys[1].verifyingShare.hex })).toThrow(ProtocolError)
  })
  it('seals and opens a key file; a wrong passphrase is a decrypt error', async () => {
    const file = await runJob({ kind: 'seal', key: keyToWire(key), passphrase: 'mật khẩu thử nghiệm', kdf: { m: 8192, t: 1, p: 1 } })
    const opened = (await runJob({ kind: 'open', file, passphrase: 'mật khẩu thử nghiệm' })) as WireKey
    expect(opened.signing_share).toBe(keyToWire(key).signing_share)
    await expect(runJob({ kind: 'open', file, passphrase: 'sai' })).rejects.toMatchObject({ code: 'decrypt' })
  })
  it('encrypts a ballot whose reveal checks offline, with progress to the end', async () => {
    const code = newCode(testRNG('code'))
    const seen: number[] = []
    const r = (await runJob({ kind: 'encrypt', manifest: eb.manifest, credentialSeed: Buffer.from(credential(code).seed).toString('hex'), choices: [0, -1, 2] }, (p) => seen.push(p))) as EncryptResult
    expect(seen[seen.length - 1]).toBe(1)
    const text = revealText(eb.manifest, (r.ballot as { credential: string }).credential, r.seed, r.options, r.trackingHash)
    const rev = revealFromJSON(JSON.parse(text))
    expect(rev.options).toEqual([1, 0, 3])
    checkReveal(rev)
    expect(trackingOf(r.trackingHash)).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/)
    // The offline page: valid, the vote fingerprint, the tracking code, names when the public list matches.
    const ok = checkRevealText(text, [{ id: 'vote-1', council: '', kind: 'confidence', title: 'LPTN', session_name: '', vote_date: '2025-01-01', status: 'open', ballot_mode: 'encrypted',
      subjects: eb.subjects.map((s) => ({ official_id: s.official_id, full_name: s.full_name, positions: [] })) }])
    expect(ok.ok).toBe(true)
    expect(ok.voteFingerprint).toBe(eb.fingerprint)
    expect(ok.tracking).toBe(trackingOf(r.trackingHash))
    expect(ok.rows).toEqual([{ name: 'Người 1', level: 'high' }, { name: 'Người 2', level: null }, { name: 'Người 3', level: 'low' }])
    // Offline (no list), rows by number; another list (another order) gives no names.
    const bare = checkRevealText(text, [])
    expect(bare.named).toBe(false)
    expect(bare.rows[0].name).toBe('Dòng 1')
    // A kiosk that lied about the choices: the rebuilt ballot has another tracking code.
    const lie = JSON.parse(text)
    lie.options = [2, 0, 3]
    const bad = checkRevealText(JSON.stringify(lie), [])
    expect(bad.ok).toBe(false)
    expect(checkRevealText('{"not":"a reveal"}', []).ok).toBe(false)
    expect(checkRevealText('TN1:ABC', []).ok).toBe(false)
  })
})

describe('the kiosk', () => {
  const cred = newCode(testRNG('kiosk'))
  const plainData = '0ABCDEFGHJKMNPQRSTVWXYZ012'
  const plain = plainData + checkChar(plainData)
  it('reads both kinds of code, by length or by what the open votes use', () => {
    expect(readCode(formatCode(cred).toLowerCase())).toEqual({ ok: true, kind: 'credential', code: cred })
    expect(readCode('TN1:' + cred)).toEqual({ ok: true, kind: 'credential', code: cred })
    expect(readCode(plain)).toEqual({ ok: true, kind: 'plain', code: plain })
    expect(readCode(cred.slice(0, 20))).toEqual({ ok: false, reason: 'short' })
    const typo = cred.slice(0, 5) + (cred[5] === 'A' ? 'B' : 'A') + cred.slice(6)
    expect(readCode(typo)).toEqual({ ok: false, reason: 'check' })
    expect(readCode(cred + 'A', 'credential')).toEqual({ ok: false, reason: 'long' })
    expect(readCode(cred, 'plain')).toEqual({ ok: false, reason: 'short' })
    expect(readCode('ABC-U')).toEqual({ ok: false, reason: 'alphabet' })
    expect(readCode('')).toEqual({ ok: false, reason: 'empty' })
    expect(groupsOf(cred, 'credential')).toHaveLength(7)
    expect(groupsOf(plain, 'plain')[0]).toHaveLength(4)
    expect(expectFrom([{ status: 'open', ballot_mode: 'encrypted' }, { status: 'draft', ballot_mode: 'plain' }])).toBe('credential')
    expect(expectFrom([{ status: 'open', ballot_mode: 'encrypted' }, { status: 'open', ballot_mode: 'plain' }])).toBe('any')
  })
  it('checks the ballot against its manifest: fingerprint and subject order', () => {
    expect(checkEncryptedBallot(eb).fingerprint).toBe(eb.fingerprint)
    const permuted = { ...eb, subjects: [eb.subjects[1], eb.subjects[0], eb.subjects[2]] }
    expect(() => checkEncryptedBallot(permuted)).toThrow()
    expect(() => checkEncryptedBallot({ ...eb, fingerprint: 'AAAA-AAAA-AAAA-AAAA' })).toThrow()
    expect(choicesFor(asBallot(eb), { 'off-a': 'low', 'off-c': 'high' })).toEqual([2, -1, 0])
  })
})

describe('slips and certification', () => {
  it('sign the list of the codes’ credentials; the codes stay out of it', () => {
    const s = makeSlips('vote-1', 4, key, (() => { const r = testRNG('slips'); return () => newCode(r) })())
    const list = credentialListFromJSON(JSON.parse(JSON.stringify(credentialListToJSON(s.list))))
    verifyCredentialList(list, signingKeyOf(key))
    expect(list.credentials).toHaveLength(4)
    expect(JSON.stringify(credentialListToJSON(s.list))).not.toContain(s.codes[0])
    expect(s.fingerprint).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/)
    expect(fingerprint80(new Uint8Array(64))).toBe('0000-0000-0000-0000')
  })
  it('read the audit anchor', () => {
    expect(parseAnchor('a'.repeat(64) + ':12')).toEqual({ hash: 'a'.repeat(64), count: 12 })
    expect(parseAnchor('xyz')).toBeNull()
    expect(parseAnchor(undefined)).toBeNull()
  })
})
