// The observer's verifier, off the page's thread: it runs frontend/src/record (the same checks as
// tinnhiem-verify) over the record's bytes and the published documents given, and tells the page how
// far each check is. Nothing is sent anywhere.

import { sha256 } from '@noble/hashes/sha2.js'
import { reportText, verifyRecord } from '../record/verify'
import type { Lang } from '../record/messages'

export interface VerifyRequest {
  bytes: Uint8Array
  lang: Lang
  /** The documents the observer added: their file names and bytes. */
  documents: { name: string; bytes: Uint8Array }[]
}

export type VerifyMessage =
  | { type: 'progress'; stage: string; done: number; total: number }
  | { type: 'done'; report: Awaited<ReturnType<typeof verifyRecord>>; text: string; names: string[] }
  | { type: 'error'; message: string }

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

/**
 * The record's list of published documents (name and SHA-256), read from the end of the file without
 * parsing all of it: the verifier parses and checks the whole record anyway. [] when not found.
 */
export function listedDocuments(bytes: Uint8Array): { name: string; sha256: string }[] {
  const tail = new TextDecoder().decode(bytes.subarray(Math.max(0, bytes.length - 65536)))
  const at = tail.lastIndexOf('"documents":[')
  if (at < 0) return []
  const i = at + '"documents":'.length
  let depth = 0
  let inString = false
  for (let j = i; j < tail.length; j++) {
    const c = tail[j]
    if (inString) {
      if (c === '\\') j++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '[' || c === '{') depth++
    else if (c === ']' || c === '}') {
      depth--
      if (depth === 0) {
        try {
          const list = JSON.parse(tail.slice(i, j + 1)) as unknown
          return Array.isArray(list) ? list.filter((d): d is { name: string; sha256: string } => typeof d?.name === 'string' && typeof d?.sha256 === 'string') : []
        } catch {
          return []
        }
      }
    }
  }
  return []
}

/**
 * The names the verifier gets for the observer's files: a file whose SHA-256 is one the record lists
 * takes that document's name (a resolution saved as "resolution.pdf" is the record's
 * "nghi-quyet.pdf"); any other keeps its own name, and the verifier says what it does not match.
 */
export function nameDocuments(listed: { name: string; sha256: string }[], files: { name: string; bytes: Uint8Array }[]): { docs: Map<string, Uint8Array>; names: string[] } {
  const docs = new Map<string, Uint8Array>()
  const names = files.map((f) => {
    const h = hex(sha256(f.bytes))
    const name = listed.find((x) => x.sha256 === h)?.name ?? f.name
    docs.set(name, f.bytes)
    return name
  })
  return { docs, names }
}

const ctx = self as unknown as { onmessage: ((e: MessageEvent<VerifyRequest>) => void) | null; postMessage: (m: VerifyMessage) => void }

if (typeof document === 'undefined' && typeof ctx.postMessage === 'function') {
  ctx.onmessage = async (e) => {
    const { bytes, lang, documents } = e.data
    try {
      const { docs, names } = nameDocuments(listedDocuments(bytes), documents)
      // At most one progress message a stage every 40 ms (and its end): the page redraws no faster.
      let last = 0
      let stage = ''
      const report = await verifyRecord(bytes, lang, (s, done, total) => {
        const now = performance.now()
        if (s !== stage || done >= total || now - last > 40) {
          stage = s
          last = now
          ctx.postMessage({ type: 'progress', stage: s, done, total })
        }
      }, docs)
      ctx.postMessage({ type: 'done', report, text: reportText(report), names })
    } catch (err) {
      ctx.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) })
    }
  }
}
