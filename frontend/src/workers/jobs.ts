// The jobs of the cryptography worker (crypto.worker.ts), as one function: the worker runs it off
// the page's thread; where no Worker exists (unit tests) the page runs it itself.

import {
  ballotHash, ballotToJSON, encryptBallot, fromHex, manifestFromJSON, openShareFileAsync, partialDecrypt, partialToJSON,
  sealShareFileAsync, shareFileFromJSON, shareFileToJSON, sumsFromJSON, toHex,
} from '../protocol'
import { checkSums } from './sums'
import { type EncryptResult, type Job, keyFromWire, keyToWire } from './wire'

export async function runJob(job: Job, progress: (p: number) => void = () => {}): Promise<unknown> {
  switch (job.kind) {
    case 'encrypt': {
      const m = manifestFromJSON(job.manifest)
      const t0 = performance.now()
      let last = 0
      const { ballot, secrets } = encryptBallot(m, fromHex('credential', job.credentialSeed, 32), job.choices, undefined, (done, total) => {
        const now = performance.now()
        if (done === total || now - last > 30) {
          last = now
          progress(done / total)
        }
      })
      const out: EncryptResult = {
        ballot: ballotToJSON(ballot), seed: toHex(secrets.seed), options: secrets.options, trackingHash: toHex(ballotHash(ballot)), ms: performance.now() - t0,
      }
      return out
    }
    case 'seal':
      return shareFileToJSON(await sealShareFileAsync(keyFromWire(job.key), job.passphrase, job.kdf, undefined, progress))
    case 'open':
      return keyToWire(await openShareFileAsync(shareFileFromJSON(job.file), job.passphrase, progress))
    case 'partial':
      return partialToJSON(partialDecrypt(keyFromWire(job.key), job.voteId, sumsFromJSON(job.sums), undefined, (done, total) => progress(done / total)))
    case 'sums':
      return checkSums(job.check, progress)
  }
}
