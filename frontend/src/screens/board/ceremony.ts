// The board's key ceremony (docs/PROTOCOL.md §10), each member in their own browser and session:
// the head starts it (threshold: a majority by default, 2…n), every member's browser makes its
// round 1, checks everyone's, and shows the transcript fingerprint that the members read aloud and
// tick; round 2 (shares encrypted to each member) and round 3 (the confirmation, or a complaint that
// aborts the ceremony naming both members) follow; then each member saves their key file and reopens
// it. The others' progress is polled. The secret part of a running ceremony lives in this page's
// memory only: a reload loses it, and the ceremony must start again. It is dropped once the member's
// file is reopened, when the ceremony is aborted, and when the session ends (secrets.ts).

import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { api, type Schemas, unwrap, type User, type Vote } from '../../api'
import { lang, t } from '../../i18n'
import {
  type Ceremony as Params, type Round1, type Round2, type ShareKey, Member, ProtocolError, complaintToJSON, confirmationToJSON, defaultThreshold,
  fingerprint80, manifestFromJSON, round1FromJSON, round1ToJSON, round2FromJSON, round2ToJSON, transcript,
  verifyRound1, voteFingerprint,
} from '../../protocol'
import { onWipe } from '../../secrets'
import { ErrorBox, Feedback, Field, html, protocolText, Section, useAction, useLoad, valueOf } from '../../ui'
import type { Part } from './index'
import { knownGroupKey, rememberGroupKey, wipeKey } from './keys'
import { OpenKeyFile, Reopen, SaveShareFile, message, useKeysChange, userError } from './sharefile'

export type CeremonyView = Schemas['Ceremony']
type CMember = CeremonyView['members'][number]

/** This page's part of a running ceremony: the member's secrets and what it has done. */
interface Session {
  member: Member
  key?: ShareKey // after round 3, until the file is saved and reopened
  saved?: boolean
  sentRound3?: boolean
}
const sessions = new Map<string, Session>()
/** The member this browser complained against, by ceremony (public: the complaint names them). */
const complaints = new Map<string, string>()

/** Drops this page's part of a ceremony: the member's secrets and the fresh key, wiped. */
function dropSession(id: string) {
  const s = sessions.get(id)
  if (!s) return
  sessions.delete(id)
  if (s.key) wipeKey(s.key)
  s.member.forget()
}
onWipe(() => [...sessions.keys()].forEach(dropSession))

/** Whether the ceremony's members are exactly the vote's board (the same user ids, each once). */
export function sameBoard(c: { members: { user_id: string }[] }, board: { user_id: string }[]): boolean {
  const a = c.members.map((m) => m.user_id).sort()
  const b = board.map((m) => m.user_id).sort()
  return a.length === b.length && new Set(a).size === a.length && a.every((x, i) => x === b[i])
}

/**
 * What a failed round 3 says: the member whose round-2 message failed this browser's check, named
 * (the check names the message by its place among the others' messages, or by its sender).
 */
export function round3Failure(e: unknown, others: { identifier: string; full_name: string }[]): unknown {
  if (!(e instanceof ProtocolError)) return e
  const at = /^round2\[(\d+)\]/.exec(e.field)
  const from = /from ([0-9a-f]{64})/.exec(e.detail)
  const who = at ? others[Number(at[1])] : from ? others.find((m) => m.identifier === from[1]) : undefined
  return userError(who ? t('cer_r3_bad_member', { name: who.full_name, what: protocolText(e) }) : t('cer_r3_bad', { what: protocolText(e) }))
}

/** The protocol's view of a ceremony. */
export const paramsOf = (c: CeremonyView): Params => ({ id: c.id, councilId: c.council_id, voteId: c.vote_id, threshold: c.threshold, members: c.members.map((m) => m.user_id) })

/** The fingerprint as it is read aloud: four groups of four, spaced. */
export function FingerprintBig({ fp, label }: { fp: string; label: string }) {
  return html`<p class="fp-big"><span>${label}</span><strong class="fp" aria-label=${fp.split('').join(' ')}>${fp.split('-').map((g) => html`<span>${g}</span>`)}</strong></p>`
}

