// An OA page with no bundler: import the package straight from its folder.
import { Engine } from '/pkg/index.js';

const sub = await (await fetch('/examples/subdistrict-dq.json')).text();
const report = new Engine('subdistrict').score(sub);
document.getElementById('total').textContent = report.total;
document.getElementById('grade').textContent = report.grade;
