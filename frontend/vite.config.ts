import { defineConfig } from 'vite'

// The build goes into the Go package that embeds it; no CDN, no external font or script.
export default defineConfig({
  base: '/',
  build: {
    outDir: '../internal/web/dist',
    emptyOutDir: false, // keeps dist/.gitkeep; scripts/build-frontend.sh removes the old build
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2020',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
} as any)
