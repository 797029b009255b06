// The receipt: large, with a QR the delegate can photograph (it opens the public results with the
// receipt filled in), printable where a printer is attached, and the time it stays on screen.

import { useEffect, useState } from 'preact/hooks'
import QRCode from 'qrcode'
import { t } from '../../i18n'
import { html } from '../../ui'

export const RECEIPT_SECONDS = 45

export function Receipt({ receipt, voteId, finish }: { receipt: string; voteId: string; finish: () => void }) {
  const [left, setLeft] = useState(RECEIPT_SECONDS)
  const [qr, setQr] = useState('')
  useEffect(() => {
    void QRCode.toDataURL(`${location.origin}/#/public/${voteId}/${receipt}`, { margin: 1, width: 280 }).then(setQr, () => setQr(''))
    const id = setInterval(() => setLeft((s) => s - 1), 1000)
    return () => clearInterval(id)
  }, [])
  useEffect(() => {
    if (left <= 0) finish()
  }, [left])
  return html`<div class="receipt-box">
    <p>${t('kiosk_receipt')}</p>
    <p class="receipt" data-testid="receipt">${receipt}</p>
    ${qr && html`<img class="receipt-qr" src=${qr} width="280" height="280" alt=${t('kiosk_receipt_qr_alt', { r: receipt })} />`}
    <p>${t('kiosk_receipt_hint')}</p>
    <p class="countdown" role="timer" aria-live="off">${t('kiosk_wipe', { s: Math.max(0, left) })}</p>
    <div class="actions no-print">
      <button type="button" class="big" onClick=${() => window.print()}>${t('kiosk_print')}</button>
      <button type="button" class="primary big" onClick=${finish}>${t('kiosk_finish')}</button></div>
  </div>`
}
