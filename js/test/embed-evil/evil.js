// A page of an origin not in EMBED_ORIGINS. As a top page it tries to frame the embed page and
// drive it; as a frame inside the allowed host's page it posts to its sibling, the embed frame.
const params = new URLSearchParams(location.search);
window.received = [];
window.addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
const attack = (target) => {
  for (const type of ['kpi:set', 'kpi:get']) {
    target.postMessage({ type, v: 1, id: `evil-${type}`, rules: 'department', values: { safety_meetings: '99' }, readonly: true }, '*');
  }
};
if (window.parent === window) {
  const frame = document.createElement('iframe');
  frame.src = params.get('embed');
  frame.title = 'embed';
  document.getElementById('slot').append(frame);
  frame.addEventListener('load', () => {
    window.frameLoaded = true;
    attack(frame.contentWindow);
  });
} else {
  // The embed frame is the host page's first frame.
  window.attack = () => attack(window.parent.frames[0]);
}
