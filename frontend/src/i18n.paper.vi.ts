// The paper screens' strings (Vietnamese), merged into the one catalogue (i18n.vi.ts).
export const viPaper = {
} as const
