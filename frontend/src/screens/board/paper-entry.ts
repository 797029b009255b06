// The entry screen of a batch of paper ballots (issue 16 §4, §7), tuned for speed: keyboard only (one
// key per mark, the cursor moving on by itself, the next ballot starting after the last row), big
// buttons for a tablet, the batch's running totals as it goes, an undo. Nothing reaches the server
// until the member sends the whole batch, and the entry lives in this page's memory only (no storage):
// a reload asks first, and leaving forgets it.
//
// Routes: #/board/<vote>/paper/<k> enters batch k; #/board/<vote>/batch/<k> shows batch k (its two
// entries side by side while they differ).

import { useEffect, useRef, useState } from 'preact/hooks'
import { api, unwrap, type User, type Vote } from '../../api'
import { t } from '../../i18n'
import { may, useRoleTable } from '../../rules'
import { confirmDialog, ErrorBox, Feedback, html, levelLabel, levelsOf, useAction, useLoad } from '../../ui'
import { type EntryResult, markLabel, markShort } from './paper'
import { BatchResult, BatchView } from './paper-batch'
import { BatchEntry, keysOf, markOf, type VoteKind } from './paper-keys'

/** A touch on a keypad button leaves the focus where it was, so the next key typed (Enter too) goes to the entry. */
const keepFocus = (e: Event) => e.preventDefault()

/** The usual size of a batch: the board shakes the pile and splits it into batches of about 25. */
export const DEFAULT_SIZE = 25

export function PaperRoute({ me, voteId, view, batch }: { me: User; voteId: string; view: string; batch: string }) {
  const vote = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}', { params: { path: { id: voteId } } })), [voteId])
  const rt = useRoleTable()
  const v = vote.data
  const n = Number(batch)
  const back = html`<p><a href=${'#/board/' + voteId}>← ${t('paper_back_console')}</a></p>`
  if (!v) return html`${back}<${ErrorBox} error=${vote.error ?? rt.error} retry=${vote.reload} />${!vote.error && html`<p role="status">${t('loading')}</p>`}`
  if (!Number.isInteger(n) || n < 1 || n > 10000) return html`${back}<p class="error" role="alert">${t('paper_batch_bad_number')}</p>`
  if (!v.paper) return html`${back}<p class="error" role="alert">${t('paper_no_paper')}</p>`
  const can = (a: string) => may(rt.data, a, v, me)
  if (view === 'batch') return html`${back}<${BatchView} vote=${v} me=${me} can=${can} n=${n} />`
  return html`<${EntryScreen} vote=${v} me=${me} can=${can} n=${n} />`
}

