// The secretariat's workspace: councils, delegates and officials (with CSV import: a check first,
// every bad line listed, nothing half-imported), votes (draft with the eligibility preview, the
// board, documents, publication, resignations and the no-confidence follow-up), document settings,
// and the audit log with its verification.

import { useEffect, useRef, useState } from 'preact/hooks'
import { Council, Delegate, download, Official, request, Tally, User, Vote } from '../api'
import { Key, t } from '../i18n'
import { byVietnameseName, dateShort, today as localToday } from '../format'
import { ErrorBox, Field, Notice, html, statusLabel, useApi } from '../ui'

type Act = (f: () => Promise<unknown>, msg?: string) => Promise<boolean>

function useAct(): [Act, unknown, string] {
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const act: Act = async (f, msg = '') => {
    setError(null)
    setNotice('')
    try {
      await f()
      setNotice(msg)
      return true
    } catch (e) {
      setError(e)
      return false
    }
  }
  return [act, error, notice]
}

const TABS = ['delegates', 'officials', 'votes', 'settings', 'audit'] as const

export function Secretariat({ me }: { me: User }) {
  const councils = useApi<Council[]>('/api/v1/councils')
  const [cid, setCid] = useState('')
  const [tab, setTab] = useState<(typeof TABS)[number]>('votes')
  const [adding, setAdding] = useState(false)
  const council = cid || me.council_id || councils.data?.[0]?.id || ''
  const current = councils.data?.find((c) => c.id === council)
  return html`<section class="secretariat">
    <h1>${t('sec_title')}${current ? ' — ' + current.name : ''}</h1>
    <${ErrorBox} error=${councils.error} />
    ${me.role === 'admin' && councils.data && html`<${Field} id="council" label=${t('sec_council')}>
      <select id="council" value=${council} onChange=${(e: any) => setCid(e.target.value)}>${councils.data.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select><//>
      <details open=${adding} onToggle=${(e: any) => setAdding(e.target.open)}><summary>${t('sec_council_new')}</summary>
        ${adding && html`<${NewCouncil} done=${(id: string) => { councils.reload(); setCid(id); setAdding(false) }} />`}</details>`}
    <div role="tablist" class="tabs" aria-label=${t('sec_title')}>
      ${TABS.map((k) => html`<button type="button" role="tab" id=${'tab-' + k} aria-selected=${tab === k} tabIndex=${tab === k ? 0 : -1} aria-controls="tabpanel"
        onClick=${() => setTab(k)} onKeyDown=${(e: KeyboardEvent) => tabKey(e, k, setTab)}>${t(('sec_tab_' + k) as Key)}</button>`)}
    </div>
    <div role="tabpanel" id="tabpanel" aria-labelledby=${'tab-' + tab}>
      ${council && tab === 'delegates' && html`<${Delegates} key=${council} council=${council} />`}
      ${council && tab === 'officials' && html`<${Officials} key=${council} council=${council} />`}
      ${council && tab === 'votes' && html`<${Votes} key=${council} council=${council} />`}
      ${council && tab === 'settings' && html`<${Settings} key=${council} council=${council} />`}
      ${council && tab === 'audit' && html`<${Audit} key=${council} council=${council} />`}
    </div></section>`
}

// tabKey moves between tabs with the arrow keys, Home and End (the WAI-ARIA tabs pattern: one tab
// stop for the list, arrows within it).
function tabKey(e: KeyboardEvent, current: (typeof TABS)[number], set: (k: (typeof TABS)[number]) => void) {
  const i = TABS.indexOf(current)
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key]
  if (next === undefined) return
  e.preventDefault()
  const k = TABS[(next + TABS.length) % TABS.length]
  set(k)
  document.getElementById('tab-' + k)?.focus()
}

