// The board's paper count after the close (issue 16 §2–§5): the figures (received, returned unused,
// spoiled and replaced, invalid whole ballots with their reasons, the explanation of missing ones),
// the reconciliation with every problem in the server's words, the batches of the blind double entry,
// and the board's own paper totals (never published apart from the electronic count).

import { useState } from 'preact/hooks'
import { api, type Schemas, unwrap, type Vote } from '../../api'
import { type Key, t } from '../../i18n'
import { ErrorBox, Feedback, Field, html, levelLabel, levelsOf, useAction, useLoad, valueOf } from '../../ui'
import type { Part } from './index'
import { BLANK, SEVERAL } from './paper-keys'

export type Paper = NonNullable<Vote['paper']>
export type Batch = Paper['batches'][number]
/** A batch as an entry or a settlement answers it. */
export type EntryResult = Schemas['PaperEntryResult']

const LEVEL_OF: Record<string, string> = { h: 'high', m: 'medium', l: 'low', t: 'trust', n: 'no_trust' }

/** A mark in words: the level's label, "để trống" or "nhiều dấu". */
export function markLabel(m: string): string {
  if (m === BLANK) return t('paper_mark_blank')
  if (m === SEVERAL) return t('paper_mark_several')
  return LEVEL_OF[m] ? levelLabel(LEVEL_OF[m]) : m
}

/** A mark as the key that enters it (1, 2, 3 the levels in ballot order, 0 empty, X several), for the
 * settlement's choices and the list of ballots entered. */
export function markShort(m: string): string {
  if (m === BLANK) return '0'
  if (m === SEVERAL) return 'X'
  const i = 'hml'.indexOf(m) >= 0 ? 'hml'.indexOf(m) : 'tn'.indexOf(m)
  return i >= 0 ? String(i + 1) : '?'
}


/** The two reasons a whole ballot is invalid, offered as quick choices (free text otherwise): the
 * button speaks the UI's language, the reason recorded is the minutes' Vietnamese. */
export const INVALID_REASONS: [Key, string][] = [
  ['paper_invalid_not_ours', 'Không phải phiếu do Ban kiểm phiếu phát hành'],
  ['paper_invalid_no_seal', 'Không có dấu của Hội đồng'],
]

export const batchStatusLabel = (b: Batch) =>
  b.status === 'settled' ? t('paper_batch_settled') : b.status === 'differs' ? t('paper_batch_differs', { n: b.differences }) : t('paper_batch_entering')

export function outcomeLabel(b: Batch): string {
  switch (b.outcome) {
    case 'matched': return t('paper_outcome_matched')
    case 'third_entry': return t('paper_outcome_third')
    case 'head': return t('paper_outcome_head', { name: b.settled_by ?? '' })
    default: return ''
  }
}

/** Changes whenever the reconciliation's verdict does: the tally is asked for again then. */
export const paperKey = (v: Vote) => (v.paper ? (v.paper.reconciled ? 'reconciled' : v.paper.problems.map((x) => x.code + ':' + x.message).join('|')) : '')

export const entryHref = (voteId: string, n: number) => `#/board/${voteId}/paper/${n}`
export const batchHref = (voteId: string, n: number) => `#/board/${voteId}/batch/${n}`

export function PaperPart(p: Part) {
  const paper = p.vote.paper
  if (!paper) return null
  return html`<section class="card paper" aria-labelledby="paper-h"><h2 id="paper-h">${t('paper_title')}</h2>
    <${Reconciliation} vote=${p.vote} paper=${paper} />
    ${p.can('paper_figures') && !paper.sealed ? html`<${Figures} ...${p} paper=${paper} />` : html`<${FiguresRead} paper=${paper} />`}
    <${Batches} ...${p} paper=${paper} />
    ${p.can('paper_read') && html`<${Totals} vote=${p.vote} paper=${paper} />`}
  </section>`
}

