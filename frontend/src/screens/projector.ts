// The hall projector: a read-only link (#/projector/<token>, the token only in the fragment, which
// never reaches a server log) polls GET /api/v1/display every 2 seconds. Full screen, no staff
// header, no link; figures at least a tenth of the screen's height. While open: the turnout with a
// large bar, never a result; after the close "counting" until the board head announces; then the
// results, a few people to a page, paged automatically. It rides out a server restart or a network
// drop by itself and says that it is reconnecting.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError, DisplayVote, SubjectResult, unwrap } from '../api'
import { lang, t } from '../i18n'
import { percent } from '../format'
import { bandLabel, errorMessage, flagLabel, html, levelLabel, levelsOf, statusLabel } from '../ui'

export const POLL_MS = 2000
export const PAGE_ROWS = 4
export const PAGE_SECONDS = 12

/** cast/total as a whole percentage, rounded half-up in integers (for display only: the turnout is
 * no result, and no float is used). */
export function turnoutPercent(cast: number, total: number): number {
  if (total <= 0) return 0
  return Math.floor((cast * 200 + total) / (2 * total))
}

export function Projector({ token }: { token: string }) {
  const [council, setCouncil] = useState('')
  const [vote, setVote] = useState<DisplayVote | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [reconnecting, setReconnecting] = useState(false)
  const [problem, setProblem] = useState('')
  useEffect(() => {
    document.body.classList.add('projecting')
    let live = true
    let timer = 0
    let wait = POLL_MS
    const poll = async () => {
      try {
        const d = await unwrap(api.GET('/api/v1/display', { params: { header: { 'X-Display-Token': token } } }))
        if (!live) return
        setCouncil(d.council)
        setVote(d.vote ?? null)
        setLoaded(true)
        setReconnecting(false)
        setProblem('')
        wait = POLL_MS
      } catch (e) {
        if (!live) return
        if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
          setProblem(errorMessage(e)) // the link was revoked: say so, and look again now and then
          wait = 10_000
        } else {
          setReconnecting(true) // the server restarts, the network drops: keep the last figures, retry
          wait = Math.min(wait * 2, 10_000)
        }
      }
      if (live) timer = window.setTimeout(poll, wait)
    }
    void poll()
    return () => { live = false; clearTimeout(timer); document.body.classList.remove('projecting') }
  }, [token])
  return html`<main id="main" class="pj-main"><${ProjectorView} council=${council} vote=${vote} loaded=${loaded} reconnecting=${reconnecting} problem=${problem} /></main>`
}

/** What the hall sees, from the projector's link or (for the observer's staff screen) the vote. */
export function ProjectorView({ council, vote, loaded, reconnecting, problem }: {
  council: string; vote: DisplayVote | null; loaded: boolean; reconnecting?: boolean; problem?: string
}) {
  const [tools, setTools] = useState(false)
  const hide = useRef(0)
  const moved = () => {
    setTools(true)
    clearTimeout(hide.current)
    hide.current = window.setTimeout(() => setTools(false), 4000)
  }
  return html`<div class="projector" onMouseMove=${moved}>
    ${reconnecting && html`<p class="reconnecting" role="status">${t('projector_reconnecting')}</p>`}
    ${tools && document.fullscreenEnabled && !document.fullscreenElement && html`<button type="button" class="fullscreen"
      onClick=${() => document.documentElement.requestFullscreen().catch(() => {})}>${t('projector_fullscreen')}</button>`}
    <header class="pj-head">
      <p class="pj-council">${council}</p>
      ${vote && html`<h1>${vote.title}</h1><p class="pj-session">${vote.session_name} · <span class="pj-status">${vote.announced ? t('projector_announced') : statusLabel(vote.status)}</span></p>`}
    </header>
    ${problem ? html`<p class="pj-big-note" role="alert">${problem}</p>`
      : !loaded ? html`<p class="pj-big-note" role="status">${t('loading')}</p>`
      : !vote ? html`<p class="pj-big-note">${t('projector_no_vote')}</p>`
      : vote.status === 'open' ? html`<${Turnout} vote=${vote} />`
      : vote.announced && vote.result ? html`<${Results} vote=${vote} />`
      : html`<${Counting} vote=${vote} />`}
  </div>`
}

