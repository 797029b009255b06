// A batch of the double entry as the board sees it (issue 16 §4): waiting for its second entry (the
// first stays hidden), settled, or — when the entries differ — both (or all three) side by side,
// ballot by ballot and row by row with the differences marked; then a third member enters it, or the
// head settles it, ballot by ballot, from either entry or typed again (audited).

import { useState } from 'preact/hooks'
import { api, unwrap, type User, type Vote } from '../../api'
import { t } from '../../i18n'
import { Feedback, html, Loaded, useAction, useLoad } from '../../ui'
import { batchHref, entryHref, type EntryResult, markLabel, markShort, outcomeLabel } from './paper'
import { markOf, settledBallots, validBallot, type VoteKind } from './paper-keys'

type Can = (a: string) => boolean

/** Batch k, read from the server (#/board/<vote>/batch/<k>). */
export function BatchView({ vote, me, can, n }: { vote: Vote; me: User; can: Can; n: number }) {
  const batch = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}/paper/batches/{number}', { params: { path: { id: vote.id, number: n } } })), [vote.id, n])
  return html`<section class="paper-batch" aria-labelledby="batch-h"><h1 id="batch-h">${t('paper_batch_title', { n })}</h1>
    <${Loaded} state=${batch}>${(r: EntryResult) => html`<${BatchResult} vote=${vote} me=${me} can=${can} result=${r} fresh=${false} />`}<//></section>`
}

/** What a batch's answer says: waiting, settled, or differing (then side by side, and what comes next). */
export function BatchResult({ vote, me, can, result, fresh }: { vote: Vote; me: User; can: Can; result: EntryResult; fresh: boolean }) {
  const [r, setR] = useState(result)
  const b = r.batch
  const home = html`<p><a class="button" href=${'#/board/' + vote.id}>${t('paper_back_console')}</a></p>`
  if (b.status === 'entering')
    return html`<p class="notice" role="status" data-testid="batch-outcome">${fresh ? t('paper_sent_first', { n: b.number, size: b.size }) : t('paper_batch_waiting', { n: b.number, names: b.entered_by.join(', ') })}</p>${home}`
  if (b.status === 'settled')
    return html`<p class="notice" role="status" data-testid="batch-outcome">✓ ${t('paper_batch_done', { n: b.number, size: b.size })} ${outcomeLabel(b)}.</p>${home}`
  const entered = r.entries.some((e) => e.entered_by === me.full_name)
  return html`<div class="warn-box card" role="status" data-testid="batch-outcome"><p><strong>${t('paper_batch_differs_title', { n: b.number, d: r.rows.length })}</strong></p>
      <p>${t('paper_batch_differs_next')}</p></div>
    <${Compare} vote=${vote} result=${r} />
    <div class="actions">
      ${can('paper_entry') && !entered && r.entries.length < 3 && html`<a class="button primary big" href=${entryHref(vote.id, b.number)}>${t('paper_third_entry', { n: b.number })}</a>`}
      ${fresh && html`<a class="button" href=${batchHref(vote.id, b.number)}>${t('paper_batch_link')}</a>`}
    </div>
    ${can('paper_settle') && html`<${Settle} vote=${vote} result=${r} done=${setR} />`}
    ${home}`
}

/** The entries side by side: one table per ballot (the differing ones, or all), a column per entry,
 * a row per person; rows whose marks differ are marked (colour and a sign, not colour alone). */
