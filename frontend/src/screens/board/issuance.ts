// Issuing ballots at the desk: find the delegate, confirm, record. A mistaken issuance is corrected
// while the vote is open: the ballot recorded for another delegate instead, or withdrawn (the
// server keeps issued at least cast).

import { useState } from 'preact/hooks'
import { api, Delegate, unwrap } from '../../api'
import { t } from '../../i18n'
import { Feedback, Field, html, Loaded, useAction, useLoad, valueOf } from '../../ui'
import type { Part } from './index'

const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()

export function Issuance({ vote, update, reload }: Part) {
  const delegates = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/delegates', { params: { path: { id: vote.council_id }, query: { in_office_on: vote.vote_date } } })), [])
  const issued = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}/issuances', { params: { path: { id: vote.id } } })), [])
  const [q, setQ] = useState('')
  const [fixing, setFixing] = useState<Delegate | null>(null)
  const a = useAction()
  const have = new Set(issued.data?.delegate_ids ?? [])
  const after = (turnout: typeof vote.turnout) => {
    update({ ...vote, turnout })
    issued.reload()
    reload() // the steps' progress comes with the vote
  }
  const issue = (d: Delegate) => a.run(async () => after(await unwrap(api.POST('/api/v1/votes/{id}/issuances', { params: { path: { id: vote.id } }, body: { delegate_id: d.id } }))),
    { confirm: { title: t('board_issue_confirm_title'), body: t('board_issue_confirm', { name: d.full_name, code: d.code }), confirm: t('board_issue_yes') }, done: t('board_issue_done', { name: d.full_name }) })
  return html`<section class="card" aria-labelledby="issue-h"><h2 id="issue-h">${t('board_issue_title')}</h2>
    <${Loaded} state=${delegates}>${(all: Delegate[]) => {
      const matching = all.filter((d) => !q || norm(d.full_name + ' ' + d.code).includes(norm(q)))
      const list = matching.slice(0, 30)
      return html`
      <${Field} id="find" label=${t('board_issue_search')}><input id="find" type="search" value=${q} onInput=${(e: Event) => setQ(valueOf(e))} /><//>
      <p class="sub">${t('board_issue_count', { issued: have.size, total: all.length })}${matching.length > list.length ? ' ' + t('board_issue_more', { n: list.length }) : ''}</p>
      <${Feedback} action=${a} />
      ${issued.error && html`<p class="warn">${t('board_issued_failed')} <button type="button" onClick=${issued.reload}>${t('retry')}</button></p>`}
      <ul class="issue">${list.map((d) => html`<li><span>${d.full_name} <small>(${d.code})</small></span>
        ${have.has(d.id) ? html`<span class="row"><span class="badge ok">${t('board_issued')}</span>
            <button type="button" class="link" disabled=${a.busy} onClick=${() => setFixing(d)}>${t('board_issue_fix')}</button></span>`
          : html`<button type="button" disabled=${a.busy || !issued.data} onClick=${() => issue(d)}>${t('board_issue')}</button>`}</li>`)}</ul>
      ${fixing && html`<${Fix} key=${fixing.id} vote=${vote} wrong=${fixing} candidates=${all.filter((d) => !have.has(d.id))}
        done=${(tu: typeof vote.turnout) => { after(tu); setFixing(null) }} cancel=${() => setFixing(null)} />`}`
    }}<//>
  </section>`
}

function Fix({ vote, wrong, candidates, done, cancel }: {
  vote: Part['vote']; wrong: Delegate; candidates: Delegate[]; done: (t: Part['vote']['turnout']) => void; cancel: () => void
}) {
  const a = useAction()
  const [to, setTo] = useState('')
  const path = { params: { path: { id: vote.id, delegateId: wrong.id } } }
  const target = candidates.find((d) => d.id === to)
  const swap = () => a.run(async () => done(await unwrap(api.PUT('/api/v1/votes/{id}/issuances/{delegateId}', { ...path, body: { delegate_id: to } }))),
    { confirm: { title: t('board_fix_swap_title'), body: t('board_fix_swap_confirm', { from: wrong.full_name, to: target?.full_name ?? '' }), confirm: t('board_fix_swap') } })
  const withdraw = () => a.run(async () => done(await unwrap(api.DELETE('/api/v1/votes/{id}/issuances/{delegateId}', path))),
    { confirm: { title: t('board_fix_withdraw_title'), body: t('board_fix_withdraw_confirm', { name: wrong.full_name }), confirm: t('board_fix_withdraw'), danger: true } })
  return html`<section class="card fix" aria-labelledby="fix-h"><h3 id="fix-h">${t('board_fix_title', { name: wrong.full_name })}</h3>
    <p>${t('board_fix_intro')}</p>
    <div class="row"><${Field} id="fix-to" label=${t('board_fix_to')}><select id="fix-to" value=${to} onChange=${(e: Event) => setTo(valueOf(e))}>
      <option value="">—</option>${candidates.map((d) => html`<option value=${d.id}>${d.full_name} (${d.code})</option>`)}</select><//>
      <button type="button" class="primary" disabled=${a.busy || !to} onClick=${swap}>${t('board_fix_swap')}</button></div>
    <div class="actions"><button type="button" class="danger" disabled=${a.busy} onClick=${withdraw}>${t('board_fix_withdraw')}</button>
      <button type="button" onClick=${cancel}>${t('close')}</button></div>
    <${Feedback} action=${a} /></section>`
}