function NewCouncil({ done }: { done: (id: string) => void }) {
  const year = new Date().getFullYear()
  const [f, setF] = useState<any>({ name: '', body: 'hdnd', level: 'tinh', place: '', khoa: '', term_start_year: year - 2, term_end_year: year + 3 })
  const [act, error] = useAct()
  const set = (k: string, num = false) => (e: any) => setF({ ...f, [k]: num ? Number(e.target.value) : e.target.value })
  return html`<form class="card grid" onSubmit=${(e: Event) => { e.preventDefault(); act(async () => done((await request<Council>('/api/v1/councils', { body: f })).id)) }}>
    <${Field} id="n-name" label=${t('sec_council_name')}><input id="n-name" required value=${f.name} onInput=${set('name')} /><//>
    <${Field} id="n-body" label=${t('sec_council_body')}><select id="n-body" value=${f.body} onChange=${set('body')}>
      ${['hdnd', 'quoc_hoi', 'dang'].map((b) => html`<option value=${b}>${t(('body_' + b) as Key)}</option>`)}</select><//>
    <${Field} id="n-level" label=${t('sec_council_level')}><select id="n-level" value=${f.level} onChange=${set('level')}>
      ${['tinh', 'huyen', 'xa', 'trung_uong', 'co_so'].map((l) => html`<option value=${l}>${t(('level_' + l) as Key)}</option>`)}</select><//>
    <${Field} id="n-place" label=${t('sec_council_place')}><input id="n-place" required value=${f.place} onInput=${set('place')} /><//>
    <${Field} id="n-khoa" label=${t('sec_council_khoa')}><input id="n-khoa" required value=${f.khoa} onInput=${set('khoa')} /><//>
    <${Field} id="n-start" label=${t('sec_council_term_start')}><input id="n-start" type="number" required value=${f.term_start_year} onInput=${set('term_start_year', true)} /><//>
    <${Field} id="n-end" label=${t('sec_council_term_end')}><input id="n-end" type="number" required value=${f.term_end_year} onInput=${set('term_end_year', true)} /><//>
    <${ErrorBox} error=${error} />
    <button type="submit" class="primary">${t('sec_add')}</button></form>`
}

function Import({ path, onDone }: { path: string; onDone: () => void }) {
  const [text, setText] = useState('')
  const [checked, setChecked] = useState(0)
  const [act, error, notice] = useAct()
  const pick = async (e: any) => {
    setChecked(0)
    const f: File | undefined = e.target.files?.[0]
    setText(f ? await f.text() : '')
  }
  const preview = () => act(async () => setChecked((await request<{ imported: number }>(path + '?dry_run=true', { csv: text })).imported))
  const run = () => act(async () => { await request(path, { csv: text }); setText(''); setChecked(0); onDone() }, t('sec_import_done', { n: checked }))
  return html`<section class="card"><h3>${t('sec_import')}</h3>
    <${Field} id=${'file-' + path} label=${t('sec_import_file')}><input id=${'file-' + path} type="file" accept=".csv,text/csv" onChange=${pick} /><//>
    <div class="row"><button type="button" disabled=${!text} onClick=${preview}>${t('sec_import_preview')}</button>
      ${checked > 0 && html`<button type="button" class="primary" onClick=${run}>${t('sec_import_do', { n: checked })}</button>`}</div>
    ${checked > 0 && html`<p class="notice" role="status">${t('sec_import_ok', { n: checked })}</p>`}
    <${ErrorBox} error=${error} /><${Notice} text=${notice} /></section>`
}

// useRosterEditor runs the add-or-edit form of a roster list at path: editing is the row being
// edited (null: the form adds); save sends the form, then clears it and reloads the list.
function useRosterEditor<T extends { id: string }>(path: string, reload: () => void) {
  const [editing, setEditing] = useState<T | null>(null)
  const [formKey, setFormKey] = useState(0)
  const [act, error, notice] = useAct()
  const save = (f: unknown) => act(() => (editing ? request(`${path}/${editing.id}`, { method: 'PUT', body: f }) : request(path, { body: f })), t('sec_saved'))
    .then((ok) => { if (ok) { setEditing(null); setFormKey((k) => k + 1); reload() } })
  return { editing, setEditing, formKey, save, error, notice }
}

const blankToUndef = (v: string | null | undefined) => (v ? v : undefined)

function Delegates({ council }: { council: string }) {
  const [all, setAll] = useState(false)
  const list = useApi<Delegate[]>(`/api/v1/councils/${council}/delegates${all ? '?include_inactive=true' : ''}`)
  const { editing, setEditing, formKey, save, error, notice } = useRosterEditor<Delegate>(`/api/v1/councils/${council}/delegates`, list.reload)
  return html`<section><h2>${t('sec_tab_delegates')} (${list.data?.length ?? 0})</h2>
    <${DelegateForm} key=${editing?.id ?? 'new-' + formKey} initial=${editing} onSave=${save} onCancel=${() => setEditing(null)} />
    <${ErrorBox} error=${error} /><${Notice} text=${notice} />
    <${Import} path=${`/api/v1/councils/${council}/delegates/import`} onDone=${list.reload} />
    <label class="check"><input type="checkbox" checked=${all} onChange=${(e: any) => setAll(e.target.checked)} /> ${t('sec_show_inactive')}</label>
    <div class="table-wrap"><table><thead><tr><th scope="col">${t('col_no')}</th><th scope="col">${t('sec_full_name')}</th><th scope="col">${t('sec_code')}</th>
      <th scope="col">${t('sec_in_office')}</th><th scope="col"><span class="sr-only">${t('sec_edit')}</span></th></tr></thead>
      <tbody>${(list.data ?? []).map((d, i) => html`<tr class=${d.active ? '' : 'inactive'}><td>${i + 1}</td><td>${d.full_name}${d.active ? '' : ' (' + t('sec_inactive') + ')'}</td><td>${d.code}</td>
        <td>${officeSpan(d.took_office_on, d.left_office_on)}</td>
        <td><button type="button" onClick=${() => setEditing(d)} aria-label=${t('sec_edit') + ': ' + d.full_name}>${t('sec_edit')}</button></td></tr>`)}</tbody></table></div>
  </section>`
}

