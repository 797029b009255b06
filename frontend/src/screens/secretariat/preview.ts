// The resolution's preview, opened in the browser (not downloaded). The server's HTML carries its own
// <style> and style attributes, which the app's content policy (style-src 'self') would block in a
// blob: page; so it is shown here in a shadow root, its stylesheet adopted through the CSSOM and its
// style attributes applied as CSSOM properties — neither needs 'unsafe-inline'.

import { useEffect, useRef } from 'preact/hooks'
import { t } from '../../i18n'
import { html } from '../../ui'

/** Puts the document's body into host's shadow root, with its styles. */
export function renderDocument(host: HTMLElement, source: string) {
  const doc = new DOMParser().parseFromString(source, 'text/html')
  const css = Array.from(doc.querySelectorAll('style')).map((s) => s.textContent ?? '').join('\n')
  const styled: [Element, string][] = []
  doc.body.querySelectorAll('[style]').forEach((el) => {
    styled.push([el, el.getAttribute('style') ?? ''])
    el.removeAttribute('style')
  })
  doc.querySelectorAll('script').forEach((s) => s.remove())
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' })
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(css + '\n:host{display:block;color:#000}\n.page{position:relative;background:#fff;max-width:210mm;margin:0 auto;padding:12mm 16mm;box-shadow:0 2px 12px rgba(0,0,0,.2)}')
  root.adoptedStyleSheets = [sheet]
  const page = document.createElement('div')
  page.className = 'page'
  for (const [el, style] of styled) (el as HTMLElement).style.cssText = style
  page.append(...Array.from(doc.body.childNodes).map((n) => document.importNode(n, true)))
  root.replaceChildren(page)
}

export function PreviewDialog({ source, title, onClose }: { source: string; title: string; onClose: () => void }) {
  const dlg = useRef<HTMLDialogElement>(null)
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (host.current) renderDocument(host.current, source)
    dlg.current?.showModal()
    document.body.classList.add('previewing')
    return () => document.body.classList.remove('previewing')
  }, [source])
  return html`<dialog ref=${dlg} class="app-dialog preview" aria-labelledby="pv-title" onClose=${onClose}>
    <div class="preview-bar"><h2 id="pv-title">${title}</h2>
      <button type="button" onClick=${() => window.print()}>${t('preview_print')}</button>
      <button type="button" class="primary" autofocus onClick=${() => dlg.current?.close()}>${t('close')}</button></div>
    <div class="preview-doc" ref=${host} data-testid="resolution-preview"></div>
  </dialog>`
}
