// While a vote is open or closed-and-uncertified, the admin may reset a board member's password or
// deactivate them only with the head's approval, given here (used once, within an hour), and shown.

import { api, unwrap } from '../../api'
import { t } from '../../i18n'
import { Feedback, html, Section, useAction } from '../../ui'
import type { Part } from './index'

const when = (s: string) => new Date(s).toLocaleString('vi-VN')

export function Approvals({ vote, can, update, me }: Part) {
  const a = useAction()
  const approve = (userId: string, name: string, change: 'password' | 'deactivate') => a.run(
    async () => update(await unwrap(api.POST('/api/v1/votes/{id}/account-approvals', { params: { path: { id: vote.id } }, body: { user_id: userId, change } }))),
    { confirm: { title: t('approve_title'), body: t(change === 'password' ? 'approve_password_confirm' : 'approve_deactivate_confirm', { name }), confirm: t('approve_yes'), danger: change === 'deactivate' },
      done: t('approve_done') })
  return html`<${Section} id="appr-h" title=${t('approve_heading')} open=${vote.account_changes.some((c) => !c.used_at)}>
    <p>${t('approve_intro')}</p>
    ${vote.account_changes.length > 0 ? html`<ul>${vote.account_changes.map((c) => html`<li>${t(c.change === 'password' ? 'approve_item_password' : 'approve_item_deactivate', { name: c.full_name })}
        — ${t('approve_given', { time: when(c.approved_at) })}${c.used_at ? ' — ' + t('approve_used', { time: when(c.used_at) }) : ' — ' + t('approve_unused')}</li>`)}</ul>`
      : html`<p class="empty">${t('approve_none')}</p>`}
    ${can('approve_account') && html`<table><tbody>${vote.board.filter((m) => m.user_id !== me.id).map((m) => html`<tr><th scope="row">${m.full_name}</th><td class="row">
      <button type="button" disabled=${a.busy} onClick=${() => approve(m.user_id, m.full_name, 'password')}>${t('approve_password')}</button>
      <button type="button" disabled=${a.busy} onClick=${() => approve(m.user_id, m.full_name, 'deactivate')}>${t('approve_deactivate')}</button></td></tr>`)}</tbody></table>`}
    <${Feedback} action=${a} /><//>`
}
