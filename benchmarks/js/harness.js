// In-page helpers shared by every browser benchmark: start a recorder (or the floor) the same
// way for each contender, and watch long tasks. Installed with the page, before any figure.
(() => {
  const bench = {
    events: [],
    longTasks: [],

    /** Starts `kind` ('sessiontape' | 'rrweb' | 'none'); onEvent sees every event it emits. */
    start(kind, onEvent) {
      if (kind === 'sessiontape') return window.sessiontape.start({ onEvent });
      if (kind === 'rrweb') return window.rrwebRecord.record({ emit: onEvent });
      if (kind === 'floor') return bench.floor();
      return null;
    },

    /** The floor: a bare TreeWalker visit of every node, reading its attributes and text. */
    floor() {
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      let nodes = 0;
      let chars = 0;
      for (let n = walker.currentNode; n; n = walker.nextNode()) {
        nodes++;
        if (n.nodeType === 1) {
          const attrs = n.attributes;
          for (let i = 0; i < attrs.length; i++) chars += attrs[i].name.length + attrs[i].value.length;
        } else if (n.nodeType === 3) chars += n.data.length;
      }
      return { nodes, chars };
    },

    /** Records long tasks (buffered) from now on into bench.longTasks. */
    watchLongTasks() {
      const since = performance.now();
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          if (e.startTime + e.duration >= since) bench.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    },

    /** Resolves after the page had a frame and an idle task: nothing left from loading. */
    settle() {
      return new Promise((resolve) =>
        requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(() => setTimeout(resolve, 20)), 0)),
      );
    },

    /** Resolves in a task of its own, after `ms`. */
    later(ms) {
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
  window.__bench = bench;
})();
