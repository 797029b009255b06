// Kiosks registered at the desk: each gets a token, shown this once as the kiosk's link (and its QR,
// for a tablet's camera). Registered kiosks have their own budget of wrong codes that no other
// device can spend; the security panel tells the board when a kiosk, the unregistered clients or a
// board member's account is under attack.

import { useEffect, useState } from 'preact/hooks'
import QRCode from 'qrcode'
import { api, Security, unwrap } from '../../api'
import { t } from '../../i18n'
import { Feedback, Field, html, Loaded, Section, useAction, useLoad, valueOf } from '../../ui'
import type { Part } from './index'

/** The link a kiosk opens: its token in the fragment, never sent to a server log, never stored. */
export const kioskLink = (token: string) => `${location.origin}/#/kiosk/${token}`

export function Kiosks({ vote }: Part) {
  const a = useAction()
  const devices = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}/devices', { params: { path: { id: vote.id } } })), [])
  const [name, setName] = useState('')
  const [made, setMade] = useState<{ name: string; link: string; qr: string } | null>(null)
  const register = (e: Event) => {
    e.preventDefault()
    void a.run(async () => {
      const d = await unwrap(api.POST('/api/v1/votes/{id}/devices', { params: { path: { id: vote.id } }, body: { name } }))
      const link = kioskLink(d.token)
      setMade({ name: d.name, link, qr: await QRCode.toDataURL(link, { margin: 1, width: 240 }) })
      setName('')
      devices.reload()
    })
  }
  const revoke = (id: string, n: string) => a.run(async () => {
    await unwrap(api.DELETE('/api/v1/votes/{id}/devices/{deviceId}', { params: { path: { id: vote.id, deviceId: id } } }))
    devices.reload()
  }, { confirm: { title: t('kiosk_revoke_title'), body: t('kiosk_revoke_confirm', { name: n }), confirm: t('kiosk_revoke'), danger: true } })
  return html`<${Section} id="kiosks-h" title=${t('kiosks_title')} open=${vote.status === 'draft'}>
    <p>${t('kiosks_intro')}</p>
    <form class="row" onSubmit=${register}>
      <${Field} id="kiosk-name" label=${t('kiosks_name')}><input id="kiosk-name" required maxlength="80" placeholder=${t('kiosks_name_example')} value=${name} onInput=${(e: Event) => setName(valueOf(e))} /><//>
      <button type="submit" disabled=${a.busy}>${t('kiosks_register')}</button></form>
    ${made && html`<figure class="qr link-once" role="status"><img src=${made.qr} alt=${t('kiosks_qr_alt', { name: made.name })} width="240" height="240" />
      <figcaption><strong>${t('kiosks_link_for', { name: made.name })}</strong><br />
        <input class="link-text" readonly aria-label=${t('kiosks_link_label')} value=${made.link} onFocus=${(e: Event) => (e.currentTarget as HTMLInputElement).select()} />
        <br />${t('kiosks_link_once')}</figcaption>
      <button type="button" onClick=${() => setMade(null)}>${t('kiosks_link_done')}</button></figure>`}
    <${Feedback} action=${a} />
    <${Loaded} state=${devices}>${(list: NonNullable<typeof devices.data>) => list.length === 0 ? html`<p class="empty">${t('kiosks_none')}</p>`
      : html`<ul class="issue">${list.map((d) => html`<li><span>${d.name}${d.revoked_at ? html` <small>(${t('kiosks_revoked')})</small>` : ''}</span>
        ${!d.revoked_at && html`<button type="button" class="link" disabled=${a.busy} onClick=${() => revoke(d.id, d.name)}>${t('kiosk_revoke')}</button>`}</li>`)}</ul>`}<//>
  <//>`
}

/** Failed attempts from which a kiosk or an account is shown as under attack (a UI threshold). */
const ATTACK_FAILURES = 5

const time = (s: string) => new Date(s).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** Failed attempts per kiosk, for the unregistered clients and per board account, refreshed. */
export function SecurityPanel({ voteId }: { voteId: string }) {
  const s = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}/security', { params: { path: { id: voteId } } })), [voteId])
  useEffect(() => {
    const id = setInterval(s.reload, 15_000)
    return () => clearInterval(id)
  }, [])
  return html`<section class="card" aria-labelledby="sec-h"><h2 id="sec-h">${t('security_title')}</h2>
    <${Loaded} state=${s}>${(d: Security) => {
      const now = Date.now()
      const rows: { who: string; failures: number; until?: string | null }[] = [
        ...d.devices.map((x) => ({ who: t('security_kiosk', { name: x.name }), failures: x.failures, until: x.blocked_until })),
        { who: t('security_unregistered'), failures: d.unregistered.failures, until: d.unregistered.blocked_until },
        ...d.accounts.map((x) => ({ who: t('security_account', { name: x.full_name }), failures: x.failures, until: x.slowed_until })),
      ]
      // A few mistyped codes are normal at a kiosk; a long run of them, or a wait the server imposed, is not.
      const held = (r: (typeof rows)[number]) => !!r.until && Date.parse(r.until) > now
      const attacked = rows.filter((r) => r.failures >= ATTACK_FAILURES || held(r))
      const slips = rows.filter((r) => r.failures > 0 && !attacked.includes(r))
      const line = (r: (typeof rows)[number]) => html`<li>${r.who}: ${t('security_failures', { n: r.failures })}${held(r) ? ' — ' + t('security_blocked_until', { time: time(r.until!) }) : ''}</li>`
      return html`${attacked.length > 0 && html`<div class="warn-box card" role="alert"><p><strong>${t('security_attack')}</strong></p><ul>${attacked.map(line)}</ul></div>`}
        ${slips.length > 0 && html`<p>${t('security_mistypes')}</p><ul>${slips.map(line)}</ul>`}
        ${attacked.length === 0 && slips.length === 0 && html`<p class="ok">${t('security_calm')}</p>`}`
    }}<//></section>`
}
