// Public results of a published vote: the table, the resolution to download, the public record and
// the observer's verifier, and "is my ballot counted?" (a receipt look-up, done in the page: the list
// of receipts is public). The tracking-code page (#/public/track[/<vote>]) asks the server whether a
// tracking code is recorded — for an open or a published vote, only for the code asked about. Answers
// are kept as facts and worded at render time, so they follow the language switch.

import { useEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError, PublicResult, PublicVote, type Schemas, unwrap } from '../api'
import { t } from '../i18n'
import { dateShort } from '../format'
import { ErrorBox, Field, FilePicker, Fingerprint, html, Loaded, ResultsTable, useLoad, valueOf } from '../ui'
import { decodeFile, useCameraScan } from './kiosk/scan'

export function PublicResults({ voteId, receipt }: { voteId: string; receipt: string }) {
  if (voteId === 'track') return html`<${TrackingPage} key=${receipt} voteId=${receipt} />`
  return voteId ? html`<${PublicVoteView} key=${voteId} voteId=${voteId} receipt=${receipt} />` : html`<${PublishedList} />`
}

/** The public tools beside the results: the tracking-code check and the record's verifier. */
function PublicTools({ voteId }: { voteId?: string }) {
  return html`<ul class="public-tools">
    <li><a class="button" href=${'#/public/track' + (voteId ? '/' + voteId : '')}>${t('track_title')}</a></li>
    <li><a class="button" href=${'#/verify' + (voteId ? '/' + voteId : '')}>${t('verify_title_short')}</a></li>
    ${voteId && html`<li><a class="button" href=${`/api/v1/public/votes/${voteId}/record`} download=${`tinnhiem-record-${voteId}.json`}>${t('public_record_download')}</a></li>`}
  </ul>`
}

function PublishedList() {
  const list = useLoad(() => unwrap(api.GET('/api/v1/public/votes')), [])
  return html`<section><h1>${t('public_list')}</h1>
    <${PublicTools} />
    <${Loaded} state=${list}>${(vs: PublicVote[]) => vs.length === 0 ? html`<p class="empty">${t('public_none')}</p>`
      : html`<ul class="votes">${vs.map((v) => html`<li><a href=${'#/public/' + v.id}>${v.title}</a>
        <span>${v.council} — ${dateShort(v.vote_date)} — ${t('public_resolution', { n: v.resolution_number })}</span></li>`)}</ul>`}<//></section>`
}

/** A receipt as typed: upper or lower case, spaces and dashes ignored, look-alike letters read as digits. */
export function normalReceipt(typed: string): string {
  const want = typed.trim().toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return want.length === 8 ? want.slice(0, 4) + '-' + want.slice(4) : typed.trim().toUpperCase()
}

function PublicVoteView({ voteId, receipt: initial }: { voteId: string; receipt: string }) {
  const res = useLoad(() => unwrap(api.GET('/api/v1/public/votes/{id}/results', { params: { path: { id: voteId } } })), [voteId])
  const [receipt, setReceipt] = useState(decodeURIComponent(initial))
  const [answer, setAnswer] = useState<{ r: string; found: boolean } | null>(null)
  return html`<section class="public"><${Loaded} state=${res}>${(r: PublicResult) => {
    const check = (e: Event) => {
      e.preventDefault()
      const norm = normalReceipt(receipt)
      setAnswer({ r: norm, found: r.receipts.includes(norm) })
    }
    return html`<h1>${r.vote.title}</h1>
      <p class="sub">${r.vote.council} — ${r.vote.session_name} — ${dateShort(r.vote.vote_date)}</p>
      <p><a class="button" href=${`/api/v1/public/votes/${voteId}/resolution.pdf`} target="_blank" rel="noopener">${t('public_resolution', { n: r.vote.resolution_number })}</a></p>
      <${ResultsTable} tally=${r} />
      <${Fingerprint} hash=${r.tally_hash} />
      <section class="card"><h2>${t('public_record_title')}</h2><p>${t('public_record_intro')}</p><${PublicTools} voteId=${voteId} /></section>
      <section class="card"><h2>${t('public_receipt_check')}</h2>
        <form class="row" onSubmit=${check}>
          <${Field} id="receipt" label=${t('public_receipt_label')}><input id="receipt" class="code" value=${receipt} onInput=${(e: Event) => setReceipt(valueOf(e))} required /><//>
          <button type="submit" class="primary">${t('public_show')}</button>
        </form>
        ${answer && html`<p role="status" class=${answer.found ? 'notice' : 'warn-box card'}>${t(answer.found ? 'public_receipt_found' : 'public_receipt_missing', { r: answer.r })}</p>`}
        <details><summary>${t('public_receipts', { n: r.receipts.length })}</summary><p class="receipts">${r.receipts.join(' · ')}</p></details>
      </section>`
  }}<//></section>`
}

