// Our only script besides htmx. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // Send the CSRF token with every htmx request (one listener, not per element).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.body.getAttribute("data-csrf");
    if (token) {
      event.detail.headers["X-CSRF-Token"] = token;
    }
  });

  // A failed htmx request (server down, 5xx without a page) must not fail silently.
  document.addEventListener("htmx:sendError", function () {
    showToast("The server could not be reached. Nothing was lost: try again in a moment.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 500) {
      showToast("Something went wrong on the server (" + xhr.status + "). Your input is still in the form.");
    }
  });

  function showToast(message) {
    var region = document.getElementById("toasts");
    if (!region) return;
    var p = document.createElement("p");
    p.className = "toast toast--error";
    p.textContent = message;
    region.replaceChildren(p);
  }

  // Fade toasts after a while, but leave errors until the next one.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll(".toast--success").forEach(function (toast) {
      setTimeout(function () { toast.remove(); }, 6000);
    });
  });

  // Move focus to the main region after a boosted navigation, for screen readers.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.boosted) {
      var main = document.getElementById("main");
      if (main) main.focus();
    }
  });
})();
