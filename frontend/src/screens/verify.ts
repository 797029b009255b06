// The observer's verifier page (#/verify, #/verify/<vote>; issue 15 §3): for an observer without a
// terminal, the same checks as tinnhiem-verify, run in this browser in a Web Worker over the public
// record of a published vote — downloaded from the server or opened from a file — and, if given, the
// published documents (minutes, resolution). It shows a bar per check as it runs, the time taken, and
// the report check by check with the first failure and its place; the report can be saved.

import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type PublicVote, saveBlob, unwrap } from '../api'
import { lang, onLangChange, t } from '../i18n'
import { dateShort } from '../format'
import { CHECK_TITLES, tr } from '../record/messages'
import type { Report, Status } from '../record/verify'
import { ErrorBox, errorMessage, Field, FilePicker, html, useLoad, valueOf } from '../ui'
import type { VerifyMessage, VerifyRequest } from './verify.worker'

interface Stage { id: string; done: number; total: number; start: number; end: number }
interface Source { bytes: Uint8Array; label: string; voteId: string }
interface Doc { name: string; bytes: Uint8Array }

/** Seconds as people read them: "3,21 s" in Vietnamese, "3.21 s" in English. */
export function seconds(ms: number): string {
  const s = (ms / 1000).toFixed(2) + ' s'
  return lang() === 'vi' ? s.replace('.', ',') : s
}

const megabytes = (n: number) => {
  const s = n < 1e6 ? Math.max(1, Math.round(n / 1e3)) + ' kB' : (n / 1e6).toFixed(1) + ' MB'
  return lang() === 'vi' ? s.replace('.', ',') : s
}

const STATUS_KEY: Record<Status, 'verify_st_passed' | 'verify_st_failed' | 'verify_st_not_run' | 'verify_st_not_checked'> = {
  passed: 'verify_st_passed', failed: 'verify_st_failed', not_run: 'verify_st_not_run', not_checked: 'verify_st_not_checked',
}

