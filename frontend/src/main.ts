import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { html } from 'htm/preact'
import './style.css'
import { getToken, request, setToken, User } from './api'
import { lang, onLangChange, setLang, t } from './i18n'
import { Kiosk } from './screens/kiosk'
import { Login } from './screens/login'
import { Board } from './screens/board'
import { Hall } from './screens/hall'
import { Secretariat } from './screens/secretariat'
import { PublicResults } from './screens/public'

function useHash(): string {
  const [hash, setHash] = useState(location.hash || '#/')
  useEffect(() => {
    const f = () => setHash(location.hash || '#/')
    addEventListener('hashchange', f)
    return () => removeEventListener('hashchange', f)
  }, [])
  return hash
}

function App() {
  const hash = useHash()
  const [, force] = useState(0)
  const [me, setMe] = useState<User | null>(null)
  useEffect(() => onLangChange(() => force((x) => x + 1)), [])
  useEffect(() => {
    if (getToken()) request<User>('/api/v1/me').then(setMe, () => setToken(''))
  }, [])
  const [path, ...rest] = hash.slice(2).split('/')
  const arg = rest.join('/')
  const kiosk = path === 'kiosk'
  const logout = () => {
    setToken('')
    setMe(null)
    location.hash = '#/'
  }
  let screen
  if (kiosk) screen = html`<${Kiosk} />`
  else if (path === 'public') screen = html`<${PublicResults} voteId=${arg} />`
  else if (!me && (path === 'board' || path === 'hall' || path === 'secretariat' || path === 'login'))
    screen = html`<${Login} onLogin=${(u: User) => {
      setMe(u)
      if (path === 'login') location.hash = u.role === 'board' ? '#/board' : u.role === 'observer' ? '#/hall' : '#/secretariat'
    }} />`
  else if (path === 'board') screen = html`<${Board} me=${me} voteId=${arg} />`
  else if (path === 'hall') screen = html`<${Hall} me=${me} voteId=${arg} />`
  else if (path === 'secretariat') screen = html`<${Secretariat} me=${me} />`
  else
    screen = html`<section class="home"><h1>${t('app_name')}</h1><p>${t('home_intro')}</p>
      <ul class="choices">
        <li><a class="button big" href="#/kiosk">${t('home_kiosk')}</a></li>
        <li><a class="button big" href="#/login">${t('home_staff')}</a></li>
        <li><a class="button big" href="#/public">${t('home_public')}</a></li>
      </ul></section>`
  return html`
    <a class="skip" href="#main" onClick=${(e: Event) => { e.preventDefault(); document.getElementById('main')?.focus() }}>${t('skip_to_content')}</a>
    <header class=${kiosk ? 'top kiosk' : 'top'}>
      <a class="brand" href=${kiosk ? '#/kiosk' : '#/'}>${t('app_name')}</a>
      ${!kiosk && html`<nav aria-label=${t('nav_home')}><ul>
        ${me && (me.role === 'secretariat' || me.role === 'admin') && html`<li><a href="#/secretariat">${t('nav_secretariat')}</a></li>`}
        ${me && me.role !== 'observer' && html`<li><a href="#/board">${t('nav_board')}</a></li>`}
        ${me && html`<li><a href="#/hall">${t('nav_hall')}</a></li>`}
        <li><a href="#/public">${t('nav_public')}</a></li>
      </ul></nav>`}
      <div class="tools">
        ${me && !kiosk && html`<span class="who">${t('login_as', { name: me.full_name })}</span>
          <button type="button" class="link" onClick=${logout}>${t('nav_logout')}</button>`}
        <button type="button" class="lang" lang=${lang() === 'vi' ? 'en' : 'vi'} title=${t('lang_switch_label')} onClick=${() => setLang(lang() === 'vi' ? 'en' : 'vi')}>${t('lang_switch')}</button>
      </div>
    </header>
    <main id="main" tabindex="-1">${screen}</main>`
}

render(html`<${App} />`, document.getElementById('app')!)