/** The reconciliation: green when every figure agrees, else each problem in the server's words. */
function Reconciliation({ vote, paper }: { vote: Vote; paper: Paper }) {
  const issued = paper.paper_issued ?? (vote.casting_mode === 'paper' ? vote.turnout.ballots_issued : null)
  const figs: [string, number | string | null][] = [
    [t('paper_fig_issued'), issued],
    [t('paper_fig_received'), paper.received],
    [t('paper_fig_returned'), paper.returned],
    [t('paper_fig_spoiled'), paper.spoiled ?? 0],
    [t('paper_fig_invalid'), paper.invalid.length],
    [t('paper_fig_valid'), paper.received == null ? null : paper.valid],
    [t('paper_fig_missing'), paper.received == null ? null : paper.missing],
    [t('paper_fig_entered'), `${paper.entered}/${paper.received == null ? '…' : paper.valid}`],
  ]
  return html`<div class="reconcile">
    <dl class="turnout paper-figs">${figs.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v ?? '—'}</dd></div>`)}</dl>
    ${paper.reconciled
      ? html`<p class="notice reconciled" role="status" data-testid="reconciled">✓ ${t('paper_reconciled')}</p>`
      : html`<div class="warn-box card problems" role="status" data-testid="problems"><p><strong>${t('paper_problems')}</strong></p>
          <ul>${paper.problems.map((pr) => html`<li data-code=${pr.code}>${pr.message}</li>`)}</ul></div>`}
    ${paper.sealed && html`<p class="notice">${t('paper_sealed_note')}</p>`}
  </div>`
}

interface InvalidRow { reason: string }

/** The figures the board records after the close, each change sent whole (the server reconciles). */
function Figures({ vote, update, paper }: Part & { paper: Paper }) {
  const a = useAction()
  const num = (x: number | null | undefined) => (x == null ? '' : String(x))
  const [received, setReceived] = useState(num(paper.received))
  const [returned, setReturned] = useState(num(paper.returned))
  const [spoiled, setSpoiled] = useState(num(paper.spoiled))
  const [invalid, setInvalid] = useState<InvalidRow[]>(paper.invalid.map((x) => ({ reason: x.reason })))
  const [note, setNote] = useState(paper.missing_note)
  const noteNeeded = paper.problems.some((pr) => pr.field === 'missing_note')
  const noteProblem = paper.problems.find((pr) => pr.field === 'missing_note')
  const save = (e: Event) => {
    e.preventDefault()
    void a.run(async () => {
      const v = await unwrap(api.PUT('/api/v1/votes/{id}/paper/figures', { params: { path: { id: vote.id } }, body: {
        received: Number(received), returned: Number(returned), ...(spoiled === '' ? {} : { spoiled: Number(spoiled) }),
        invalid: invalid.map((r) => ({ reason: r.reason.trim() })), missing_note: note.trim(),
      } }))
      update(v)
    }, { done: t('paper_figures_saved') })
  }
  const add = (reason: string) => {
    setInvalid([...invalid, { reason }])
    // the new row's reason takes the focus when it is to be typed
    if (!reason) setTimeout(() => document.getElementById(`inv-${invalid.length}`)?.focus(), 0)
  }
  return html`<form class="paper-figures" onSubmit=${save} aria-labelledby="fig-h">
    <h3 id="fig-h">${t('paper_figures_title')}</h3>
    <div class="grid align-top">
      <${Field} id="p-received" label=${t('paper_fig_received')} hint=${t('paper_received_hint')}><input id="p-received" type="number" inputmode="numeric" min="0" max="100000" required
        aria-describedby="p-received-hint" value=${received} onInput=${(e: Event) => setReceived(valueOf(e))} /><//>
      <${Field} id="p-returned" label=${t('paper_fig_returned')} hint=${t('paper_returned_hint')}><input id="p-returned" type="number" inputmode="numeric" min="0" max="100000" required
        aria-describedby="p-returned-hint" value=${returned} onInput=${(e: Event) => setReturned(valueOf(e))} /><//>
      <${Field} id="p-spoiled" label=${t('paper_fig_spoiled')} hint=${t('paper_spoiled_hint')}><input id="p-spoiled" type="number" inputmode="numeric" min="0" max="100000"
        aria-describedby="p-spoiled-hint" value=${spoiled} onInput=${(e: Event) => setSpoiled(valueOf(e))} /><//>
    </div>
    <fieldset class="invalid-ballots"><legend>${t('paper_invalid_title', { n: invalid.length })}</legend>
      <p class="sub">${t('paper_invalid_intro')}</p>
      ${invalid.length > 0 && html`<ol class="invalid-list">${invalid.map((r, i) => html`<li>
        <${Field} id=${'inv-' + i} label=${t('paper_invalid_reason', { n: i + 1 })}>
          <input id=${'inv-' + i} list="inv-reasons" required maxlength="200" value=${r.reason}
            onInput=${(e: Event) => setInvalid(invalid.map((x, j) => (j === i ? { reason: valueOf(e) } : x)))} /><//>
        <button type="button" class="link" onClick=${() => setInvalid(invalid.filter((_, j) => j !== i))}>${t('paper_invalid_remove', { n: i + 1 })}</button></li>`)}</ol>`}
      <datalist id="inv-reasons">${INVALID_REASONS.map(([, reason]) => html`<option value=${reason} />`)}</datalist>
      <div class="row">${INVALID_REASONS.map(([k, reason]) => html`<button type="button" onClick=${() => add(reason)}>+ ${t(k)}</button>`)}
        <button type="button" onClick=${() => add('')}>+ ${t('paper_invalid_other')}</button></div>
    </fieldset>
    <${Field} id="p-note" label=${noteNeeded ? t('paper_note_required') : t('paper_note')} hint=${noteProblem ? noteProblem.message : t('paper_note_hint')} wide=${true}>
      <textarea id="p-note" maxlength="2000" aria-describedby="p-note-hint" aria-invalid=${noteNeeded ? 'true' : undefined} class=${noteNeeded ? 'needed' : ''}
        value=${note} onInput=${(e: Event) => setNote(valueOf(e))}></textarea><//>
    <${Feedback} action=${a} />
    <button type="submit" class="primary" disabled=${a.busy}>${t('paper_figures_save')}</button>
  </form>`
}

function FiguresRead({ paper }: { paper: Paper }) {
  return html`<div class="paper-figures">
    ${paper.invalid.length > 0 && html`<h3>${t('paper_invalid_title', { n: paper.invalid.length })}</h3>
      <ol>${paper.invalid.map((r) => html`<li>${r.reason}</li>`)}</ol>`}
    ${paper.missing_note && html`<p><strong>${t('paper_note')}:</strong> ${paper.missing_note}</p>`}
  </div>`
}

/** The batches of the double entry: who entered each, how it ended, and the way to the next entry. */
function Batches({ vote, me, can, paper }: Part & { paper: Paper }) {
  const next = paper.batches.reduce((m, b) => Math.max(m, b.number), 0) + 1
  const [n, setN] = useState(String(next))
  const enter = can('paper_entry') && !paper.sealed
  const mine = (b: Batch) => b.entered_by.includes(me.full_name)
  return html`<section class="batches" aria-labelledby="batches-h"><h3 id="batches-h">${t('paper_batches_title')}</h3>
    <p class="sub">${t('paper_batches_intro')}</p>
    ${paper.batches.length === 0 ? html`<p class="empty">${t('paper_batches_none')}</p>` : html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t('paper_batches_title')}>
      <table class="batches"><thead><tr><th scope="col">${t('paper_col_batch')}</th><th scope="col">${t('paper_col_size')}</th><th scope="col">${t('paper_col_status')}</th>
        <th scope="col">${t('paper_col_entered_by')}</th><th scope="col">${t('paper_col_outcome')}</th><th scope="col"><span class="sr-only">${t('paper_col_action')}</span></th></tr></thead>
      <tbody>${paper.batches.map((b) => html`<tr class=${'batch-' + b.status} data-batch=${b.number}>
        <th scope="row">${b.number}</th><td>${b.size}</td>
        <td><span class=${'badge' + (b.status === 'settled' ? ' ok' : b.status === 'differs' ? ' warn' : '')}>${batchStatusLabel(b)}</span></td>
        <td>${b.entered_by.join(', ')}</td><td>${outcomeLabel(b)}</td>
        <td>${b.status === 'differs' ? html`<a class="button" href=${batchHref(vote.id, b.number)}>${t('paper_batch_compare', { n: b.number })}</a>`
          : b.status === 'entering' && enter && !mine(b) ? html`<a class="button primary" href=${entryHref(vote.id, b.number)}>${t('paper_batch_enter', { n: b.number })}</a>`
          : b.status === 'entering' && mine(b) ? html`<small>${t('paper_batch_wait_other')}</small>` : ''}</td>
      </tr>`)}</tbody></table></div>`}
    ${enter && html`<form class="row new-batch" onSubmit=${(e: Event) => { e.preventDefault(); location.hash = entryHref(vote.id, Number(n)) }}>
      <${Field} id="b-new" label=${t('paper_batch_number')} hint=${t('paper_batch_number_hint')}><input id="b-new" type="number" inputmode="numeric" min="1" max="10000" required
        aria-describedby="b-new-hint" value=${n} onInput=${(e: Event) => setN(valueOf(e))} /><//>
      <button type="submit" class="primary big">${Number(n) === next ? t('paper_batch_new') : t('paper_batch_enter', { n })}</button>
    </form>`}
  </section>`
}

