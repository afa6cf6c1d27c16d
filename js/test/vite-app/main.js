// The same through a bundler: Vite resolves the package and emits the .wasm as an asset.
import { Engine } from '../../../pkg/index.js';
import sub from '../../../examples/subdistrict-dq.json';

const report = new Engine('subdistrict').score(sub);
document.getElementById('total').textContent = report.total;
document.getElementById('grade').textContent = report.grade;
