// The encrypted screens' strings (Vietnamese), merged into the one catalogue (i18n.vi.ts).
export const viEncrypted = {
} as const
