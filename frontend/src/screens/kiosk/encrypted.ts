// The kiosk's encrypted path (docs/PROTOCOL.md §7–9): the credential derived from the code in this
// browser (the code never leaves it), the ballot checked against its manifest (the vote fingerprint,
// and the subjects in the order the manifest binds), the choices encrypted, proved and signed in the
// worker, the tracking code shown before the question "Bỏ phiếu" or "Kiểm tra máy", and for an
// audit the reveal as a QR code to check on one's own phone. Nothing is stored; a cast ballot's seed
// is dropped at once.

import QRCode from 'qrcode'
import { useEffect, useState } from 'preact/hooks'
import { ApiError, type Ballot, type Schemas } from '../../api'
import { checkChar as plainCheck, CODE_LEN as PLAIN_LEN } from '../../code'
import { t } from '../../i18n'
import {
  CODE_LEN, Elt, RistrettoPoint, checkDigit, credential, fingerprint80, formatCode as formatCredential, fromHex, manifestFromJSON, manifestToJSON,
  ProtocolError, normalizeShort, randomScalar, revealToJSON, subjectsHash, systemRNG, toHex, voteFingerprint, equalBytes,
} from '../../protocol'
import { html } from '../../ui'
import { RECEIPT_SECONDS } from './receipt'

export type EncBallot = Schemas['EncryptedBallot']
export type EncReceipt = Schemas['EncryptedReceipt']
export type CodeKind = 'plain' | 'credential'
export type Expect = CodeKind | 'any'
export type CodeRead = { ok: true; kind: CodeKind; code: string } | { ok: false; reason: 'empty' | 'short' | 'long' | 'alphabet' | 'check' }

/**
 * Reads a typed or scanned code of either kind: a plain vote's 27-character ballot code, or an
 * encrypted vote's 21-character credential code (§7.1). expect narrows the messages when the kiosk
 * knows which votes are open; "any" tells them apart by length. A slip's QR ("TN1:" + code) is read
 * as its code.
 */
export function readCode(input: string, expect: Expect = 'any'): CodeRead {
  const raw = input.trim().toUpperCase().startsWith('TN1:') ? input.trim().slice(4) : input
  const c = normalizeShort(raw)
  if (c === null) return { ok: false, reason: 'alphabet' }
  if (c.length === 0) return { ok: false, reason: 'empty' }
  const asCredential = (): CodeRead => (checkDigit(c.slice(0, CODE_LEN - 1)) === c[CODE_LEN - 1] ? { ok: true, kind: 'credential', code: c } : { ok: false, reason: 'check' })
  const asPlain = (): CodeRead => (c[0] <= '7' && plainCheck(c.slice(0, PLAIN_LEN - 1)) === c[PLAIN_LEN - 1] ? { ok: true, kind: 'plain', code: c } : { ok: false, reason: 'check' })
  const len = expect === 'credential' ? CODE_LEN : PLAIN_LEN
  if (expect !== 'any') {
    if (c.length < len) return { ok: false, reason: 'short' }
    if (c.length > len) return { ok: false, reason: 'long' }
    return expect === 'credential' ? asCredential() : asPlain()
  }
  if (c.length < CODE_LEN) return { ok: false, reason: 'short' }
  if (c.length === CODE_LEN) return asCredential()
  if (c.length < PLAIN_LEN) return { ok: false, reason: 'short' }
  if (c.length > PLAIN_LEN) return { ok: false, reason: 'long' }
  return asPlain()
}

/** The groups a code is printed in: threes for a credential code (§7.1), fours for a plain one. */
export function groupsOf(code: string, kind: CodeKind): string[] {
  const plain = (normalizeShort(code) ?? code.replace(/[^0-9A-Za-z]/g, '').toUpperCase())
  if (kind === 'credential') return formatCredential(plain).split('-').filter(Boolean)
  return plain.match(/.{1,4}/g) ?? []
}

/** The kind of code the kiosk expects from the votes in progress (public), or "any". */
export function expectFrom(votes: { status: string; ballot_mode: string }[]): Expect {
  const modes = new Set(votes.filter((v) => v.status === 'open').map((v) => (v.ballot_mode === 'encrypted' ? 'credential' : 'plain')))
  return modes.size === 1 ? [...modes][0] as CodeKind : 'any'
}