export function VerifyPage({ voteId }: { voteId: string }) {
  const votes = useLoad(() => unwrap(api.GET('/api/v1/public/votes')), [])
  const [chosen, setChosen] = useState(voteId)
  const [source, setSource] = useState<Source | null>(null)
  const [loading, setLoading] = useState('')
  const [loadError, setLoadError] = useState<unknown>(null)
  const [docs, setDocs] = useState<Doc[]>([])
  const [stages, setStages] = useState<Stage[]>([])
  const [running, setRunning] = useState(false)
  const [started, setStarted] = useState(0)
  const [now, setNow] = useState(0)
  const [took, setTook] = useState(0)
  const [report, setReport] = useState<Report | null>(null)
  const [text, setText] = useState('')
  const [names, setNames] = useState<string[]>([])
  const [failed, setFailed] = useState('')
  const worker = useRef<Worker | null>(null)
  const [, force] = useState(0)

  useEffect(() => () => worker.current?.terminate(), [])
  // While it runs, the clock on the page moves (the worker does the work).
  useEffect(() => {
    if (!running) return
    const id = setInterval(() => setNow(performance.now()), 100)
    return () => clearInterval(id)
  }, [running])
  // The report speaks the page's language: switching it checks the record again in the new one.
  const rerun = useRef<() => void>(() => {})
  useEffect(() => onLangChange(() => { force((x) => x + 1); rerun.current() }), [])
  rerun.current = () => { if (report && source && !running && report.lang !== lang()) run(source, docs) }

  const list = votes.data ?? []
  useEffect(() => {
    if (!chosen && list.length > 0) setChosen(list[0].id)
  }, [list.length])

  const download = async () => {
    const v = list.find((x) => x.id === chosen)
    if (!v) return
    setLoadError(null)
    setLoading(t('verify_downloading'))
    try {
      const buf = await unwrap(api.GET('/api/v1/public/votes/{id}/record', { params: { path: { id: v.id } }, parseAs: 'arrayBuffer' }))
      fresh({ bytes: new Uint8Array(buf as ArrayBuffer), label: v.title, voteId: v.id })
    } catch (e) {
      setLoadError(e)
    } finally {
      setLoading('')
    }
  }
  const openFile = async (f: File | undefined) => {
    if (!f) return
    setLoadError(null)
    fresh({ bytes: new Uint8Array(await f.arrayBuffer()), label: f.name, voteId: '' })
  }
  const addDocs = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement
    const files = [...(input.files ?? [])]
    const added = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
    setDocs([...docs.filter((d) => !added.some((a) => a.name === d.name)), ...added])
    input.value = ''
  }
  const reset = () => { setReport(null); setText(''); setStages([]); setFailed(''); setTook(0) }
  /** A new record: whatever ran on the old one stops. */
  const fresh = (src: Source) => {
    worker.current?.terminate()
    worker.current = null
    setRunning(false)
    setSource(src)
    reset()
  }

  const run = (src: Source, ds: Doc[]) => {
    worker.current?.terminate()
    reset()
    const w = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' })
    worker.current = w
    const t0 = performance.now()
    setStarted(t0)
    setNow(t0)
    setRunning(true)
    const seen: Stage[] = []
    w.onmessage = (e: MessageEvent<VerifyMessage>) => {
      const m = e.data
      const at = performance.now()
      if (m.type === 'progress') {
        let s = seen.find((x) => x.id === m.stage)
        if (!s) {
          const prev = seen[seen.length - 1]
          if (prev && !prev.end) prev.end = at
          s = { id: m.stage, done: 0, total: 1, start: at, end: 0 }
          seen.push(s)
        }
        s.done = m.done
        s.total = Math.max(1, m.total)
        setStages(seen.map((x) => ({ ...x })))
        return
      }
      const last = seen[seen.length - 1]
      if (last && !last.end) last.end = at
      setStages(seen.map((x) => ({ ...x })))
      setTook(at - t0)
      setRunning(false)
      w.terminate()
      worker.current = null
      if (m.type === 'error') return setFailed(t('verify_failed_detail', { detail: m.message })) // the worker's words: under the English UI only
      setReport(m.report)
      setText(m.text)
      setNames(m.names)
    }
    w.onerror = (e) => {
      setRunning(false)
      setFailed(e.message ? t('verify_worker_failed_detail', { detail: e.message }) : t('verify_worker_failed'))
      w.terminate()
      worker.current = null
    }
    const req: VerifyRequest = { bytes: src.bytes, lang: lang(), documents: ds }
    w.postMessage(req)
  }
  const stop = () => {
    worker.current?.terminate()
    worker.current = null
    setRunning(false)
    setFailed(t('verify_stopped'))
  }

  const l = lang()
  return html`<section class="verify" aria-labelledby="verify-h">
    <h1 id="verify-h">${t('verify_title')}</h1>
    <p>${t('verify_intro')}</p>
    <p class="sub">${t('verify_private')}</p>

    <section class="card" aria-labelledby="v-src-h"><h2 id="v-src-h">${t('verify_step_record')}</h2>
      <div class="row">
        <${Field} id="v-vote" label=${t('verify_vote')}>
          <select id="v-vote" value=${chosen} disabled=${list.length === 0} onChange=${(e: Event) => setChosen(valueOf(e))}>
            ${list.length === 0 && html`<option value="">${votes.data ? t('public_none') : t('loading')}</option>`}
            ${list.map((v: PublicVote) => html`<option value=${v.id}>${v.title} — ${v.council} (${dateShort(v.vote_date)})</option>`)}</select><//>
        <button type="button" class="primary" disabled=${!chosen || !!loading || running} onClick=${download}>${t('verify_download')}</button>
      </div>
      <${ErrorBox} error=${votes.error} retry=${votes.reload} />
      <p class="sub">${t('verify_or_file')}</p>
      <${FilePicker} id="v-file" label=${t('verify_open_file')} accept=".json,application/json" onPick=${openFile} chosen=${source && !source.voteId ? source.label : ''} none=${t('file_none')} />
      ${loading && html`<p role="status">${loading}</p>`}
      ${!!loadError && html`<div class="error" role="alert"><p>${errorMessage(loadError)}</p></div>`}
      ${source && html`<p class="notice" role="status" data-testid="record-loaded">${t('verify_loaded', { what: source.label, size: megabytes(source.bytes.length) })}
        ${source.voteId && html` <button type="button" class="link" onClick=${() => saveBlob(new Blob([source.bytes as BlobPart], { type: 'application/json' }), `tinnhiem-record-${source.voteId}.json`)}>${t('verify_save_record')}</button>`}</p>`}
    </section>

    <section class="card" aria-labelledby="v-docs-h"><h2 id="v-docs-h">${t('verify_step_docs')}</h2>
      <p class="sub">${t('verify_docs_intro')}</p>
      <div class="field file-picker">
        <input id="v-docs" class="visually-hidden" type="file" multiple onChange=${addDocs} />
        <label for="v-docs" class="button">${t('verify_add_docs')}</label>
        <small aria-live="polite">${docs.length === 0 ? t('verify_docs_none') : t('verify_docs_n', { n: docs.length })}</small></div>
      ${docs.length > 0 && html`<ul class="docs-added">${docs.map((d, i) => html`<li><span>${d.name}${names[i] && names[i] !== d.name ? html` <small>(${t('verify_doc_is', { name: names[i] })})</small>` : ''}</span>
        <button type="button" class="link" disabled=${running} onClick=${() => setDocs(docs.filter((x) => x !== d))}>${t('verify_doc_remove', { name: d.name })}</button></li>`)}</ul>`}
    </section>

    <div class="actions">
      <button type="button" class="primary big" disabled=${!source || running} onClick=${() => source && run(source, docs)}>${report ? t('verify_again') : t('verify_run')}</button>
      ${running && html`<button type="button" class="big" onClick=${stop}>${t('verify_stop')}</button>`}
    </div>

    ${(running || stages.length > 0) && html`<section class="card progress-card" aria-labelledby="v-prog-h"><h2 id="v-prog-h">${t('verify_progress')}</h2>
      <p role="status" data-testid="verify-clock">${running ? t('verify_running', { s: seconds(now - started) }) : t('verify_took', { s: seconds(took) })}</p>
      <ol class="stages">${stages.map((s) => {
        const title = CHECK_TITLES[s.id] ? tr(l, CHECK_TITLES[s.id]) : s.id
        const finished = s.end > 0
        return html`<li class=${finished ? 'done' : 'current'}><span class="stage-title" id=${'st-' + s.id}>${title}</span>
          <progress max=${s.total} value=${finished ? s.total : s.done} aria-labelledby=${'st-' + s.id}></progress>
          <span class="stage-time">${finished ? seconds(s.end - s.start) : `${Math.round((100 * s.done) / s.total)} %`}</span></li>`
      })}</ol>
    </section>`}

    ${failed && html`<p class="error" role="alert">${failed}</p>`}
    ${report && html`<${ReportView} report=${report} text=${text} took=${took} docsGiven=${docs.length} />`}
  </section>`
}

