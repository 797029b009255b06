// The counting board's console: status and controls, issuance, codes (slips or a QR for a seat
// tablet), voiding, live turnout, then the tally, each member's certification and the minutes.

import { useEffect, useState } from 'preact/hooks'
import QRCode from 'qrcode'
import { Council, Delegate, download, getToken, request, Tally, Turnout, User, Vote } from '../api'
import { formatCode } from '../code'
import { t } from '../i18n'
import { ErrorBox, Field, Notice, ResultsTable, TurnoutPanel, html, statusLabel, useApi } from '../ui'

export function VotePicker({ me, base }: { me: User; base: string }) {
  const councils = useApi<Council[]>('/api/v1/councils')
  const [cid, setCid] = useState('')
  const council = cid || me.council_id || councils.data?.[0]?.id || ''
  const votes = useApi<Vote[]>(council ? `/api/v1/councils/${council}/votes` : null, [council])
  return html`<section><h1>${t('board_choose_vote')}</h1>
    ${me.role === 'admin' && councils.data && html`<${Field} id="council" label=${t('sec_council')}>
      <select id="council" value=${council} onChange=${(e: any) => setCid(e.target.value)}>${councils.data.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select><//>`}
    <${ErrorBox} error=${votes.error} />
    ${votes.data && votes.data.length === 0 && html`<p>${t('board_no_votes')}</p>`}
    <ul class="votes">${(votes.data ?? []).map((v) => html`<li><a class="button" href=${base + v.id}>${v.title}</a> <span class="badge">${statusLabel(v.status)}</span></li>`)}</ul>
  </section>`
}

/** Follows the vote's turnout through the server-sent events (at most one every 2 seconds). */
export function useTurnout(voteId: string, initial: Turnout | null): Turnout | null {
  const [turnout, setTurnout] = useState<Turnout | null>(initial)
  useEffect(() => setTurnout(initial), [initial])
  useEffect(() => {
    if (!voteId || !getToken()) return
    const es = new EventSource(`/api/v1/votes/${voteId}/turnout/stream?access_token=${encodeURIComponent(getToken())}`)
    es.addEventListener('turnout', (e: MessageEvent) => setTurnout(JSON.parse(e.data)))
    return () => es.close()
  }, [voteId])
  return turnout
}

export function Board({ me, voteId }: { me: User; voteId: string }) {
  return voteId ? html`<${BoardVote} key=${voteId} me=${me} voteId=${voteId} />` : html`<${VotePicker} me=${me} base="#/board/" />`
}

function BoardVote({ me, voteId }: { me: User; voteId: string }) {
  const vote = useApi<Vote>(`/api/v1/votes/${voteId}`, [voteId])
  const v = vote.data
  const turnout = useTurnout(voteId, v?.turnout ?? null)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  // One action at a time: buttons are disabled while it runs, so a double click sends one request.
  const act = async (f: () => Promise<unknown>, msg = '') => {
    if (busy) return
    setBusy(true)
    setError(null)
    setNotice('')
    try {
      await f()
      setNotice(msg)
      vote.reload()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  useEffect(() => {
    if (turnout && v && turnout.status !== v.status) vote.reload()
  }, [turnout?.status])
  if (!v) return html`<${ErrorBox} error=${vote.error} />${!vote.error && html`<p>${t('loading')}</p>`}`
  const mine = v.board.find((m) => m.user_id === me.id)
  const canRun = me.role === 'admin' || me.role === 'secretariat' || mine?.board_role === 'head'
  return html`<section class=${busy ? 'board busy' : 'board'} aria-busy=${busy}>
    <h1>${v.title}</h1>
    <p class="status"><span class="badge">${statusLabel(v.status)}</span> ${v.session_name}</p>
    <${ErrorBox} error=${error} /><${Notice} text=${notice} />
    ${turnout && html`<h2>${t('board_live')}</h2><${TurnoutPanel} turnout=${turnout} />`}
    ${canRun && v.status === 'draft' && html`<button type="button" class="primary big" onClick=${() => confirm(t('board_open_confirm')) && act(() => request(`/api/v1/votes/${voteId}/open`, { method: 'POST' }))}>${t('board_open')}</button>`}
    ${canRun && v.status === 'open' && html`<button type="button" class="danger big" onClick=${() => confirm(t('board_close_confirm')) && act(() => request(`/api/v1/votes/${voteId}/close`, { method: 'POST' }))}>${t('board_close')}</button>`}
    ${(v.status === 'draft' || v.status === 'open') && html`<${Codes} vote=${v} act=${act} />`}
    ${v.status === 'open' && html`<${Issuance} vote=${v} act=${act} busy=${busy} />`}
    ${['closed', 'certified', 'published'].includes(v.status) && html`<${TallyPanel} vote=${v} me=${me} act=${act} busy=${busy} />`}
  </section>`
}

function Codes({ vote, act }: { vote: Vote; act: (f: () => Promise<unknown>, msg?: string) => Promise<void> }) {
  const [count, setCount] = useState(10)
  const [qr, setQr] = useState<{ code: string; url: string } | null>(null)
  const [voidCode, setVoidCode] = useState('')
  const next = () => act(async () => {
    const res = await request<{ codes: string[] }>(`/api/v1/votes/${vote.id}/codes`, { body: { count: 1 } })
    setQr({ code: res.codes[0], url: await QRCode.toDataURL(res.codes[0].replace(/-/g, ''), { margin: 1, width: 320 }) })
  })
  return html`<section class="card"><h2>${t('board_codes')}</h2>
    <div class="row">
      <${Field} id="count" label=${t('board_codes_count')}><input id="count" type="number" min="1" max="1000" value=${count} onInput=${(e: any) => setCount(Number(e.target.value))} /><//>
      <button type="button" onClick=${() => act(() => download(`/api/v1/votes/${vote.id}/codes?format=pdf`, 'ma-bo-phieu.pdf', { body: { count } }))}>${t('board_codes_print')}</button>
      <button type="button" onClick=${next}>${t('board_codes_next')}</button>
    </div>
    ${qr && html`<figure class="qr"><img src=${qr.url} alt=${formatCode(qr.code)} width="320" height="320" /><figcaption><code>${formatCode(qr.code)}</code><br />${t('board_codes_qr_hint')}</figcaption>
      <button type="button" onClick=${() => setQr(null)}>${t('close')}</button></figure>`}
    <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); act(() => request(`/api/v1/votes/${vote.id}/codes/void`, { body: { code: voidCode } }), t('board_voided')).then(() => setVoidCode('')) }}>
      <${Field} id="void" label=${t('board_void_code')}><input id="void" class="code" value=${voidCode} onInput=${(e: any) => setVoidCode(e.target.value)} /><//>
      <button type="submit">${t('board_void')}</button>
    </form></section>`
}

function Issuance({ vote, act, busy }: { vote: Vote; act: (f: () => Promise<unknown>, msg?: string) => Promise<void>; busy: boolean }) {
  const delegates = useApi<Delegate[]>(`/api/v1/councils/${vote.council_id}/delegates?in_office_on=${vote.vote_date}`)
  const issued = useApi<{ delegate_ids: string[] }>(`/api/v1/votes/${vote.id}/issuances`)
  const [q, setQ] = useState('')
  const have = new Set(issued.data?.delegate_ids ?? [])
  const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()
  const matching = (delegates.data ?? []).filter((d) => !q || norm(d.full_name + ' ' + d.code).includes(norm(q)))
  const list = matching.slice(0, 30)
  return html`<section class="card"><h2>${t('board_issue')}</h2>
    <${Field} id="find" label=${t('board_issue_search')}><input id="find" type="search" value=${q} onInput=${(e: any) => setQ(e.target.value)} /><//>
    ${matching.length > list.length && html`<p class="sub">${t('board_issue_more', { n: list.length })}</p>`}
    <ul class="issue">${list.map((d) => html`<li><span>${d.full_name} <small>(${d.code})</small></span>
      ${have.has(d.id) ? html`<span class="badge ok">${t('board_issued')}</span>`
        : html`<button type="button" disabled=${busy} onClick=${() => act(() => request(`/api/v1/votes/${vote.id}/issuances`, { body: { delegate_id: d.id } })).then(issued.reload)}>${t('board_issue')}</button>`}</li>`)}</ul>
  </section>`
}

function TallyPanel({ vote, me, act, busy }: { vote: Vote; me: User; act: (f: () => Promise<unknown>, msg?: string) => Promise<void>; busy: boolean }) {
  const tally = useApi<Tally>(`/api/v1/votes/${vote.id}/tally`, [vote.status])
  const mine = vote.board.find((m) => m.user_id === me.id)
  const docs: [string, string][] = [['documents/minutes.pdf', t('sec_minutes_pdf')], ['documents/minutes.docx', t('sec_minutes_docx')]]
  return html`<section class="card"><h2>${t('board_tally')}</h2>
    <${ErrorBox} error=${tally.error} />
    ${tally.data && html`<${ResultsTable} tally=${tally.data} />
      <p>${t('board_certify_hint')} <code class="hash">${tally.data.tally_hash}</code></p>
      ${vote.status === 'closed' && mine && !mine.certified && html`<button type="button" class="primary big" disabled=${busy}
        onClick=${() => act(() => request(`/api/v1/votes/${vote.id}/certifications`, { body: { tally_hash: tally.data!.tally_hash } }))}>${t('board_certify')}</button>`}`}
    <h3>${t('sec_board')}</h3>
    <ul class="certs">${vote.board.map((m) => html`<li>${m.full_name} — ${m.certified ? html`<span class="badge ok">${t('board_certified_by')}</span>` : html`<span class="badge">${t('board_not_certified')}</span>`}</li>`)}</ul>
    <h3>${t('board_minutes')}</h3>
    <ul class="docs">${docs.map(([p, label]) => html`<li><button type="button" class="link" onClick=${() => act(() => download(`/api/v1/votes/${vote.id}/${p}`, p.split('/').pop()!))}>${label}</button></li>`)}</ul>
  </section>`
}
