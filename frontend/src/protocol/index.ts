// The browser side of Tín Nhiệm's cryptographic protocol (docs/PROTOCOL.md): the kiosk's encryption,
// the board's key ceremony, share files, partial decryption and certification, and the observer's
// checks. Every decoder throws a ProtocolError naming the field.
export * from './errors'
export * from './bytes'
export * from './group'
export * from './ed'
export * from './identifier'
export * from './credential'
export * from './manifest'
export * from './ballot'
export * from './ceremony'
export * from './sharefile'
export * from './tally'
export * from './certification'
export * from './paper'
