// Scenarios for the recorder's privacy mechanisms, one per page load, chosen by ?case=...
// window.SECRETS (set by the test before the page runs) holds the values each scenario hides;
// window.lab.after() runs the part that happens once recording has started, and
// window.lab.field() is the field the test types into next.
(function () {
  "use strict";
  var S = window.SECRETS || [];
  var stage = document.getElementById("stage");
  var which = new URLSearchParams(location.search).get("case");
  var field = null;
  var after = function () {};

  function byId(id) { return document.getElementById(id); }
  function tick(ms) { return new Promise(function (done) { setTimeout(done, ms || 30); }); }
  function frameLoaded(frame) {
    return new Promise(function (done) { frame.addEventListener("load", function () { done(); }, { once: true }); });
  }
  // A password field filled in by its markup (no value setter runs before it is shown as text).
  function passwordIn(root, value) {
    root.innerHTML =
      '<label>Password <input type="password" class="pw" value="' + value + '"></label><p>Ordinary shadow text</p>';
    return root.querySelector(".pw");
  }
  // A "show password" widget that swaps in a new type=text input and copies the value over.
  function swapIn(old, keepName) {
    var shown = document.createElement("input");
    shown.type = "text";
    if (keepName) shown.name = old.name;
    shown.className = old.className;
    shown.value = old.value;
    old.replaceWith(shown);
    return shown;
  }
  // Mirrors a field's value into attributes, as floating-label helpers and custom selects do.
  function mirror(f) {
    f.addEventListener("input", function () {
      f.setAttribute("data-value", f.value);
      f.setAttribute("aria-valuenow", f.value);
      f.title = f.value;
    });
  }

  var cases = {
    // ---- "ever a password" ----
    "upper-markup": function () {
      stage.innerHTML = '<input TYPE="PASSWORD" id="f" name="login" value="' + S[0] + '">';
      byId("f").setAttribute("type", "Text"); // shown before recording starts
      field = byId("f");
    },
    "shadow-open-at-parse": function () {
      stage.innerHTML = '<div id="host"></div>';
      field = passwordIn(byId("host").attachShadow({ mode: "open" }), S[0]);
      field.type = "text";
    },
    "shadow-closed-at-parse": function () {
      stage.innerHTML = '<div id="host"></div>';
      field = passwordIn(byId("host").attachShadow({ mode: "closed" }), S[0]);
      field.type = "text";
    },
    // A shadow root attached to an element already recorded, filled and shown as text in one task.
    "shadow-open-same-task": shadowSameTask("open"),
    "shadow-closed-same-task": shadowSameTask("closed"),
    "custom-element-same-task": function () {
      customElements.define("reveal-password", class extends HTMLElement {
        connectedCallback() {
          this.innerHTML = '<input type="password" class="pw" value="' + S[0] + '">';
          var f = this.querySelector("input");
          f.type = "text"; // "revealed" by default
          field = f;
        }
      });
      after = function () {
        stage.appendChild(document.createElement("reveal-password"));
      };
    },
    // A custom element in the page, defined (upgraded) once recording runs: its constructor
    // attaches a closed shadow root with a password field, shown as text when connected.
    "custom-element-closed-shadow": function () {
      stage.innerHTML = '<secret-box id="box"></secret-box>';
      after = function () {
        customElements.define("secret-box", class extends HTMLElement {
          constructor() {
            super();
            field = passwordIn(this.attachShadow({ mode: "closed" }), S[0]);
          }
          connectedCallback() { field.type = "text"; }
        });
      };
    },
    "frame-write-same-task": function () {
      after = function () {
        var frame = document.createElement("iframe");
        stage.appendChild(frame);
        var doc = frame.contentDocument;
        doc.open();
        doc.write('<!doctype html><p>Ordinary frame text</p><input type="password" id="f" value="' + S[0] + '">');
        doc.close();
        field = doc.getElementById("f");
        field.type = "text";
      };
    },
    "frame-write-later-toggle": function () {
      after = function () {
        var frame = document.createElement("iframe");
        stage.appendChild(frame);
        var doc = frame.contentDocument;
        doc.open();
        doc.write('<!doctype html><p>Ordinary frame text</p><input type="password" id="f" value="' + S[0] + '">');
        doc.close();
        field = doc.getElementById("f");
        return tick().then(function () { field.type = "text"; });
      };
    },
    "frame-srcdoc-at-parse": function () {
      stage.innerHTML =
        '<iframe id="fr" srcdoc="<p>Ordinary frame text</p><input type=password id=f value=&quot;' + S[0] +
        '&quot;><script>document.getElementById(&quot;f&quot;).type=&quot;text&quot;</scr' + 'ipt>"></iframe>';
      after = function () {
        field = byId("fr").contentDocument.getElementById("f");
      };
    },
    "frame-page-at-parse": function () {
      stage.innerHTML = '<iframe id="fr" src="mech-frame.html?case=toggle-at-parse"></iframe>';
      var loaded = frameLoaded(byId("fr"));
      after = function () {
        return loaded.then(function () { field = byId("fr").contentDocument.getElementById("f"); });
      };
    },
    "swap-same-name": function () {
      stage.innerHTML = '<input type="password" id="f" name="secret-word" class="pw">';
      byId("f").value = S[0];
      after = function () { field = swapIn(byId("f"), true); };
    },
    "swap-anonymous": function () {
      stage.innerHTML = '<span><input type="password" class="pw"></span>';
      stage.querySelector(".pw").value = S[0];
      after = function () { field = swapIn(stage.querySelector(".pw"), false); };
    },

    // ---- mask / block / ignore context at document and shadow-root level ----
    "shadow-text-open": shadowText("open"),
    "shadow-text-closed": shadowText("closed"),
    "frame-slow-mask": slowFrame("data-st-mask"),
    "frame-slow-ignore": slowFrame("data-st-ignore"),
    "frame-write-mask": writtenFrame("data-st-mask"),
    "frame-write-ignore": writtenFrame("data-st-ignore"),
    "comments-masked": function () {
      stage.innerHTML = '<div id="m" data-st-mask><p>Masked words</p><!--' + S[0] + '--></div>';
      after = function () {
        byId("m").appendChild(document.createComment(S[1]));
        return tick().then(function () { byId("m").lastChild.data = S[2]; });
      };
    },
    "srcdoc-never": function () {
      var srcdoc = function (text) {
        return '<p>Ordinary frame text</p><input type=password value=&quot;' + text + '&quot;>';
      };
      stage.innerHTML =
        '<iframe id="fr" srcdoc="' + srcdoc(S[0]) + '"></iframe>' +
        '<div data-st-mask><iframe srcdoc="<p>' + S[1] + '</p>"></iframe></div>';
      after = function () { byId("fr").setAttribute("srcdoc", srcdoc(S[2])); };
    },

    // ---- attributes of private fields ----
    "select-expiry": function () {
      var options = "";
      for (var m = 1; m <= 12; m++) {
        var mm = (m < 10 ? "0" : "") + m;
        options += '<option id="exp-' + mm + '" value="' + mm + '">' + mm + "</option>";
      }
      stage.innerHTML =
        '<label>Expiry month <select id="exp" name="exp_month" autocomplete="cc-exp-month">' + options +
        '</select></label>' +
        '<label>Colour <select id="colour"><option id="col-red">red</option><option id="col-blue">blue</option></select></label>';
      // The page keeps the `selected` attribute in step with the choice.
      stage.addEventListener("change", function (e) {
        var select = e.target;
        for (var i = 0; i < select.options.length; i++)
          select.options[i].toggleAttribute("selected", select.options[i].selected);
      });
    },
    "radio-ignored": function () {
      stage.innerHTML =
        '<fieldset id="group" data-st-ignore><legend>Security question</legend>' +
        '<label><input type="radio" name="q" id="q1" value="' + S[0] + '">One</label>' +
        '<label><input type="radio" name="q" id="q2" value="' + S[1] + '">Two</label>' +
        '<label><input type="checkbox" id="q3" data-choice="' + S[2] + '">Three</label></fieldset>' +
        '<label><input type="radio" name="r" id="r1" value="plain-one">Plain</label>';
      stage.addEventListener("change", function (e) {
        var inputs = stage.querySelectorAll("input");
        for (var i = 0; i < inputs.length; i++) inputs[i].toggleAttribute("checked", inputs[i].checked);
        e.target.setAttribute("data-chosen", e.target.value);
      });
    },
    "mirrored-value": function () {
      stage.innerHTML =
        '<input type="password" id="f" name="pw" placeholder="Your password">' +
        '<input type="text" id="card" autocomplete="cc-number">' +
        '<input type="text" id="mirrored-plain" name="city">';
      mirror(byId("f"));
      mirror(byId("card"));
      mirror(byId("mirrored-plain"));
      field = byId("f");
    },

    // ---- decided: script-free, credentials in <meta>, ignored editables and forms ----
    "script-free": function () {
      stage.innerHTML =
        '<button id="b1" onclick="' + S[0] + '()">Ordinary button</button>' +
        '<div id="d1" OnMouseOver="' + S[1] + '()">Ordinary hover</div>' +
        '<a id="a1" href=" JaVa&#09;ScRiPt:' + S[2] + '()">Ordinary link</a>' +
        '<svg width="10" height="10"><a id="a2" xlink:href="javascript:' + S[3] + '()"><rect width="5" height="5"/></a></svg>' +
        '<form id="form1" action="&#1;javascript:' + S[4] + '()"><button formaction="vbscript:' + S[5] + '">Go</button></form>' +
        '<iframe id="i1" src="data:text/html,<p>' + S[6] + '</p>"></iframe>' +
        '<object id="o1" data="data:text/html,' + S[7] + '"></object>' +
        '<a id="a3" href="https://example.com/ordinary-link">Ordinary address</a>';
      after = function () {
        byId("b1").setAttribute("onmouseup", S[8] + "()");
        byId("a3").href = "javascript:" + S[9] + "()";
        stage.querySelector("svg").setAttribute("onClick", S[10] + "()");
      };
    },
    "meta-credentials": function () {
      var head = document.head;
      head.insertAdjacentHTML(
        "beforeend",
        '<meta name="csrf-token" content="' + S[0] + '">' +
          '<meta name="api-key" content="' + S[1] + '">' +
          '<meta property="sessionNonce" content="' + S[2] + '">' +
          '<meta name="keywords" content="ordinary keywords">'
      );
      after = function () {
        head.insertAdjacentHTML("beforeend", '<meta name="xsrfToken" content="' + S[3] + '">');
      };
    },
    "editable-ignored": function () {
      stage.innerHTML =
        '<div data-st-ignore><div id="ed" contenteditable="true">' + S[0] + "</div></div>" +
        '<div id="ed-plain" contenteditable>Ordinary editable text</div>';
      field = byId("ed");
      after = function () {
        return tick().then(function () { byId("ed").appendChild(document.createTextNode(S[1])); });
      };
    },
    "form-attribute-ignored": function () {
      stage.innerHTML =
        '<form id="ig" data-st-ignore><p>Ordinary form text</p></form>' +
        '<input type="text" id="f" form="ig" name="answer">';
      field = byId("f");
    },
  };

  function shadowSameTask(mode) {
    return function () {
      stage.innerHTML = '<div id="host"></div>';
      after = function () {
        field = passwordIn(byId("host").attachShadow({ mode: mode }), S[0]);
        field.type = "text";
      };
    };
  }

  function shadowText(mode) {
    return function () {
      stage.innerHTML = '<div id="host" data-st-mask></div>';
      after = function () {
        var root = byId("host").attachShadow({ mode: mode });
        root.appendChild(document.createTextNode("placeholder words"));
        root.appendChild(document.createElement("p")).textContent = "Shadow paragraph";
        return tick().then(function () {
          root.firstChild.data = S[0]; // updated in place, straight under the shadow root
        });
      };
    };
  }

  function slowFrame(mark) {
    return function () {
      stage.innerHTML = '<div ' + mark + '><iframe id="fr" src="mech-frame.html?case=private-content"></iframe></div>';
      var loaded = frameLoaded(byId("fr"));
      after = function () {
        return loaded.then(function () {
          var doc = byId("fr").contentDocument;
          field = doc.getElementById("f");
          return tick().then(function () {
            doc.getElementById("frame-secret-text").textContent = S[1];
            doc.body.appendChild(doc.createElement("p")).textContent = S[2];
          });
        });
      };
    };
  }

  function writtenFrame(mark) {
    return function () {
      stage.innerHTML = '<div ' + mark + '><iframe id="fr"></iframe></div>';
      after = function () {
        return tick().then(function () {
          var doc = byId("fr").contentDocument;
          doc.open();
          doc.write('<!doctype html><p>Ordinary frame text</p><p id="t">' + S[0] + '</p><input type="text" id="f">');
          doc.close();
          field = doc.getElementById("f");
          return tick().then(function () {
            doc.getElementById("t").textContent = S[1];
            doc.body.appendChild(doc.createElement("p")).textContent = S[2];
          });
        });
      };
    };
  }

  if (cases[which]) cases[which]();
  window.lab = {
    after: function () { return Promise.resolve(after()).then(function () { return tick(); }); },
    field: function () { return field; },
  };
})();