function officeSpan(from?: string | null, to?: string | null) {
  if (!from && !to) return '—'
  return (from ? dateShort(from) : '…') + ' – ' + (to ? dateShort(to) : '…')
}

// useFocusOnEdit brings an edit form into view and puts the cursor in its first field, so a
// secretary who pressed "Sửa" at the bottom of a long list sees what opened.
function useFocusOnEdit(initial: unknown) {
  const ref = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (!initial || !ref.current) return
    ref.current.scrollIntoView?.({ block: 'start' })
    ref.current.querySelector('input')?.focus()
  }, [])
  return ref
}

// DelegateForm adds a delegate (initial null) or edits one: name, code, dates in office, active.
function DelegateForm({ initial, onSave, onCancel }: { initial: Delegate | null; onSave: (f: any) => void; onCancel: () => void }) {
  const [f, setF] = useState({ full_name: initial?.full_name ?? '', code: initial?.code ?? '',
    took_office_on: initial?.took_office_on ?? '', left_office_on: initial?.left_office_on ?? '', active: initial?.active ?? true })
  const p = initial ? 'de' : 'd'
  const set = (k: string) => (e: any) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value })
  const submit = (e: Event) => {
    e.preventDefault()
    onSave({ ...f, took_office_on: blankToUndef(f.took_office_on), left_office_on: blankToUndef(f.left_office_on) })
  }
  const ref = useFocusOnEdit(initial)
  return html`<form ref=${ref} class="card grid" onSubmit=${submit} aria-label=${initial ? t('sec_edit') + ': ' + initial.full_name : t('sec_delegate_new')}>
    ${initial && html`<h3>${t('sec_edit')}: ${initial.full_name}</h3>`}
    <${Field} id=${p + '-name'} label=${t('sec_full_name')}><input id=${p + '-name'} required value=${f.full_name} onInput=${set('full_name')} /><//>
    <${Field} id=${p + '-code'} label=${t('sec_code')}><input id=${p + '-code'} required value=${f.code} onInput=${set('code')} /><//>
    <${Field} id=${p + '-took'} label=${t('sec_took_office')}><input id=${p + '-took'} type="date" value=${f.took_office_on} onInput=${set('took_office_on')} /><//>
    <${Field} id=${p + '-left'} label=${t('sec_left_office')}><input id=${p + '-left'} type="date" value=${f.left_office_on} onInput=${set('left_office_on')} /><//>
    ${initial && html`<label class="check"><input type="checkbox" checked=${f.active} onChange=${set('active')} /> ${t('sec_active')}</label>`}
    <div class="row"><button type="submit" class="primary">${initial ? t('save') : t('sec_add')}</button>
      ${initial && html`<button type="button" onClick=${onCancel}>${t('cancel')}</button>`}</div></form>`
}

function Officials({ council }: { council: string }) {
  const [all, setAll] = useState(false)
  const list = useApi<Official[]>(`/api/v1/councils/${council}/officials${all ? '?include_inactive=true' : ''}`)
  const cats = useApi<{ id: string; label: string }[]>('/api/v1/post-categories')
  const { editing, setEditing, formKey, save, error, notice } = useRosterEditor<Official>(`/api/v1/councils/${council}/officials`, list.reload)
  return html`<section><h2>${t('sec_tab_officials')} (${list.data?.length ?? 0})</h2>
    <${OfficialForm} key=${editing?.id ?? 'new-' + formKey} initial=${editing} cats=${cats.data ?? []} onSave=${save} onCancel=${() => setEditing(null)} />
    <${ErrorBox} error=${error} /><${Notice} text=${notice} />
    <${Import} path=${`/api/v1/councils/${council}/officials/import`} onDone=${list.reload} />
    <label class="check"><input type="checkbox" checked=${all} onChange=${(e: any) => setAll(e.target.checked)} /> ${t('sec_show_inactive')}</label>
    <div class="table-wrap"><table><thead><tr><th scope="col">${t('col_no')}</th><th scope="col">${t('sec_full_name')}</th><th scope="col">${t('col_post')}</th><th scope="col">${t('sec_elected_on')}</th>
      <th scope="col"><span class="sr-only">${t('sec_edit')}</span></th></tr></thead>
      <tbody>${(list.data ?? []).map((o, i) => html`<tr class=${o.active ? '' : 'inactive'}><td>${i + 1}</td>
        <td>${o.full_name}${o.retirement_announced ? ' *' : ''}${o.active ? '' : ' (' + t('sec_inactive') + ')'}</td>
        <td>${o.positions.map((p) => p.title).join('; ')}</td><td>${o.positions.map((p) => dateShort(p.elected_on)).join('; ')}</td>
        <td><button type="button" onClick=${() => setEditing(o)} aria-label=${t('sec_edit') + ': ' + o.full_name}>${t('sec_edit')}</button></td></tr>`)}</tbody></table></div>
    <p><small>* ${t('sec_retirement')}</small></p>
  </section>`
}