// ---- the tracking code ----

type TrackingAnswer = Schemas['TrackingAnswer']
/** A vote in progress as GET /api/v1/public/current-votes lists it (read untyped: the route is new). */
interface CurrentVote { id: string; title: string; council: string; status: string; ballot_mode: string; vote_date: string }

/** Votes in progress whose tracking codes can be asked about: the encrypted ones. [] without the route. */
async function currentVotes(): Promise<CurrentVote[]> {
  const r = await fetch('/api/v1/public/current-votes', { headers: { Accept: 'application/json' } })
  if (!r.ok) return []
  const list = (await r.json()) as CurrentVote[]
  return Array.isArray(list) ? list.filter((v) => v.ballot_mode === 'encrypted' && v.status !== 'published' && v.status !== 'cancelled') : []
}

/** Whether a typed code is a plain vote's receipt (8 characters: "K7QD-2MXA"), not a tracking code. */
export const isReceipt = (typed: string) => /^[0-9A-Z]{8}$/i.test(typed.trim().replace(/[\s-]/g, ''))

/** A tracking code as typed, shown in groups of four ("ABCD-EFGH-JKMN-PQRS"); a receipt's QR content as it is. */
export function trackingGroups(typed: string): string {
  const s = typed.trim()
  if (/^tn1r:/i.test(s) || s.length > 24) return s
  const c = s.toUpperCase().replace(/[\s-]/g, '')
  return c.match(/.{1,4}/g)?.join('-') ?? ''
}

/** The answer, as a fact: worded at render time. */
type Found =
  | { kind: 'tracking'; a: TrackingAnswer; title: string }
  | { kind: 'receipt'; code: string; found: boolean; title: string }

