// Refusals that name their place (docs/PROTOCOL.md §14): the field is the JSON path inside the
// message ("rows[3].proof[2].a"), the index the position of the message in a batch (-1 if none).

export type ErrorCode =
  | 'json' | 'version' | 'hex' | 'length' | 'point' | 'identity' | 'scalar' | 'key' | 'range'
  | 'mismatch' | 'duplicate' | 'signature' | 'proof' | 'decrypt' | 'log'

export class ProtocolError extends Error {
  constructor(
    readonly field: string,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly index = -1,
  ) {
    super((index >= 0 ? `item ${index}: ` : '') + (field ? `${field}: ` : '') + detail)
    this.name = 'ProtocolError'
  }
}

export function fail(field: string, code: ErrorCode, detail: string): never {
  throw new ProtocolError(field, code, detail)
}

/** Runs f and prefixes the field of a ProtocolError it throws (and sets its index when >= 0). */
export function within<T>(prefix: string, f: () => T, index = -1): T {
  try {
    return f()
  } catch (e) {
    throw relocate(e, prefix, index)
  }
}

export function relocate(e: unknown, prefix: string, index = -1): unknown {
  if (!(e instanceof ProtocolError)) return e
  let field = e.field
  if (prefix) field = !field ? prefix : field.startsWith('[') ? prefix + field : prefix + '.' + field
  return new ProtocolError(field, e.code, e.detail, index >= 0 ? index : e.index)
}