function Compare({ vote, result }: { vote: Vote; result: EntryResult }) {
  const [all, setAll] = useState(false)
  const entries = result.entries
  const count = Math.max(0, ...entries.map((e) => e.ballots.length))
  const positions = all ? Array.from({ length: count }, (_, i) => i + 1) : result.rows
  const differing = new Set(result.rows)
  return html`<section class="compare" aria-labelledby="cmp-h"><h2 id="cmp-h">${t('paper_compare_title')}</h2>
    <label class="check"><input type="checkbox" checked=${all} onChange=${(e: Event) => setAll((e.currentTarget as HTMLInputElement).checked)} /> ${t('paper_compare_all', { n: count })}</label>
    <div class="compare-list">${positions.map((p) => {
      const marks = entries.map((e) => e.ballots[p - 1] ?? '')
      return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t('paper_compare_ballot', { n: p })}><table class=${'compare' + (differing.has(p) ? ' differs' : '')} data-ballot=${p}>
        <caption>${t('paper_compare_ballot', { n: p })}${differing.has(p) ? ' — ' + t('paper_compare_differs') : ''}</caption>
        <thead><tr><th scope="col">${t('col_name')}</th>${entries.map((e) => html`<th scope="col">${e.entered_by}</th>`)}<th scope="col"><span class="sr-only">${t('paper_compare_same')}</span></th></tr></thead>
        <tbody>${vote.subjects.map((s, i) => {
          const row = marks.map((m) => m[i] ?? '')
          const diff = row.some((m) => m !== row[0])
          return html`<tr class=${diff ? 'diff' : ''}><th scope="row">${s.full_name}</th>${row.map((m) => html`<td class=${'m-' + m}>${m ? markLabel(m) : '—'}</td>`)}
            <td class="flag">${diff ? html`<strong aria-label=${t('paper_compare_row_differs')}>≠</strong>` : ''}</td></tr>`
        })}</tbody></table></div>`
    })}</div></section>`
}

interface Choice { from: number | 'typed' | 'absent'; typed: string }

/** The head settles a differing batch: per differing ballot, one entry's reading, the ballot typed
 * again (the same keys as the entry screen), or "no such ballot" (a position one entry has and the
 * other not: an extra ballot typed, or one missed), confirmed, audited by the server. */
function Settle({ vote, result, done }: { vote: Vote; result: EntryResult; done: (r: EntryResult) => void }) {
  const kind = vote.kind as VoteKind
  const rows = vote.subjects.length
  const [choice, setChoice] = useState<Record<number, Choice>>({})
  const a = useAction()
  const entries = result.entries
  const normal = (s: string) => [...s.replace(/[\s-]/g, '')].map((c) => markOf(kind, c) ?? '?').join('')
  // A position's settled ballot: its marks, null for "no such ballot", undefined while not chosen (or invalid).
  const ballotOf = (p: number): string | null | undefined => {
    const c = choice[p]
    if (!c) return undefined
    if (c.from === 'absent') return null
    const s = c.from === 'typed' ? normal(c.typed) : entries[c.from]?.ballots[p - 1] ?? ''
    return validBallot(kind, rows, s) ? s : undefined
  }
  const ready = result.rows.every((p) => ballotOf(p) !== undefined)
  const set = (p: number, c: Choice) => setChoice({ ...choice, [p]: c })
  const submit = (e: Event) => {
    e.preventDefault()
    const chosen = new Map(result.rows.map((p) => [p, ballotOf(p) ?? null]))
    const ballots = settledBallots(entries.map((en) => en.ballots), chosen)
    void a.run(async () => done(await unwrap(api.POST('/api/v1/votes/{id}/paper/batches/{number}/settle', { params: { path: { id: vote.id, number: result.batch.number } }, body: { ballots } }))),
      { confirm: { title: t('paper_settle_title', { n: result.batch.number }), body: t('paper_settle_confirm', { n: result.batch.number, d: result.rows.length }), confirm: t('paper_settle_yes') } })
  }
  return html`<form class="card settle" onSubmit=${submit} aria-labelledby="settle-h"><h2 id="settle-h">${t('paper_settle_heading', { n: result.batch.number })}</h2>
    <p>${t('paper_settle_intro')}</p>
    ${result.rows.map((p) => {
      const c = choice[p]
      const typedOK = c?.from === 'typed' ? validBallot(kind, rows, normal(c.typed)) : true
      return html`<fieldset class="settle-ballot"><legend>${t('paper_compare_ballot', { n: p })}</legend>
        ${entries.map((en, i) => en.ballots[p - 1] ? html`<label class="check"><input type="radio" name=${'settle-' + p} checked=${c?.from === i}
          onChange=${() => set(p, { from: i, typed: c?.typed ?? '' })} /> ${t('paper_settle_from', { name: en.entered_by })} <code>${[...en.ballots[p - 1]].map(markShort).join(' ')}</code></label>`
          : html`<p class="sub">${t('paper_settle_missing_in', { name: en.entered_by })}</p>`)}
        <label class="check"><input type="radio" name=${'settle-' + p} checked=${c?.from === 'typed'} onChange=${() => set(p, { from: 'typed', typed: c?.typed ?? '' })} /> ${t('paper_settle_typed')}</label>
        <label class="check"><input type="radio" name=${'settle-' + p} checked=${c?.from === 'absent'} onChange=${() => set(p, { from: 'absent', typed: c?.typed ?? '' })} /> ${t('paper_settle_absent')}</label>
        ${c?.from === 'typed' && html`<div class="field"><label for=${'settle-t-' + p}>${t('paper_settle_typed_label', { rows })}</label>
          <input id=${'settle-t-' + p} class="code" autocomplete="off" value=${c.typed} aria-invalid=${typedOK ? undefined : 'true'} aria-describedby=${'settle-h-' + p}
            onInput=${(e: Event) => set(p, { from: 'typed', typed: (e.currentTarget as HTMLInputElement).value })} />
          <small id=${'settle-h-' + p} class=${typedOK ? '' : 'warn'}>${typedOK ? [...normal(c.typed)].map(markShort).join(' ') : t('paper_settle_typed_bad', { rows })}</small></div>`}
      </fieldset>`
    })}
    <${Feedback} action=${a} />
    <button type="submit" class="primary big" disabled=${a.busy || !ready}>${t('paper_settle_yes')}</button>
  </form>`
}