/** The served build's hash (GET /api/v1/build), for comparison with a published release. */
export function BuildHash({ small }: { small?: boolean }) {
  const b = useLoad(() => unwrap(api.GET('/api/v1/build')), [])
  const h = b.data?.frontend_hash ?? ''
  if (!h) return null
  const short = h.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-')
  return small ? html`<p class="build-hash"><small>${t('enc_build_short', { h: short })}</small></p>`
    : html`<p class="build-hash">${t('enc_build')} <strong class="fp">${short}</strong><br /><small class="hash-full">${h}</small><br /><small>${t('enc_build_explain')}</small></p>`
}

/** Follows a ceremony: loaded, then polled every 2 seconds while `live`. */
function useCeremony(id: string, live: boolean) {
  const c = useLoad(() => unwrap(api.GET('/api/v1/ceremonies/{id}', { params: { path: { id } } })), [id])
  useEffect(() => {
    if (!live) return
    const timer = setInterval(() => {
      unwrap(api.GET('/api/v1/ceremonies/{id}', { params: { path: { id } } })).then(c.setData, () => {})
    }, 2000)
    return () => clearInterval(timer)
  }, [id, live])
  return c
}

const has = (m: CMember, k: 'round1' | 'round2' | 'round3' | 'reopen' | 'destruction') => m[k] !== undefined && m[k] !== null

/** The board console's ceremony card of an encrypted vote. */
export function CeremonyCard({ vote, me, update, reload }: Part) {
  const id = vote.ceremony_id ?? ''
  const status = vote.encryption?.ceremony_status ?? ''
  const draft = vote.status === 'draft'
  if (id && status === 'aborted') dropSession(id) // nothing of an aborted ceremony is of use
  if (!id || status === 'aborted' || status === '') {
    return draft ? html`<section class="card ceremony" aria-labelledby="cer-h"><h2 id="cer-h">${t('cer_title')}</h2>
      <p>${t('cer_intro')}</p><${BuildHash} />
      ${id && status === 'aborted' && html`<${Aborted} id=${id} />`}
      <${Start} vote=${vote} me=${me} update=${update} reload=${reload} /></section>` : null
  }
  return html`<${Running} key=${id} id=${id} vote=${vote} me=${me} reload=${reload} />`
}

/** The head starts the ceremony (or reuses a complete one of the same board); others wait. */
function Start({ vote, me, reload }: Pick<Part, 'vote' | 'me' | 'update' | 'reload'>) {
  const n = vote.board.length
  const [threshold, setThreshold] = useState(defaultThreshold(n))
  const a = useAction()
  const head = vote.board.find((m) => m.user_id === me.id)?.board_role === 'head'
  const others = useLoad(head ? () => unwrap(api.GET('/api/v1/councils/{id}/votes', { params: { path: { id: vote.council_id } } })) : null, [vote.id])
  const board = [...vote.board.map((m) => m.user_id)].sort().join(',')
  const reusable = (others.data ?? []).filter((v: Vote) => v.id !== vote.id && v.ceremony_id && v.encryption?.ceremony_ready && v.status !== 'cancelled'
    && [...v.board.map((m) => m.user_id)].sort().join(',') === board)
  // The others wait for the head: the vote is read again every 3 seconds until the ceremony starts.
  useEffect(() => {
    if (head) return
    const timer = setInterval(reload, 3000)
    return () => clearInterval(timer)
  }, [head])
  if (!head) return html`<p class="notice" role="status">${t('cer_wait_head')}</p>`
  const start = (reuse?: Vote) => a.run(async () => {
    await unwrap(api.POST('/api/v1/votes/{id}/ceremony', { params: { path: { id: vote.id } }, body: reuse ? { reuse: reuse.ceremony_id } : { threshold } }))
    reload()
  }, reuse ? { confirm: { title: t('cer_reuse_title'), body: t('cer_reuse_confirm', { title: reuse.title }), confirm: t('cer_reuse') } } : {})
  const opts = Array.from({ length: n - 1 }, (_, i) => i + 2)
  return html`<form class="row cer-start" onSubmit=${(e: Event) => { e.preventDefault(); void start() }} aria-label=${t('cer_start')}>
      <${Field} id="cer-t" label=${t('cer_threshold')} hint=${t('cer_threshold_why', { t: threshold, n, lost: n - threshold })}>
        <select id="cer-t" aria-describedby="cer-t-hint" value=${threshold} onChange=${(e: Event) => setThreshold(Number(valueOf(e)))}>
          ${opts.map((x) => html`<option value=${x}>${x === defaultThreshold(n) ? t('cer_threshold_default', { t: x, n }) : t('cer_threshold_of', { t: x, n })}</option>`)}
        </select><//>
      <button type="submit" class="primary big" disabled=${a.busy}>${t('cer_start')}</button></form>
    ${reusable.length > 0 && html`<div class="cer-reuse"><p>${t('cer_reuse_intro')}</p><ul>${reusable.map((v: Vote) => html`<li>
      <button type="button" disabled=${a.busy} onClick=${() => start(v)}>${t('cer_reuse_of', { title: v.title })}</button></li>`)}</ul></div>`}
    <${Feedback} action=${a} />`
}

