// Settings: the council's document settings (large fields for the legal bases), the projector links,
// and, for the admin, the staff accounts.

import { useState } from 'preact/hooks'
import { api, DocumentSettings, Schemas, unwrap, User } from '../../api'
import { Key, t } from '../../i18n'
import { Feedback, Field, html, Loaded, roleLabel, useAction, useLoad, valueOf } from '../../ui'
import { DisplayLinks } from '../displays'

export function Settings({ council, me }: { council: string; me: User }) {
  return html`<section><h2>${t('sec_tab_settings')}</h2>
    <${DocSettings} council=${council} />
    ${me.role === 'secretariat' && html`<${DisplayLinks} councilId=${council} />`}
    ${me.role === 'admin' && html`<${Users} council=${council} />`}
  </section>`
}

type Lines = 'issuing_body' | 'signer_authority' | 'bases' | 'recipients'

function DocSettings({ council }: { council: string }) {
  const s = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/document-settings', { params: { path: { id: council } } })), [council])
  const a = useAction()
  return html`<${Loaded} state=${s}>${(d: DocumentSettings) => {
    const lines = (k: Lines) => (e: Event) => s.setData({ ...d, [k]: valueOf(e).split('\n').map((x) => x.trim()).filter(Boolean) })
    // Each text area shows every line it holds, and a line more to type in.
    const area = (k: Lines, key: Key, rows: number) => html`<${Field} id=${'s-' + k} label=${t(key)} wide=${true}><textarea id=${'s-' + k} rows=${Math.max(rows, d[k].length + 2)} onChange=${lines(k)}>${d[k].join('\n')}</textarea><//>`
    const save = (e: Event) => {
      e.preventDefault()
      void a.run(async () => s.setData(await unwrap(api.PUT('/api/v1/councils/{id}/document-settings', { params: { path: { id: council } }, body: d }))), { done: t('sec_saved') })
    }
    return html`<form class="card grid settings" onSubmit=${save} aria-label=${t('sec_doc_settings')}><h3>${t('sec_doc_settings')}</h3>
      ${area('issuing_body', 'sec_settings_body', 3)}
      <${Field} id="s-place" label=${t('sec_settings_place')}><input id="s-place" value=${d.place_name} onInput=${(e: Event) => s.setData({ ...d, place_name: valueOf(e) })} /><//>
      <${Field} id="s-signer" label=${t('sec_settings_signer_name')}><input id="s-signer" value=${d.signer_name} onInput=${(e: Event) => s.setData({ ...d, signer_name: valueOf(e) })} /><//>
      ${area('signer_authority', 'sec_settings_signer_authority', 3)}
      ${area('bases', 'sec_settings_bases', 10)}${area('recipients', 'sec_settings_recipients', 5)}
      <${Field} id="s-suffix" label=${t('sec_settings_suffix')}><input id="s-suffix" value=${d.number_suffix} onInput=${(e: Event) => s.setData({ ...d, number_suffix: valueOf(e) })} /><//>
      <${Field} id="s-copies" label=${t('sec_settings_copies')}><input id="s-copies" type="number" min="1" max="20" value=${d.copies} onInput=${(e: Event) => s.setData({ ...d, copies: Number(valueOf(e)) })} /><//>
      <${Feedback} action=${a} />
      <div class="row wide"><button type="submit" class="primary" disabled=${a.busy}>${t('save')}</button></div></form>`
  }}<//>`
}

