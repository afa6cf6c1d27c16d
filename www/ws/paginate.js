// Print layout with known pages. Chromium's print has no page-total counter, so the print view lays
// the content out itself: A4 pages of a fixed size, each with a running head (unit name and rule
// set) and a foot 「第N页 共M页」 numbered per document (one unit's report, or the summary table).
// Blocks are kept whole; a table that does not fit is split between rows, its head repeated.
// What the screen shows (the print preview) is what prints: @page has no margins, the page boxes
// carry them.
import { h } from '../dom.js';

/**
 * Lays out `docs` ([{head, blocks, landscape?}]) into pages inside `container` (which must be in
 * the document and laid out). Returns the number of pages.
 */
export function paginate(container, docs) {
  container.replaceChildren();
  let total = 0;
  for (const doc of docs) {
    const pages = [];
    const newPage = () => {
      const body = h('div', { className: 'pg-body' });
      const foot = h('div', { className: 'pg-foot' });
      const page = h('section', { className: `pg${doc.landscape ? ' pg-landscape' : ''}` },
        h('header', { className: 'pg-head' }, h('span', {}, doc.head), doc.headRight ? h('span', {}, doc.headRight) : null),
        body, foot);
      container.append(page);
      pages.push({ page, body, foot });
      return body;
    };
    let body = newPage();
    const overflows = () => body.scrollHeight > body.clientHeight + 1;
    for (const block of doc.blocks) {
      body.append(block);
      if (!overflows()) continue;
      if (block.tagName === 'TABLE' && block.tBodies[0]?.rows.length > 1) {
        // Split between rows: as many as fit here, the rest on the next pages (head repeated).
        block.remove();
        const rows = [...block.tBodies[0].rows];
        let part = emptyCopy(block, false);
        body.append(part);
        for (const row of rows) {
          part.tBodies[0].append(row);
          if (!overflows()) continue;
          row.remove();
          if (part.tBodies[0].rows.length === 0 && body.childElementCount === 1) {
            part.tBodies[0].append(row); // a single row taller than a page: let it be cut
            continue;
          }
          if (part.tBodies[0].rows.length === 0) part.remove();
          body = newPage();
          part = emptyCopy(block, true);
          body.append(part);
          part.tBodies[0].append(row);
        }
        continue;
      }
      if (body.childElementCount > 1) {
        block.remove();
        body = newPage();
        body.append(block);
      }
    }
    pages.forEach(({ foot }, i) => {
      foot.textContent = `第${i + 1}页 共${pages.length}页`;
    });
    total += pages.length;
  }
  return total;
}

function emptyCopy(table, continued) {
  const copy = table.cloneNode(false);
  const caption = table.caption?.cloneNode(true);
  if (caption && continued) caption.append('（续）');
  if (caption) copy.append(caption);
  if (table.tHead) copy.append(table.tHead.cloneNode(true));
  copy.append(document.createElement('tbody'));
  return copy;
}
