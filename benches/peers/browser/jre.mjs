// Browser bundle entry (built by benches/browser-compare.mjs with Vite): json-rules-engine alone.
export { Engine } from 'json-rules-engine';