/** An aborted ceremony: why, and which members (from the vote's audit log: the ceremony does not say). */
function Aborted({ id }: { id: string }) {
  const c = useLoad(() => unwrap(api.GET('/api/v1/ceremonies/{id}', { params: { path: { id } } })), [id])
  const log = useLoad(c.data ? () => unwrap(api.GET('/api/v1/audit', { params: { query: { vote_id: c.data!.vote_id, limit: 1000 } } })) : null, [c.data?.vote_id])
  if (!c.data) return null
  const ev = [...(log.data ?? [])].reverse().find((e) => e.action === 'ceremony.abort' && e.object_id === id) ?? [...(log.data ?? [])].reverse().find((e) => e.action === 'ceremony.abort')
  const names = c.data.members.filter((m) => ev?.summary.includes(m.user_id)).map((m) => m.full_name)
  const mine = complaints.get(id)
  const accused = mine ? c.data.members.find((m) => m.user_id === mine)?.full_name : ''
  return html`<div class="warn-box card" role="alert"><p><strong>${t('cer_aborted')}</strong> ${reasonText(c.data.abort_reason ?? '')}</p>
    ${names.length > 0 && html`<p>${t('cer_aborted_names', { names: names.join(', ') })}</p>`}
    ${accused && html`<p>${t('cer_you_complained', { name: accused })}</p>`}
    <p>${t('cer_restart_hint')}</p></div>`
}

export function reasonText(r: string): string {
  if (r.startsWith('stopped: ')) return t('cer_reason_stopped', { reason: r.slice('stopped: '.length) })
  if (r.startsWith('complaint: share')) return t('cer_reason_share')
  if (r.startsWith('complaint: decrypt')) return t('cer_reason_decrypt')
  return t('cer_reason_other', { reason: r }) // the server's own words (English) under the English UI only
}

