import { html } from 'htm/preact'
import { useRef, useState } from 'preact/hooks'
import { ConfirmOptions, confirmDialog } from './dialog'
import { ErrorBox, Notice } from './load'

export interface Action {
  /** True while an action runs: every state-changing button of the group is disabled. */
  busy: boolean
  error: unknown
  notice: string
  /** Runs f once at a time (a second click while it runs does nothing), after the confirmation when
   * one is asked; the result, or undefined when it was refused, cancelled or failed. */
  run: <T>(f: () => Promise<T>, opts?: { confirm?: ConfirmOptions; done?: string }) => Promise<T | undefined>
  say: (notice: string) => void
}

export function useAction(): Action {
  const running = useRef(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const run = async <T>(f: () => Promise<T>, opts: { confirm?: ConfirmOptions; done?: string } = {}): Promise<T | undefined> => {
    if (running.current) return undefined
    running.current = true
    setBusy(true)
    try {
      if (opts.confirm && !(await confirmDialog(opts.confirm))) return undefined
      setError(null)
      setNotice('')
      const r = await f()
      if (opts.done) setNotice(opts.done)
      return r
    } catch (e) {
      setError(e)
      return undefined
    } finally {
      running.current = false
      setBusy(false)
    }
  }
  return { busy, error, notice, run, say: setNotice }
}

/** The outcome of an action group: its error (role alert) or its notice (role status). */
export function Feedback({ action }: { action: Action }) {
  return html`<${ErrorBox} error=${action.error} /><${Notice} text=${action.notice} />`
}