function Turnout({ vote }: { vote: DisplayVote }) {
  const { ballots_cast: cast, total_delegates: total, ballots_issued: issued } = vote.turnout
  const pct = turnoutPercent(cast, total)
  return html`<section class="pj-turnout" aria-live="polite">
    <p class="pj-label">${t('projector_cast')}</p>
    <p class="pj-figure"><span>${cast}/${total}</span> <span class="pj-pct">(${pct} %)</span></p>
    <div class="pj-bar" role="progressbar" aria-valuemin="0" aria-valuemax=${total} aria-valuenow=${cast} aria-label=${t('projector_cast')}>
      <div class="pj-fill" style=${{ width: pct + '%' }}></div></div>
    <div class="pj-row">
      <div><p class="pj-label">${t('projector_issued')}</p><p class="pj-figure small">${issued}</p></div>
      <div><p class="pj-label">${t('projector_total')}</p><p class="pj-figure small">${total}</p></div>
    </div>
    <p class="pj-note">${t('projector_no_result_yet')}</p>
  </section>`
}

function Counting({ vote }: { vote: DisplayVote }) {
  return html`<section class="pj-counting">
    <p class="pj-figure">${t('projector_counting')}</p>
    <p class="pj-label">${t('projector_cast_final', { cast: vote.turnout.ballots_cast, total: vote.turnout.total_delegates })}</p>
  </section>`
}

function Results({ vote }: { vote: DisplayVote }) {
  const r = vote.result!
  // At most PAGE_ROWS people to a page; fewer when their posts take more lines than the screen holds
  // (measured after drawing), so nothing is ever cut.
  const [rows, setRows] = useState(PAGE_ROWS)
  const box = useRef<HTMLElement>(null)
  const pages: SubjectResult[][] = []
  for (let i = 0; i < r.subjects.length; i += rows) pages.push(r.subjects.slice(i, i + rows))
  const [page, setPage] = useState(0)
  useLayoutEffect(() => {
    const el = box.current
    if (el && rows > 1 && el.scrollHeight > el.clientHeight + 1) setRows(rows - 1)
  })
  useEffect(() => {
    if (pages.length <= 1) return
    const id = setInterval(() => setPage((p) => (p + 1) % pages.length), PAGE_SECONDS * 1000)
    return () => clearInterval(id)
  }, [pages.length])
  const at = Math.min(page, pages.length - 1)
  const levels = levelsOf(r.kind)
  const l = lang()
  return html`<section class="pj-results" ref=${box}>
    <table class=${'pj-table levels-' + levels.length}>
      <thead><tr><th scope="col">${t('col_name')}</th>${levels.map((lv) => html`<th scope="col">${levelLabel(lv)}</th>`)}</tr></thead>
      <tbody>${(pages[at] ?? []).map((s) => html`<tr>
        <th scope="row"><span class="pj-name">${s.full_name}</span><span class="pj-post">${s.positions.map((p) => p.title).join('; ')}</span>
          ${(s.band !== 'none' || s.flags.length > 0) && html`<span class="pj-band">${[bandLabel(s.band), ...s.flags.map(flagLabel)].filter(Boolean).join('; ')}</span>`}</th>
        ${levels.map((lv) => html`<td><${Pct} value=${percent(s.percentages[lv] ?? '0.00', l)} />
          <span class="pj-count">${t('projector_votes', { n: s.counts[lv] ?? 0 })}</span></td>`)}
      </tr>`)}</tbody>
    </table>
    <footer class="pj-foot">
      <span>${t(r.percentage_base === 'ballots_received' ? 'base_ballots_received' : 'base_total_delegates', { n: r.base_value })}</span>
      ${pages.length > 1 && html`<span class="pj-page" aria-live="polite">${t('projector_page', { n: at + 1, of: pages.length })}</span>`}
    </footer>
  </section>`
}

/** The server's exact percentage, its whole part large and its decimals beside it ("62" ",50 %"), so
 * "100,00" still fits its column. Nothing is computed: the string is only split for the eye. */
function Pct({ value }: { value: string }) {
  const cut = Math.max(value.lastIndexOf(','), value.lastIndexOf('.'))
  const whole = cut < 0 ? value : value.slice(0, cut)
  const rest = cut < 0 ? '' : value.slice(cut)
  return html`<span class="pj-pcts"><span class="sr-only">${value} %</span><span class="pj-pct-big" aria-hidden="true">${whole}</span><span class="pj-pct-sign" aria-hidden="true">${rest}%</span></span>`
}