/** Everything after the start: progress, this member's rounds, the key file, the summary. */
function Running({ id, vote, me, reload }: { id: string; vote: Vote; me: User; reload: () => void }) {
  const [live, setLive] = useState(true)
  const cer = useCeremony(id, live)
  const c = cer.data
  const [, force] = useState(0)
  const rerender = () => force((x) => x + 1)
  const session = sessions.get(id)
  const mine = c?.members.find((m) => m.user_id === me.id)
  const all = (k: 'round1' | 'round2' | 'round3' | 'reopen') => !!c && c.members.every((m) => has(m, k))
  const reopened = c ? c.members.filter((m) => has(m, 'reopen')).length : 0
  const done = !!c && c.status === 'complete' && reopened + c.members.filter((m) => m.lost).length === c.members.length
  const lastStatus = useRef('')
  useEffect(() => {
    if (!c) return
    setLive(c.status === 'running' || (c.status === 'complete' && !done))
    const sig = c.status + ':' + reopened
    if (lastStatus.current && lastStatus.current !== sig) reload() // the vote's steps and "open" follow
    lastStatus.current = sig
  }, [c?.status, reopened, done])

  // The round-1 messages as this browser checks them, and the transcript fingerprint it shows.
  const checked = useMemo(() => {
    if (!c || !all('round1')) return null
    try {
      const r1s: Round1[] = c.members.map((m) => {
        try {
          return round1FromJSON(m.round1)
        } catch (e) {
          throw e instanceof ProtocolError ? new ProtocolError(`round1[${m.identifier}]`, e.code, e.detail) : e
        }
      })
      const sorted = verifyRound1(paramsOf(c), r1s)
      return { r1s, fp: fingerprint80(transcript(paramsOf(c), sorted)), error: null as unknown }
    } catch (e) {
      return { r1s: [], fp: '', error: e }
    }
  }, [c?.id, c?.members.map((m) => (m.round1 ? JSON.stringify(m.round1) : '')).join('|')])

  // This page's secrets go once they have served: the ceremony aborted, or the member's file reopened
  // (or declared lost).
  useEffect(() => {
    if (!c || !session) return
    if (c.status === 'aborted' || (c.status === 'complete' && mine && (has(mine, 'reopen') || mine.lost))) {
      dropSession(id)
      rerender()
    }
  }, [c?.status, mine && has(mine, 'reopen'), mine?.lost, session])

  const round3 = useAction()
  // Round 3 runs by itself once every share is in: decrypt, check, confirm (or complain). A failed
  // check of a member's message is not tried again (it would fail the same way), and names them; a
  // request that failed is sent again at the next poll.
  useEffect(() => {
    if (!c || c.status !== 'running' || !session || session.sentRound3 || !mine || has(mine, 'round3') || !all('round2')) return
    session.sentRound3 = true
    const others = c.members.filter((m) => m.user_id !== me.id)
    void round3.run(async () => {
      try {
        await sendRound3()
      } catch (e) {
        if (e instanceof ProtocolError) throw round3Failure(e, others)
        session.sentRound3 = false // tried again at the next poll
        throw e
      }
    })
    async function sendRound3() {
      if (!c || !session) return
      const r2s: Round2[] = others.map((m, i) => {
        try {
          return round2FromJSON(m.round2)
        } catch (e) {
          throw e instanceof ProtocolError ? new ProtocolError(`round2[${i}]${e.field ? '.' + e.field : ''}`, e.code, e.detail) : e
        }
      })
      const res = session.member.round3(r2s)
      if (res.complaint) {
        complaints.set(id, c.members.find((m) => m.identifier === res.complaint!.accused)?.user_id ?? '')
        cer.setData(await unwrap(api.POST('/api/v1/ceremonies/{id}/round3', { params: { path: { id } }, body: message(complaintToJSON(res.complaint)) })))
        reload()
        return
      }
      session.key = res.key
      rememberGroupKey(id, res.key!.groupKey.hex) // the joint key this browser computed itself
      cer.setData(await unwrap(api.POST('/api/v1/ceremonies/{id}/round3', { params: { path: { id } }, body: message(confirmationToJSON(res.confirmation!)) })))
    }
  }, [c, session])
  // Leaving the page would lose this browser's part of the ceremony, or a key not yet saved.
  useCeremonyGuard(!!session && (c?.status === 'running' || (c?.status === 'complete' && !!session.key && !session.saved)))

  if (!c) return html`<section class="card ceremony"><h2>${t('cer_title')}</h2><${ErrorBox} error=${cer.error} retry=${cer.reload} />${!cer.error && html`<p role="status">${t('loading')}</p>`}</section>`
  const nameOf = (identifier: string) => c.members.find((m) => m.identifier === identifier)?.full_name ?? identifier.slice(0, 8)
  const stage = c.status === 'complete' ? 'complete' : c.status === 'aborted' ? 'aborted' : !all('round1') ? 1 : !all('round2') ? 2 : 3
  const table = html`<div class="table-wrap"><table class="cer-progress"><caption>${t('cer_progress')}</caption>
    <thead><tr><th scope="col">${t('cer_member')}</th><th scope="col">${t('cer_r1')}</th><th scope="col">${t('cer_r2')}</th><th scope="col">${t('cer_r3')}</th><th scope="col">${t('cer_reopen_col')}</th></tr></thead>
    <tbody>${c.members.map((m) => html`<tr class=${m.user_id === me.id ? 'me' : ''}><th scope="row">${m.full_name}${m.user_id === me.id ? html` <small>(${t('cer_you')})</small>` : ''}</th>
      ${(['round1', 'round2', 'round3', 'reopen'] as const).map((k) => html`<td>${k === 'reopen' && m.lost ? html`<span class="badge warn-box">${t('cer_lost_badge')}</span>`
        : has(m, k) ? html`<span class="ok" aria-label=${t('steps_done')}>✓</span>` : html`<span aria-label=${t('steps_todo')}>…</span>`}</td>`)}</tr>`)}</tbody></table></div>`

  const available = c.members.filter((m) => !m.lost).length
  // The joint key this browser computed in its round 3 (or read from the member's own file), against
  // the server's: the server's own figures prove nothing about themselves.
  const mineKey = knownGroupKey(id)
  const summary = html`
    ${c.fingerprint && html`<${FingerprintBig} fp=${c.fingerprint} label=${t('cer_fp_server')} />`}
    <p>${t('cer_summary', { t: c.threshold, n: c.members.length })}</p>
    ${c.group_key && html`<p>${t('cer_joint_key')} <code class="hash-full">${c.group_key}</code></p>`}
    ${c.group_key && mineKey && mineKey !== c.group_key && html`<p class="error" role="alert">${t('cer_key_differs_mine', { key: mineKey })}</p>`}
    ${available < c.threshold && html`<p class="warn-box card" role="alert">${t('cer_below_threshold', { left: available, t: c.threshold })}</p>`}`

  // After the vote opened: a folded summary, the vote fingerprint this browser computes, the lost file.
  if (vote.status !== 'draft') {
    return html`<${Section} id="cer-h" title=${t('cer_title_done')}>
      <${VoteFingerprint} vote=${vote} me=${me} />
      ${summary}${table}<${BuildHash} />
      ${mine && !mine.lost && vote.status !== 'published' && vote.status !== 'cancelled' && html`<${DeclareLost} id=${id} c=${c} onDone=${(v: CeremonyView) => { cer.setData(v); reload() }} />`}<//>`
  }

  let action
  if (stage === 'aborted') action = html`<${Aborted} id=${id} />`
  else if (!mine) action = html`<p class="notice">${t('cer_not_member')}</p>`
  else if (stage === 1) action = html`<${Round1Step} c=${c} me=${me} mine=${mine} session=${session} onDone=${(v: CeremonyView) => { cer.setData(v); rerender() }} />`
  else if (stage === 2 || stage === 3) {
    // Round 2 is offered only while the server's fingerprint is the one this browser computed, for
    // exactly the vote's board; the tick is bound to the fingerprint it was given for.
    const boardOK = sameBoard(c, vote.board) && c.vote_id === vote.id
    const fpOK = !!checked && !checked.error && c.fingerprint === checked.fp
    if (!session) action = html`<${LostState} />`
    else if (checked?.error) action = html`<div class="error" role="alert"><p>${t('cer_round1_bad', { name: badMember(checked.error, nameOf) })}</p><p>${errorText(checked.error)}</p></div>`
    else if (checked) action = html`
      <${FingerprintBig} fp=${checked.fp} label=${t('cer_fp_mine')} />
      <p class="cer-board" data-testid="cer-board">${t('cer_board_line', { t: c.threshold, n: c.members.length, names: c.members.map((m) => m.full_name).join(', ') })}</p>
      ${!boardOK && html`<p class="error" role="alert">${t('cer_board_differs')}</p>`}
      ${c.fingerprint && c.fingerprint !== checked.fp && html`<p class="error" role="alert">${t('cer_fp_differs', { fp: c.fingerprint })}</p>`}
      ${stage === 2 && !has(mine, 'round2') ? (boardOK && fpOK ? html`<${Round2Step} key=${checked.fp} c=${c} fp=${checked.fp} session=${session} r1s=${checked.r1s} onDone=${(v: CeremonyView) => cer.setData(v)} />`
          : boardOK && !c.fingerprint ? html`<p role="status">${t('cer_fp_wait_server')}</p>` : null)
        : stage === 2 ? html`<p role="status">${t('cer_wait_r2', { n: c.members.filter((m) => has(m, 'round2')).length, of: c.members.length })}</p>`
        : html`<p role="status">${has(mine, 'round3') ? t('cer_wait_r3', { n: c.members.filter((m) => has(m, 'round3')).length, of: c.members.length }) : t('cer_r3_running')}</p>`}
      <${Feedback} action=${round3} />`
  } else {
    // complete
    const fresh = session?.key
    if (has(mine, 'reopen')) action = html`<p class="notice">${t('cer_reopened_mine')}</p>`
    else if (mine.lost) action = html`<p class="warn-box card">${t('cer_lost_mine')}</p>`
    else {
      const reopen = html`<${Reopen} ceremonyId=${id} me=${me} done=${() => { dropSession(id); cer.reload() }} />`
      action = fresh ? html`<${SaveShareFile} shareKey=${fresh} voteTitle=${vote.title} me=${me} onSaved=${() => { session.saved = true; rerender() }} />
          ${session.saved && reopen}`
        : html`<p class="warn-box card">${t('cer_no_key_here')}</p>${reopen}`
    }
  }
  return html`<section class="card ceremony" aria-labelledby="cer-h"><h2 id="cer-h">${t('cer_title')}</h2>
    <${BuildHash} />
    <ol class="cer-stages">${[t('cer_stage_1'), t('cer_stage_2'), t('cer_stage_3'), t('cer_stage_file')].map((s, i) => html`<li class=${
      stage === 'complete' ? (i === 3 ? (done ? 'done' : 'current') : 'done') : stage === i + 1 ? 'current' : typeof stage === 'number' && stage > i + 1 ? 'done' : ''}>${s}</li>`)}</ol>
    ${action}
    ${stage === 'complete' && html`${summary}
      <p class=${done ? 'notice' : ''} role="status">${t('cer_reopen_count', { n: reopened, of: c.members.length })}${done ? ' ' + t('cer_ready') : ''}</p>`}
    ${table}
    ${c.status === 'running' && vote.board.find((m) => m.user_id === me.id)?.board_role === 'head' && html`<${StopCeremony} id=${id} onDone=${(v: CeremonyView) => { cer.setData(v); reload() }} />`}
    ${stage === 'complete' && mine && !mine.lost && html`<${DeclareLost} id=${id} c=${c} onDone=${(v: CeremonyView) => { cer.setData(v); reload() }} />`}
  </section>`
}