function Users({ council }: { council: string }) {
  const list = useLoad(() => unwrap(api.GET('/api/v1/users', { params: { query: { council_id: council } } })), [council])
  const a = useAction()
  const blank: Schemas['UserInput'] = { username: '', password: '', full_name: '', role: 'board', council_id: council }
  const [f, setF] = useState(blank)
  const create = (e: Event) => {
    e.preventDefault()
    void a.run(async () => { await unwrap(api.POST('/api/v1/users', { body: { ...f, council_id: council } })); setF(blank); list.reload() }, { done: t('sec_saved') })
  }
  const [resetting, setResetting] = useState('')
  const [password, setPassword] = useState('')
  const reset = (e: Event, u: User) => {
    e.preventDefault()
    void a.run(async () => { await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body: { password } })); setResetting(''); setPassword('') },
      { done: t('users_password_done', { name: u.full_name }) })
  }
  const toggle = (u: User) => a.run(async () => { await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body: { active: !u.active } })); list.reload() },
    { confirm: { title: u.active ? t('users_deactivate') : t('users_activate'), body: t(u.active ? 'users_deactivate_confirm' : 'users_activate_confirm', { name: u.full_name }), confirm: u.active ? t('users_deactivate') : t('users_activate'), danger: u.active } })
  return html`<section class="card" aria-labelledby="users-h"><h3 id="users-h">${t('users_title')}</h3>
    <${Loaded} state=${list}>${(us: User[]) => us.length === 0 ? html`<p class="empty">${t('users_none')}</p>` : html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">${t('sec_full_name')}</th><th scope="col">${t('login_username')}</th><th scope="col">${t('users_role')}</th><th scope="col"><span class="sr-only">${t('users_actions')}</span></th></tr></thead>
      <tbody>${us.map((u) => html`<tr class=${u.active ? '' : 'inactive'}><td>${u.full_name}${u.active ? '' : ' (' + t('sec_inactive') + ')'}</td><td>${u.username}</td><td>${roleLabel(u.role)}</td>
        <td class="row"><button type="button" disabled=${a.busy} onClick=${() => toggle(u)}>${u.active ? t('users_deactivate') : t('users_activate')}</button>
          <button type="button" disabled=${a.busy} aria-expanded=${resetting === u.id} onClick=${() => setResetting(resetting === u.id ? '' : u.id)}>${t('users_password')}</button>
          ${resetting === u.id && html`<form class="row" onSubmit=${(e: Event) => reset(e, u)}>
            <${Field} id=${'pw-' + u.id} label=${t('users_password_new', { name: u.full_name })}><input id=${'pw-' + u.id} type="password" autocomplete="new-password" required minlength="10"
              value=${password} onInput=${(e: Event) => setPassword(valueOf(e))} /><//>
            <button type="submit" class="primary" disabled=${a.busy}>${t('save')}</button></form>`}</td></tr>`)}</tbody></table></div>`}<//>
    <form class="grid align-top" onSubmit=${create} aria-label=${t('users_new')}><h4 class="wide">${t('users_new')}</h4>
      <${Field} id="u-name" label=${t('sec_full_name')}><input id="u-name" required maxlength="120" value=${f.full_name} onInput=${(e: Event) => setF({ ...f, full_name: valueOf(e) })} /><//>
      <${Field} id="u-user" label=${t('login_username')} hint=${t('users_username_hint')}><input id="u-user" required pattern="[a-z0-9][a-z0-9._\\-]{2,63}" aria-describedby="u-user-hint" value=${f.username} onInput=${(e: Event) => setF({ ...f, username: valueOf(e) })} /><//>
      <${Field} id="u-pass" label=${t('login_password')} hint=${t('users_password_hint')}><input id="u-pass" type="password" autocomplete="new-password" required minlength="10" aria-describedby="u-pass-hint" value=${f.password} onInput=${(e: Event) => setF({ ...f, password: valueOf(e) })} /><//>
      <${Field} id="u-role" label=${t('users_role')}><select id="u-role" value=${f.role} onChange=${(e: Event) => setF({ ...f, role: valueOf(e) as User['role'] })}>
        ${(['secretariat', 'board', 'observer'] as const).map((r) => html`<option value=${r}>${roleLabel(r)}</option>`)}</select><//>
      <${Feedback} action=${a} />
      <div class="row wide"><button type="submit" class="primary" disabled=${a.busy}>${t('users_create')}</button></div></form>
  </section>`
}
