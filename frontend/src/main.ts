import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { html } from 'htm/preact'
import './style.css'
import type { User } from './api'
import { lang, onLangChange, setLang, t } from './i18n'
import { ExpiryWarning, logout, ReloginHost, restoreSession, useSession } from './session'
import { DialogHost, installValidationMessages } from './ui'
import { Kiosk } from './screens/kiosk'
import { Login } from './screens/login'
import { Board } from './screens/board'
import { Hall } from './screens/hall'
import { Projector } from './screens/projector'
import { Secretariat } from './screens/secretariat'
import { PublicResults } from './screens/public'
import { Check } from './screens/check'
import { VerifyPage } from './screens/verify'

function useHash(): string {
  const [hash, setHash] = useState(location.hash || '#/')
  useEffect(() => {
    const f = () => setHash(location.hash || '#/')
    addEventListener('hashchange', f)
    return () => removeEventListener('hashchange', f)
  }, [])
  return hash
}

// Once a tab is a kiosk (or a projector) it stays one: no way out to the staff screens.
let locked = ''
const homeOf = (u: User) => (u.role === 'board' ? '#/board' : u.role === 'observer' ? '#/hall' : '#/secretariat')

function App() {
  const hash = useHash()
  const [, force] = useState(0)
  const { me, ready } = useSession()
  useEffect(() => onLangChange(() => force((x) => x + 1)), [])
  const [path, ...rest] = hash.slice(2).split('/')
  const arg = rest.join('/')
  if (path === 'kiosk' || path === 'projector') locked ||= hash
  useEffect(() => {
    if (locked && !hash.startsWith(locked.split('/').slice(0, 2).join('/'))) location.replace(locked)
  }, [hash])
  const kiosk = path === 'kiosk' && !!locked
  if (path === 'projector') return html`<${Projector} token=${arg} /><${DialogHost} />`
  const staffPath = ['board', 'hall', 'secretariat', 'login'].includes(path)
  let screen
  if (kiosk) screen = html`<${Kiosk} token=${arg} />`
  else if (path === 'check') screen = html`<${Check} />` // the delegate's offline check of a kiosk
  else if (path === 'public') screen = html`<${PublicResults} voteId=${rest[0] ?? ''} receipt=${rest[1] ?? ''} />`
  else if (path === 'verify') screen = html`<${VerifyPage} key=${rest[0] ?? ''} voteId=${rest[0] ?? ''} />`
  else if (staffPath && !ready) screen = html`<p role="status">${t('loading')}</p>`
  else if ((staffPath && !me) || path === 'login')
    screen = html`<${Login} current=${me} onLogin=${(u: User) => { if (path === 'login') location.hash = homeOf(u) }} />`
  else if (me && path === 'board') screen = html`<${Board} me=${me} voteId=${arg} />`
  else if (me && path === 'hall') screen = html`<${Hall} me=${me} voteId=${arg} />`
  else if (me && path === 'secretariat') screen = html`<${Secretariat} me=${me} />`
  else
    screen = html`<section class="home"><h1>${t('app_name')}</h1><p>${t('home_intro')}</p>
      <ul class="choices">
        <li><a class="button big" href="#/kiosk">${t('home_kiosk')}</a></li>
        <li><a class="button big" href=${me ? homeOf(me) : '#/login'}>${me ? t('home_continue', { name: me.full_name }) : t('home_staff')}</a></li>
        <li><a class="button big" href="#/public">${t('home_public')}</a></li>
      </ul></section>`
  return html`
    <a class="skip" href="#main" onClick=${(e: Event) => { e.preventDefault(); document.getElementById('main')?.focus() }}>${t('skip_to_content')}</a>
    <header class=${kiosk ? 'top kiosk' : 'top'}>
      ${kiosk ? html`<span class="brand">${t('app_name')}</span>` : html`<a class="brand" href="#/">${t('app_name')}</a>`}
      ${!kiosk && html`<nav aria-label=${t('nav_main')}><ul>
        ${me && (me.role === 'secretariat' || me.role === 'admin') && html`<li><a href="#/secretariat">${t('nav_secretariat')}</a></li>`}
        ${me && me.role === 'board' && html`<li><a href="#/board">${t('nav_board')}</a></li>`}
        ${me && html`<li><a href="#/hall">${t('nav_hall')}</a></li>`}
        <li><a href="#/public">${t('nav_public')}</a></li>
      </ul></nav>`}
      <div class="tools">
        ${me && !kiosk && html`<span class="who">${t('login_as', { name: me.full_name, role: t(('role_' + me.role) as 'role_admin') })}</span>
          <a class="switch" href="#/login">${t('nav_switch_user')}</a>
          <button type="button" class="link" onClick=${async () => { await logout(); location.hash = '#/' }}>${t('nav_logout')}</button>`}
        <button type="button" class="lang" lang=${lang() === 'vi' ? 'en' : 'vi'} title=${t('lang_switch_label')} onClick=${() => setLang(lang() === 'vi' ? 'en' : 'vi')}>${t('lang_switch')}</button>
      </div>
    </header>
    ${!kiosk && html`<${ExpiryWarning} />`}
    <main id="main" tabindex="-1">${screen}</main>
    <${DialogHost} /><${ReloginHost} />`
}

installValidationMessages()
void restoreSession()
render(html`<${App} />`, document.getElementById('app')!)
