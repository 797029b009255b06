import { useState } from 'preact/hooks'
import { request, setToken, User } from '../api'
import { t } from '../i18n'
import { ErrorBox, Field, html } from '../ui'

export function Login({ onLogin }: { onLogin: (u: User) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const res = await request<{ token: string; user: User }>('/api/v1/auth/login', { body: { username, password }, anonymous: true })
      setToken(res.token)
      onLogin(res.user)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return html`<section class="narrow"><h1>${t('login_title')}</h1>
    <form onSubmit=${submit}>
      <${Field} id="username" label=${t('login_username')}>
        <input id="username" name="username" autocomplete="username" required value=${username} onInput=${(e: any) => setUsername(e.target.value)} />
      <//>
      <${Field} id="password" label=${t('login_password')}>
        <input id="password" name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e: any) => setPassword(e.target.value)} />
      <//>
      <${ErrorBox} error=${error} />
      <button type="submit" class="primary" disabled=${busy}>${t('login_submit')}</button>
    </form></section>`
}
