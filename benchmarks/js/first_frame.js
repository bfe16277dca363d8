// Init script for the viewer benchmark: window.__firstFrameMs is the time since navigation at
// which the replay iframe's document first holds the recorded page's body (#page-title).
(() => {
  if (window !== window.top) return;
  const check = () => {
    for (const frame of document.querySelectorAll('iframe')) {
      const doc = frame.contentDocument;
      if (doc && doc.getElementById('page-title')) {
        window.__firstFrameMs = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