// OfficialForm adds an official (initial null) or edits one: name, one or more posts, retirement,
// serious-illness leave, active.
function OfficialForm({ initial, cats, onSave, onCancel }: { initial: Official | null; cats: { id: string; label: string }[]; onSave: (f: any) => void; onCancel: () => void }) {
  const blankPost = { category: 'hdnd_chu_tich', title: '', elected_on: '' }
  const [f, setF] = useState({ full_name: initial?.full_name ?? '', retirement_announced: initial?.retirement_announced ?? false,
    illness_leave_since: initial?.illness_leave_since ?? '', active: initial?.active ?? true })
  const [posts, setPosts] = useState(initial ? initial.positions.map((x) => ({ ...x })) : [blankPost])
  const p = initial ? 'oe' : 'o'
  const set = (k: string) => (e: any) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value })
  const setPost = (i: number, k: string) => (e: any) => setPosts(posts.map((x, j) => (j === i ? { ...x, [k]: e.target.value } : x)))
  const submit = (e: Event) => {
    e.preventDefault()
    onSave({ ...f, illness_leave_since: blankToUndef(f.illness_leave_since), positions: posts })
  }
  const ref = useFocusOnEdit(initial)
  return html`<form ref=${ref} class="card grid" onSubmit=${submit} aria-label=${initial ? t('sec_edit') + ': ' + initial.full_name : t('sec_official_new')}>
    ${initial && html`<h3>${t('sec_edit')}: ${initial.full_name}</h3>`}
    <${Field} id=${p + '-name'} label=${t('sec_full_name')}><input id=${p + '-name'} required value=${f.full_name} onInput=${set('full_name')} /><//>
    ${posts.map((x, i) => { const q = `${p}-${i}`; const n = posts.length > 1 ? ` ${i + 1}` : ''; return html`<fieldset class="post"><legend>${t('col_post')}${n}</legend>
      <${Field} id=${q + '-cat'} label=${t('sec_category')}><select id=${q + '-cat'} value=${x.category} onChange=${setPost(i, 'category')}>
        ${cats.map((c) => html`<option value=${c.id}>${c.label}</option>`)}</select><//>
      <${Field} id=${q + '-title'} label=${t('sec_title_printed')}><input id=${q + '-title'} required value=${x.title} onInput=${setPost(i, 'title')} /><//>
      <${Field} id=${q + '-date'} label=${t('sec_elected_on')}><input id=${q + '-date'} type="date" required value=${x.elected_on} onInput=${setPost(i, 'elected_on')} /><//>
      ${posts.length > 1 && html`<button type="button" onClick=${() => setPosts(posts.filter((_, j) => j !== i))}>${t('sec_post_remove')}</button>`}</fieldset>` })}
    <div class="row"><button type="button" onClick=${() => setPosts([...posts, blankPost])}>${t('sec_post_add')}</button></div>
    <label class="check"><input type="checkbox" checked=${f.retirement_announced} onChange=${set('retirement_announced')} /> ${t('sec_retirement')}</label>
    <${Field} id=${p + '-ill'} label=${t('sec_illness_since')}><input id=${p + '-ill'} type="date" value=${f.illness_leave_since} onInput=${set('illness_leave_since')} /><//>
    ${initial && html`<label class="check"><input type="checkbox" checked=${f.active} onChange=${set('active')} /> ${t('sec_active')}</label>`}
    <div class="row"><button type="submit" class="primary">${initial ? t('save') : t('sec_add')}</button>
      ${initial && html`<button type="button" onClick=${onCancel}>${t('cancel')}</button>`}</div></form>`
}

function Votes({ council }: { council: string }) {
  const votes = useApi<Vote[]>(`/api/v1/councils/${council}/votes`)
  const [selected, setSelected] = useState('')
  const [creating, setCreating] = useState(false)
  if (selected) return html`<${VoteDetail} key=${selected} voteId=${selected} back=${() => { setSelected(''); votes.reload() }} open=${setSelected} />`
  if (creating) return html`<${NewVote} council=${council} done=${(id: string) => { setCreating(false); setSelected(id) }} cancel=${() => setCreating(false)} />`
  return html`<section><h2>${t('sec_tab_votes')}</h2>
    <button type="button" class="primary" onClick=${() => setCreating(true)}>${t('sec_vote_new')}</button>
    <${ErrorBox} error=${votes.error} />
    <ul class="votes">${(votes.data ?? []).map((v) => html`<li><button type="button" class="link" onClick=${() => setSelected(v.id)}>${v.title}</button>
      <span class="badge">${statusLabel(v.status)}</span> <small>${dateShort(v.vote_date)}</small></li>`)}</ul></section>`
}

