// Host of the generated privacy pages (tests/e2e/privacy_gen.py): builds shadow roots and frames
// from a spec, and runs the page-side operations a test asks for. Ids are unique page-wide, so an
// element is found by id in the document, any shadow root (closed ones too) or any frame.
(function () {
  "use strict";
  var closed = new WeakMap();
  var pending = { shadows: {}, frames: {}, scripts: [] };
  var busy = 0;

  function rootOf(host) {
    return host.shadowRoot || closed.get(host) || null;
  }

  function search(root, id) {
    var found = root.getElementById ? root.getElementById(id) : root.querySelector("#" + id);
    if (found) return found;
    var all = root.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      var inner = rootOf(el);
      if (!inner && el.tagName === "IFRAME") {
        try {
          inner = el.contentDocument;
        } catch (e) {
          inner = null;
        }
      }
      if (inner) {
        found = search(inner, id);
        if (found) return found;
      }
    }
    return null;
  }

  function find(id) {
    var el = search(document, id);
    if (!el) throw new Error("no element #" + id);
    return el;
  }

  function fillFrame(frame, how, html) {
    var doc = frame.contentDocument;
    if (how === "write") {
      doc.open();
      doc.write("<!doctype html><html><body>" + html + "</body></html>");
      doc.close();
    } else {
      doc.body.insertAdjacentHTML("beforeend", html);
    }
    settle();
  }

  function buildFrame(frame, how, html) {
    if (how === "served" || how === "slow") {
      busy++;
      frame.addEventListener(
        "load",
        function () {
          fillFrame(frame, "append", html);
          busy--;
        },
        { once: true },
      );
      frame.src = "frame.html?" + how + "=" + frame.id;
    } else {
      fillFrame(frame, how, html);
    }
  }

  /**
   * Attaches the shadow roots and fills the frames whose hosts are on the page now, then runs the
   * scripts whose elements are there (those in a frame still loading run once it has loaded).
   */
  function settle() {
    var progress = true;
    while (progress) {
      progress = false;
      for (var sid in pending.shadows) {
        var host = search(document, sid);
        if (!host) continue;
        var spec = pending.shadows[sid];
        delete pending.shadows[sid];
        var root = host.attachShadow({ mode: spec[0] });
        if (spec[0] === "closed") closed.set(host, root);
        root.innerHTML = spec[1];
        progress = true;
      }
      for (var fid in pending.frames) {
        var frame = search(document, fid);
        if (!frame) continue;
        var f = pending.frames[fid];
        delete pending.frames[fid];
        buildFrame(frame, f[0], f[1]);
        progress = true;
      }
    }
    var waiting = pending.scripts;
    pending.scripts = [];
    waiting.forEach(function (code) {
      try {
        new Function("GEN", code)(api);
      } catch (e) {
        pending.scripts.push(code);
      }
    });
  }

  function add(spec) {
    var k;
    for (k in spec.shadows || {}) pending.shadows[k] = spec.shadows[k];
    for (k in spec.frames || {}) pending.frames[k] = spec.frames[k];
    pending.scripts = pending.scripts.concat(spec.scripts || []);
    settle();
  }

  function input(el) {
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  var ops = {
    focus: function (id) {
      var el = find(id);
      var view = el.ownerDocument.defaultView;
      if (view !== window && view.frameElement) view.frameElement.focus();
      el.focus();
    },
    setValue: function (id, value) {
      var el = find(id);
      el.value = value;
      input(el);
    },
    setAttr: function (id, name, value) {
      find(id).setAttribute(name, value);
    },
    setText: function (id, value) {
      find(id).textContent = value;
    },
    appendText: function (id, value) {
      find(id).firstChild.appendData(value);
    },
    setShadowText: function (id, value) {
      var root = rootOf(find(id));
      var first = root.firstChild;
      if (first && first.nodeType === 3) first.data = value;
      else root.insertBefore(document.createTextNode(value), first);
    },
    toggleType: function (id) {
      var el = find(id);
      el.type = el.type === "password" ? "text" : "password";
    },
    swapIn: function (id, newId) {
      var old = find(id);
      var shown = old.ownerDocument.createElement("input");
      shown.type = "text";
      shown.id = newId;
      shown.name = old.name;
      shown.className = old.className;
      shown.value = old.value;
      old.replaceWith(shown);
    },
    insert: function (containerId, html, spec) {
      find(containerId).insertAdjacentHTML("beforeend", html);
      add(spec);
    },
    remove: function (id) {
      find(id).remove();
    },
    move: function (id, containerId) {
      find(containerId).appendChild(find(id));
    },
    createToggled: function (containerId, newId, value) {
      var box = find(containerId);
      var field = box.ownerDocument.createElement("input");
      field.type = "password";
      field.id = newId;
      box.appendChild(field);
      field.value = value;
      field.type = "text";
    },
    select: function (id, value, sync) {
      var el = find(id);
      el.value = value;
      if (sync)
        for (var i = 0; i < el.options.length; i++)
          el.options[i].toggleAttribute("selected", el.options[i].value === value);
      input(el);
    },
    check: function (id, sync) {
      var el = find(id);
      el.checked = true;
      if (sync) {
        var group = el.ownerDocument.querySelectorAll('input[name="' + el.name + '"]');
        for (var i = 0; i < group.length; i++) group[i].toggleAttribute("checked", group[i] === el);
      }
      input(el);
    },
    frameWrite: function (id, html) {
      fillFrame(find(id), "write", html);
    },
    pushState: function (url) {
      history.pushState({}, "", url);
    },
    /**
     * Scrolls the element into view; returns its visible box in the top page's viewport
     * ([left, top, right, bottom], null when nothing of it shows) and its box in its own frame.
     */
    rect: function (id) {
      var el = find(id);
      el.scrollIntoView({ block: "center" });
      var r = el.getBoundingClientRect();
      var box = [r.left, r.top, r.right, r.bottom];
      var local = box.slice();
      for (var view = el.ownerDocument.defaultView; view !== window; view = view.parent) {
        var frame = view.frameElement;
        var f = frame.getBoundingClientRect();
        var dx = f.left + frame.clientLeft;
        var dy = f.top + frame.clientTop;
        box = [
          Math.max(box[0] + dx, dx),
          Math.max(box[1] + dy, dy),
          Math.min(box[2] + dx, dx + frame.clientWidth),
          Math.min(box[3] + dy, dy + frame.clientHeight),
        ];
      }
      box = [Math.max(box[0], 0), Math.max(box[1], 0), Math.min(box[2], innerWidth), Math.min(box[3], innerHeight)];
      return { top: box[2] > box[0] + 2 && box[3] > box[1] + 2 ? box : null, local: local };
    },
  };

  var api = {
    values: {},
    register: function (host, root) {
      closed.set(host, root);
    },
    find: find,
    rootOf: rootOf,
    build: add,
    run: function (name, args) {
      return ops[name].apply(null, args);
    },
    get busy() {
      return busy;
    },
  };
  window.GEN = api;
})();
