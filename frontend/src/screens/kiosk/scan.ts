// Reading the slip's QR code in every browser the hall uses: the browser's BarcodeDetector where it
// exists, otherwise jsQR decoding the camera's frames (getUserMedia) in JavaScript; and, with no
// camera at all, a photo or image file of the slip.

import jsQR from 'jsqr'
import { useEffect, useRef, useState } from 'preact/hooks'
import { t } from '../../i18n'
import { FilePicker, html } from '../../ui'

interface Detected { rawValue: string }
interface Detector { detect(source: ImageBitmapSource): Promise<Detected[]> }
type DetectorClass = new (o: { formats: string[] }) => Detector

function nativeDetector(): Detector | null {
  const D = (globalThis as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector
  try {
    return D ? new D({ formats: ['qr_code'] }) : null
  } catch {
    return null
  }
}

const MAX_SIDE = 1280

/** Decodes a QR code from an image, a bitmap or a video frame; null when none is found. */
export async function decode(source: CanvasImageSource & ImageBitmapSource, width: number, height: number, canvas = document.createElement('canvas')): Promise<string | null> {
  const native = nativeDetector()
  if (native) {
    try {
      const found = await native.detect(source)
      if (found.length > 0) return found[0].rawValue
    } catch {
      /* fall back to jsQR */
    }
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height))
  canvas.width = Math.max(1, Math.round(width * scale))
  canvas.height = Math.max(1, Math.round(height * scale))
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) return null
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height)
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height)
  return jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' })?.data ?? null
}

/** Decodes the QR code of an image file (a photo of the slip). */
export async function decodeFile(file: Blob): Promise<string | null> {
  const bmp = await createImageBitmap(file)
  try {
    return await decode(bmp, bmp.width, bmp.height)
  } finally {
    bmp.close()
  }
}

/** The camera's picture in `video`, decoded every 150 ms until a code is found (then onCode); the
 * status line says what it is doing, in the words given. camera turns false when there is none. */
export function useCameraScan(video: { current: HTMLVideoElement | null }, onCode: (text: string) => void,
  words: { starting: string; looking: string; noCamera: string }) {
  const [status, setStatus] = useState(words.starting)
  const [camera, setCamera] = useState(true)
  useEffect(() => {
    let stream: MediaStream | null = null
    let live = true
    let timer = 0
    const canvas = document.createElement('canvas')
    const start = async () => {
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera')
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
        if (!live) return stream.getTracks().forEach((tr) => tr.stop())
        const v = video.current!
        v.srcObject = stream
        await v.play()
        setStatus(words.looking)
        const tick = async () => {
          if (!live) return
          if (v.videoWidth > 0) {
            const text = await decode(v, v.videoWidth, v.videoHeight, canvas).catch(() => null)
            if (text && live) return onCode(text)
          }
          timer = window.setTimeout(tick, 150)
        }
        void tick()
      } catch {
        if (live) { setCamera(false); setStatus(words.noCamera) }
      }
    }
    void start()
    return () => { live = false; clearTimeout(timer); stream?.getTracks().forEach((tr) => tr.stop()) }
  }, [])
  return { status, setStatus, camera }
}

/** The scanner: the camera's picture while it looks for a code, and a photo/file as the other way. */
export function Scanner({ onCode, onClose }: { onCode: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null)
  const { status, setStatus, camera } = useCameraScan(video, onCode, { starting: t('scan_starting'), looking: t('scan_looking'), noCamera: t('scan_no_camera') })
  const [photo, setPhoto] = useState('')
  const pick = async (f: File | undefined) => {
    if (!f) return
    setPhoto(f.name)
    setStatus(t('scan_reading_photo'))
    const text = await decodeFile(f).catch(() => null)
    if (text) onCode(text)
    else setStatus(t('scan_photo_none'))
  }
  return html`<section class="scanner card" aria-labelledby="scan-h"><h2 id="scan-h">${t('scan_title')}</h2>
    <p role="status" aria-live="polite">${status}</p>
    ${camera && html`<video ref=${video} class="scan" muted playsinline aria-label=${t('scan_video_label')}></video>`}
    <${FilePicker} id="scan-file" label=${t('scan_photo')} accept="image/*" capture="environment" onPick=${pick} chosen=${photo} none=${t('file_none')} />
    <button type="button" class="big" onClick=${onClose}>${t('scan_stop')}</button>
  </section>`
}
