// The rosters: delegates and officials, each with an add-or-edit form and a CSV import (a check
// first, every bad line listed, nothing half-imported).

import { useEffect, useRef, useState } from 'preact/hooks'
import { api, Delegate, Official, Position, Schemas, unwrap } from '../../api'
import { t } from '../../i18n'
import { dateShort } from '../../format'
import { checkedOf, DateInput, Feedback, Field, FilePicker, html, Loaded, useAction, useLoad, valueOf } from '../../ui'

type ImportPath = '/api/v1/councils/{id}/delegates/import' | '/api/v1/councils/{id}/officials/import'

function Import({ council, path, onDone }: { council: string; path: ImportPath; onDone: () => void }) {
  const [text, setText] = useState('')
  const [checked, setChecked] = useState(0)
  const a = useAction()
  const [name, setName] = useState('')
  const pick = async (f: File | undefined) => {
    setChecked(0)
    setName(f?.name ?? '')
    setText(f ? await f.text() : '')
  }
  const send = (dry: boolean) => unwrap(api.POST(path, { params: { path: { id: council }, query: { dry_run: dry } }, body: text,
    bodySerializer: (b: string) => b, headers: { 'Content-Type': 'text/csv; charset=utf-8' } }))
  const preview = () => a.run(async () => setChecked((await send(true)).imported))
  const run = () => a.run(async () => { await send(false); setText(''); setChecked(0); onDone() }, { done: t('sec_import_done', { n: checked }) })
  const id = 'file-' + path.split('/')[5]
  return html`<section class="card"><h3>${t('sec_import')}</h3>
    <${FilePicker} id=${id} label=${t('sec_import_file')} accept=".csv,text/csv" onPick=${pick} chosen=${name} none=${t('file_none')} />
    <div class="row"><button type="button" disabled=${!text || a.busy} onClick=${preview}>${t('sec_import_preview')}</button>
      ${checked > 0 && html`<button type="button" class="primary" disabled=${a.busy} onClick=${run}>${t('sec_import_do', { n: checked })}</button>`}</div>
    ${checked > 0 && html`<p class="notice" role="status">${t('sec_import_ok', { n: checked })}</p>`}
    <${Feedback} action=${a} /></section>`
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

const blankToUndef = (v: string | null | undefined) => (v ? v : undefined)

function officeSpan(from?: string | null, to?: string | null) {
  if (!from && !to) return '—'
  return (from ? dateShort(from) : '…') + ' – ' + (to ? dateShort(to) : '…')
}

export function Delegates({ council }: { council: string }) {
  const [all, setAll] = useState(false)
  const list = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/delegates', { params: { path: { id: council }, query: { include_inactive: all } } })), [council, all])
  const [editing, setEditing] = useState<Delegate | null>(null)
  const [formKey, setFormKey] = useState(0)
  const a = useAction()
  const save = (f: Schemas['DelegateInput']) => a.run(async () => {
    if (editing) await unwrap(api.PUT('/api/v1/councils/{id}/delegates/{delegateId}', { params: { path: { id: council, delegateId: editing.id } }, body: f }))
    else await unwrap(api.POST('/api/v1/councils/{id}/delegates', { params: { path: { id: council } }, body: f }))
    setEditing(null); setFormKey((k) => k + 1); list.reload()
  }, { done: t('sec_saved') })
  return html`<section><h2>${t('sec_tab_delegates')}${list.data ? ` (${list.data.length})` : ''}</h2>
    <${DelegateForm} key=${editing?.id ?? 'new-' + formKey} initial=${editing} busy=${a.busy} onSave=${save} onCancel=${() => setEditing(null)} />
    <${Feedback} action=${a} />
    <${Import} council=${council} path="/api/v1/councils/{id}/delegates/import" onDone=${list.reload} />
    <label class="check"><input type="checkbox" checked=${all} onChange=${(e: Event) => setAll(checkedOf(e))} /> ${t('sec_show_inactive')}</label>
    <${Loaded} state=${list}>${(ds: Delegate[]) => ds.length === 0 ? html`<p class="empty">${t('sec_delegates_none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th scope="col">${t('col_no')}</th><th scope="col">${t('sec_full_name')}</th><th scope="col">${t('sec_code')}</th>
      <th scope="col">${t('sec_in_office')}</th><th scope="col"><span class="sr-only">${t('sec_edit')}</span></th></tr></thead>
      <tbody>${ds.map((d, i) => html`<tr class=${d.active ? '' : 'inactive'}><td>${i + 1}</td><td>${d.full_name}${d.active ? '' : ' (' + t('sec_inactive') + ')'}</td><td>${d.code}</td>
        <td>${officeSpan(d.took_office_on, d.left_office_on)}</td>
        <td><button type="button" onClick=${() => setEditing(d)} aria-label=${t('sec_edit') + ': ' + d.full_name}>${t('sec_edit')}</button></td></tr>`)}</tbody></table></div>`}<//>
  </section>`
}

// DelegateForm adds a delegate (initial null) or edits one: name, code, dates in office, active.
function DelegateForm({ initial, busy, onSave, onCancel }: { initial: Delegate | null; busy: boolean; onSave: (f: Schemas['DelegateInput']) => void; onCancel: () => void }) {
  const [f, setF] = useState({ full_name: initial?.full_name ?? '', code: initial?.code ?? '',
    took_office_on: initial?.took_office_on ?? '', left_office_on: initial?.left_office_on ?? '', active: initial?.active ?? true })
  const p = initial ? 'de' : 'd'
  const submit = (e: Event) => {
    e.preventDefault()
    onSave({ ...f, took_office_on: blankToUndef(f.took_office_on), left_office_on: blankToUndef(f.left_office_on) })
  }
  const ref = useFocusOnEdit(initial)
  return html`<form ref=${ref} class="card grid" onSubmit=${submit} aria-label=${initial ? t('sec_edit') + ': ' + initial.full_name : t('sec_delegate_new')}>
    ${initial && html`<h3>${t('sec_edit')}: ${initial.full_name}</h3>`}
    <${Field} id=${p + '-name'} label=${t('sec_full_name')}><input id=${p + '-name'} required value=${f.full_name} onInput=${(e: Event) => setF({ ...f, full_name: valueOf(e) })} /><//>
    <${Field} id=${p + '-code'} label=${t('sec_code')}><input id=${p + '-code'} required value=${f.code} onInput=${(e: Event) => setF({ ...f, code: valueOf(e) })} /><//>
    <${Field} id=${p + '-took'} label=${t('sec_took_office')}><${DateInput} id=${p + '-took'} value=${f.took_office_on} onChange=${(v: string) => setF({ ...f, took_office_on: v })} /><//>
    <${Field} id=${p + '-left'} label=${t('sec_left_office')}><${DateInput} id=${p + '-left'} value=${f.left_office_on} onChange=${(v: string) => setF({ ...f, left_office_on: v })} /><//>
    ${initial && html`<label class="check"><input type="checkbox" checked=${f.active} onChange=${(e: Event) => setF({ ...f, active: checkedOf(e) })} /> ${t('sec_active')}</label>`}
    <div class="row"><button type="submit" class="primary" disabled=${busy}>${initial ? t('save') : t('sec_add')}</button>
      ${initial && html`<button type="button" onClick=${onCancel}>${t('cancel')}</button>`}</div></form>`
}

export function Officials({ council }: { council: string }) {
  const [all, setAll] = useState(false)
  const list = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/officials', { params: { path: { id: council }, query: { include_inactive: all } } })), [council, all])
  const cats = useLoad(() => unwrap(api.GET('/api/v1/post-categories')), [])
  const [editing, setEditing] = useState<Official | null>(null)
  const [formKey, setFormKey] = useState(0)
  const a = useAction()
  const save = (f: Schemas['OfficialInput']) => a.run(async () => {
    if (editing) await unwrap(api.PUT('/api/v1/councils/{id}/officials/{officialId}', { params: { path: { id: council, officialId: editing.id } }, body: f }))
    else await unwrap(api.POST('/api/v1/councils/{id}/officials', { params: { path: { id: council } }, body: f }))
    setEditing(null); setFormKey((k) => k + 1); list.reload()
  }, { done: t('sec_saved') })
  return html`<section><h2>${t('sec_tab_officials')}${list.data ? ` (${list.data.length})` : ''}</h2>
    <${OfficialForm} key=${editing?.id ?? 'new-' + formKey} initial=${editing} cats=${cats.data ?? []} busy=${a.busy} onSave=${save} onCancel=${() => setEditing(null)} />
    <${Feedback} action=${a} />
    <${Import} council=${council} path="/api/v1/councils/{id}/officials/import" onDone=${list.reload} />
    <label class="check"><input type="checkbox" checked=${all} onChange=${(e: Event) => setAll(checkedOf(e))} /> ${t('sec_show_inactive')}</label>
    <${Loaded} state=${list}>${(os: Official[]) => os.length === 0 ? html`<p class="empty">${t('sec_officials_none')}</p>` : html`<div class="table-wrap"><table><thead><tr><th scope="col">${t('col_no')}</th><th scope="col">${t('sec_full_name')}</th><th scope="col">${t('col_post')}</th><th scope="col">${t('sec_elected_on')}</th>
      <th scope="col"><span class="sr-only">${t('sec_edit')}</span></th></tr></thead>
      <tbody>${os.map((o, i) => html`<tr class=${o.active ? '' : 'inactive'}><td>${i + 1}</td>
        <td>${o.full_name}${o.retirement_announced ? ' *' : ''}${o.active ? '' : ' (' + t('sec_inactive') + ')'}</td>
        <td>${o.positions.map((p) => p.title).join('; ')}</td><td>${o.positions.map((p) => dateShort(p.elected_on)).join('; ')}</td>
        <td><button type="button" onClick=${() => setEditing(o)} aria-label=${t('sec_edit') + ': ' + o.full_name}>${t('sec_edit')}</button></td></tr>`)}</tbody></table></div>
      <p><small>* ${t('sec_retirement')}</small></p>`}<//>
  </section>`
}

// OfficialForm adds an official (initial null) or edits one: name, one or more posts, retirement,
// serious-illness leave, active.
function OfficialForm({ initial, cats, busy, onSave, onCancel }: {
  initial: Official | null; cats: Schemas['PostCategory'][]; busy: boolean; onSave: (f: Schemas['OfficialInput']) => void; onCancel: () => void
}) {
  const blankPost: Position = { category: 'hdnd_chu_tich', title: '', elected_on: '' }
  const [f, setF] = useState({ full_name: initial?.full_name ?? '', retirement_announced: initial?.retirement_announced ?? false,
    illness_leave_since: initial?.illness_leave_since ?? '', active: initial?.active ?? true })
  const [posts, setPosts] = useState<Position[]>(initial ? initial.positions.map((x) => ({ ...x })) : [blankPost])
  const p = initial ? 'oe' : 'o'
  const setPost = (i: number, k: keyof Position, v: string) => setPosts(posts.map((x, j) => (j === i ? { ...x, [k]: v } : x)))
  const submit = (e: Event) => {
    e.preventDefault()
    onSave({ ...f, illness_leave_since: blankToUndef(f.illness_leave_since), positions: posts })
  }
  const ref = useFocusOnEdit(initial)
  return html`<form ref=${ref} class="card grid" onSubmit=${submit} aria-label=${initial ? t('sec_edit') + ': ' + initial.full_name : t('sec_official_new')}>
    ${initial && html`<h3>${t('sec_edit')}: ${initial.full_name}</h3>`}
    <${Field} id=${p + '-name'} label=${t('sec_full_name')}><input id=${p + '-name'} required value=${f.full_name} onInput=${(e: Event) => setF({ ...f, full_name: valueOf(e) })} /><//>
    ${posts.map((x, i) => { const q = `${p}-${i}`; const n = posts.length > 1 ? ` ${i + 1}` : ''; return html`<fieldset class="post"><legend>${t('col_post')}${n}</legend>
      <${Field} id=${q + '-cat'} label=${t('sec_category')}><select id=${q + '-cat'} value=${x.category} onChange=${(e: Event) => setPost(i, 'category', valueOf(e))}>
        ${cats.map((c) => html`<option value=${c.id}>${c.label}</option>`)}</select><//>
      <${Field} id=${q + '-title'} label=${t('sec_title_printed')}><input id=${q + '-title'} required value=${x.title} onInput=${(e: Event) => setPost(i, 'title', valueOf(e))} /><//>
      <${Field} id=${q + '-date'} label=${t('sec_elected_on')}><${DateInput} id=${q + '-date'} required value=${x.elected_on} onChange=${(v: string) => setPost(i, 'elected_on', v)} /><//>
      ${posts.length > 1 && html`<button type="button" onClick=${() => setPosts(posts.filter((_, j) => j !== i))}>${t('sec_post_remove')}</button>`}</fieldset>` })}
    <div class="row"><button type="button" onClick=${() => setPosts([...posts, blankPost])}>${t('sec_post_add')}</button></div>
    <label class="check"><input type="checkbox" checked=${f.retirement_announced} onChange=${(e: Event) => setF({ ...f, retirement_announced: checkedOf(e) })} /> ${t('sec_retirement')}</label>
    <${Field} id=${p + '-ill'} label=${t('sec_illness_since')}><${DateInput} id=${p + '-ill'} value=${f.illness_leave_since} onChange=${(v: string) => setF({ ...f, illness_leave_since: v })} /><//>
    ${initial && html`<label class="check"><input type="checkbox" checked=${f.active} onChange=${(e: Event) => setF({ ...f, active: checkedOf(e) })} /> ${t('sec_active')}</label>`}
    <div class="row"><button type="submit" class="primary" disabled=${busy}>${initial ? t('save') : t('sec_add')}</button>
      ${initial && html`<button type="button" onClick=${onCancel}>${t('cancel')}</button>`}</div></form>`
}