function badMember(e: unknown, nameOf: (id: string) => string): string {
  const m = e instanceof ProtocolError ? /round1\[([0-9a-f]{64})\]/.exec(e.field) : null
  return m ? nameOf(m[1]) : '?'
}

/** The page lost its part of a running ceremony (a reload, another device): it must start again. */
function LostState() {
  return html`<div class="warn-box card" role="alert"><p>${t('cer_state_lost')}</p><p>${t('cer_state_lost_how')}</p></div>`
}

function Round1Step({ c, me, mine, session, onDone }: { c: CeremonyView; me: User; mine: CMember; session?: Session; onDone: (v: CeremonyView) => void }) {
  const a = useAction()
  const joined = has(mine, 'round1')
  if (joined && !session) return html`<${LostState} />`
  const n1 = c.members.filter((m) => has(m, 'round1')).length
  if (joined) return html`<p role="status">${t('cer_wait_r1', { n: n1, of: c.members.length })}</p>`
  const join = () => a.run(async () => {
    const { member, round1 } = Member.create(paramsOf(c), me.id)
    const v = await unwrap(api.POST('/api/v1/ceremonies/{id}/round1', { params: { path: { id: c.id } }, body: message(round1ToJSON(round1)) }))
    sessions.set(c.id, { member })
    onDone(v)
  })
  return html`<p>${t('cer_r1_intro')}</p><p class="warn">${t('cer_keep_page')}</p>
    <button type="button" class="primary big" disabled=${a.busy} onClick=${join}>${t('cer_join')}</button>
    <p role="status">${t('cer_wait_r1', { n: n1, of: c.members.length })}</p><${Feedback} action=${a} />`
}

