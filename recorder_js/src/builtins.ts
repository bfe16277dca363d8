// Built-ins the recorder relies on, as the browser made them. A page (or a library it loads) may
// replace MutationObserver with a wrapper of its own, or break it: then a clean copy is taken
// from a fresh same-origin frame, once, the way rrweb does.

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

function isNative(f: unknown): boolean {
  try {
    return typeof f === 'function' && NATIVE.test(Function.prototype.toString.call(f));
  } catch {
    return false;
  }
}

let clean: typeof MutationObserver | null = null;

/** This window's MutationObserver when the page left it alone, else a fresh frame's. */
export function Observer(): typeof MutationObserver {
  const own = window.MutationObserver;
  if (isNative(own) && isNative(own.prototype.observe)) return own;
  if (!clean) {
    const frame = document.createElement('iframe');
    frame.style.display = 'none';
    (document.body || document.documentElement).appendChild(frame);
    try {
      clean = (frame.contentWindow as unknown as typeof window).MutationObserver;
    } finally {
      frame.remove();
    }
  }
  return clean;
}

/** The root of the tree `n` is in (document, shadow root or detached subtree), without getRootNode. */
export function rootOf(n: Node): Node {
  while (n.parentNode) n = n.parentNode;
  return n;
}
