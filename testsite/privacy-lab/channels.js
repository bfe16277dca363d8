(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }

  // A custom element whose closed shadow root holds a text field the recording cannot show.
  customElements.define("closed-login", class extends HTMLElement {
    constructor() {
      super();
      var root = this.attachShadow({ mode: "closed" });
      root.innerHTML = '<label>Closed field <input type="text" id="closed-field"></label>';
      window.closedFields.late = root.getElementById("closed-field");
    }
  });

  byId("early-slot").appendChild(window.earlyClosedHost);

  // An open shadow root: an ordinary field and a password field.
  var open = byId("open-host").attachShadow({ mode: "open" });
  open.innerHTML =
    '<label>Open name <input type="text" id="open-name"></label>' +
    '<label>Open password <input type="password" id="open-pw"></label>';

  // The PIN pad fills its display; the signature pad draws the pointer's path.
  var pad = byId("pin-pad");
  pad.addEventListener("click", function (e) {
    if (e.target.id && e.target.id.indexOf("pin-") === 0 && e.target.id !== "pin-display")
      byId("pin-display").value += e.target.textContent;
  });
  var canvas = byId("signature");
  var ctx = canvas.getContext("2d");
  canvas.addEventListener("pointermove", function (e) {
    if (e.buttons) ctx.fillRect(e.offsetX, e.offsetY, 2, 2);
  });
})();