function ReportView({ report, text, took, docsGiven }: { report: Report; text: string; took: number; docsGiven: number }) {
  const ok = report.failure === null && report.checks.every((c) => c.status !== 'failed')
  const l = report.lang
  const failTitle = report.failure ? (CHECK_TITLES[report.failure.check] ? tr(l, CHECK_TITLES[report.failure.check]) : report.failure.check) : ''
  const notChecked = report.documents.filter((d) => d.status === 'not_checked').length
  const save = () => saveBlob(new Blob([text], { type: 'text/plain;charset=utf-8' }), `bao-cao-kiem-tra-${report.voteId || 'ban-ghi'}.txt`)
  return html`<section class="card report" aria-labelledby="v-rep-h" data-testid="verify-report">
    <h2 id="v-rep-h">${t('verify_report')}</h2>
    <p class=${ok ? 'notice verdict' : 'error verdict'} role="status" data-testid="verify-verdict"><strong>${ok ? t('verify_ok') : t('verify_bad')}</strong>
      ${' '}${t('verify_took_all', { s: seconds(took), v: seconds(report.elapsedMs) })}</p>
    ${report.lang !== lang() && html`<p class="sub">${t('verify_lang_rerun')}</p>`}
    <dl class="report-head">
      ${report.title && html`<div><dt>${t('verify_r_vote')}</dt><dd>${report.title}</dd></div>`}
      ${report.council && html`<div><dt>${t('verify_r_council')}</dt><dd>${report.council}</dd></div>`}
      ${report.mode && html`<div><dt>${t('verify_r_mode')}</dt><dd>${report.mode === 'plain' ? t('verify_mode_plain') : t('verify_mode_encrypted')}</dd></div>`}
    </dl>
    ${report.failure && html`<div class="error failure" role="alert"><p><strong>${t('verify_first_failure', { check: failTitle, place: report.failure.place })}</strong></p>
      <p>${report.failure.message}</p>${report.failure.field && html`<p><small>${t('verify_json_path')} <code>${report.failure.field}</code></small></p>`}</div>`}
    <div class="table-wrap" role="region" tabindex="0" aria-label=${t('verify_checks')}><table class="checks">
      <caption>${t('verify_checks')}</caption>
      <thead><tr><th scope="col">${t('verify_col_status')}</th><th scope="col">${t('verify_col_check')}</th><th scope="col">${t('verify_col_items')}</th>
        <th scope="col">${t('verify_col_detail')}</th><th scope="col">${t('verify_col_time')}</th></tr></thead>
      <tbody>${report.checks.map((c) => html`<tr class=${'st-' + c.status}><td><span class=${'badge' + (c.status === 'passed' ? ' ok' : c.status === 'failed' ? ' bad' : '')}>${t(STATUS_KEY[c.status])}</span></td>
        <th scope="row">${c.title}</th><td class="num">${c.status === 'not_run' ? '' : c.items}</td><td>${c.status === 'not_run' ? t('verify_not_run_after') : c.detail}</td>
        <td class="num">${c.status === 'passed' || c.status === 'failed' ? seconds(c.elapsedMs) : ''}</td></tr>`)}</tbody>
    </table></div>
    ${report.documents.length > 0 && html`<h3>${t('verify_documents')}</h3>
      <ul class="doc-results">${report.documents.map((d) => html`<li><span class=${'badge' + (d.status === 'passed' ? ' ok' : d.status === 'failed' ? ' bad' : '')}>${t(STATUS_KEY[d.status])}</span>
        <span>${d.name}</span> <code>${d.sha256.slice(0, 16)}…</code> <span>${d.status === 'passed' ? t('verify_doc_match') : d.status === 'failed' ? t('verify_doc_nomatch') : t('verify_doc_not_given')}</span></li>`)}</ul>
      ${notChecked > 0 && docsGiven === 0 && html`<p class="sub">${t('verify_docs_hint')}</p>`}`}
    ${report.notes.length > 0 && html`<h3>${t('verify_notes')}</h3><ul>${report.notes.map((n) => html`<li>${n}</li>`)}</ul>`}
    <div class="actions"><button type="button" class="primary" onClick=${save}>${t('verify_save_report')}</button></div>
    <details><summary>${t('verify_text')}</summary><pre class="report-text">${text}</pre></details>
  </section>`
}
