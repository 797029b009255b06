// A board member's key file (docs/PROTOCOL.md §10.9): saved once after the ceremony (passphrase
// typed twice, a strength hint, Argon2id in the worker with progress, downloaded under a name that
// says whose and for which vote, an optional printed QR backup), reopened to prove it opens (§10.10),
// and opened again for each later duty (slips, decryption, certification, paper totals,
// destruction). An opened key lives in this page's memory only (keys.ts): until the duty that needed it
// is done, the member closes it, 10 idle minutes pass, the session ends or the page goes; it is never
// written to any browser storage.

import QRCode from 'qrcode'
import { useEffect, useState } from 'preact/hooks'
import { ApiError, api, saveBlob, unwrap, type User } from '../../api'
import { t } from '../../i18n'
import { type ShareKey, ProtocolError, deriveIdentifier, newReopen, reopenToJSON, shareFileFromJSON } from '../../protocol'
import { Feedback, Field, FilePicker, html, useAction, valueOf } from '../../ui'
import { keyFromWire, keyToWire, run } from '../../workers'
import { forgetKey, keepKey, keptKey, onKeysChange, rememberGroupKey, wipeKey } from './keys'
import { ProgressBar } from '../kiosk/progress'
import { PrintSheet } from './print'

// ---- the opened keys (memory only: keys.ts) ----

export { forgetKey, keepKey } from './keys'

/** The key of this ceremony opened in this page, if any; re-renders when it opens or closes. */
export function useShareKey(ceremonyId: string | undefined): ShareKey | null {
  useKeysChange()
  return keptKey(ceremonyId)
}

/** Re-renders the component whenever a key opens or closes, or a joint key becomes known. */
export function useKeysChange(): void {
  const [, force] = useState(0)
  useEffect(() => onKeysChange(() => force((x) => x + 1)), [])
}

// ---- pure helpers ----

/** A file-name-safe form of a Vietnamese text: "Lấy phiếu tín nhiệm" → "lay-phieu-tin-nhiem". */
export function slug(s: string, max = 40): string {
  const plain = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
  return plain.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'x'
}

/** The key file's name: the vote and the member, so a stick holding several files stays clear. */
export function shareFileName(voteTitle: string, memberName: string): string {
  return `tinnhiem-khoa-${slug(voteTitle)}-${slug(memberName, 30)}.json`
}

export type Strength = 'weak' | 'fair' | 'strong'

/**
 * A rough strength of a passphrase, in bits: the larger of the characters' estimate (length ×
 * log2 of the character classes used) and the words' (about 11 bits a word of 3+ letters, as a
 * phrase of common words). weak < 50 bits ≤ fair < 70 bits ≤ strong. A hint, not a rule.
 */
export function passphraseBits(p: string): number {
  const s = p.normalize('NFC')
  let pool = 0
  if (/[a-z]/.test(s)) pool += 26
  if (/[A-Z]/.test(s)) pool += 26
  if (/[0-9]/.test(s)) pool += 10
  if (/[^A-Za-z0-9\s]/.test(s)) pool += 33
  if (/[^\x00-\x7f]/.test(s)) pool += 60 // Vietnamese letters with their marks
  const chars = [...s]
  // Repeats count once: "aaaaaaaaaaaa" is one character.
  const distinct = new Set(chars).size
  const charBits = Math.min(chars.length, distinct * 2) * Math.log2(Math.max(pool, 1))
  const words = s.split(/\s+/).filter((w) => [...w].length >= 3)
  const wordBits = new Set(words.map((w) => w.toLowerCase())).size * 11
  return Math.round(Math.max(charBits, wordBits))
}

export function passphraseStrength(p: string): Strength {
  const b = passphraseBits(p)
  return b >= 70 ? 'strong' : b >= 50 ? 'fair' : 'weak'
}

/** The shortest passphrase accepted. */
export const MIN_PASSPHRASE = 10

/** Reads a chosen key file: its JSON, checked as a share file; names what is wrong. */
export async function readShareFile(f: File): Promise<unknown> {
  let j: unknown
  try {
    j = JSON.parse(await f.text())
  } catch {
    throw new ProtocolError('file', 'json', 'not a key file')
  }
  shareFileFromJSON(j)
  return j
}

/** An error of the browser's own checks, shown as the server's errors are (ErrorBox). */
export const userError = (message: string) => new ApiError(0, 'client', message)

