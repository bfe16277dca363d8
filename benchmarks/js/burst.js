// Mutation burst on a recorded (or unrecorded) page: append 5000 elements, change 5000
// attributes, edit 5000 texts, remove 2000 elements, in one task. Times the burst alone, the
// burst plus the MutationObserver callbacks (a microtask after the burst runs after them: both
// recorders emit their Mutation event inside that callback), and the burst plus everything until
// a setTimeout(0) task runs, which also holds the browser's style and layout of the changes.
// prepareBurst() starts the recorder and picks the targets; runBurst() is the timed part.
(() => {
const bench = window.__bench;
let targets = null;

bench.prepareBurst = async ({ kind, adds, attrs, texts, removes }) => {
  let mutationEvents = 0;
  let snapshotTaken = null;
  const snapshot = new Promise((resolve) => (snapshotTaken = resolve));
  bench.start(kind, (e) => {
    if (e.type === 3 && e.data.source === 0) mutationEvents++;
    if (e.type === 2) snapshotTaken();
  });
  if (kind !== 'none') await snapshot; // a sliced snapshot holds changes until it is complete
  await bench.later(100);
  await bench.settle();

  // Targets are chosen before the clock starts, the same on every page of the same size.
  const elements = Array.from(document.body.getElementsByTagName('*'));
  const textNodes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.trim()) textNodes.push(n);
  const leaves = elements.filter((el) => !el.firstElementChild && el.tagName !== 'INPUT');
  const pick = (list, count, offset) => {
    const out = [];
    const step = list.length / count;
    for (let i = 0; i < count; i++) out.push(list[Math.floor(offset + i * step) % list.length]);
    return out;
  };
  const parents = pick(elements.filter((el) => el.tagName === 'DIV'), adds / 10, 0);
  const attrTargets = pick(elements, attrs, 1);
  const textTargets = pick(textNodes, texts, 0);
  // Removed elements come from the second half of the leaves, texts edited from all texts:
  // some overlap is realistic, and the same for every contender.
  const removeTargets = pick(leaves.slice(leaves.length >> 1), removes, 0);
  targets = { parents, attrTargets, textTargets, removeTargets, events: () => mutationEvents };
};

bench.runBurst = () => {
  const { parents, attrTargets, textTargets, removeTargets, events } = targets;
  return new Promise((resolve) =>
    setTimeout(async () => {
      const t0 = performance.now();
      for (let p = 0; p < parents.length; p++)
        for (let k = 0; k < 10; k++) {
          const el = document.createElement(k % 3 ? 'span' : 'a');
          el.className = 'added a' + k;
          if (!(k % 3)) el.setAttribute('href', '/added/' + p + '/' + k);
          el.textContent = 'added ' + p + '.' + k;
          parents[p].appendChild(el);
        }
      for (let i = 0; i < attrTargets.length; i++) attrTargets[i].setAttribute('data-burst', String(i));
      for (let i = 0; i < textTargets.length; i++) textTargets[i].data = 'edited ' + i;
      for (let i = 0; i < removeTargets.length; i++) removeTargets[i].remove();
      const t1 = performance.now();
      await null; // runs after the MutationObserver callbacks queued by the burst
      const t2 = performance.now();
      const flushedEvents = events();
      setTimeout(() => {
        const t3 = performance.now();
        resolve({
          burst_ms: t1 - t0,
          observed_ms: t2 - t0,
          total_ms: t3 - t0,
          mutation_events_observed: flushedEvents,
          mutation_events: events(),
        });
      }, 0);
    }, 0),
  );
};
})();