function NewVote({ council, done, cancel, preset }: { council: string; done: (id: string) => void; cancel: () => void; preset?: any }) {
  const officials = useApi<Official[]>(`/api/v1/councils/${council}/officials`)
  const today = localToday()
  const [f, setF] = useState<any>(preset ?? { kind: 'confidence', title: '', session_name: '', session_opens_on: today, vote_date: today, rule_set: 'NQ96_2023',
    percentage_base: '', exclude_serious_illness: false, official_ids: [] as string[], preparation: {} })
  const prep = (k: string) => (e: any) => setF({ ...f, preparation: { ...f.preparation, [k]: e.target.value || undefined } })
  const [groupTitles, setGroupTitles] = useState<string[]>([''])
  const [groupOf, setGroupOf] = useState<Record<string, number>>({})
  const councilName = useApi<Council>(`/api/v1/councils/${council}`).data?.name ?? ''
  const [act, error] = useAct()
  const set = (k: string) => (e: any) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value })
  const toggle = (id: string) => setF({ ...f, official_ids: f.official_ids.includes(id) ? f.official_ids.filter((x: string) => x !== id) : [...f.official_ids, id] })
  const submit = (e: Event) => {
    e.preventDefault()
    const body = { ...f }
    if (!body.percentage_base) delete body.percentage_base
    if (groupTitles.length > 1) {
      body.ballot_groups = groupTitles
        .map((title, g) => ({ title: title || t('sec_group_default', { council: councilName }),
          official_ids: f.official_ids.filter((id: string) => (groupOf[id] ?? 0) === g) }))
        .filter((g) => g.official_ids.length > 0)
    }
    act(async () => done((await request<Vote>(`/api/v1/councils/${council}/votes`, { body })).id))
  }
  return html`<section><h2>${t('sec_vote_new')}</h2><form class="card grid" onSubmit=${submit}>
    <${Field} id="v-kind" label=${t('sec_vote_kind')}><select id="v-kind" value=${f.kind} onChange=${set('kind')}>
      <option value="confidence">${t('sec_kind_confidence')}</option><option value="no_confidence">${t('sec_kind_no_confidence')}</option></select><//>
    <${Field} id="v-title" label=${t('sec_vote_title')}><input id="v-title" required value=${f.title} onInput=${set('title')} /><//>
    <${Field} id="v-session" label=${t('sec_session')} hint=${t('sec_session_hint')}><input id="v-session" required aria-describedby="v-session-hint" value=${f.session_name} onInput=${set('session_name')} /><//>
    <${Field} id="v-opens" label=${t('sec_session_opens')}><input id="v-opens" type="date" required value=${f.session_opens_on} onInput=${set('session_opens_on')} /><//>
    <${Field} id="v-date" label=${t('sec_vote_date')}><input id="v-date" type="date" required value=${f.vote_date} onInput=${set('vote_date')} /><//>
    <${Field} id="v-rules" label=${t('sec_rule_set')}><select id="v-rules" value=${f.rule_set} onChange=${set('rule_set')}>
      <option value="NQ96_2023">NQ 96/2023/QH15</option><option value="QD96_2023">QĐ 96-QĐ/TW</option><option value="NQ85_2014">NQ 85/2014/QH13</option></select><//>
    <${Field} id="v-base" label=${t('sec_base')}><select id="v-base" value=${f.percentage_base} onChange=${set('percentage_base')}>
      <option value="">—</option><option value="total_delegates">${t('sec_base_total')}</option><option value="ballots_received">${t('sec_base_received')}</option></select><//>
    <label class="check"><input type="checkbox" checked=${f.exclude_serious_illness} onChange=${set('exclude_serious_illness')} /> ${t('sec_illness')}</label>
    <fieldset class="wide grid"><legend>${t('sec_prep')}</legend>
      ${([['list_sent_on', 'sec_prep_list'], ['reports_received_on', 'sec_prep_reports'], ['front_summary_on', 'sec_prep_front'], ['documents_sent_on', 'sec_prep_documents']] as [string, Key][]).map(([k, label]) =>
        html`<${Field} id=${'prep-' + k} label=${t(label)}><input id=${'prep-' + k} type="date" value=${f.preparation?.[k] ?? ''} onInput=${prep(k)} /><//>`)}
    </fieldset>
    <fieldset class="wide grid"><legend>${t('sec_groups')}</legend>
      <${Field} id="g-count" label=${t('sec_groups_count')}><select id="g-count" value=${groupTitles.length}
        onChange=${(e: any) => { const n = Number(e.target.value); setGroupTitles(Array.from({ length: n }, (_, i) => groupTitles[i] ?? '')) }}>
        ${[1, 2, 3, 4].map((n) => html`<option value=${n}>${n}</option>`)}</select><//>
      ${groupTitles.length > 1 && groupTitles.map((g, i) => html`<${Field} id=${'g-title-' + i} label=${t('sec_group_title', { n: i + 1 })}>
        <input id=${'g-title-' + i} value=${g} onInput=${(e: any) => setGroupTitles(groupTitles.map((x, j) => (j === i ? e.target.value : x)))} /><//>`)}
    </fieldset>
    <fieldset class="wide"><legend>${t('sec_choose_officials')}</legend>
      ${byVietnameseName(officials.data ?? [], (o) => o.full_name).map((o) => html`<div class="row"><label class="check"><input type="checkbox" checked=${f.official_ids.includes(o.id)} onChange=${() => toggle(o.id)} />
        ${o.full_name} — <small>${o.positions.map((p) => p.title).join('; ')}</small></label>
        ${groupTitles.length > 1 && f.official_ids.includes(o.id) && html`<select aria-label=${t('sec_group_of', { name: o.full_name })} value=${groupOf[o.id] ?? 0}
          onChange=${(e: any) => setGroupOf({ ...groupOf, [o.id]: Number(e.target.value) })}>${groupTitles.map((_, i) => html`<option value=${i}>${i + 1}</option>`)}</select>`}</div>`)}</fieldset>
    <${ErrorBox} error=${error} />
    <div class="row wide"><button type="button" onClick=${cancel}>${t('cancel')}</button><button type="submit" class="primary">${t('sec_create_draft')}</button></div>
  </form></section>`
}

function VoteDetail({ voteId, back, open }: { voteId: string; back: () => void; open: (id: string) => void }) {
  const vote = useApi<Vote>(`/api/v1/votes/${voteId}`)
  const [act, error, notice] = useAct()
  const v = vote.data
  if (!v) return html`<${ErrorBox} error=${vote.error} />`
  const tallied = ['closed', 'certified', 'published'].includes(v.status)
  const docs: [string, string][] = v.ballot_groups.length > 1
    ? v.ballot_groups.map((_, g) => [`documents/ballot.pdf?group=${g}`, t('sec_ballot_group_pdf', { n: g + 1 })] as [string, string])
    : [['documents/ballot.pdf', t('sec_ballot_pdf')]]
  if (tallied) docs.push(['documents/minutes.pdf', t('sec_minutes_pdf')], ['documents/minutes.docx', t('sec_minutes_docx')], ['documents/resolution.pdf', t('sec_resolution_pdf')],
    ['documents/resolution.docx', t('sec_resolution_docx')], ['documents/resolution.html', t('sec_resolution_html')], ['results.csv', t('sec_results_csv')], ['results.xlsx', t('sec_results_xlsx')])
  const [reason, setReason] = useState('')
  return html`<section class="vote-detail">
    <button type="button" class="link" onClick=${back}>← ${t('back')}</button>
    <h2>${v.title} <span class="badge">${statusLabel(v.status)}</span></h2>
    <p class="sub">${v.session_name} — ${dateShort(v.vote_date)} — ${v.rule_set}</p>
    <${ErrorBox} error=${error} /><${Notice} text=${notice} />
    ${v.warnings.length > 0 && html`<section class="card warn-box"><h3>${t('sec_warnings')}</h3><ul>${v.warnings.map((w) => html`<li>${w.message}</li>`)}</ul></section>`}
    <h3>${t('sec_subjects', { n: v.subjects.length })}</h3>
    <ol>${v.subjects.map((s) => html`<li>${s.full_name} — <small>${s.positions.map((p) => p.title).join('; ')}</small>${s.resigned_on ? ' (' + t('flag_resigned') + ')' : ''}</li>`)}</ol>
    <h3>${t('sec_exclusions', { n: v.exclusions.length })}</h3>
    <ul>${v.exclusions.map((x) => html`<li>${x.full_name} — ${t(('reason_' + x.reason) as Key)}</li>`)}</ul>
    ${v.status !== 'certified' && v.status !== 'published' && v.status !== 'cancelled' && html`<${BoardSetup} vote=${v} act=${act} reload=${vote.reload} />`}
    <section class="card"><h3>${t('sec_documents')}</h3><ul class="docs">${docs.map(([p, label]) => html`<li><button type="button" class="link"
      onClick=${() => act(() => download(`/api/v1/votes/${v.id}/${p}`, p.split('/').pop()!.split('?')[0]))}>${label}</button></li>`)}</ul></section>
    ${['draft', 'open', 'closed'].includes(v.status) && html`<form class="card row" onSubmit=${(e: Event) => { e.preventDefault()
      act(() => request(`/api/v1/votes/${v.id}/cancel`, { body: { reason } })).then(vote.reload) }}>
      <${Field} id="c-reason" label=${t('sec_cancel_reason')}><input id="c-reason" required value=${reason} onInput=${(e: any) => setReason(e.target.value)} /><//>
      <button type="submit" class="danger">${t('sec_cancel_vote')}</button></form>`}
    ${v.status === 'certified' && html`<${Publish} vote=${v} act=${act} reload=${vote.reload} />`}
    ${v.status === 'published' && html`<p class="notice">${t('sec_published')} <a href=${'#/public/' + v.id}>${t('nav_public')}</a></p>`}
    ${tallied && v.kind === 'confidence' && html`<${FollowUp} vote=${v} act=${act} reload=${vote.reload} open=${open} />`}
  </section>`
}

function BoardSetup({ vote, act, reload }: { vote: Vote; act: Act; reload: () => void }) {
  const staff = useApi<User[]>(`/api/v1/councils/${vote.council_id}/staff`)
  const initial = Object.fromEntries(vote.board.map((m) => [m.user_id, m.board_role]))
  const [roles, setRoles] = useState<Record<string, string>>(initial)
  const save = () => act(() => request(`/api/v1/votes/${vote.id}/board`, { method: 'PUT',
    body: { members: Object.entries(roles).filter(([, r]) => r).map(([user_id, board_role]) => ({ user_id, board_role })) } }), t('sec_saved')).then(reload)
  return html`<section class="card"><h3>${t('sec_board')}</h3>
    <table><tbody>${(staff.data ?? []).filter((u) => u.role === 'board').map((u) => html`<tr><th scope="row"><label for=${'role-' + u.id}>${u.full_name}</label></th><td>
      <select id=${'role-' + u.id} value=${roles[u.id] ?? ''} onChange=${(e: any) => setRoles({ ...roles, [u.id]: e.target.value })}>
        <option value="">${t('sec_board_none')}</option><option value="head">${t('sec_board_head')}</option>
        <option value="secretary">${t('sec_board_secretary')}</option><option value="member">${t('sec_board_member')}</option></select></td></tr>`)}</tbody></table>
    <button type="button" class="primary" onClick=${save}>${t('sec_board_save')}</button></section>`
}

function Publish({ vote, act, reload }: { vote: Vote; act: Act; reload: () => void }) {
  const [number, setNumber] = useState('')
  const [adopted, setAdopted] = useState(localToday())
  const submit = (e: Event) => {
    e.preventDefault()
    if (!confirm(t('sec_publish_confirm'))) return
    act(() => request(`/api/v1/votes/${vote.id}/publish`, { body: { resolution_number: number, adopted_on: adopted } })).then(reload)
  }
  return html`<form class="card row" onSubmit=${submit}><h3>${t('sec_publish')}</h3>
    <${Field} id="p-number" label=${t('sec_resolution_number')}><input id="p-number" required placeholder="52/NQ-HĐND" value=${number} onInput=${(e: any) => setNumber(e.target.value)} /><//>
    <${Field} id="p-date" label=${t('sec_adopted_on')}><input id="p-date" type="date" required value=${adopted} onInput=${(e: any) => setAdopted(e.target.value)} /><//>
    <button type="submit" class="primary">${t('sec_publish')}</button></form>`
}

function FollowUp({ vote, act, reload, open }: { vote: Vote; act: Act; reload: () => void; open: (id: string) => void }) {
  const tally = useApi<Tally>(`/api/v1/votes/${vote.id}/tally`, [vote.status])
  const [who, setWho] = useState('')
  const [date, setDate] = useState(localToday())
  const due = tally.data?.no_confidence_due ?? []
  const name = (id: string) => vote.subjects.find((s) => s.official_id === id)?.full_name ?? id
  const create = (id: string) => act(async () => {
    const v = await request<Vote>(`/api/v1/councils/${vote.council_id}/votes`, { body: { kind: 'no_confidence', title: 'Bỏ phiếu tín nhiệm đối với ' + name(id),
      session_name: vote.session_name, session_opens_on: vote.session_opens_on, vote_date: localToday() < vote.vote_date ? vote.vote_date : localToday(),
      rule_set: vote.rule_set, official_ids: [id], trigger: { type: 'confidence_result', source_vote_id: vote.id } } })
    open(v.id)
  })
  return html`<section class="card"><h3>${t('sec_followup')}</h3>
    ${due.length > 0 && due.map((id) => html`<p>${t('sec_followup_due', { name: name(id) })} <button type="button" onClick=${() => create(id)}>${t('sec_followup_create')}</button></p>`)}
    <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); act(() => request(`/api/v1/votes/${vote.id}/resignations`, { body: { official_id: who, date } }), t('sec_saved')).then(() => { reload(); tally.reload() }) }}>
      <${Field} id="r-who" label=${t('sec_resign')}><select id="r-who" required value=${who} onChange=${(e: any) => setWho(e.target.value)}>
        <option value="">—</option>${vote.subjects.map((s) => html`<option value=${s.official_id}>${s.full_name}</option>`)}</select><//>
      <${Field} id="r-date" label=${t('sec_resign_date')}><input id="r-date" type="date" required value=${date} onInput=${(e: any) => setDate(e.target.value)} /><//>
      <button type="submit">${t('save')}</button></form></section>`
}

function Settings({ council }: { council: string }) {
  const s = useApi<any>(`/api/v1/councils/${council}/document-settings`)
  const [act, error, notice] = useAct()
  if (!s.data) return html`<${ErrorBox} error=${s.error} />`
  const d = s.data
  const lines = (k: string) => (e: any) => s.setData({ ...d, [k]: e.target.value.split('\n').map((x: string) => x.trim()).filter(Boolean) })
  const text = (k: string) => (e: any) => s.setData({ ...d, [k]: k === 'copies' ? Number(e.target.value) : e.target.value })
  const area = (k: string, key: Key) => html`<${Field} id=${'s-' + k} label=${t(key)}><textarea id=${'s-' + k} rows="4" onInput=${lines(k)}>${(d[k] ?? []).join('\n')}</textarea><//>`
  return html`<form class="card grid" onSubmit=${(e: Event) => { e.preventDefault(); act(() => request(`/api/v1/councils/${council}/document-settings`, { method: 'PUT', body: d }), t('sec_saved')) }}>
    ${area('issuing_body', 'sec_settings_body')}
    <${Field} id="s-place" label=${t('sec_settings_place')}><input id="s-place" value=${d.place_name} onInput=${text('place_name')} /><//>
    ${area('signer_authority', 'sec_settings_signer_authority')}
    <${Field} id="s-signer" label=${t('sec_settings_signer_name')}><input id="s-signer" value=${d.signer_name} onInput=${text('signer_name')} /><//>
    ${area('bases', 'sec_settings_bases')}${area('recipients', 'sec_settings_recipients')}
    <${Field} id="s-suffix" label=${t('sec_settings_suffix')}><input id="s-suffix" value=${d.number_suffix} onInput=${text('number_suffix')} /><//>
    <${Field} id="s-copies" label=${t('sec_settings_copies')}><input id="s-copies" type="number" min="1" max="20" value=${d.copies} onInput=${text('copies')} /><//>
    <${ErrorBox} error=${error} /><${Notice} text=${notice} />
    <button type="submit" class="primary">${t('save')}</button></form>`
}

