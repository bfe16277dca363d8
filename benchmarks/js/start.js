// Starts `kind` in a task of its own and times it with performance.now(): the start() call,
// and the moment the FullSnapshot event (type 2) was emitted, which is the figure compared (a
// recorder that takes its snapshot in slices returns from start() before that). Long tasks are watched from
// just before the start until the page has been idle a while after it.
async (kind) => {
  const bench = window.__bench;
  bench.watchLongTasks();
  let snapshotEvent = null;
  const timing = await new Promise((resolve) =>
    setTimeout(() => {
      let snapshotAt = -1;
      let events = 0;
      let t1 = 0;
      const t0 = performance.now();
      const done = () =>
        resolve({ start_ms: t1 - t0, snapshot_ms: (snapshotAt < 0 ? t1 : snapshotAt) - t0, events });
      bench.start(kind, (e) => {
        events++;
        if (e.type !== 2 || snapshotAt >= 0) return;
        snapshotAt = performance.now();
        snapshotEvent = e;
        if (t1) done(); // a snapshot taken in slices ends in a later task
      });
      t1 = performance.now();
      if (snapshotAt >= 0 || kind === 'floor' || kind === 'none') done();
    }, 0),
  );
  await bench.later(400); // work a recorder defers past start() still lands in the window
  await bench.settle();
  const longTasks = bench.longTasks.slice();
  // What any transport pays on top, in one task: the snapshot event as JSON text.
  const s0 = performance.now();
  const json = snapshotEvent ? JSON.stringify(snapshotEvent) : '';
  const stringify_ms = performance.now() - s0;
  return { ...timing, long_tasks: longTasks, stringify_ms, snapshot_chars: json.length };
}