/**
 * The tick after the fingerprint was read aloud, and round 2. The tick holds the fingerprint it was
 * given for (and the step is mounted again, unticked, for another one); the shares go only if the
 * transcript round 2 fixes has that very fingerprint.
 */
function Round2Step({ c, fp, session, r1s, onDone }: { c: CeremonyView; fp: string; session: Session; r1s: Round1[]; onDone: (v: CeremonyView) => void }) {
  const [tickedFp, setTickedFp] = useState('')
  const ticked = tickedFp === fp
  const a = useAction()
  const send = () => a.run(async () => {
    if (tickedFp !== fp) return
    const r2 = session.member.round2(r1s)
    const made = session.member.transcript
    if (!made || fingerprint80(made) !== tickedFp) throw userError(t('cer_fp_changed'))
    onDone(await unwrap(api.POST('/api/v1/ceremonies/{id}/round2', { params: { path: { id: c.id } }, body: message(round2ToJSON(r2)) })))
  })
  return html`<p>${t('cer_read_aloud')}</p>
    <label class="check big-check"><input type="checkbox" checked=${ticked} onChange=${(e: Event) => setTickedFp((e.currentTarget as HTMLInputElement).checked ? fp : '')} /> ${t('cer_tick_fp', { fp })}</label>
    <button type="button" class="primary big" disabled=${a.busy || !ticked} onClick=${send}>${t('cer_send_r2')}</button><${Feedback} action=${a} />`
}

