// The browser app: the views (考核任务, 考核表, 批量评分, 细则对比, 细则编辑) and the tabs between them.
// Each view is its own module: ws/ (workspaces), drafts.js (one form), batch.js, compare.js;
// editor/ (the rule authors' workbench, loaded when first shown); dom.js has the shared DOM helpers. No scoring here: every number comes from the engine.
import { $ } from './dom.js';
import { startForm } from './drafts.js';
import { renderBatch } from './batch.js';
import { renderCompare } from './compare.js';

const tabs = ['workspaces', 'form', 'batch', 'compare', 'workbench'];
let workspaces = null; // ws/workspace.js, loaded when first shown
let workbench = null; // editor/workbench.js, loaded when first shown

/** Shows a view; the location's hash says which (#form, #batch, #compare, else the workspaces). */
async function selectTab(name, params = new URLSearchParams()) {
  for (const t of tabs) {
    $(`tab-${t}`).setAttribute('aria-selected', String(t === name));
    $(`view-${t}`).hidden = t !== name;
  }
  document.body.classList.toggle('previewing', false);
  if (name === 'batch') renderBatch();
  if (name === 'compare') renderCompare();
  if (name === 'workbench') {
    workbench ??= await import('./editor/workbench.js');
    await workbench.showWorkbench();
  }
  if (name === 'workspaces') {
    workspaces ??= await import('./ws/workspace.js');
    await workspaces.showWorkspaces(params);
  }
}

function fromHash() {
  const hash = location.hash.slice(1);
  if (hash === 'form' || hash === 'batch' || hash === 'compare' || hash === 'workbench') return selectTab(hash);
  return selectTab('workspaces', new URLSearchParams(hash === 'workspaces' ? '' : hash));
}

/** Goes to a view now (the history keeps it for the back button). */
function navigate(hash) {
  if (location.hash !== hash) history.pushState(null, '', hash);
  return fromHash();
}

for (const t of tabs) {
  const tab = $(`tab-${t}`);
  tab.addEventListener('click', () => navigate(t === 'workspaces' ? '#workspaces' : `#${t}`));
  tab.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(tabs.indexOf(t) + step + tabs.length) % tabs.length];
    navigate(next === 'workspaces' ? '#workspaces' : `#${next}`);
    $(`tab-${next}`).focus();
  });
}
window.addEventListener('hashchange', () => fromHash());

startForm();
fromHash();
