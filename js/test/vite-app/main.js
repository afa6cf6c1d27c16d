// The same through a bundler: Vite resolves the package and emits the .wasm as an asset, and the
// tools module (loadTools) as a chunk and an asset of its own.
import { Engine, loadTools } from '../../../pkg/index.js';
import sub from '../../../examples/subdistrict-dq.json';

const report = new Engine('subdistrict').score(sub);
document.getElementById('total').textContent = report.total;
document.getElementById('grade').textContent = report.grade;

// The tools module through the bundle: the rule set's embedded tests (a count in #tests).
loadTools().then(() => {
  document.getElementById('tests').textContent = String(new Engine('subdistrict').runTests().passed);
}, (err) => {
  document.getElementById('tests').textContent = `error: ${err.message}`;
});