function EntryScreen({ vote, me, can, n }: { vote: Vote; me: User; can: (a: string) => boolean; n: number }) {
  const kind = vote.kind as VoteKind
  const subjects = vote.subjects
  const existing = vote.paper?.batches.find((b) => b.number === n)
  const entry = useRef<BatchEntry | null>(null)
  if (!entry.current) entry.current = new BatchEntry(kind, subjects.length, existing?.size ?? DEFAULT_SIZE)
  const en = entry.current
  const [, setTick] = useState(0)
  const bump = () => setTick((x) => x + 1)
  const [size, setSize] = useState(String(en.limit))
  const [said, setSaid] = useState('')
  const [result, setResult] = useState<EntryResult | null>(null)
  const a = useAction()
  const top = useRef<HTMLElement>(null)

  const press = (key: string): boolean => {
    if (key === 'Enter') {
      // A full batch is sent with Enter — after the confirmation, whose safe answer has the focus.
      if (!en.full) return false
      send()
      return true
    }
    if (key === 'Backspace') {
      if (en.undo()) setSaid(t('paper_entry_undone', { row: en.cursor.row + 1, ballot: en.cursor.ballot + 1 }))
      bump()
      return true
    }
    const m = markOf(kind, key)
    if (m === null) return false
    const { row } = en.cursor
    if (en.mark(m)) setSaid(`${subjects[row]?.full_name ?? ''}: ${markLabel(m)}${en.current === '' ? '. ' + t('paper_entry_next_ballot', { n: en.ballots.length + 1 }) : ''}`)
    else setSaid(t('paper_entry_full', { n: en.limit }))
    bump()
    return true
  }

  const pressed = useRef(press)
  pressed.current = press
  // Every key of the page goes to the entry, except in a text field, on a button (Enter), or while a
  // dialog asks.
  useEffect(() => {
    if (result) return
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.repeat && e.key !== 'Backspace')) return
      const el = e.target as HTMLElement | null
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)) return
      if (e.key === 'Enter' && el && (el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY')) return
      if (document.querySelector('dialog[open]')) return
      if (pressed.current(e.key)) e.preventDefault()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [result])
  // A reload or closing the tab would lose the entry: the browser asks first.
  useEffect(() => {
    const f = (e: BeforeUnloadEvent) => {
      if (!result && en.marks > 0) { e.preventDefault(); e.returnValue = '' }
    }
    addEventListener('beforeunload', f)
    return () => removeEventListener('beforeunload', f)
  }, [result])
  useEffect(() => top.current?.focus(), [])

  const setLimit = (s: string) => {
    setSize(s)
    const x = Number(s)
    if (Number.isInteger(x) && x >= 1 && x <= 500) { en.limit = x; bump() }
  }
  const leave = async (e: Event) => {
    if (en.marks === 0 || result) return
    e.preventDefault()
    if (await confirmDialog({ title: t('paper_entry_leave_title'), body: t('paper_entry_leave_body'), confirm: t('paper_entry_leave'), danger: true })) {
      en.clear()
      location.hash = '#/board/' + vote.id
    }
  }
  const restart = () => a.run(async () => { en.clear(); setSaid(''); bump() },
    { confirm: { title: t('paper_entry_restart_title'), body: t('paper_entry_restart_body'), confirm: t('paper_entry_restart'), danger: true } })
  const send = () => {
    const count = en.ballots.length
    const warnings = count !== en.limit ? [t('paper_entry_size_differs', { count, size: en.limit })] : []
    void a.run(async () => {
      const r = await unwrap(api.POST('/api/v1/votes/{id}/paper/batches/{number}/entries', { params: { path: { id: vote.id, number: n } }, body: { ballots: [...en.ballots] } }))
      en.clear() // what was sent is the server's now; nothing of it stays in the page
      setResult(r)
    }, { confirm: { title: t('paper_entry_send_title', { n }), body: t('paper_entry_send_body', { n, count }), confirm: t('paper_entry_send', { n }), warnings } })
  }

  const back = html`<p><a href=${'#/board/' + vote.id} onClick=${leave}>← ${t('paper_back_console')}</a></p>`
  if (result) return html`${back}<section class="paper-entry" aria-labelledby="entry-h"><h1 id="entry-h">${t('paper_entry_title', { n })}</h1>
    <${BatchResult} vote=${vote} me=${me} can=${can} result=${result} fresh=${true} /></section>`

  const { ballot, row } = en.cursor
  const mineAlready = existing?.entered_by.includes(me.full_name)
  const levels = levelsOf(vote.kind)
  const cols = [...levels.map((l) => levelLabel(l)), t('paper_mark_blank'), t('paper_mark_several')]
  const mid = en.current !== ''
  return html`${back}<section class="paper-entry" aria-labelledby="entry-h" tabindex="-1" ref=${top}>
    <h1 id="entry-h">${t('paper_entry_title', { n })}</h1>
    <p class="sub">${vote.title} — ${t('paper_entry_who', { name: me.full_name })}</p>
    <p class="sub">${t('paper_entry_blind')}</p>
    ${(mineAlready || existing?.status === 'settled') && html`<p class="warn-box card" role="alert">${existing?.status === 'settled' ? t('paper_entry_settled_already', { n }) : t('paper_entry_mine_already', { n })}</p>`}
    ${!can('paper_entry') && html`<p class="warn-box card" role="alert">${t('paper_entry_not_allowed')}</p>`}
    <div class="entry-head">
      <div class="field size"><label for="e-size">${t('paper_entry_size')}</label>
        <input id="e-size" type="number" inputmode="numeric" min="1" max="500" value=${size} onInput=${(e: Event) => setLimit((e.currentTarget as HTMLInputElement).value)} /></div>
      <p class="where" data-testid="entry-where">${t('paper_entry_ballot')} <strong>${en.full ? en.limit : ballot + 1}</strong>/${en.limit}${' '}<span class="sep">·</span>${' '}${t('paper_entry_row')} <strong>${en.full ? '—' : row + 1}</strong>/${subjects.length}</p>
    </div>
    <p class="keys-help" id="keys-help">${t(kind === 'no_confidence' ? 'paper_keys_help_nc' : 'paper_keys_help')}</p>
    ${en.full && html`<p class="notice" role="status">${t('paper_entry_full', { n: en.limit })}</p>`}
    <div class="entry-grid">
      <section class="ballot-now" aria-labelledby="now-h"><h2 id="now-h">${en.full ? t('paper_entry_done_title') : t('paper_entry_ballot_n', { n: ballot + 1 })}</h2>
        <ol class="entry-rows">${subjects.map((s, i) => {
          const m = en.full ? '' : en.current[i] ?? ''
          const state = en.full ? '' : i === row ? 'cursor' : i < row ? 'done' : ''
          return html`<li class=${state} aria-current=${state === 'cursor' ? 'step' : undefined}>
            <span class="no">${i + 1}.</span><span class="who">${s.full_name}</span><span class=${'mark' + (m ? ' m-' + m : '')}>${m ? markLabel(m) : state === 'cursor' ? '▮' : '·'}</span></li>`
        })}</ol>
      </section>
      <section class="entry-totals" aria-labelledby="tot-h"><h2 id="tot-h">${t('paper_entry_totals', { n: en.ballots.length })}</h2>
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="tot-h"><table class="entry-totals">
          <thead><tr><th scope="col">${t('col_name')}</th>${cols.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
          <tbody>${subjects.map((s, i) => html`<tr class=${!en.full && i === row ? 'cursor' : ''}><th scope="row">${s.full_name}</th>
            ${cols.map((_, c) => html`<td class="num">${en.count(i, c)}</td>`)}</tr>`)}</tbody>
        </table></div>
      </section>
    </div>
    <div class="keypad" role="group" aria-label=${t('paper_keypad')} aria-describedby="keys-help">
      ${keysOf(kind).map((k) => html`<button type="button" class=${'big key m-' + k.mark} disabled=${en.full} onMouseDown=${keepFocus} onClick=${() => press(k.key)}><kbd>${k.key === 'x' ? 'X' : k.key}</kbd><span>${markLabel(k.mark)}</span></button>`)}
      <button type="button" class="big key undo" disabled=${en.marks === 0} onMouseDown=${keepFocus} onClick=${() => press('Backspace')}><kbd>⌫</kbd><span>${t('paper_undo')}</span></button>
    </div>
    <p class="sr-only" aria-live="polite" data-testid="entry-said">${said}</p>
    ${en.ballots.length > 0 && html`<details class="entered"><summary>${t('paper_entry_list', { n: en.ballots.length })}</summary>
      <ol class="ballot-strings">${en.ballots.map((b) => html`<li><code>${[...b].map(markShort).join(' ')}</code></li>`)}</ol></details>`}
    <${Feedback} action=${a} />
    <div class="actions">
      <button type="button" class="primary big" disabled=${a.busy || en.ballots.length === 0 || mid} onClick=${send}>${t('paper_entry_send_n', { n, count: en.ballots.length })}</button>
      <button type="button" class="big" disabled=${a.busy || en.marks === 0} onClick=${restart}>${t('paper_entry_restart')}</button>
    </div>
    ${mid && en.ballots.length > 0 && html`<p class="sub">${t('paper_entry_finish_ballot')}</p>`}
  </section>`
}