function TrackingPage({ voteId }: { voteId: string }) {
  const published = useLoad(() => unwrap(api.GET('/api/v1/public/votes')), [])
  const current = useLoad(currentVotes, [])
  const [chosen, setChosen] = useState(voteId)
  const [code, setCode] = useState('')
  const [scanning, setScanning] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [found, setFound] = useState<Found | null>(null)
  const all = [...(current.data ?? []).map((v) => ({ id: v.id, title: v.title, council: v.council, date: v.vote_date, open: true })),
    ...(published.data ?? []).map((v) => ({ id: v.id, title: v.title, council: v.council, date: v.vote_date, open: false }))]
  useEffect(() => {
    if (!chosen && all.length > 0) setChosen(all[0].id)
  }, [all.length])
  const vote = all.find((v) => v.id === chosen)
  // The code in groups of four, shown under the field when it reads differently from what was typed.
  const groups = code.trim() && trackingGroups(code) !== code.trim() ? trackingGroups(code) : ''
  const ask = async (e: Event) => {
    e.preventDefault()
    if (!vote) return
    setBusy(true)
    setError(null)
    setFound(null)
    // A published vote of plain ballots has receipts (8 characters), not tracking codes: its public
    // list answers (the page cannot tell the vote's ballot mode otherwise: PublicVote does not say it).
    const receipts = async () => {
      const r = await unwrap(api.GET('/api/v1/public/votes/{id}/results', { params: { path: { id: vote.id } } }))
      const norm = normalReceipt(code)
      setFound({ kind: 'receipt', code: norm, found: r.receipts.includes(norm), title: vote.title })
    }
    try {
      if (!vote.open && isReceipt(code)) await receipts()
      else {
        try {
          const a = await unwrap(api.POST('/api/v1/tracking-codes/lookup', { body: { vote_id: vote.id, tracking_code: code.trim() } }))
          setFound({ kind: 'tracking', a, title: vote.title })
        } catch (err) {
          if (err instanceof ApiError && err.status === 404 && !vote.open) await receipts()
          else throw err
        }
      }
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return html`<section class="track-page" aria-labelledby="track-h"><h1 id="track-h">${t('track_title')}</h1>
    <p>${t('track_intro')}</p>
    <form class="card" onSubmit=${ask}>
      <${Field} id="t-vote" label=${t('track_vote')}>
        <select id="t-vote" required value=${chosen} onChange=${(e: Event) => { setChosen(valueOf(e)); setFound(null) }}>
          ${all.length === 0 && html`<option value="">${published.loading || current.loading ? t('loading') : t('track_no_votes')}</option>`}
          ${(current.data ?? []).length > 0 && html`<optgroup label=${t('track_group_open')}>${(current.data ?? []).map((v) => html`<option value=${v.id}>${v.title} — ${v.council}</option>`)}</optgroup>`}
          ${(published.data ?? []).length > 0 && html`<optgroup label=${t('track_group_published')}>${(published.data ?? []).map((v: PublicVote) => html`<option value=${v.id}>${v.title} — ${v.council} (${dateShort(v.vote_date)})</option>`)}</optgroup>`}
        </select><//>
      <${Field} id="t-code" label=${t('track_code')} hint=${t('track_code_hint')}>
        <input id="t-code" class="code" required maxlength="200" autocomplete="off" spellcheck=${false} aria-describedby=${'t-code-hint' + (groups ? ' t-code-groups' : '')} value=${code}
          onInput=${(e: Event) => { setCode(valueOf(e)); setFound(null) }} /><//>
      ${groups && html`<p class="code-groups" id="t-code-groups" aria-live="polite">${groups}</p>`}
      <div class="actions">
        <button type="submit" class="primary big" disabled=${busy || !vote}>${t('track_check')}</button>
        <button type="button" class="big" onClick=${() => setScanning(!scanning)}>${scanning ? t('track_scan_stop') : t('track_scan')}</button>
      </div>
    </form>
    ${scanning && html`<${ReceiptScanner} onCode=${(text: string) => {
      // A plain vote's receipt QR is a link to its public page: #/public/<vote>/<receipt>.
      const link = /#\/public\/([^/]+)\/([^/?#]+)/.exec(text)
      if (link) { setChosen(link[1]); setCode(decodeURIComponent(link[2])) } else setCode(text)
      setScanning(false)
      setFound(null)
    }} />`}
    <${ErrorBox} error=${error} />
    ${found && html`<${TrackingFound} found=${found} voteId=${chosen} />`}
    <p class="sub">${t('track_privacy')}</p>
  </section>`
}

function TrackingFound({ found, voteId }: { found: Found; voteId: string }) {
  let cls = 'notice'
  let text: string
  let after = ''
  let published = false
  if (found.kind === 'receipt') {
    text = t(found.found ? 'public_receipt_found' : 'public_receipt_missing', { r: found.code })
    if (!found.found) { cls = 'warn-box card'; after = t('track_not_found_next') }
    published = true
  } else {
    const { a } = found
    published = a.status === 'published'
    const counted = a.status === 'open' ? t('track_counted_later') : t('track_counted')
    if (a.recorded && !a.spoiled) text = t('track_recorded', { code: a.tracking_code, counted })
    else if (a.spoiled) { cls = 'warn-box card'; text = t('track_spoiled', { code: a.tracking_code }); after = t('track_spoiled_next') }
    else { cls = 'warn-box card'; text = t('track_not_found', { code: a.tracking_code }); after = t('track_not_found_next') }
  }
  return html`<section class=${'track-answer ' + cls} role="status" data-testid="track-answer">
    <p><strong>${found.title}</strong></p><p>${text}</p>${after && html`<p>${after}</p>`}
    ${published && html`<p>${t(found.kind === 'receipt' ? 'track_after_publication_plain' : 'track_after_publication')}</p><ul class="public-tools">
      <li><a class="button" href=${`/api/v1/public/votes/${voteId}/record`} download=${`tinnhiem-record-${voteId}.json`}>${t('public_record_download')}</a></li>
      <li><a class="button" href=${'#/verify/' + voteId}>${t('verify_title_short')}</a></li></ul>`}
  </section>`
}

/** Reads the receipt's QR: the camera where there is one (jsQR where the browser has no detector), or a photo. */
function ReceiptScanner({ onCode }: { onCode: (text: string) => void }) {
  const video = useRef<HTMLVideoElement>(null)
  const { status, setStatus, camera } = useCameraScan(video, onCode, { starting: t('track_scan_starting'), looking: t('track_scan_looking'), noCamera: t('track_scan_no_camera') })
  const [photo, setPhoto] = useState('')
  const pick = async (f: File | undefined) => {
    if (!f) return
    setPhoto(f.name)
    const text = await decodeFile(f).catch(() => null)
    if (text) onCode(text)
    else setStatus(t('track_scan_photo_none'))
  }
  return html`<section class="scanner card" aria-labelledby="tscan-h"><h2 id="tscan-h">${t('track_scan')}</h2>
    <p role="status" aria-live="polite">${status}</p>
    ${camera && html`<video ref=${video} class="scan" muted playsinline aria-label=${t('scan_video_label')}></video>`}
    <${FilePicker} id="tscan-file" label=${t('track_scan_photo')} accept="image/*" capture="environment" onPick=${pick} chosen=${photo} none=${t('file_none')} />
  </section>`
}
