// The login: a screen of its own (reachable from the header to switch user) and the same form in
// the dialog that asks again when a session has expired.

import { useState } from 'preact/hooks'
import type { User } from '../api'
import { t } from '../i18n'
import { login } from '../session'
import { ErrorBox, Field, html, valueOf } from '../ui'

export function LoginForm({ onLogin, username: initial = '' }: { onLogin: (u: User) => void; username?: string }) {
  const [username, setUsername] = useState(initial)
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      onLogin(await login(username, password))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return html`<form class="login" onSubmit=${submit}>
      <${Field} id="username" label=${t('login_username')}>
        <input id="username" name="username" autocomplete="username" required value=${username} onInput=${(e: Event) => setUsername(valueOf(e))} />
      <//>
      <${Field} id="password" label=${t('login_password')}>
        <input id="password" name="password" type="password" autofocus=${!!initial} autocomplete="current-password" required value=${password} onInput=${(e: Event) => setPassword(valueOf(e))} />
      <//>
      <${ErrorBox} error=${error} />
      <button type="submit" class="primary big" disabled=${busy}>${t('login_submit')}</button>
    </form>`
}

export function Login({ onLogin, current }: { onLogin: (u: User) => void; current: User | null }) {
  return html`<section class="narrow"><h1>${t(current ? 'login_switch_title' : 'login_title')}</h1>
    ${current && html`<p>${t('login_switch_body', { name: current.full_name })}</p>`}
    <${LoginForm} onLogin=${onLogin} /></section>`
}
