// Vite build of the browser peers that ship as npm packages: json-rules-engine and big.js, each
// bundled and minified into one ES module as a user's app build would ship them, written to
// target/peers-browser/. Run by benches/browser-compare.mjs with tools/node_modules/.bin/vite.
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default {
  root: here('.'),
  logLevel: 'warn',
  build: {
    outDir: here('../../../target/peers-browser'),
    emptyOutDir: true,
    minify: true,
    target: 'es2022',
    modulePreload: false,
    rollupOptions: {
      input: { jre: here('jre.mjs'), big: here('big.mjs') },
      preserveEntrySignatures: 'strict',
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
};
