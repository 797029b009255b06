// What crosses between the page and the cryptography worker: plain JSON-like values only (a Worker
// message cannot carry the protocol's classes). A share key travels as hex, and is rebuilt and
// checked (s·G = Y_j) on arrival; a protocol refusal travels as its field, code and detail.

import {
  type ShareKey, ProtocolError, RistrettoPoint, decodePoint, fail, fromHex, scalarHex, scalarToHex, toHex,
} from '../protocol'
import type { ErrorCode } from '../protocol/errors'
import type { SumsInput, SumsResult } from './sums'

export interface WireKey {
  ceremony_id: string
  identifier: string
  signing_share: string
  verifying_share: string
  group_key: string
  signing_seed: string
  fingerprint: string
}

export function keyToWire(k: ShareKey): WireKey {
  return {
    ceremony_id: k.ceremonyId,
    identifier: k.identifier,
    signing_share: scalarToHex(k.signingShare),
    verifying_share: k.verifyingShare.hex,
    group_key: k.groupKey.hex,
    signing_seed: toHex(k.signingSeed),
    fingerprint: k.fingerprint,
  }
}

export function keyFromWire(w: WireKey): ShareKey {
  const s = scalarHex('signing_share', w.signing_share)
  const verifyingShare = decodePoint(fromHex('verifying_share', w.verifying_share, 32), false, 'verifying_share')
  if (s === 0n || !RistrettoPoint.BASE.multiply(s).equals(verifyingShare.p)) fail('signing_share', 'mismatch', 'the share does not match its verifying share')
  return {
    ceremonyId: w.ceremony_id,
    identifier: w.identifier,
    signingShare: s,
    verifyingShare,
    groupKey: decodePoint(fromHex('group_key', w.group_key, 32), false, 'group_key'),
    signingSeed: fromHex('signing_seed', w.signing_seed, 32),
    fingerprint: w.fingerprint,
  }
}

export interface WireError {
  field: string
  code: string
  detail: string
}

export function errorToWire(e: unknown): WireError {
  if (e instanceof ProtocolError) return { field: e.field, code: e.code, detail: e.detail }
  return { field: '', code: 'internal', detail: e instanceof Error ? e.message : String(e) }
}

export function errorFromWire(w: WireError): Error {
  if (w.code === 'internal') return new Error(w.detail)
  return new ProtocolError(w.field, w.code as ErrorCode, w.detail)
}

/** The jobs the worker runs, with what each returns. */
export type Job =
  | { kind: 'encrypt'; manifest: unknown; credentialSeed: string; choices: number[] }
  | { kind: 'seal'; key: WireKey; passphrase: string; kdf?: { m: number; t: number; p: number } }
  | { kind: 'open'; file: unknown; passphrase: string }
  | { kind: 'partial'; key: WireKey; voteId: string; sums: unknown }
  | { kind: 'sums'; check: SumsInput } // the member's check of the sums before decrypting (sums.ts)

export interface EncryptResult {
  ballot: unknown // the §8.5 message
  seed: string // the ballot seed (hex): kept only until cast or audit
  options: number[]
  trackingHash: string // the ballot hash (hex)
  ms: number // time spent encrypting, proving and signing
}

export type JobResult<J extends Job> = J extends { kind: 'encrypt' } ? EncryptResult
  : J extends { kind: 'seal' } ? unknown // the share file's JSON
  : J extends { kind: 'open' } ? WireKey
  : J extends { kind: 'partial' } ? unknown // the §11.2 submission
  : J extends { kind: 'sums' } ? SumsResult
  : never

export type FromWorker =
  | { id: number; progress: number }
  | { id: number; result: unknown }
  | { id: number; error: WireError }
