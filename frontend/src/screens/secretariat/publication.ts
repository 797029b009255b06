// Publication: the certified results (the board's table) beside the publish button, the resolution's
// number and date, its preview in the browser; after publishing, the resolution's number, the portal
// date, resignations and the no-confidence follow-up.

import { useState } from 'preact/hooks'
import { api, unwrap, Vote, VoteInput } from '../../api'
import { t } from '../../i18n'
import { dateShort, today as localToday } from '../../format'
import { DateInput, ErrorBox, Feedback, Field, Fingerprint, html, Loaded, ResultsTable, useAction, useLoad, valueOf } from '../../ui'
import { PreviewDialog } from './preview'

/** Opens the resolution's HTML preview (fetched with the login). */
export function useResolutionPreview(voteId: string) {
  const [source, setSource] = useState<string | null>(null)
  const a = useAction()
  const open = () => a.run(async () => setSource(await unwrap(api.GET('/api/v1/votes/{id}/documents/resolution.html', { params: { path: { id: voteId } }, parseAs: 'text' }))))
  const dialog = source !== null ? html`<${PreviewDialog} source=${source} title=${t('preview_title')} onClose=${() => setSource(null)} />` : null
  return { open, dialog, action: a }
}

export function Publish({ vote, update }: { vote: Vote; update: (v: Vote) => void }) {
  const tally = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}/tally', { params: { path: { id: vote.id } } })), [vote.status])
  const [number, setNumber] = useState('')
  const [adopted, setAdopted] = useState(localToday())
  const a = useAction()
  const preview = useResolutionPreview(vote.id)
  const submit = (e: Event) => {
    e.preventDefault()
    void a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/publish', { params: { path: { id: vote.id } }, body: { resolution_number: number, adopted_on: adopted } }))),
      { confirm: { title: t('sec_publish_confirm_title'), body: t('sec_publish_confirm', { number }), confirm: t('sec_publish') } })
  }
  return html`<section class="card publication" aria-labelledby="pub-h"><h3 id="pub-h">${t('sec_publication')}</h3>
    <div class="pub-grid">
      <div class="pub-results"><h4>${t('sec_certified_results')}</h4>
        <${Loaded} state=${tally}>${(r: NonNullable<typeof tally.data>) => html`<${ResultsTable} tally=${r} /><${Fingerprint} hash=${r.tally_hash} />`}<//></div>
      <form class="pub-form" onSubmit=${submit}>
        <p class=${vote.announced_at ? 'notice' : 'warn-box card'}>${vote.announced_at
          ? t('sec_announced_at', { time: new Date(vote.announced_at).toLocaleString('vi-VN') }) : t('sec_not_announced')}</p>
        <${Field} id="p-number" label=${t('sec_resolution_number')}><input id="p-number" required placeholder="52/NQ-HĐND" value=${number} onInput=${(e: Event) => setNumber(valueOf(e))} /><//>
        <${Field} id="p-date" label=${t('sec_adopted_on')}><${DateInput} id="p-date" required value=${adopted} onChange=${setAdopted} /><//>
        <div class="actions"><button type="button" disabled=${preview.action.busy} onClick=${preview.open}>${t('sec_resolution_preview')}</button>
          <button type="submit" class="primary big" disabled=${a.busy}>${t('sec_publish')}</button></div>
        <${Feedback} action=${a} /><${ErrorBox} error=${preview.action.error} />
      </form>
    </div>${preview.dialog}</section>`
}

export function Published({ vote, update }: { vote: Vote; update: (v: Vote) => void }) {
  const [posted, setPosted] = useState(vote.portal_posted_on ?? localToday())
  const a = useAction()
  const save = (e: Event) => {
    e.preventDefault()
    void a.run(async () => update(await unwrap(api.PUT('/api/v1/votes/{id}/portal-posting', { params: { path: { id: vote.id } }, body: { posted_on: posted } }))), { done: t('sec_saved') })
  }
  return html`<section class="card" aria-labelledby="pubd-h"><h3 id="pubd-h">${t('sec_published_title')}</h3>
    <p class="notice" role="status">${t('sec_published_number', { n: vote.resolution_number ?? '', date: dateShort(vote.adopted_on) })}
      <a href=${'#/public/' + vote.id}>${t('sec_published_public')}</a></p>
    <form class="row" onSubmit=${save}>
      <${Field} id="portal" label=${t('sec_portal_posted')}><${DateInput} id="portal" required value=${posted} onChange=${setPosted} /><//>
      <button type="submit" disabled=${a.busy}>${t('save')}</button></form>
    ${vote.portal_posted_on && html`<p>${t('sec_portal_posted_on', { date: dateShort(vote.portal_posted_on) })}</p>`}
    <${Feedback} action=${a} /></section>`
}

/** Resignations after the tally, and the no-confidence vote a result calls for. */
export function FollowUp({ vote, update, open }: { vote: Vote; update: (v: Vote) => void; open: (v: Vote) => void }) {
  const tally = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}/tally', { params: { path: { id: vote.id } } })), [vote.status, vote.subjects.length])
  const [who, setWho] = useState('')
  const [date, setDate] = useState(localToday())
  const a = useAction()
  const due = tally.data?.no_confidence_due ?? []
  const name = (id: string) => vote.subjects.find((s) => s.official_id === id)?.full_name ?? ''
  const create = (id: string) => a.run(async () => {
    const body: VoteInput = { kind: 'no_confidence', title: 'Bỏ phiếu tín nhiệm đối với ' + name(id) /* printed on the documents: always Vietnamese */, session_name: vote.session_name,
      session_opens_on: vote.session_opens_on, vote_date: localToday() < vote.vote_date ? vote.vote_date : localToday(),
      rule_set: vote.rule_set as VoteInput['rule_set'], official_ids: [id], trigger: { type: 'confidence_result', source_vote_id: vote.id } }
    open(await unwrap(api.POST('/api/v1/councils/{id}/votes', { params: { path: { id: vote.council_id } }, body })))
  }, { confirm: { title: t('sec_followup_create'), body: t('sec_followup_confirm', { name: name(id) }), confirm: t('sec_followup_create') } })
  const resign = (e: Event) => {
    e.preventDefault()
    void a.run(async () => { update(await unwrap(api.POST('/api/v1/votes/{id}/resignations', { params: { path: { id: vote.id } }, body: { official_id: who, date } }))); tally.reload() },
      { done: t('sec_saved') })
  }
  return html`<section class="card" aria-labelledby="fu-h"><h3 id="fu-h">${t('sec_followup')}</h3>
    ${due.map((id) => html`<p>${t('sec_followup_due', { name: name(id) })} <button type="button" disabled=${a.busy} onClick=${() => create(id)}>${t('sec_followup_create')}</button></p>`)}
    <form class="row" onSubmit=${resign}>
      <${Field} id="r-who" label=${t('sec_resign')}><select id="r-who" required value=${who} onChange=${(e: Event) => setWho(valueOf(e))}>
        <option value="">—</option>${vote.subjects.map((s) => html`<option value=${s.official_id}>${s.full_name}</option>`)}</select><//>
      <${Field} id="r-date" label=${t('sec_resign_date')}><${DateInput} id="r-date" required value=${date} onChange=${setDate} /><//>
      <button type="submit" disabled=${a.busy}>${t('save')}</button></form>
    <${Feedback} action=${a} /></section>`
}
