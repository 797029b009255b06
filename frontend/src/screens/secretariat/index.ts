// The secretariat's workspace, one tab per workflow: votes (rosters → draft → board → publication),
// delegates and officials, settings (documents, projector links, accounts for the admin) and the
// audit log. The admin keeps councils and accounts and takes no part in a vote.

import { useState } from 'preact/hooks'
import { api, Council, Schemas, unwrap, User } from '../../api'
import { Key, t } from '../../i18n'
import { ErrorBox, Feedback, Field, html, useAction, useLoad, valueOf } from '../../ui'
import { Audit } from './audit'
import { Delegates, Officials } from './rosters'
import { Settings } from './settings'
import { Votes } from './votes'

const TABS = ['votes', 'delegates', 'officials', 'settings', 'audit'] as const
type Tab = (typeof TABS)[number]

export function Secretariat({ me }: { me: User }) {
  const councils = useLoad(() => unwrap(api.GET('/api/v1/councils')), [])
  const [cid, setCid] = useState('')
  const [tab, setTab] = useState<Tab>('votes')
  const [adding, setAdding] = useState(false)
  const council = cid || me.council_id || councils.data?.[0]?.id || ''
  const current = councils.data?.find((c) => c.id === council)
  return html`<section class="secretariat">
    <h1>${t('sec_title')}${current ? ' — ' + current.name : ''}</h1>
    <${ErrorBox} error=${councils.error} retry=${councils.reload} />
    ${me.role === 'admin' && councils.data && html`<${Field} id="council" label=${t('sec_council')}>
      <select id="council" value=${council} onChange=${(e: Event) => setCid(valueOf(e))}>${councils.data.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select><//>
      <details open=${adding} onToggle=${(e: Event) => setAdding((e.currentTarget as HTMLDetailsElement).open)}><summary>${t('sec_council_new')}</summary>
        ${adding && html`<${NewCouncil} done=${(id: string) => { councils.reload(); setCid(id); setAdding(false) }} />`}</details>`}
    ${me.role === 'admin' && html`<p class="sub">${t('sec_admin_note')}</p>`}
    <div role="tablist" class="tabs" aria-label=${t('sec_title')}>
      ${TABS.map((k) => html`<button type="button" role="tab" id=${'tab-' + k} aria-selected=${tab === k} tabIndex=${tab === k ? 0 : -1} aria-controls="tabpanel"
        onClick=${() => setTab(k)} onKeyDown=${(e: KeyboardEvent) => tabKey(e, k, setTab)}>${t(('sec_tab_' + k) as Key)}</button>`)}
    </div>
    <div role="tabpanel" id="tabpanel" aria-labelledby=${'tab-' + tab}>
      ${council && tab === 'delegates' && html`<${Delegates} key=${council} council=${council} />`}
      ${council && tab === 'officials' && html`<${Officials} key=${council} council=${council} />`}
      ${council && tab === 'votes' && html`<${Votes} key=${council} council=${council} me=${me} />`}
      ${council && tab === 'settings' && html`<${Settings} key=${council} council=${council} me=${me} />`}
      ${council && tab === 'audit' && html`<${Audit} key=${council} council=${council} />`}
    </div></section>`
}

// tabKey moves between tabs with the arrow keys, Home and End (the WAI-ARIA tabs pattern: one tab
// stop for the list, arrows within it).
function tabKey(e: KeyboardEvent, current: Tab, set: (k: Tab) => void) {
  const i = TABS.indexOf(current)
  const next = ({ ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 } as Record<string, number>)[e.key]
  if (next === undefined) return
  e.preventDefault()
  const k = TABS[(next + TABS.length) % TABS.length]
  set(k)
  document.getElementById('tab-' + k)?.focus()
}

function NewCouncil({ done }: { done: (id: string) => void }) {
  const year = new Date().getFullYear()
  const [f, setF] = useState<Schemas['CouncilInput']>({ name: '', body: 'hdnd', level: 'tinh', place: '', khoa: '', term_start_year: year - 2, term_end_year: year + 3 })
  const a = useAction()
  const submit = (e: Event) => {
    e.preventDefault()
    void a.run(async () => done((await unwrap(api.POST('/api/v1/councils', { body: f })) as Council).id))
  }
  return html`<form class="card grid" onSubmit=${submit}>
    <${Field} id="n-name" label=${t('sec_council_name')}><input id="n-name" required value=${f.name} onInput=${(e: Event) => setF({ ...f, name: valueOf(e) })} /><//>
    <${Field} id="n-body" label=${t('sec_council_body')}><select id="n-body" value=${f.body} onChange=${(e: Event) => setF({ ...f, body: valueOf(e) as typeof f.body })}>
      ${(['hdnd', 'quoc_hoi', 'dang'] as const).map((b) => html`<option value=${b}>${t(('body_' + b) as Key)}</option>`)}</select><//>
    <${Field} id="n-level" label=${t('sec_council_level')}><select id="n-level" value=${f.level} onChange=${(e: Event) => setF({ ...f, level: valueOf(e) as typeof f.level })}>
      ${(['tinh', 'huyen', 'xa', 'trung_uong', 'co_so'] as const).map((l) => html`<option value=${l}>${t(('council_level_' + l) as Key)}</option>`)}</select><//>
    <${Field} id="n-place" label=${t('sec_council_place')}><input id="n-place" required value=${f.place} onInput=${(e: Event) => setF({ ...f, place: valueOf(e) })} /><//>
    <${Field} id="n-khoa" label=${t('sec_council_khoa')}><input id="n-khoa" required value=${f.khoa} onInput=${(e: Event) => setF({ ...f, khoa: valueOf(e) })} /><//>
    <${Field} id="n-start" label=${t('sec_council_term_start')}><input id="n-start" type="number" required min="1946" max="2200" value=${f.term_start_year} onInput=${(e: Event) => setF({ ...f, term_start_year: Number(valueOf(e)) })} /><//>
    <${Field} id="n-end" label=${t('sec_council_term_end')}><input id="n-end" type="number" required min="1946" max="2200" value=${f.term_end_year} onInput=${(e: Event) => setF({ ...f, term_end_year: Number(valueOf(e)) })} /><//>
    <${Feedback} action=${a} />
    <button type="submit" class="primary" disabled=${a.busy}>${t('sec_add')}</button></form>`
}