/** The message a person reads for a failure of the key file's work. */
export function keyFileError(e: unknown): unknown {
  if (!(e instanceof ProtocolError)) return e
  const key = e.code === 'decrypt' ? 'sf_err_decrypt' : e.code === 'json' || e.field === 'format' ? 'sf_err_not_file' : 'sf_err_invalid'
  return userError(t(key))
}

// ---- opening a key file ----

/**
 * Opens the member's key file of a ceremony (file + passphrase, Argon2id in the worker) and keeps the
 * key for this page; onOpen gets the key too. Shows "open" with a close button once opened. With
 * `check`, the file is opened only to be checked (the reopen check, the joint key): the key goes to
 * onOpen and is not kept.
 */
export function OpenKeyFile({ ceremonyId, me, intro, onOpen, check }: { ceremonyId: string; me: User; intro?: string; onOpen?: (k: ShareKey) => void; check?: boolean }) {
  const kept = useShareKey(ceremonyId)
  const key = check ? null : kept
  const [file, setFile] = useState<File | null>(null)
  const [pass, setPass] = useState('')
  const [progress, setProgress] = useState<number | null>(null)
  const a = useAction()
  if (key)
    return html`<div class="keyfile open row"><p class="notice">${t('sf_open_now', { fp: key.fingerprint })}</p>
      <button type="button" onClick=${() => forgetKey(ceremonyId)}>${t('sf_close')}</button></div>`
  const open = (e: Event) => {
    e.preventDefault()
    if (!file) return
    void a.run(async () => {
      try {
        const j = await readShareFile(file)
        const sf = shareFileFromJSON(j)
        if (sf.ceremonyId !== ceremonyId) throw userError(t('sf_err_other_ceremony'))
        if (sf.identifier !== deriveIdentifier(me.id)) throw userError(t('sf_err_not_yours'))
        setProgress(0)
        const k = keyFromWire(await run({ kind: 'open', file: j, passphrase: pass }, setProgress))
        setPass('')
        rememberGroupKey(k.ceremonyId, k.groupKey.hex)
        if (!check) keepKey(k)
        onOpen?.(k)
        if (check) wipeKey(k) // onOpen has used it (synchronously): nothing of it stays
      } catch (err) {
        throw keyFileError(err)
      } finally {
        setProgress(null)
      }
    })
  }
  const id = 'kf-' + ceremonyId.slice(0, 8)
  return html`<form class="keyfile card" onSubmit=${open} aria-label=${t('sf_open_title')}>
    <h3>${t('sf_open_title')}</h3>
    <p>${intro ?? t('sf_open_intro')}</p>
    <${FilePicker} id=${id + '-file'} label=${t('sf_choose')} accept=".json,application/json" onPick=${(f: File | undefined) => setFile(f ?? null)} chosen=${file?.name ?? ''} none=${t('sf_no_file')} />
    <${Field} id=${id + '-pass'} label=${t('sf_passphrase')}><input id=${id + '-pass'} type="password" autocomplete="current-password" required value=${pass}
      onInput=${(e: Event) => setPass(valueOf(e))} /><//>
    ${progress !== null && html`<${ProgressBar} id=${id + '-progress'} label=${t('sf_opening')} value=${progress} />`}
    <button type="submit" class="primary" disabled=${a.busy || !file || !pass}>${t('sf_open')}</button>
    <${Feedback} action=${a} /></form>`
}

// ---- saving the key file after the ceremony ----

/** The strength hint under the passphrase. */
function StrengthHint({ pass, id }: { pass: string; id: string }) {
  if (!pass) return html`<small id=${id}>${t('sf_pass_hint', { n: MIN_PASSPHRASE })}</small>`
  const s = passphraseStrength(pass)
  return html`<small id=${id} class=${'strength ' + s}>${t(('sf_strength_' + s) as 'sf_strength_weak')}</small>`
}

/**
 * Saves the freshly made share key as a file: the passphrase twice, Argon2id in the worker, then a
 * download named for the vote and the member, and an optional printed QR of the same file.
 */
