// Public results of a published vote: the table, the resolution to download, and "is my ballot
// counted?" (a receipt look-up, done in the page: the list of receipts is public).

import { useState } from 'preact/hooks'
import { PublicResult } from '../api'
import { t } from '../i18n'
import { dateShort } from '../format'
import { ErrorBox, Field, ResultsTable, html, useApi } from '../ui'

export function PublicResults({ voteId }: { voteId: string }) {
  return voteId ? html`<${PublicVote} key=${voteId} voteId=${voteId} />` : html`<${PublishedList} />`
}

function PublishedList() {
  const list = useApi<{ id: string; title: string; council: string; vote_date: string; resolution_number: string }[]>('/api/v1/public/votes')
  return html`<section><h1>${t('public_list')}</h1>
    <${ErrorBox} error=${list.error} />
    ${list.data && list.data.length === 0 && html`<p>${t('public_none')}</p>`}
    <ul class="votes">${(list.data ?? []).map((v) => html`<li><a href=${'#/public/' + v.id}>${v.title}</a>
      <span>${v.council} — ${dateShort(v.vote_date)} — ${t('public_resolution', { n: v.resolution_number })}</span></li>`)}</ul></section>`
}

function PublicVote({ voteId }: { voteId: string }) {
  const res = useApi<PublicResult>(`/api/v1/public/votes/${voteId}/results`)
  const [receipt, setReceipt] = useState('')
  const [answer, setAnswer] = useState('')
  if (!res.data) return html`<section><${ErrorBox} error=${res.error} /></section>`
  const r = res.data
  const check = (e: Event) => {
    e.preventDefault()
    // As typed: any case, look-alike letters read as the digits the receipts use.
    const want = receipt.trim().toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
    const norm = want.length === 8 ? want.slice(0, 4) + '-' + want.slice(4) : receipt.trim().toUpperCase()
    setAnswer(r.receipts.includes(norm) ? t('public_receipt_found', { r: norm }) : t('public_receipt_missing', { r: norm }))
  }
  return html`<section class="public">
    <h1>${r.vote.title}</h1>
    <p class="sub">${r.vote.council} — ${r.vote.session_name} — ${dateShort(r.vote.vote_date)}</p>
    <p><a class="button" href=${`/api/v1/public/votes/${voteId}/resolution.pdf`} target="_blank" rel="noopener">${t('public_resolution', { n: r.vote.resolution_number })}</a></p>
    <${ResultsTable} tally=${r} />
    <section class="card"><h2>${t('public_receipt_check')}</h2>
      <form class="row" onSubmit=${check}>
        <${Field} id="receipt" label=${t('public_receipt_label')}><input id="receipt" class="code" value=${receipt} onInput=${(e: any) => setReceipt(e.target.value)} required /><//>
        <button type="submit" class="primary">${t('public_show')}</button>
      </form>
      ${answer && html`<p role="status" class="notice">${answer}</p>`}
      <details><summary>${t('public_receipts', { n: r.receipts.length })}</summary><p class="receipts">${r.receipts.join(' · ')}</p></details>
    </section></section>`
}
