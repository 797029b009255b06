// The council's votes: the list, and one vote's page — its steps, the list of people with the
// exclusions and their reasons, the draft to edit, the board, documents, cancellation, publication
// and the follow-up. What each person may do comes from the role table.

import { useState } from 'preact/hooks'
import { api, saveBlob, unwrap, User, Vote } from '../../api'
import { Key, t } from '../../i18n'
import { dateShort } from '../../format'
import { may, mayCreate, useRoleTable } from '../../rules'
import { ErrorBox, Feedback, Field, html, Loaded, reasonLabel, RuleSetName, statusLabel, useAction, useLoad, valueOf } from '../../ui'
import { Steps } from '../guide'
import { BoardSetup } from './board-setup'
import { VoteForm } from './draft'
import { ModeLine } from './modes'
import { FollowUp, Publish, Published, useResolutionPreview } from './publication'

export function Votes({ council, me }: { council: string; me: User }) {
  const votes = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/votes', { params: { path: { id: council } } })), [council])
  const rt = useRoleTable()
  const [selected, setSelected] = useState('')
  const [creating, setCreating] = useState(false)
  if (selected) return html`<${VoteDetail} key=${selected} voteId=${selected} me=${me} back=${() => { setSelected(''); votes.reload() }} open=${setSelected} />`
  if (creating) return html`<${VoteForm} council=${council} done=${(v: Vote) => { setCreating(false); setSelected(v.id) }} cancel=${() => setCreating(false)} />`
  return html`<section><h2>${t('sec_tab_votes')}</h2>
    ${mayCreate(rt.data, me) && html`<button type="button" class="primary" onClick=${() => setCreating(true)}>${t('sec_vote_new')}</button>`}
    <${Loaded} state=${votes}>${(list: Vote[]) => list.length === 0 ? html`<p class="empty">${t('votes_none')}</p>`
      : html`<ul class="votes">${list.map((v) => html`<li><button type="button" class="link" onClick=${() => setSelected(v.id)}>${v.title}</button>
        <span><span class="badge">${statusLabel(v.status)}</span> <small>${dateShort(v.vote_date)}</small></span></li>`)}</ul>`}<//></section>`
}

type Doc = 'ballot.pdf' | 'minutes.pdf' | 'minutes.docx' | 'resolution.pdf' | 'resolution.docx' | 'results.csv' | 'results.xlsx'

function fetchDoc(id: string, doc: Doc, group?: number): Promise<Blob> {
  const o = { params: { path: { id } }, parseAs: 'blob' as const }
  switch (doc) {
    case 'ballot.pdf': return unwrap(api.GET('/api/v1/votes/{id}/documents/ballot.pdf', { params: { path: { id }, query: group === undefined ? {} : { group } }, parseAs: 'blob' }))
    case 'minutes.pdf': return unwrap(api.GET('/api/v1/votes/{id}/documents/minutes.pdf', o))
    case 'minutes.docx': return unwrap(api.GET('/api/v1/votes/{id}/documents/minutes.docx', o))
    case 'resolution.pdf': return unwrap(api.GET('/api/v1/votes/{id}/documents/resolution.pdf', o))
    case 'resolution.docx': return unwrap(api.GET('/api/v1/votes/{id}/documents/resolution.docx', o))
    case 'results.csv': return unwrap(api.GET('/api/v1/votes/{id}/results.csv', o))
    case 'results.xlsx': return unwrap(api.GET('/api/v1/votes/{id}/results.xlsx', o))
  }
}

