// The delegate's ballot at a kiosk: no login, nothing stored in the browser. Enter or scan the
// one-time code (shown back in the slip's groups), mark the ballot (a row may stay blank), review,
// cast; a lost answer is retried with the very same submission (the server returns the same
// receipt), and no success is shown before the server's. Back goes one step back; leaving or
// reloading mid-ballot asks first; starting over asks; a ballot left alone is wiped after a visible
// countdown. A registered kiosk carries its token (from its link's fragment, kept in memory only)
// and offers a practice ballot that is never sent.
//
// An encrypted vote's code (21 characters) takes the encrypted path (encrypted.ts): the ballot is
// checked against its manifest, the choices are encrypted in the worker with a progress bar, the
// tracking code is shown, then "Bỏ phiếu" casts it or "Kiểm tra máy" audits it (the reveal as a QR
// code, the ballot spoiled, and the delegate marks again with the same code). A ballot once sent to
// be cast is never offered for the check (its seed is gone), and a ballot sent as spoiled is dropped
// whatever the answer.

import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, api, Ballot, toError, unwrap } from '../../api'
import { CODE_LEN } from '../../code'
import { CODE_LEN as CREDENTIAL_LEN } from '../../protocol'
import { Key, lang, setLang, t } from '../../i18n'
import { confirmDialog, ErrorBox, html, levelLabel } from '../../ui'
import { type EncryptResult, run, warm } from '../../workers'
import {
  Audit, type EncBallot, type EncReceipt, type EncState, EncryptedReceiptBox, type Expect, KioskFoot, Sealed, asBallot, choicesFor, credentialHex,
  encStateFor, expectFrom, groupsOf, practiceState, readCode, revealText, trackingOf,
} from './encrypted'
import { IDLE_CODE_SECONDS, IDLE_MARKING_SECONDS, useIdle } from './idle'
import { ProgressBar } from './progress'
import { Receipt } from './receipt'
import { Scanner } from './scan'

const RETRIES = 6
const KIOSK_HEADER = 'X-Kiosk-Token'

type Stage = 'code' | 'ballot' | 'review' | 'sealing' | 'sealed' | 'audit' | 'casting' | 'done'
type Choices = Record<string, Ballot['levels'][number] | null | undefined>

function headers(token: string): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': 'application/json', 'Accept-Language': lang() }
  if (token) h[KIOSK_HEADER] = token
  return h
}

/** Sends one submission until the server answers (retrying on network errors and 5xx/429 only):
 * the very same bytes each time, so the server gives the first answer again. */
export async function castWithRetry<R = { receipt: string; vote_id: string; replay: boolean }>(body: unknown, onRetry: (n: number) => void,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)), token = '', url = '/api/v1/ballots'): Promise<R> {
  const bytes = JSON.stringify(body)
  let lastError: unknown = null
  for (let attempt = 1; attempt <= RETRIES; attempt++) {
    if (attempt > 1) {
      onRetry(attempt)
      await sleep(Math.min(4000, 400 * 2 ** (attempt - 2)))
    }
    let res: Response
    try {
      res = await fetch(url, { method: 'POST', headers: headers(token), body: bytes })
    } catch (e) {
      lastError = e
      continue
    }
    if (res.ok) return (await res.json()) as R
    const err = await toError(res)
    if (res.status >= 500 || res.status === 429) {
      lastError = err
      continue
    }
    throw err
  }
  throw lastError ?? new Error('network')
}

