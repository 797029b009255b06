// Projector links: made by the secretariat or a board member of the council, each a long-lived,
// read-only token (shown this once, inside the link) that can be revoked.

import { useState } from 'preact/hooks'
import { api, DisplayLink, unwrap } from '../api'
import { t } from '../i18n'
import { Feedback, Field, html, Loaded, Section, useAction, useLoad, valueOf } from '../ui'

export const projectorLink = (token: string) => `${location.origin}/#/projector/${token}`

export function DisplayLinks({ councilId, open = true }: { councilId: string; open?: boolean }) {
  const list = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/displays', { params: { path: { id: councilId } } })), [councilId])
  const a = useAction()
  const [name, setName] = useState('')
  const [made, setMade] = useState<{ name: string; link: string } | null>(null)
  const create = (e: Event) => {
    e.preventDefault()
    void a.run(async () => {
      const d = await unwrap(api.POST('/api/v1/councils/{id}/displays', { params: { path: { id: councilId } }, body: { name } }))
      setMade({ name: d.name, link: projectorLink(d.token) })
      setName('')
      list.reload()
    })
  }
  const revoke = (d: DisplayLink) => a.run(async () => {
    await unwrap(api.DELETE('/api/v1/councils/{id}/displays/{displayId}', { params: { path: { id: councilId, displayId: d.id } } }))
    list.reload()
  }, { confirm: { title: t('displays_revoke_title'), body: t('displays_revoke_confirm', { name: d.name }), confirm: t('displays_revoke'), danger: true } })
  return html`<${Section} id="disp-h" title=${t('displays_title')} open=${open}>
    <p>${t('displays_intro')}</p>
    <form class="row" onSubmit=${create}>
      <${Field} id="disp-name" label=${t('displays_name')}><input id="disp-name" required maxlength="80" placeholder=${t('displays_name_example')} value=${name} onInput=${(e: Event) => setName(valueOf(e))} /><//>
      <button type="submit" disabled=${a.busy}>${t('displays_create')}</button></form>
    ${made && html`<div class="notice link-once" role="status"><p><strong>${t('displays_made', { name: made.name })}</strong></p>
      <input class="link-text" readonly aria-label=${t('displays_link_label')} value=${made.link} onFocus=${(e: Event) => (e.currentTarget as HTMLInputElement).select()} />
      <p>${t('displays_once')}</p>
      <div class="actions"><a class="button primary" href=${made.link} target="_blank" rel="noopener">${t('displays_open')}</a>
        <button type="button" onClick=${() => setMade(null)}>${t('close')}</button></div></div>`}
    <${Feedback} action=${a} />
    <${Loaded} state=${list}>${(ds: DisplayLink[]) => ds.filter((d) => !d.revoked_at).length === 0 ? html`<p class="empty">${t('displays_none')}</p>`
      : html`<ul class="issue">${ds.filter((d) => !d.revoked_at).map((d) => html`<li><span>${d.name} <small>${new Date(d.created_at).toLocaleString('vi-VN')}</small></span>
        <button type="button" class="link" disabled=${a.busy} onClick=${() => revoke(d)}>${t('displays_revoke')}</button></li>`)}</ul>`}<//>
  <//>`
}