function VoteDetail({ voteId, me, back, open }: { voteId: string; me: User; back: () => void; open: (id: string) => void }) {
  const vote = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}', { params: { path: { id: voteId } } })), [voteId])
  const rt = useRoleTable()
  const docs = useAction()
  const [editing, setEditing] = useState(false)
  const preview = useResolutionPreview(voteId)
  const v = vote.data
  if (!v) return html`<button type="button" class="link" onClick=${back}>← ${t('back')}</button><${ErrorBox} error=${vote.error} retry=${vote.reload} />${!vote.error && html`<p role="status">${t('loading')}</p>`}`
  const can = (action: string) => may(rt.data, action, v, me)
  if (editing) return html`<${VoteForm} council=${v.council_id} editing=${v} done=${(nv: Vote) => { vote.setData(nv); setEditing(false) }} cancel=${() => setEditing(false)} />`
  const tallied = ['closed', 'certified', 'published'].includes(v.status)
  const list: [Doc, Key | string, number?][] = v.ballot_groups.length > 1 ? v.ballot_groups.map((_, g) => ['ballot.pdf', t('sec_ballot_group_pdf', { n: g + 1 }), g] as [Doc, string, number])
    : [['ballot.pdf', t('sec_ballot_pdf')]]
  if (tallied) list.push(['minutes.pdf', t('sec_minutes_pdf')], ['minutes.docx', t('sec_minutes_docx')], ['resolution.pdf', t('sec_resolution_pdf')],
    ['resolution.docx', t('sec_resolution_docx')], ['results.csv', t('sec_results_csv')], ['results.xlsx', t('sec_results_xlsx')])
  const get = (doc: Doc, g?: number) => docs.run(async () => saveBlob(await fetchDoc(v.id, doc, g), doc.replace('.', g === undefined ? '.' : `-nhom-${g + 1}.`)))
  return html`<section class="vote-detail">
    <button type="button" class="link" onClick=${back}>← ${t('back_to_votes')}</button>
    <h2>${v.title} <span class="badge">${statusLabel(v.status)}</span></h2>
    <p class="sub">${v.session_name} — ${dateShort(v.vote_date)} — <${RuleSetName} id=${v.rule_set} /></p>
    <${ModeLine} vote=${v} />
    ${v.status === 'cancelled' && html`<p class="warn-box card">${t('board_cancelled', { reason: v.cancel_reason ?? '' })}</p>`}
    ${v.status === 'certified' && can('publish') && html`<${Publish} vote=${v} update=${vote.setData} />`}
    ${v.status === 'published' && html`<${Published} vote=${v} update=${vote.setData} />`}
    <div class="console"><div class="col-main">
      ${v.warnings.length > 0 && html`<section class="card warn-box"><h3>${t('sec_warnings')}</h3><ul>${v.warnings.map((w) => html`<li>${w.message}</li>`)}</ul></section>`}
      <h3>${t('sec_subjects', { n: v.subjects.length })}</h3>
      <ol>${v.subjects.map((s) => html`<li>${s.full_name} — <small>${s.positions.map((p) => p.title).join('; ')}</small>${s.resigned_on ? ' (' + t('flag_resigned') + ')' : ''}</li>`)}</ol>
      <h3>${t('sec_exclusions', { n: v.exclusions.length })}</h3>
      ${v.exclusions.length === 0 ? html`<p class="empty">${t('sec_exclusions_none')}</p>` : html`<ul>${v.exclusions.map((x) => html`<li>${x.full_name} — ${reasonLabel(x.reason)}</li>`)}</ul>`}
      ${can('edit_draft') && html`<p><button type="button" onClick=${() => setEditing(true)}>${t('sec_vote_edit')}</button></p>`}
      ${can('set_board') && html`<${BoardSetup} vote=${v} update=${vote.setData} />`}
      ${v.board.length > 0 && !can('set_board') && html`<section class="card"><h3>${t('sec_board')}</h3><ul>${v.board.map((m) => html`<li>${m.full_name} — ${t(('board_role_' + m.board_role) as Key)}</li>`)}</ul></section>`}
      <section class="card"><h3>${t('sec_documents')}</h3><ul class="docs">${list.map(([doc, label, g]) => html`<li><button type="button" class="link" disabled=${docs.busy} onClick=${() => get(doc, g)}>${label}</button></li>`)}
        ${tallied && html`<li><button type="button" class="link" disabled=${preview.action.busy} onClick=${preview.open}>${t('sec_resolution_preview')}</button></li>`}</ul>
        <${Feedback} action=${docs} /><${ErrorBox} error=${preview.action.error} />${preview.dialog}</section>
      ${(v.status === 'draft' || v.status === 'open') && can('cancel') && html`<${Cancel} vote=${v} update=${vote.setData} />`}
      ${tallied && v.kind === 'confidence' && can('record_resignation') && html`<${FollowUp} vote=${v} update=${vote.setData} open=${(nv: Vote) => open(nv.id)} />`}
    </div><aside class="col-side"><${Steps} vote=${v} /></aside></div>
  </section>`
}

function Cancel({ vote, update }: { vote: Vote; update: (v: Vote) => void }) {
  const [reason, setReason] = useState('')
  const a = useAction()
  const submit = (e: Event) => {
    e.preventDefault()
    void a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/cancel', { params: { path: { id: vote.id } }, body: { reason } }))),
      { confirm: { title: t('cancel_vote_title'), body: t('cancel_vote_confirm', { title: vote.title }), confirm: t('sec_cancel_vote'), danger: true } })
  }
  return html`<details class="card danger-zone"><summary>${t('sec_cancel_vote')}</summary>
    <form class="row" onSubmit=${submit}>
      <${Field} id="c-reason" label=${t('sec_cancel_reason')}><input id="c-reason" required maxlength="500" value=${reason} onInput=${(e: Event) => setReason(valueOf(e))} /><//>
      <button type="submit" class="danger" disabled=${a.busy}>${t('sec_cancel_vote')}</button></form>
    <${Feedback} action=${a} /></details>`
}