export function Kiosk({ token }: { token: string }) {
  const [stage, setStageRaw] = useState<Stage>('code')
  const [code, setCode] = useState('')
  const [ballot, setBallot] = useState<Ballot | null>(null)
  const [choices, setChoices] = useState<Choices>({})
  const [error, setError] = useState<unknown>(null)
  const [receipt, setReceipt] = useState<{ receipt: string; vote_id: string } | null>(null)
  const [retry, setRetry] = useState(0)
  const [scanning, setScanning] = useState(false)
  const [busy, setBusy] = useState(false)
  const [help, setHelp] = useState(false)
  const [large, setLarge] = useState(false)
  // The encrypted path: the manifest and credential of the ballot being marked, the encrypted
  // ballot awaiting "cast or audit", an audit's reveal, the receipt. Memory only, wiped with the rest.
  const [enc, setEnc] = useState<EncState | null>(null)
  const [sealed, setSealed] = useState<EncryptResult | null>(null)
  const [reveal, setReveal] = useState<string | null>(null)
  const [encReceipt, setEncReceipt] = useState<EncReceipt | null>(null)
  const [progress, setProgress] = useState(0)
  const [expect, setExpect] = useState<Expect>('any')
  const [build, setBuild] = useState('')
  const [modes, setModes] = useState<Record<string, string>>({})
  const heading = useRef<HTMLHeadingElement>(null)
  const stageRef = useRef(stage)
  stageRef.current = stage
  const ballotRef = useRef(ballot)
  ballotRef.current = ballot
  const practice = !!ballot?.practice

  // Each step is an entry of the browser's history, so Back goes one step back inside the flow.
  const go = (s: Stage) => {
    history.pushState({ kiosk: s }, '')
    setStageRaw(s)
  }
  const wipe = () => {
    setStageRaw('code'); setCode(''); setBallot(null); setChoices({}); setError(null); setReceipt(null); setRetry(0); setScanning(false); setHelp(false); setLarge(false)
    setEnc(null); setSealed(null); setReveal(null); setEncReceipt(null); setProgress(0)
    history.pushState({ kiosk: 'code' }, '')
    setLang('vi') // the next delegate starts in Vietnamese
  }
  useEffect(() => {
    // A guard entry under the first step: Back at the code stays on the kiosk.
    history.replaceState({ kiosk: 'guard' }, '')
    history.pushState({ kiosk: 'code' }, '')
    const pop = (e: PopStateEvent) => {
      const want = (e.state as { kiosk?: string } | null)?.kiosk
      const now = stageRef.current
      if (now === 'casting' || now === 'sealing') return history.pushState({ kiosk: now }, '') // never leave a cast half-way
      if (now === 'done') return wipe()
      if (now === 'sealed') { setSealed(null); return setStageRaw('review') } // the encrypted ballot is dropped, nothing sent
      if (now === 'audit') { setReveal(null); return setStageRaw('ballot') }
      if (want === 'ballot' || want === 'review') {
        if (ballotRef.current) return setStageRaw(want)
      }
      if (want !== 'code') history.pushState({ kiosk: 'code' }, '')
      setStageRaw('code')
    }
    addEventListener('popstate', pop)
    return () => removeEventListener('popstate', pop)
  }, [])
  // Leaving or reloading mid-ballot asks first (the browser's own question: nothing is kept).
  useEffect(() => {
    if (stage === 'code' || stage === 'done') return
    const ask = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = '' }
    addEventListener('beforeunload', ask)
    return () => removeEventListener('beforeunload', ask)
  }, [stage])
  useEffect(() => { document.documentElement.classList.toggle('kiosk-large', large) }, [large])
  // Which kind of code the open votes use, and the served build (both public); the worker's code is
  // fetched now, not while a delegate waits.
  useEffect(() => {
    warm()
    fetch('/api/v1/public/current-votes').then((r) => (r.ok ? r.json() : [])).then((vs: { id: string; status: string; ballot_mode: string }[]) => {
      setExpect(expectFrom(vs))
      setModes(Object.fromEntries(vs.map((v) => [v.id, v.ballot_mode])))
    }, () => {})
    fetch('/api/v1/build').then((r) => (r.ok ? r.json() : null)).then((b: { frontend_hash?: string } | null) => setBuild(b?.frontend_hash ?? ''), () => {})
  }, [])
  // Each step starts at its heading, for keyboards and screen readers.
  useEffect(() => { heading.current?.focus() }, [stage])

  const marking = stage === 'ballot' || stage === 'review' || stage === 'sealed' || stage === 'audit'
  const idleActive = (stage === 'code' && (code !== '' || scanning)) || marking
  const left = useIdle(idleActive, marking ? IDLE_MARKING_SECONDS : IDLE_CODE_SECONDS, wipe)

  const check = readCode(code, expect)
  const codeMessage = code === '' ? '' : check.ok ? t('kiosk_code_ok') : t(('kiosk_code_' + check.reason) as Key)
  const codeKind = check.ok ? check.kind : expect === 'plain' ? 'plain' : expect === 'credential' ? 'credential' : code.replace(/[^0-9A-Za-z]/g, '').length <= CREDENTIAL_LEN ? 'credential' : 'plain'

  const open = (b: Ballot, e: EncState | null) => {
    if (b.vote_id !== ballot?.vote_id || b.practice !== ballot?.practice) setChoices({}) // nothing chosen: a row left alone is blank
    setBallot(b)
    setEnc(e)
    setSealed(null)
    go('ballot')
  }
  const lookup = async (e?: Event) => {
    e?.preventDefault()
    if (!check.ok || busy) return
    setError(null)
    setBusy(true)
    try {
      if (check.kind === 'credential') {
        // The credential is derived here; only its public key goes to the server.
        const res = await fetch('/api/v1/encrypted-ballots/lookup', { method: 'POST', headers: headers(token), body: JSON.stringify({ credential: credentialHex(check.code) }) })
        if (!res.ok) throw await toError(res)
        const eb = (await res.json()) as EncBallot
        open(asBallot(eb), encStateFor(eb, check.code))
        return
      }
      const res = await fetch('/api/v1/ballots/lookup', { method: 'POST', headers: headers(token), body: JSON.stringify({ code: check.code }) })
      if (!res.ok) throw await toError(res)
      open((await res.json()) as Ballot, null)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const practiceBallot = async () => {
    setError(null)
    setBusy(true)
    try {
      const b = await unwrap(api.GET('/api/v1/kiosk/practice', { params: { header: { 'X-Kiosk-Token': token } } }))
      // The practice ballot does not say its vote's mode; the public list of votes in progress does.
      open(b, modes[b.vote_id] === 'encrypted' ? practiceState(b) : null)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const cast = async () => {
    if (!ballot || busy) return
    if (practice) return go('done') // a practice ballot is never sent
    if (!check.ok) return
    setBusy(true)
    setStageRaw('casting')
    setError(null)
    const body = { code: check.code, choices: ballot.subjects.map((s) => ({ official_id: s.official_id, level: choices[s.official_id] ?? null })) }
    try {
      const r = await castWithRetry(body, setRetry, undefined, token)
      setReceipt(r)
      go('done')
    } catch (err) {
      setError(err)
      setStageRaw('review')
    } finally {
      setBusy(false)
    }
  }
  // Encrypt, prove and sign in the worker; the tracking code comes before the question.
  const seal = async () => {
    if (!ballot || !enc || busy) return
    setBusy(true)
    setError(null)
    setProgress(0)
    setStageRaw('sealing')
    try {
      const r = await run({ kind: 'encrypt', manifest: enc.manifest, credentialSeed: enc.credentialSeed, choices: choicesFor(ballot, choices) }, setProgress)
      setSealed(r)
      go('sealed')
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', t('kiosk_encrypt_failed')))
      setStageRaw('review')
    } finally {
      setBusy(false)
    }
  }
  const castEncrypted = async () => {
    if (!sealed || !enc || busy) return
    const body = sealed.ballot
    // The seed of a ballot being cast is dropped at once: it can be sent again (the same bytes), never
    // spoiled and revealed — it may already be counted.
    setSealed({ ...sealed, seed: '' })
    if (enc.practice) return go('done')
    setBusy(true)
    setStageRaw('casting')
    setError(null)
    try {
      const r = await castWithRetry<EncReceipt>(body, setRetry, undefined, token, '/api/v1/encrypted-ballots')
      if (r.ballot_hash !== sealed.trackingHash) throw new ApiError(0, 'client', t('kenc_receipt_differs'))
      setEncReceipt(r)
      setSealed(null)
      go('done')
    } catch (err) {
      setError(err)
      setStageRaw('sealed')
    } finally {
      setBusy(false)
    }
  }
  const audit = async () => {
    if (!sealed || !sealed.seed || !enc || busy) return
    if (!(await confirmDialog({ title: t('kenc_audit_title'), body: t('kenc_audit_confirm'), confirm: t('kenc_audit') }))) return
    setBusy(true)
    setError(null)
    // The reveal is made before anything is sent: a ballot posted as spoiled must have its reveal.
    let text: string
    try {
      text = revealText(enc.manifest, (sealed.ballot as { credential: string }).credential, sealed.seed, sealed.options, sealed.trackingHash)
    } catch {
      setSealed(null) // nothing was sent; this encrypted ballot is dropped all the same
      setError(new ApiError(0, 'client', t('kiosk_reveal_failed')))
      setStageRaw('review')
      setBusy(false)
      return
    }
    try {
      // The server keeps the spoiled ballot's tracking code only (never counted, never the seed).
      if (!enc.practice) await castWithRetry<EncReceipt>(sealed.ballot, setRetry, undefined, token, '/api/v1/encrypted-ballots/spoiled')
    } catch (err) {
      // Spoiled or not (the answer was lost), this ballot is never offered again: encrypt anew.
      setSealed(null)
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', t('kiosk_spoil_not_confirmed')))
      setStageRaw('review')
      return
    } finally {
      setBusy(false)
    }
    setSealed(null) // the audited ballot is spoiled: nothing of it can be cast
    setReveal(text)
    go('audit')
  }
  const voteAgain = () => {
    setReveal(null)
    setSealed(null)
    go('ballot')
  }
  const startOver = async () => {
    if (await confirmDialog({ title: t('kiosk_start_over_title'), body: t('kiosk_start_over_confirm'), confirm: t('kiosk_start_over_yes'), danger: true })) wipe()
  }

  const banner = practice && html`<p class="practice-banner" role="note">${t('kiosk_practice_banner')}</p>`
  const countdown = left !== null && html`<div class="idle-warning" role="alert"><p>${t('kiosk_idle_warning', { s: left })}</p>
    <button type="button" class="primary big">${t('kiosk_idle_continue')}</button></div>`
  const tools = html`<div class="kiosk-tools">
    <button type="button" aria-pressed=${large} onClick=${() => setLarge(!large)}>${t('kiosk_larger_text')}</button>
    <button type="button" aria-expanded=${help} aria-controls="kiosk-help" onClick=${() => setHelp(!help)}>${t('kiosk_help')}</button></div>
    ${help && html`<section id="kiosk-help" class="card help" aria-labelledby="help-h"><h2 id="help-h">${t('kiosk_help_title')}</h2>
      <p>${t('kiosk_help_body')}</p><p>${t('kiosk_help_alternative')}</p><p>${t('kiosk_help_secret')}</p>
      <button type="button" onClick=${() => setHelp(false)}>${t('close')}</button></section>`}`
  const wrap = (cls: string, body: unknown) => html`<section class=${'kiosk ' + cls}>${banner}${countdown}${tools}${body}</section>`

  if (stage === 'code') {
    const groups = groupsOf(check.ok ? check.code : code, codeKind)
    return wrap('narrow', html`<h1 ref=${heading} tabindex="-1">${t('kiosk_title')}</h1>
      <form onSubmit=${lookup} autocomplete="off">
        <div class="field"><label for="code">${t('kiosk_enter_code')}</label>
          <input id="code" class="code" inputmode="text" autocapitalize="characters" spellcheck=${false} aria-describedby="code-hint code-check"
            aria-invalid=${code !== '' && !check.ok} value=${code} onInput=${(e: Event) => { setError(null); setCode((e.currentTarget as HTMLInputElement).value) }} />
          <small id="code-hint">${expect === 'any' ? t('kenc_code_hint_any', { a: CREDENTIAL_LEN, b: CODE_LEN }) : expect === 'credential' ? t('kenc_code_hint', { n: CREDENTIAL_LEN }) : t('kiosk_code_hint', { n: CODE_LEN })}</small></div>
        ${groups.length > 0 && html`<p class="code-groups" aria-label=${t('kiosk_code_groups_label')}>${groups.map((g) => html`<span>${g}</span>`)}</p>`}
        <p id="code-check" class=${check.ok ? 'ok' : 'warn'} aria-live="polite">${error ? '' : codeMessage}</p>
        <${ErrorBox} error=${error} />
        <div class="actions">
          <button type="submit" class="primary big" disabled=${!check.ok || busy}>${t('kiosk_continue')}</button>
          <button type="button" class="big" aria-expanded=${scanning} onClick=${() => setScanning(!scanning)}>${t('kiosk_scan')}</button>
        </div>
      </form>
      ${scanning && html`<${Scanner} onCode=${(text: string) => { setError(null); const r = readCode(text, expect); setCode(r.ok ? groupsOf(r.code, r.kind).join('-') : text); setScanning(false) }} onClose=${() => setScanning(false)} />`}
      ${token && html`<section class="card practice"><h2>${t('kiosk_practice_title')}</h2><p>${t('kiosk_practice_intro')}</p>
        <button type="button" class="big" disabled=${busy} onClick=${practiceBallot}>${t('kiosk_practice_start')}</button></section>`}`)
  }

  if (!ballot) return null
  const blanks = ballot.subjects.filter((s) => !choices[s.official_id]).length
  const startOverButton = html`<button type="button" class="big" onClick=${startOver}>${t('kiosk_start_over')}</button>`
  const groups = ballot.ballot_groups.length > 0 ? ballot.ballot_groups : ['']

  const foot = enc && html`<${KioskFoot} fingerprint=${enc.fingerprint} build=${build} />`
  const failure = error && html`<div class="error" role="alert"><p>${error instanceof ApiError ? error.message : t('kiosk_not_confirmed')}</p></div>`

  if (stage === 'ballot')
    return wrap('', html`<h1 ref=${heading} tabindex="-1">${t(ballot.kind === 'no_confidence' ? 'kiosk_heading_no_confidence' : 'kiosk_heading_confidence')}</h1>
      <p class="sub">${ballot.title} — ${ballot.council} — ${ballot.session_name}</p>
      <p>${t('kiosk_instructions')}</p>
      ${groups.map((g, gi) => html`${groups.length > 1 && html`<h2>${g}</h2>`}
      <ol class="ballot">${ballot.subjects.filter((s) => s.ballot_group === gi || groups.length === 1).map((s) => html`<li>
        <fieldset><legend><span class="name">${s.full_name}</span><span class="post">${s.positions.map((p) => p.title).join('; ')}</span></legend>
          <div class="levels">
            ${[...ballot.levels, null].map((lv) => html`<label class=${'level' + (choices[s.official_id] !== undefined && choices[s.official_id] === lv ? ' chosen' : '')}>
              <input type="radio" name=${'row-' + s.official_id} checked=${choices[s.official_id] !== undefined && choices[s.official_id] === lv}
                onChange=${() => setChoices({ ...choices, [s.official_id]: lv })} />
              <span>${lv ? levelLabel(lv) : t('kiosk_row_blank')}</span></label>`)}
          </div></fieldset></li>`)}</ol>`)}
      <div class="actions"><button type="button" class="big" onClick=${() => history.back()}>${t('kiosk_back')}</button>${startOverButton}
        <button type="button" class="primary big" onClick=${() => go('review')}>${t('kiosk_review')}</button></div>${foot}`)

  if (stage === 'review' || (stage === 'casting' && !enc))
    return wrap('', html`<h1 ref=${heading} tabindex="-1">${t('kiosk_review_title')}</h1>
      <table class="review"><thead><tr><th scope="col">${t('col_name')}</th><th scope="col">${t('kiosk_choice')}</th></tr></thead>
        <tbody>${ballot.subjects.map((s) => html`<tr><th scope="row">${s.full_name}</th>
          <td class=${choices[s.official_id] ? '' : 'blank'}>${choices[s.official_id] ? levelLabel(choices[s.official_id]!) : t('kiosk_row_blank')}</td></tr>`)}</tbody></table>
      ${blanks > 0 && html`<p class="warn">${t('kiosk_review_blank', { n: blanks })}</p>`}
      ${stage === 'casting' && html`<p role="status" class="notice">${retry > 1 ? t('kiosk_retrying', { n: retry }) : t('kiosk_casting')}</p>`}
      ${enc && html`<p>${t('kenc_review_hint')}</p>`}
      ${failure}
      <div class="actions">${stage !== 'casting' && startOverButton}
        <button type="button" class="big" disabled=${stage === 'casting'} onClick=${() => history.back()}>${t('kiosk_edit')}</button>
        ${enc ? html`<button type="button" class="primary big" disabled=${busy} onClick=${seal}>${t('kenc_encrypt')}</button>`
          : html`<button type="button" class="primary big" disabled=${stage === 'casting'} onClick=${cast}>${practice ? t('kiosk_cast_practice') : t('kiosk_cast')}</button>`}
      </div>${foot}`)

  if (stage === 'sealing')
    return wrap('narrow', html`<h1 ref=${heading} tabindex="-1">${t('kenc_sealing_title')}</h1>
      <p>${t('kenc_sealing')}</p>
      <${ProgressBar} id="seal-progress" label=${t('kenc_sealing_label')} value=${progress} />${foot}`)

  if ((stage === 'sealed' || stage === 'casting') && sealed)
    return wrap('narrow', html`<h1 ref=${heading} tabindex="-1">${t('kenc_sealed_title')}</h1>
      <${Sealed} code=${trackingOf(sealed.trackingHash)} practice=${practice} busy=${busy || stage === 'casting'} cast=${castEncrypted} audit=${audit} canAudit=${!!sealed.seed}
        edit=${() => history.back()} />
      ${stage === 'casting' && html`<p role="status" class="notice">${retry > 1 ? t('kiosk_retrying', { n: retry }) : t('kiosk_casting')}</p>`}
      ${failure}${foot}`)

  if (stage === 'audit' && reveal)
    return wrap('narrow', html`<h1 ref=${heading} tabindex="-1">${t('kenc_audit_title_done')}</h1>
      <${Audit} reveal=${reveal} code=${trackingOf(JSON.parse(reveal).tracking_code)} practice=${practice} next=${voteAgain} />${foot}`)

  if (practice)
    return wrap('narrow done', html`<h1 ref=${heading} tabindex="-1">${t('kiosk_practice_done_title')}</h1>
      <p>${t('kiosk_practice_done')}</p>
      <div class="actions"><button type="button" class="primary big" onClick=${wipe}>${t('kiosk_finish')}</button></div>`)
  return wrap('narrow done', html`<h1 ref=${heading} tabindex="-1">${t('kiosk_done_title')}</h1>
    ${receipt && html`<${Receipt} receipt=${receipt.receipt} voteId=${receipt.vote_id} finish=${wipe} />`}
    ${encReceipt && html`<${EncryptedReceiptBox} rec=${encReceipt} finish=${wipe} />`}`)
}
