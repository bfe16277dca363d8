// The normalised DOM serialisation test_replay_fidelity.py runs on the live page and on the
// replay (its docstring lists and justifies every normalisation).
(args) => {
  const [doc, hints] = args;
  const out = [];
  const URLS = new Set(['href', 'src', 'srcset', 'xlink:href', 'poster']);
  const CARD = /cardnumber|card-number|card_number|ccnum|cc-num|cvc|cvv|csc|expiry|exp-date|expdate/i;
  const abs = (v, base) => { if (v[0] === '#') return v; try { return new URL(v, base).href; } catch (e) { return v; } };
  const isPrivate = (el) => ['password', 'hidden', 'file'].includes(el.type)
    || /(^|\s)(cc-|one-time-code)/i.test(el.getAttribute('autocomplete') || '')
    || CARD.test(el.getAttribute('name') || '') || CARD.test(el.id)
    || !!el.closest('[data-st-ignore]') || hints.private.includes(el.id);
  const blocked = (el) => el.hasAttribute('data-st-block') || hints.blocked.includes(el.id);
  // All a private field (or an option of a private select) keeps, as the recorder does.
  const LAYOUT = /^(type|id|class|name|style|size|cols|rows|width|height|maxlength|minlength|multiple|disabled|readonly|hidden|dir|data-st-(mask|ignore|block))$/;
  const layoutOnly = (el, tag) => (/^(input|textarea|select)$/.test(tag) && isPrivate(el))
    || (tag === 'option' && !!el.closest('select') && isPrivate(el.closest('select')));
  function attrs(el) {
    const base = el.ownerDocument.baseURI;
    const tag = el.localName;
    const kept = [];
    const layout = layoutOnly(el, tag);
    for (const a of el.attributes) {
      let name = a.name, v = a.value;
      if (layout && !LAYOUT.test(name)) continue;
      if (name.startsWith('rr_') || name === '_cssText' || (tag === 'iframe' && name === 'src')) continue;
      if (['value', 'checked', 'selected'].includes(name) && /^(input|textarea|select|option)$/.test(tag)) continue;
      if (name === 'data-st-block' || (name === 'autocomplete' && /^(input|textarea|select|form)$/.test(tag))) continue;
      if (URLS.has(name)) v = name === 'srcset'
        ? v.split(',').map((c) => c.trim().split(/\s+/)).map(([u, ...d]) => [abs(u, base), ...d].join(' ')).join(', ')
        : abs(v, base);
      if (name === 'style') v = v.replace(/\s*caret-color: transparent !important;/, '').replace(/url\((['"]?)([^'")]*)\1\)/g, (m, q, u) => 'url(' + abs(u, base) + ')');
      if (name === 'class') v = v.split(/\s+/).filter((c) => c && c !== ':hover' && c !== 'rrweb-paused').join(' ');
      if ((name === 'class' || name === 'style') && !v) continue;
      kept.push(name + '=' + JSON.stringify(v));
    }
    if (/^(input|textarea|select)$/.test(tag)) {
      if (!isPrivate(el)) kept.push('.value=' + JSON.stringify(el.value));
      if (el.type === 'checkbox' || el.type === 'radio') kept.push('.checked=' + el.checked);
    }
    if (tag === 'option' && !isPrivate(el.closest('select') || el)) kept.push('.selected=' + el.selected);
    return kept.sort().join(' ');
  }
  function visit(node, depth) {
    const pad = ' '.repeat(depth);
    if (node.nodeType === 3) {
      const parent = node.parentElement;
      if (parent && parent.localName === 'textarea') return;
      let text = node.data.split(/\s+/).filter(Boolean).join(' ');
      if (!text) return;
      if (parent && parent.closest('[data-st-mask]')) text = text.replace(/\S/g, '*');
      out.push(pad + '"' + text + '"');
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = node.localName;
    if (tag === 'script' || tag === 'noscript' || tag === 'style') return;
    if (tag === 'link' && /stylesheet/i.test(node.getAttribute('rel') || '')) return;
    if (blocked(node)) {
      out.push(pad + '<' + tag + ' id=' + node.id + ' class=' + node.className + '> (blocked)');
      return;
    }
    const kept = attrs(node);
    out.push(pad + '<' + tag + (kept ? ' ' + kept : '') + '>');
    for (let k = node.firstChild; k; k = k.nextSibling) visit(k, depth + 1);
    if (node.shadowRoot) {
      out.push(pad + ' #shadow-root');
      for (let k = node.shadowRoot.firstChild; k; k = k.nextSibling) visit(k, depth + 2);
    }
    if (tag === 'iframe') {
      let inner = null;
      try { inner = node.contentDocument; } catch (e) {}
      if (inner && inner.documentElement) {
        out.push(pad + ' #document');
        visit(inner.documentElement, depth + 2);
      }
    }
  }
  visit(doc.documentElement, 0);
  return out;
}