/**
 * Checks what the server sent for a credential against its manifest: the same vote, the vote
 * fingerprint the manifest gives, and the subjects (the names the kiosk shows) in exactly the order
 * the manifest's subjects hash binds — a server that permuted them would move votes between people.
 */
export function checkEncryptedBallot(eb: EncBallot): { fingerprint: string } {
  let m
  try {
    m = manifestFromJSON(eb.manifest)
  } catch (e) {
    if (e instanceof ProtocolError) throw new ApiError(0, 'client', t('kenc_mismatch'))
    throw e
  }
  const fp = voteFingerprint(m)
  if (m.voteId !== eb.vote_id || fp !== eb.fingerprint || m.rows !== eb.subjects.length || m.levels !== eb.levels.length
    || !equalBytes(subjectsHash(eb.subjects.map((s) => s.official_id)), m.subjectsHash)) throw new ApiError(0, 'client', t('kenc_mismatch'))
  return { fingerprint: fp }
}

/** The ballot as the marking screens show it. */
export const asBallot = (eb: EncBallot): Ballot => ({
  practice: eb.practice, vote_id: eb.vote_id, council: eb.council, kind: eb.kind, title: eb.title, session_name: eb.session_name,
  levels: eb.levels, ballot_groups: eb.ballot_groups, subjects: eb.subjects,
})

/** What the kiosk holds for an encrypted ballot being marked (memory only). */
export interface EncState {
  manifest: unknown // the manifest as the server sent it (the worker decodes it again)
  fingerprint: string
  credentialSeed: string // hex, from the code
  practice: boolean
}

export function encStateFor(eb: EncBallot, code: string): EncState {
  const { fingerprint } = checkEncryptedBallot(eb)
  return { manifest: eb.manifest, fingerprint, credentialSeed: toHex(credential(code).seed), practice: false }
}

/** The public credential of a code, as the lookup sends it. */
export const credentialHex = (code: string): string => toHex(credential(code).publicKey)

/**
 * A practice ballot of an encrypted vote: the same screens and the same work, under a key made up
 * here and thrown away (nothing can open it, nothing is sent).
 */
export function practiceState(b: Ballot): EncState {
  const y = randomScalar(systemRNG)
  const m = {
    voteId: b.vote_id, publicKey: Elt.of(RistrettoPoint.BASE.multiply(y)), levels: b.levels.length, radix: 1001, rows: b.subjects.length,
    subjectsHash: subjectsHash(b.subjects.map((s) => s.official_id)),
  }
  return { manifest: manifestToJSON(m), fingerprint: voteFingerprint(m), credentialSeed: toHex(systemRNG(32)), practice: true }
}

/** Per row, in the manifest's order: -1 blank, else the level's index. */
export function choicesFor(b: Ballot, chosen: Record<string, string | null | undefined>): number[] {
  return b.subjects.map((s) => {
    const l = chosen[s.official_id]
    return l ? b.levels.indexOf(l as Ballot['levels'][number]) : -1
  })
}

/** The reveal of an audited ballot (§9) as the QR code carries it: one line of JSON. */
export function revealText(manifest: unknown, credentialHexStr: string, seed: string, options: number[], trackingHash: string): string {
  return JSON.stringify(revealToJSON({
    manifest: manifestFromJSON(manifest), credential: fromHex('credential', credentialHexStr, 32), seed: fromHex('seed', seed, 32), options,
    trackingCode: fromHex('tracking_code', trackingHash, 64),
  }))
}

/** The tracking code people compare: 16 characters in four groups. */
export const trackingOf = (hashHex: string): string => fingerprint80(fromHex('tracking_code', hashHex, 64))

/** A QR code image of a text (empty while it is drawn). */
export function useQR(text: string | null, width: number): string {
  const [url, setUrl] = useState('')
  useEffect(() => {
    setUrl('')
    if (!text) return
    let live = true
    void QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width }).then((u) => { if (live) setUrl(u) }, () => {})
    return () => { live = false }
  }, [text, width])
  return url
}

/** The tracking code, large, in its groups. */
export function TrackingCode({ code }: { code: string }) {
  return html`<p class="tracking" data-testid="tracking-code" aria-label=${code.split('').join(' ')}>${code.split('-').map((g) => html`<span>${g}</span>`)}</p>`
}

/**
 * The screen between encrypting and casting: the tracking code, then "Bỏ phiếu" or "Kiểm tra máy".
 * A ballot already sent to be cast (canAudit false: its seed is gone) can only be sent again.
 */
