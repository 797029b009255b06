// A page made for the printer, over the console: what it holds (code slips, a key file's QR backup)
// exists only in this page's memory and is dropped when the sheet closes. On screen it covers the
// console; printed, only the sheet comes out (style.css: html.printing).

import type { ComponentChildren } from 'preact'
import { createPortal } from 'preact/compat'
import { useEffect, useRef } from 'preact/hooks'
import { html } from '../../ui'

export function PrintSheet({ label, children, tools }: { label: string; children: ComponentChildren; tools: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    document.documentElement.classList.add('printing')
    ref.current?.focus()
    return () => document.documentElement.classList.remove('printing')
  }, [])
  return createPortal(html`<div class="print-sheet" role="dialog" aria-modal="true" aria-label=${label} tabindex="-1" ref=${ref}>
    <div class="print-tools no-print">${tools}</div>
    ${children}</div>`, document.body)
}