function Audit({ council }: { council: string }) {
  const verify = useApi<{ ok: boolean; events: number; first_bad_event: number | null; problem?: string }>('/api/v1/audit/verify')
  const events = useApi<any[]>(`/api/v1/audit?council_id=${council}&limit=200`)
  const v = verify.data
  return html`<section><h2>${t('sec_tab_audit')}</h2>
    ${v && html`<p class=${v.ok ? 'notice' : 'error'} role="status">${v.ok ? t('audit_verify_ok', { n: v.events }) : t('audit_verify_bad', { seq: v.first_bad_event ?? '', problem: v.problem ?? '' })}</p>`}
    <${ErrorBox} error=${events.error} />
    <div class="table-wrap"><table><thead><tr><th scope="col">#</th><th scope="col">${t('audit_when')}</th><th scope="col">${t('audit_who')}</th><th scope="col">${t('audit_what')}</th></tr></thead>
      <tbody>${[...(events.data ?? [])].reverse().map((ev) => html`<tr><td>${ev.seq}</td><td>${new Date(ev.at).toLocaleString('vi-VN')}</td><td>${ev.actor_name}</td>
        <td><strong>${auditAction(ev.action)}</strong> <code>${ev.action}</code><br /><small class="summary">${auditSummary(ev.summary)}</small></td></tr>`)}</tbody></table></div></section>`
}

function auditAction(action: string): string {
  const key = ('audit_act_' + action.replace(/\./g, '_')) as Key
  const label = t(key)
  return label === key ? action : label
}

// auditSummary shows an event's summary as "key: value" pairs rather than raw JSON.
function auditSummary(summary: unknown): string {
  let v = summary
  if (typeof v === 'string') {
    try { v = JSON.parse(v) } catch { return v as string }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return typeof v === 'string' ? v : JSON.stringify(v)
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)}`).join('; ')
}

export { NewVote }
