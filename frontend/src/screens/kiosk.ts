// The delegate's ballot: no login, nothing stored in the browser. Enter or scan the one-time code,
// mark the ballot (a row may stay blank), review, cast; a lost answer is retried with the very same
// submission (the server returns the same receipt), and no success is shown before the server's.
// The receipt stays on screen for a short time, then the screen wipes itself for the next person.

import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, Ballot, toError } from '../api'
import { formatCode, parseCode } from '../code'
import { Key, lang, setLang, t } from '../i18n'
import { ErrorBox, Field, html, levelLabel } from '../ui'

export const WIPE_SECONDS = 20
export const IDLE_SECONDS = 90 // a ballot left alone this long is wiped, whatever its step
const RETRIES = 6

type Stage = 'code' | 'ballot' | 'review' | 'casting' | 'done'

/** Sends one submission until the server answers (retrying on network errors and 5xx/429 only). */
export async function castWithRetry(body: unknown, onRetry: (n: number) => void, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  let lastError: unknown = null
  for (let attempt = 1; attempt <= RETRIES; attempt++) {
    if (attempt > 1) {
      onRetry(attempt)
      await sleep(Math.min(4000, 400 * 2 ** (attempt - 2)))
    }
    let res: Response
    try {
      res = await fetch('/api/v1/ballots', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': lang() }, body: JSON.stringify(body) })
    } catch (e) {
      lastError = e
      continue
    }
    if (res.ok) return (await res.json()) as { receipt: string; replay: boolean }
    const err = await toError(res)
    if (res.status >= 500 || res.status === 429) {
      lastError = err
      continue
    }
    throw err
  }
  throw lastError ?? new Error('network')
}

export function Kiosk() {
  const [stage, setStage] = useState<Stage>('code')
  const [code, setCode] = useState('')
  const [ballot, setBallot] = useState<Ballot | null>(null)
  const [choices, setChoices] = useState<Record<string, string | null | undefined>>({})
  const [error, setError] = useState<unknown>(null)
  const [receipt, setReceipt] = useState('')
  const [retry, setRetry] = useState(0)
  const [left, setLeft] = useState(WIPE_SECONDS)
  const [scanning, setScanning] = useState(false)
  const video = useRef<HTMLVideoElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const lastActivity = useRef(Date.now())

  const wipe = () => {
    setStage('code'); setCode(''); setBallot(null); setChoices({}); setError(null); setReceipt(''); setRetry(0); setLeft(WIPE_SECONDS)
    setLang('vi') // the next delegate starts in Vietnamese
  }
  // Any step left alone too long is wiped, so the next person never sees someone else's ballot.
  useEffect(() => {
    const touch = () => { lastActivity.current = Date.now() }
    addEventListener('pointerdown', touch)
    addEventListener('keydown', touch)
    const id = setInterval(() => {
      if (Date.now() - lastActivity.current > IDLE_SECONDS * 1000 && stage !== 'casting') wipe()
    }, 5000)
    return () => { removeEventListener('pointerdown', touch); removeEventListener('keydown', touch); clearInterval(id) }
  }, [stage])
  // Each step starts at its heading, for keyboards and screen readers.
  useEffect(() => { heading.current?.focus() }, [stage])
  useEffect(() => {
    if (stage !== 'done') return
    const id = setInterval(() => setLeft((s) => s - 1), 1000)
    return () => clearInterval(id)
  }, [stage])
  useEffect(() => {
    if (stage === 'done' && left <= 0) wipe()
  }, [left, stage])

  const check = parseCode(code)
  const codeMessage = code === '' ? '' : check.ok ? t('kiosk_code_ok') : t(('kiosk_code_' + check.reason) as Key)

  const lookup = async (e?: Event) => {
    e?.preventDefault()
    if (!check.ok) return
    setError(null)
    try {
      const res = await fetch('/api/v1/ballots/lookup', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': lang() }, body: JSON.stringify({ code: check.code }) })
      if (!res.ok) throw await toError(res)
      const b = (await res.json()) as Ballot
      setBallot(b)
      setChoices({}) // nothing chosen: a row left alone is blank
      setStage('ballot')
    } catch (err) {
      setError(err)
    }
  }

  const scan = async () => {
    const Detector = (window as any).BarcodeDetector
    if (!Detector || !navigator.mediaDevices) {
      setError(new ApiError(0, 'scan', t('kiosk_scan_unavailable')))
      return
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
      setScanning(true)
      const detector = new Detector({ formats: ['qr_code'] })
      const v = video.current!
      v.srcObject = stream
      await v.play()
      const stop = () => { stream.getTracks().forEach((tr) => tr.stop()); setScanning(false) }
      const tick = async () => {
        if (!v.srcObject) return
        const found = await detector.detect(v).catch(() => [])
        if (found.length > 0) { setCode(formatCode(found[0].rawValue)); stop(); return }
        requestAnimationFrame(tick)
      }
      tick()
    } catch {
      setError(new ApiError(0, 'scan', t('kiosk_scan_unavailable')))
    }
  }

  const cast = async () => {
    if (!ballot || !check.ok) return
    setStage('casting')
    setError(null)
    const body = { code: check.code, choices: ballot.subjects.map((s) => ({ official_id: s.official_id, level: choices[s.official_id] ?? null })) }
    try {
      const r = await castWithRetry(body, setRetry)
      setReceipt(r.receipt)
      setStage('done')
    } catch (err) {
      setError(err)
      setStage('review')
    }
  }

  if (stage === 'code')
    return html`<section class="kiosk narrow"><h1 ref=${heading} tabindex="-1">${t('kiosk_title')}</h1>
      <form onSubmit=${lookup} autocomplete="off">
        <${Field} id="code" label=${t('kiosk_enter_code')} hint=${t('kiosk_code_hint')}>
          <input id="code" class="code" inputmode="text" autocapitalize="characters" spellcheck=${false} aria-describedby="code-hint code-check"
            aria-invalid=${code !== '' && !check.ok} value=${code} onInput=${(e: any) => setCode(e.target.value)} />
        <//>
        <p id="code-check" class=${check.ok ? 'ok' : 'warn'} aria-live="polite">${error ? '' : codeMessage}</p>
        <${ErrorBox} error=${error} />
        <div class="actions">
          <button type="submit" class="primary big" disabled=${!check.ok}>${t('kiosk_continue')}</button>
          <button type="button" class="big" onClick=${scan}>${t('kiosk_scan')}</button>
        </div>
        <video ref=${video} class=${scanning ? 'scan' : 'hidden'} muted playsinline aria-hidden="true"></video>
      </form></section>`

  if (!ballot) return null
  const blanks = ballot.subjects.filter((s) => !choices[s.official_id]).length
  const startOver = html`<button type="button" class="big" onClick=${wipe}>${t('kiosk_start_over')}</button>`
  const groups = ballot.ballot_groups.length > 0 ? ballot.ballot_groups : ['']

  if (stage === 'ballot')
    return html`<section class="kiosk"><h1 ref=${heading} tabindex="-1">${t(ballot.kind === 'no_confidence' ? 'kiosk_heading_no_confidence' : 'kiosk_heading_confidence')}</h1>
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
      <div class="actions">${startOver}<button type="button" class="primary big" onClick=${() => setStage('review')}>${t('kiosk_review')}</button></div>
    </section>`

  if (stage === 'review' || stage === 'casting')
    return html`<section class="kiosk"><h1 ref=${heading} tabindex="-1">${t('kiosk_review_title')}</h1>
      <table class="review"><thead><tr><th scope="col">${t('col_name')}</th><th scope="col">${t('kiosk_choice')}</th></tr></thead>
        <tbody>${ballot.subjects.map((s) => html`<tr><th scope="row">${s.full_name}</th>
          <td class=${choices[s.official_id] ? '' : 'blank'}>${choices[s.official_id] ? levelLabel(choices[s.official_id]!) : t('kiosk_row_blank')}</td></tr>`)}</tbody></table>
      ${blanks > 0 && html`<p class="warn">${t('kiosk_review_blank', { n: blanks })}</p>`}
      ${stage === 'casting' && html`<p role="status" class="notice">${retry > 1 ? t('kiosk_retrying', { n: retry }) : t('kiosk_casting')}</p>`}
      ${error && html`<div class="error" role="alert"><p>${error instanceof ApiError ? error.message : t('kiosk_not_confirmed')}</p></div>`}
      <div class="actions">${stage !== 'casting' && startOver}
        <button type="button" class="big" disabled=${stage === 'casting'} onClick=${() => setStage('ballot')}>${t('kiosk_edit')}</button>
        <button type="button" class="primary big" disabled=${stage === 'casting'} onClick=${cast}>${t('kiosk_cast')}</button>
      </div></section>`

  return html`<section class="kiosk narrow done"><h1 ref=${heading} tabindex="-1">${t('kiosk_done_title')}</h1>
    <p>${t('kiosk_receipt')}</p><p class="receipt" data-testid="receipt">${receipt}</p>
    <p>${t('kiosk_receipt_hint')}</p><p class="sub">${t('kiosk_wipe', { s: left })}</p>
    <div class="actions"><button type="button" class="primary big" onClick=${wipe}>${t('kiosk_finish')}</button></div></section>`
}
