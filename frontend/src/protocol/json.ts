// Strict decoding of wire messages (docs/PROTOCOL.md §2.4): exactly the expected fields, ids of 1 to
// 128 bytes, integers in range, version 1.
import { fail } from './errors'

export type Obj = Record<string, unknown>

/** Checks that j is an object with exactly these fields (and version 1 if 'version' is one of them). */
export function shape(j: unknown, fields: string[]): Obj {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) fail('', 'json', 'a JSON object is expected')
  const o = j as Obj
  for (const k of Object.keys(o)) if (!fields.includes(k)) fail(k, 'json', 'unknown field')
  for (const f of fields) if (!(f in o)) fail(f, 'json', 'missing field')
  if (fields.includes('version') && o.version !== 1) fail('version', 'version', `unsupported version ${String(o.version)} (this implementation reads version 1)`)
  return o
}

export function id(field: string, v: unknown): string {
  if (typeof v !== 'string') fail(field, 'json', 'a string is expected')
  const n = new TextEncoder().encode(v).length
  if (n < 1 || n > 128) fail(field, 'length', 'an id has 1 to 128 bytes')
  return v
}

export function int(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(field, 'json', 'an integer is expected')
  if (v < lo || v > hi) fail(field, 'range', `expected ${lo} to ${hi}`)
  return v
}

export function list(field: string, v: unknown, lo: number, hi: number): unknown[] {
  if (!Array.isArray(v)) fail(field, 'json', 'an array is expected')
  if (v.length < lo || v.length > hi) fail(field, 'length', `${lo} to ${hi} items expected`)
  return v
}

export function str(field: string, v: unknown): string {
  if (typeof v !== 'string') fail(field, 'json', 'a string is expected')
  return v
}
