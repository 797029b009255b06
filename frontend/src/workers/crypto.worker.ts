// The cryptography that takes long enough to freeze a page runs here, off the page's thread, with
// progress: a kiosk's ballot (encrypt, prove, sign), a share file sealed or opened (Argon2id), a
// member's check of the encrypted sums against the cast ballots, and their partial decryption.
// Nothing is kept between jobs.

import { runJob } from './jobs'
import { type FromWorker, type Job, errorToWire } from './wire'

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m)

self.onmessage = (e: MessageEvent<{ id: number; job: Job }>) => {
  const { id, job } = e.data
  let last = -1
  const progress = (p: number) => {
    const q = Math.round(Math.max(0, Math.min(1, p)) * 100) / 100
    if (q !== last) { last = q; post({ id, progress: q }) }
  }
  runJob(job, progress).then(
    (result) => post({ id, result }),
    (err) => post({ id, error: errorToWire(err) }),
  )
}