/** The head stops a ceremony that cannot finish (a member's page lost its part), with the reason; a
 * new one can then start. Nothing of a stopped ceremony is used. */
function StopCeremony({ id, onDone }: { id: string; onDone: (v: CeremonyView) => void }) {
  const a = useAction()
  const [reason, setReason] = useState('')
  const stop = () => a.run(async () => onDone(await unwrap(api.POST('/api/v1/ceremonies/{id}/abort', { params: { path: { id } }, body: { reason: reason.trim() } }))), {
    confirm: { title: t('cer_stop_title'), danger: true, confirm: t('cer_stop_yes'), body: t('cer_stop_body') },
    done: t('cer_stop_done'),
  })
  return html`<details class="card danger-zone"><summary>${t('cer_stop_title')}</summary>
    <p>${t('cer_stop_body')}</p>
    <form onSubmit=${(e: Event) => { e.preventDefault(); if (reason.trim()) void stop() }} aria-label=${t('cer_stop_title')}>
      <${Field} id="cer-stop-reason" label=${t('cer_stop_reason')}>
        <input id="cer-stop-reason" maxLength=${500} required value=${reason} onInput=${(e: Event) => setReason(valueOf(e))} /><//>
      <button type="submit" class="danger" disabled=${a.busy || !reason.trim()}>${t('cer_stop_yes')}</button></form>
    <${Feedback} action=${a} /></details>`
}

