// Starts `kind` in a task of its own and times it with performance.now(): the whole start()
// call, and the moment the FullSnapshot event (type 2) was emitted. Long tasks are watched from
// just before the start until the page has been idle a while after it.
async (kind) => {
  const bench = window.__bench;
  bench.watchLongTasks();
  const timing = await new Promise((resolve) =>
    setTimeout(() => {
      let snapshotAt = -1;
      let events = 0;
      const t0 = performance.now();
      bench.start(kind, (e) => {
        events++;
        if (e.type === 2 && snapshotAt < 0) snapshotAt = performance.now();
      });
      const t1 = performance.now();
      resolve({ start_ms: t1 - t0, snapshot_ms: snapshotAt < 0 ? t1 - t0 : snapshotAt - t0, events });
    }, 0),
  );
  await bench.later(400); // work a recorder defers past start() still lands in the window
  await bench.settle();
  return { ...timing, long_tasks: bench.longTasks.slice() };
}
