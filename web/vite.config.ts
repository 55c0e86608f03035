/**
 * The portal's build: web/ → dist/web (or DANCU_WEB_OUT_DIR, which the browser tests use), with a
 * manifest so tests can weigh what the landing page loads. No inline scripts or styles are emitted:
 * the portal's Content-Security-Policy allows none (decision 0045).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: process.env.DANCU_WEB_OUT_DIR ?? fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    assetsDir: 'assets',
    // Inlined assets become data: URLs; small images are fine (img-src allows data:), but fonts and
    // styles must stay files.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
