// A hybrid vote, when issuing ends: how many delegates received a paper ballot and how many a code
// slip — two totals, never per delegate, so nothing ties a kind to a person (issue 16 §1). The split
// stays with the board; when one kind went to fewer than 5 delegates the server warns.

import { useState } from 'preact/hooks'
import { api, unwrap } from '../../api'
import { t } from '../../i18n'
import { Feedback, Field, html, useAction, valueOf } from '../../ui'
import type { Part } from './index'

export function IssuanceTotals({ vote, can, update }: Part) {
  const p = vote.paper
  const a = useAction()
  const [paper, setPaper] = useState(p?.paper_issued != null ? String(p.paper_issued) : '')
  const [slips, setSlips] = useState(p?.slips_issued != null ? String(p.slips_issued) : '')
  if (!p) return null
  const issued = vote.turnout.ballots_issued
  const typed = paper !== '' && slips !== '' ? Number(paper) + Number(slips) : null
  const save = (e: Event) => {
    e.preventDefault()
    void a.run(async () => update(await unwrap(api.PUT('/api/v1/votes/{id}/paper/issuance', { params: { path: { id: vote.id } },
      body: { paper_issued: Number(paper), slips_issued: Number(slips) } }))), { done: t('paper_kinds_saved') })
  }
  const recorded = p.paper_issued != null && p.slips_issued != null
  return html`<section class="card paper-kinds" aria-labelledby="kinds-h"><h2 id="kinds-h">${t('paper_kinds_title')}</h2>
    <p>${t('paper_kinds_intro')}</p>
    ${recorded && html`<p class="figures-line" data-testid="kinds-recorded">${t('paper_kinds_recorded', { paper: p.paper_issued ?? 0, slips: p.slips_issued ?? 0 })}</p>`}
    ${p.warning && html`<div class="warn-box card" role="alert" data-testid="kinds-warning"><p><strong>${t('paper_kinds_warning')}</strong> ${p.warning.message}</p></div>`}
    ${can('issuance_totals') && !p.sealed && html`<form class="row" onSubmit=${save} aria-label=${t('paper_kinds_title')}>
      <${Field} id="k-paper" label=${t('paper_kinds_paper')}><input id="k-paper" type="number" inputmode="numeric" min="0" max="100000" required value=${paper}
        onInput=${(e: Event) => setPaper(valueOf(e))} /><//>
      <${Field} id="k-slips" label=${t('paper_kinds_slips')}><input id="k-slips" type="number" inputmode="numeric" min="0" max="100000" required value=${slips}
        onInput=${(e: Event) => setSlips(valueOf(e))} /><//>
      <button type="submit" class="primary" disabled=${a.busy}>${t('paper_kinds_save')}</button>
      <p class=${'wide ' + (typed !== null && typed !== issued ? 'warn' : 'sub')} aria-live="polite">${typed === null ? t('paper_kinds_sum_hint', { issued })
        : typed === issued ? t('paper_kinds_sum_ok', { issued }) : t('paper_kinds_sum_differs', { sum: typed, issued })}</p>
    </form>`}
    <p class="sub">${t('paper_board_only')}</p>
    <${Feedback} action=${a} />
  </section>`
}
