// Codes are printed, never shown on a screen: the slips come as a PDF, opened for printing and kept
// in this page (to open or save again) until the member says they are printed — the server can
// never show them again. A spoiled slip handed back is voided, after a confirmation.

import { useState } from 'preact/hooks'
import { api, openBlob, saveBlob, unwrap } from '../../api'
import { t } from '../../i18n'
import { Feedback, Field, html, Section, useAction, useLoad, valueOf } from '../../ui'
import { formatCode, parseCode } from '../../code'
import type { Part } from './index'

const PDF_NAME = 'phieu-ma-bo-phieu.pdf'

export function Codes({ vote, update, reload }: Part) {
  const a = useAction()
  const roster = useLoad(vote.status === 'draft' ? () => unwrap(api.GET('/api/v1/councils/{id}/delegates', {
    params: { path: { id: vote.council_id }, query: { in_office_on: vote.vote_date } } })) : null, [vote.status])
  const total = vote.status === 'draft' ? roster.data?.length ?? 0 : vote.turnout.total_delegates
  const [count, setCount] = useState<number | null>(null)
  const wanted = count ?? Math.max(1, total - vote.codes.printed)
  const [made, setMade] = useState<{ blob: Blob; n: number } | null>(null)
  const make = () => a.run(async () => {
    const blob = await unwrap(api.POST('/api/v1/votes/{id}/codes', { params: { path: { id: vote.id }, query: { format: 'pdf' } }, body: { count: wanted }, parseAs: 'blob' }))
    setMade({ blob, n: wanted })
    openBlob(blob, PDF_NAME)
    reload()
  })
  return html`<${Section} id="codes-h" title=${t('board_codes')} open=${vote.status === 'draft'}>
    <p>${t('board_codes_intro', { printed: vote.codes.printed, total })}</p>
    ${made ? html`<div class="notice" role="status">
        <p><strong>${t('board_codes_made', { n: made.n })}</strong> ${t('board_codes_once')}</p>
        <div class="actions"><button type="button" onClick=${() => openBlob(made.blob, PDF_NAME)}>${t('board_codes_open_again')}</button>
          <button type="button" onClick=${() => saveBlob(made.blob, PDF_NAME)}>${t('board_codes_save')}</button>
          <button type="button" class="primary" onClick=${() => setMade(null)}>${t('board_codes_printed')}</button></div></div>`
      : html`<div class="row">
        <${Field} id="count" label=${t('board_codes_count')}><input id="count" type="number" min="1" max="1000" required value=${wanted}
          onInput=${(e: Event) => setCount(Number(valueOf(e)) || null)} /><//>
        <button type="button" class="primary" disabled=${a.busy} onClick=${make}>${t('board_codes_print')}</button></div>`}
    <${VoidCode} vote=${vote} update=${update} />
    <${Feedback} action=${a} />
  <//>`
}

function VoidCode({ vote }: Pick<Part, 'vote' | 'update'>) {
  const a = useAction()
  const [code, setCode] = useState('')
  const check = parseCode(code)
  const submit = (e: Event) => {
    e.preventDefault()
    void a.run(async () => {
      await unwrap(api.POST('/api/v1/votes/{id}/codes/void', { params: { path: { id: vote.id } }, body: { code: check.ok ? check.code : code } }))
      setCode('')
    }, { confirm: { title: t('board_void_confirm_title'), body: t('board_void_confirm', { code: check.ok ? formatCode(check.code) : code }), confirm: t('board_void'), danger: true },
      done: t('board_voided') })
  }
  return html`<form class="row void" onSubmit=${submit}>
    <${Field} id="void" label=${t('board_void_code')} hint=${t('board_void_hint')}><input id="void" class="code" required autocomplete="off" aria-describedby="void-hint"
      value=${code} onInput=${(e: Event) => setCode(valueOf(e))} /><//>
    <button type="submit" class="danger" disabled=${a.busy}>${t('board_void')}</button>
    <${Feedback} action=${a} /></form>`
}