/** Declaring one's key file (or its passphrase) lost, with what it means for the count. */
function DeclareLost({ id, c, onDone }: { id: string; c: CeremonyView; onDone: (v: CeremonyView) => void }) {
  const a = useAction()
  const n = c.members.length
  const available = c.members.filter((m) => !m.lost).length
  const declare = () => a.run(async () => onDone(await unwrap(api.POST('/api/v1/ceremonies/{id}/lost', { params: { path: { id } } }))), {
    confirm: { title: t('cer_lost_title'), danger: true, confirm: t('cer_lost_yes'),
      body: html`<p>${t('cer_lost_body', { lost: n - c.threshold, t: c.threshold })}</p>${available - 1 < c.threshold && html`<p class="warn"><strong>${t('cer_lost_fatal', { left: available - 1, t: c.threshold })}</strong></p>`}` },
    done: t('cer_lost_done'),
  })
  return html`<details class="card danger-zone"><summary>${t('cer_lost_title')}</summary>
    <p>${t('cer_lost_body', { lost: n - c.threshold, t: c.threshold })}</p>
    <button type="button" class="danger" disabled=${a.busy} onClick=${declare}>${t('cer_lost_yes')}</button><${Feedback} action=${a} /></details>`
}

/**
 * The vote fingerprint this browser computes from the vote's manifest (once the vote is open), to
 * compare with the kiosks' screens; and a check that the manifest's key is the joint key this browser
 * computed in its own round 3, or read from the member's own key file (opened here for the check
 * when the page has forgotten it) — never the server's word for it.
 */
export function VoteFingerprint({ vote, me }: { vote: Vote; me: User }) {
  useKeysChange()
  const m = vote.encryption?.manifest
  const id = vote.ceremony_id ?? ''
  if (!m) return null
  const mineKey = id ? knownGroupKey(id) : ''
  let fp = ''
  let bad = ''
  let keyOK = false
  try {
    const man = manifestFromJSON(m)
    fp = voteFingerprint(man)
    if (mineKey && man.publicKey.hex !== mineKey) bad = t('enc_manifest_key_differs')
    keyOK = !!mineKey && man.publicKey.hex === mineKey
    if (vote.encryption?.fingerprint && vote.encryption.fingerprint !== fp) bad = t('enc_manifest_fp_differs', { fp: vote.encryption.fingerprint })
  } catch (e) {
    bad = t('enc_manifest_bad', { what: errorText(e) })
  }
  const member = vote.board.some((b) => b.user_id === me.id)
  return html`<div class="vote-fp">${fp && html`<${FingerprintBig} fp=${fp} label=${t('enc_vote_fp')} />`}<p><small>${t('enc_vote_fp_explain')}</small></p>
    ${bad && html`<p class="error" role="alert">${bad}</p>`}
    ${!bad && keyOK && html`<p class="notice" data-testid="vote-key-checked">${t('enc_key_checked')}</p>`}
    ${!bad && !mineKey && member && id && html`<${KeyCheck} id=${id} me=${me} />`}</div>`
}

/** The check of the vote's key with the member's own file, folded (the file's form only once unfolded). */
function KeyCheck({ id, me }: { id: string; me: User }) {
  const [open, setOpen] = useState(false)
  return html`<details class="card" onToggle=${(e: Event) => setOpen((e.currentTarget as HTMLDetailsElement).open)}><summary>${t('enc_key_check_title')}</summary>
    <p>${t('enc_key_unchecked')}</p>
    ${open && html`<${OpenKeyFile} ceremonyId=${id} me=${me} intro=${t('enc_key_check_open')} check=${true} />`}</details>`
}

/** A failure's words in the UI's language: a failed check named, any other error's text under the English UI only. */
function errorText(e: unknown): string {
  if (e instanceof ProtocolError) return protocolText(e)
  return lang() === 'en' && e instanceof Error ? e.message : ''
}

/** Asks before leaving the page while this browser holds a running ceremony's secrets. */
export function useCeremonyGuard(active: boolean) {
  useEffect(() => {
    if (!active) return
    const ask = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = '' }
    addEventListener('beforeunload', ask)
    return () => removeEventListener('beforeunload', ask)
  }, [active])
}
