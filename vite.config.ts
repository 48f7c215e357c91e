/**
 * The renderer build: index.html + src/renderer → dist/ui. Relative asset URLs (base './') so the same
 * build is served by the loopback host, loaded from Electron's app:// protocol, or opened from disk.
 * Monaco's workers are separate files (`?worker` imports, ES module workers) so the CSP stays
 * `script-src 'self'; worker-src 'self' blob:` with no unsafe-eval.
 */
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  root: '.',
  base: './',
  plugins: [vue()],
  publicDir: false,
  worker: { format: 'es' },
  build: {
    outDir: 'dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Monaco is one big lazy chunk by nature; the page itself stays small.
    chunkSizeWarningLimit: 4000,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
