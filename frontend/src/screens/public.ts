// Public results of a published vote: the table, the resolution to download, and "is my ballot
// counted?" (a receipt look-up, done in the page: the list of receipts is public). The answer is
// kept as a fact and worded at render time, so it follows the language switch.

import { useState } from 'preact/hooks'
import { api, PublicResult, PublicVote, unwrap } from '../api'
import { t } from '../i18n'
import { dateShort } from '../format'
import { Field, Fingerprint, html, Loaded, ResultsTable, useLoad, valueOf } from '../ui'

export function PublicResults({ voteId, receipt }: { voteId: string; receipt: string }) {
  return voteId ? html`<${PublicVoteView} key=${voteId} voteId=${voteId} receipt=${receipt} />` : html`<${PublishedList} />`
}

function PublishedList() {
  const list = useLoad(() => unwrap(api.GET('/api/v1/public/votes')), [])
  return html`<section><h1>${t('public_list')}</h1>
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
