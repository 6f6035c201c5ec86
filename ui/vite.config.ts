import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The website widget is plain JavaScript, shipped as-is next to the app: `dist/widget.js`.
function widget(): Plugin {
  return {
    name: 'baton-widget',
    apply: 'build',
    writeBundle(options) {
      const out = options.dir ?? resolve(__dirname, 'dist');
      mkdirSync(out, { recursive: true });
      copyFileSync(resolve(__dirname, 'widget/widget.js'), resolve(out, 'widget.js'));
    },
  };
}

export default defineConfig({
  plugins: [svelte(), widget()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Nothing inline: the server's CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev` against a local `baton serve`.
    proxy: { '/v1': 'http://127.0.0.1:8787', '/widget.js': 'http://127.0.0.1:8787' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
