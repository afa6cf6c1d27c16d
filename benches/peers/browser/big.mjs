// Browser bundle entry (built by benches/browser-compare.mjs with Vite): big.js alone.
export { default as Big } from 'big.js';