/** The board's paper totals: for the board only; they never leave it apart from the combined count. */
function Totals({ vote, paper }: { vote: Vote; paper: Paper }) {
  const [shown, setShown] = useState(false)
  const totals = useLoad(shown ? () => unwrap(api.GET('/api/v1/votes/{id}/paper/totals', { params: { path: { id: vote.id } } })) : null, [shown, paper.entered])
  const levels = levelsOf(vote.kind)
  const name = (id: string) => vote.subjects.find((s) => s.official_id === id)?.full_name ?? '—'
  return html`<section class="paper-totals" aria-labelledby="ptot-h"><h3 id="ptot-h">${t('paper_totals_title')}</h3>
    <p class="sub">${t('paper_totals_note')}</p>
    ${!shown ? html`<button type="button" onClick=${() => setShown(true)}>${t('paper_totals_show')}</button>` : html`
      <${ErrorBox} error=${totals.error} retry=${totals.reload} />
      ${totals.data && html`<p>${t('paper_totals_entered', { n: totals.data.entered })}</p>
        <div class="table-wrap" role="region" tabindex="0" aria-label=${t('paper_totals_title')}><table class="paper-totals">
          <thead><tr><th scope="col">${t('col_no')}</th><th scope="col">${t('col_name')}</th>${levels.map((l) => html`<th scope="col">${levelLabel(l)}</th>`)}
            <th scope="col">${t('paper_col_not_rated')}</th></tr></thead>
          <tbody>${totals.data.subjects.map((id, i) => {
            const row = totals.data!.counts[i] ?? []
            const rated = row.reduce((s, x) => s + x, 0)
            return html`<tr><td>${i + 1}</td><th scope="row">${name(id)}</th>${levels.map((_, j) => html`<td class="num">${row[j] ?? 0}</td>`)}
              <td class="num">${totals.data!.entered - rated}</td></tr>`
          })}</tbody></table></div>`}
      <button type="button" onClick=${() => setShown(false)}>${t('paper_totals_hide')}</button>`}
  </section>`
}
