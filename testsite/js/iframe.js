(function () {
  "use strict";
  var clicks = 0;
  document.getElementById("iframe-button").addEventListener("click", function () {
    clicks += 1;
    document.getElementById("iframe-output").textContent = "Clicked " + clicks + (clicks === 1 ? " time" : " times");
  });
})();
