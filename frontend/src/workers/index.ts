// Runs a cryptography job in the worker (one worker per page, started on first use or by warm()),
// with its progress from 0 to 1. A refusal comes back as the protocol's error; a worker that dies
// fails every job it had.

import { runJob as runHere } from './jobs'
import { type FromWorker, type Job, type JobResult, errorFromWire } from './wire'

export type { EncryptResult, Job, WireKey } from './wire'
export { keyFromWire, keyToWire } from './wire'

interface Pending { resolve: (v: unknown) => void; reject: (e: unknown) => void; progress?: (p: number) => void }

let worker: Worker | null = null
let seq = 0
const pending = new Map<number, Pending>()

function fail(e: unknown) {
  for (const p of pending.values()) p.reject(e)
  pending.clear()
  worker?.terminate()
  worker = null
}

function get(): Worker | null {
  if (typeof Worker === 'undefined') return null
  if (!worker) {
    worker = new Worker(new URL('./crypto.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data
      const p = pending.get(m.id)
      if (!p) return
      if ('progress' in m) return p.progress?.(m.progress)
      pending.delete(m.id)
      if ('error' in m) p.reject(errorFromWire(m.error))
      else p.resolve(m.result)
    }
    worker.onerror = (e) => { e.preventDefault(); fail(new Error(e.message || 'worker')) }
  }
  return worker
}

/** Starts the worker ahead of need (its code is fetched while the person reads the screen). */
export function warm(): void {
  get()
}

/** Runs a job; progress gets 0…1. */
export function run<J extends Job>(job: J, progress?: (p: number) => void): Promise<JobResult<J>> {
  const w = get()
  if (!w) return runHere(job, progress) as Promise<JobResult<J>>
  const id = ++seq
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress })
    w.postMessage({ id, job })
  })
}