export function Sealed({ code, practice, busy, cast, audit, edit, canAudit }: { code: string; practice: boolean; busy: boolean; cast: () => void; audit: () => void; edit: () => void; canAudit: boolean }) {
  return html`<div class="sealed">
    <p>${t('kenc_sealed_intro')}</p>
    <${TrackingCode} code=${code} />
    <p>${t('kenc_sealed_note')}</p>
    <div class="choice-two">
      <div><button type="button" class="primary big" disabled=${busy} onClick=${cast}>${practice ? t('kiosk_cast_practice') : t('kenc_cast')}</button>
        <p><small>${t('kenc_cast_hint')}</small></p></div>
      ${canAudit ? html`<div><button type="button" class="big" disabled=${busy} onClick=${audit}>${t('kenc_audit')}</button>
        <p><small>${t('kenc_audit_hint')}</small></p></div>` : html`<div><p class="notice" data-testid="audit-gone">${t('kiosk_audit_gone')}</p></div>`}
    </div>
    <div class="actions"><button type="button" class="link" disabled=${busy} onClick=${edit}>${t('kenc_edit')}</button></div>
  </div>`
}

/** After "Kiểm tra máy": the reveal as a QR code, what to do with it, and back to marking. */
export function Audit({ reveal, code, practice, next }: { reveal: string; code: string; practice: boolean; next: () => void }) {
  const qr = useQR(reveal, 480)
  const checkUrl = location.origin + '/#/check'
  const pageQr = useQR(checkUrl, 150)
  return html`<div class="audit">
    <p class="warn-box card"><strong>${t('kenc_audit_not_counted')}</strong> ${practice ? t('kenc_audit_practice') : ''}</p>
    <ol class="audit-steps">
      <li><p>${t('kenc_audit_open_page', { url: checkUrl })}</p>${pageQr && html`<img class="page-qr" src=${pageQr} width="150" height="150" alt=${t('kenc_page_qr_alt', { url: checkUrl })} />`}</li>
      <li><p>${t('kenc_audit_scan')}</p>
        ${qr ? html`<img class="reveal-qr" src=${qr} width="480" height="480" alt=${t('kenc_reveal_alt')} />` : html`<p role="status">${t('loading')}</p>`}</li>
      <li><p>${t('kenc_audit_compare')} <strong class="fp">${code}</strong></p></li>
    </ol>
    <p>${t('kenc_audit_again')}</p>
    <p><small>${t('kenc_audit_private')}</small></p>
    <div class="actions"><button type="button" class="primary big" onClick=${next}>${t('kenc_vote_again')}</button></div>
  </div>`
}

/** The receipt of a cast encrypted ballot: its tracking code and the receipt's QR (§8.7). */
export function EncryptedReceiptBox({ rec, finish }: { rec: EncReceipt; finish: () => void }) {
  const qr = useQR(rec.receipt_qr, 300)
  const [seconds, setSeconds] = useState(RECEIPT_SECONDS)
  useEffect(() => {
    const id = setInterval(() => setSeconds((s) => s - 1), 1000)
    return () => clearInterval(id)
  }, [])
  useEffect(() => {
    if (seconds <= 0) finish()
  }, [seconds])
  return html`<div class="receipt-box">
    <p>${t('kenc_receipt')}</p>
    <${TrackingCode} code=${rec.tracking_code} />
    ${qr && html`<img class="receipt-qr" src=${qr} width="300" height="300" alt=${t('kenc_receipt_qr_alt', { r: rec.tracking_code })} />`}
    <p>${t('kenc_receipt_hint')}</p>
    <p class="countdown" role="timer" aria-live="off">${t('kiosk_wipe', { s: Math.max(0, seconds) })}</p>
    <div class="actions no-print">
      <button type="button" class="big" onClick=${() => window.print()}>${t('kiosk_print')}</button>
      <button type="button" class="primary big" onClick=${finish}>${t('kiosk_finish')}</button></div>
  </div>`
}

/** The vote fingerprint and the served build, small, at the foot of the ballot. */
export function KioskFoot({ fingerprint, build }: { fingerprint: string; build: string }) {
  const short = build ? build.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-') : ''
  return html`<p class="kiosk-foot"><small>${t('kenc_foot_fp')} <span class="fp" data-testid="vote-fingerprint">${fingerprint}</span>
    ${short && html` · ${t('kenc_foot_build')} <span class="fp" title=${build}>${short}</span>`}</small></p>`
}
