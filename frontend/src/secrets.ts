// What this page holds that must not outlive the person who opened it: a board member's opened key
// file and a running key ceremony's secrets. Each holder registers how to wipe itself; the session
// (session.ts) wipes them all on logout, when the login expires and when another person logs in.
// JavaScript cannot promise that memory is overwritten: byte arrays are zeroed, every reference
// dropped.

const wipers = new Set<() => void>()

/** Registers a holder's wipe; returns its removal. */
export function onWipe(f: () => void): () => void {
  wipers.add(f)
  return () => { wipers.delete(f) }
}

/** Wipes every holder's secrets. */
export function wipeSecrets(): void {
  wipers.forEach((f) => f())
}