export function SaveShareFile({ shareKey, voteTitle, me, onSaved }: { shareKey: ShareKey; voteTitle: string; me: User; onSaved: () => void }) {
  const [pass, setPass] = useState('')
  const [again, setAgain] = useState('')
  const [progress, setProgress] = useState<number | null>(null)
  const [saved, setSaved] = useState<{ json: string; name: string } | null>(null)
  const [qr, setQr] = useState<string | null>(null)
  const a = useAction()
  const name = shareFileName(voteTitle, me.full_name)
  const tooShort = [...pass].length < MIN_PASSPHRASE
  const differ = again !== '' && again !== pass
  const save = (e: Event) => {
    e.preventDefault()
    if (tooShort || pass !== again) return
    void a.run(async () => {
      setProgress(0)
      try {
        const file = await run({ kind: 'seal', key: keyToWire(shareKey), passphrase: pass }, setProgress)
        const json = JSON.stringify(file)
        saveBlob(new Blob([json + '\n'], { type: 'application/json' }), name)
        setSaved({ json, name })
        setPass('')
        setAgain('')
        onSaved()
      } finally {
        setProgress(null)
      }
    })
  }
  const printQR = async () => {
    if (!saved) return
    setQr(await QRCode.toDataURL(saved.json, { errorCorrectionLevel: 'M', margin: 2, width: 520 }))
  }
  return html`<section class="card" aria-labelledby="sf-save-h"><h3 id="sf-save-h">${t('sf_save_title')}</h3>
    <p>${t('sf_save_intro')}</p>
    ${saved ? html`<p class="notice" role="status">${t('sf_saved', { name: saved.name })}</p>
        <div class="actions"><button type="button" onClick=${() => saveBlob(new Blob([saved.json + '\n'], { type: 'application/json' }), saved.name)}>${t('sf_save_again')}</button>
          <button type="button" onClick=${printQR}>${t('sf_print_qr')}</button></div>`
      : html`<form class="grid" onSubmit=${save} aria-label=${t('sf_save_title')}>
        <${Field} id="sf-pass" label=${t('sf_passphrase_new')}><input id="sf-pass" type="password" autocomplete="new-password" required minlength=${MIN_PASSPHRASE}
          aria-describedby="sf-pass-hint" value=${pass} onInput=${(e: Event) => setPass(valueOf(e))} /><${StrengthHint} pass=${pass} id="sf-pass-hint" /><//>
        <${Field} id="sf-again" label=${t('sf_passphrase_again')}><input id="sf-again" type="password" autocomplete="new-password" required
          aria-invalid=${differ} aria-describedby="sf-again-hint" value=${again} onInput=${(e: Event) => setAgain(valueOf(e))} />
          <small id="sf-again-hint" class=${differ ? 'warn' : ''}>${differ ? t('sf_pass_differ') : t('sf_pass_again_hint')}</small><//>
        ${progress !== null && html`<div class="wide"><${ProgressBar} id="sf-progress" label=${t('sf_sealing')} value=${progress} /></div>`}
        <div class="wide"><button type="submit" class="primary" disabled=${a.busy || tooShort || pass !== again}>${t('sf_save')}</button></div>
      </form>`}
    <${Feedback} action=${a} />
    ${qr && saved && html`<${PrintSheet} label=${t('sf_qr_title')} tools=${html`
        <button type="button" class="primary" onClick=${() => window.print()}>${t('enc_print')}</button>
        <button type="button" onClick=${() => setQr(null)}>${t('sf_qr_done')}</button>`}>
      <article class="qr-backup"><h1>${t('sf_qr_title')}</h1>
        <p><strong>${me.full_name}</strong> — ${voteTitle}</p>
        <p>${t('sf_qr_fingerprint')} <span class="fp">${shareKey.fingerprint}</span></p>
        <img src=${qr} width="520" height="520" alt=${t('sf_qr_alt')} />
        <p>${t('sf_qr_hint')}</p></article><//>`}
  </section>`
}

// ---- reopening, and declaring a file lost ----

/** A protocol message as the body of a request whose schema says only "object". */
export const message = (m: unknown) => m as Record<string, never>

/**
 * The reopen check (§10.10): the saved file is read again from the disk with its passphrase (never
 * the key still in memory), and a proof that it holds the share is sent.
 */
export function Reopen({ ceremonyId, me, done }: { ceremonyId: string; me: User; done: () => void }) {
  const a = useAction()
  // The reopened key proves the file opens, then goes: it is wiped whatever the server answers.
  const send = (k: ShareKey) => void a.run(async () => {
    const proof = message(reopenToJSON(newReopen(k)))
    wipeKey(k)
    await unwrap(api.POST('/api/v1/ceremonies/{id}/reopen', { params: { path: { id: ceremonyId } }, body: proof }))
    done()
  }, { done: t('sf_reopened') })
  return html`<section class="card" aria-labelledby="sf-reopen-h"><h3 id="sf-reopen-h">${t('sf_reopen_title')}</h3>
    <p>${t('sf_reopen_intro')}</p>
    <${OpenKeyFile} ceremonyId=${ceremonyId} me=${me} intro=${t('sf_reopen_open')} onOpen=${send} check=${true} />
    <${Feedback} action=${a} /></section>`
}
