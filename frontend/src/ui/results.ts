import { html } from 'htm/preact'
import type { Tally } from '../api'
import { lang, t } from '../i18n'
import { percent } from '../format'
import { bandLabel, flagLabel, levelLabel } from './labels'

type Results = Pick<Tally, 'kind' | 'subjects' | 'percentage_base' | 'base_value'>

/** The levels of a kind of vote, in ballot order. */
export const levelsOf = (kind: string) => (kind === 'no_confidence' ? ['trust', 'no_trust'] : ['high', 'medium', 'low'])

/** A tally (or published results) as a table, with a decimal comma in Vietnamese. The percentages
 * are the server's exact strings: nothing is computed here. */
export function ResultsTable({ tally }: { tally: Results }) {
  const levels = levelsOf(tally.kind)
  const l = lang()
  const caption = t(tally.percentage_base === 'ballots_received' ? 'base_ballots_received' : 'base_total_delegates', { n: tally.base_value })
  // A wide table scrolls sideways on a narrow screen: the region takes the keyboard's focus to do so.
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${t('results_table_label')}><table class="results">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t('col_no')}</th><th scope="col">${t('col_name')}</th><th scope="col">${t('col_valid')}</th>
      ${levels.map((lv) => html`<th scope="col">${levelLabel(lv)}</th>`)}<th scope="col">${t('col_note')}</th></tr></thead>
    <tbody>${tally.subjects.map((s, i) => html`<tr>
      <td>${i + 1}</td>
      <th scope="row"><span class="name">${s.full_name}</span><br /><span class="post">${s.positions.map((p) => p.title).join('; ')}</span></th>
      <td>${s.rated}</td>
      ${levels.map((lv) => html`<td class="num">${s.counts[lv] ?? 0}<br /><span class="pct">${percent(s.percentages[lv] ?? '0.00', l)}%</span></td>`)}
      <td>${[bandLabel(s.band), ...s.flags.map(flagLabel)].filter(Boolean).join('; ')}</td>
    </tr>`)}</tbody>
  </table></div>`
}
