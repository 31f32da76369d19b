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

  // The toast region (#toasts, role=status) stays in the page; only its content changes, so
  // screen readers announce each message. Messages stay until the next action or until
  // dismissed: nothing disappears on a timer (WCAG 2.2.1).
  function toasts() {
    return document.getElementById("toasts");
  }

  function showToast(message) {
    var region = toasts();
    if (!region) return;
    var p = document.createElement("p");
    p.className = "toast toast--error";
    p.textContent = message;
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "toast__dismiss";
    dismiss.setAttribute("data-dismiss-toast", "");
    dismiss.setAttribute("aria-label", "Dismiss");
    p.appendChild(dismiss);
    region.replaceChildren(p);
  }

  // The next action clears the last message (a new one, if any, comes with its answer).
  document.addEventListener("htmx:beforeRequest", function () {
    var region = toasts();
    if (region) region.replaceChildren();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss-toast]");
    if (!button) return;
    var toast = button.closest(".toast");
    if (toast) toast.remove();
    // The button is gone: give focus somewhere sensible rather than to the document.
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  });

  // Move focus to the main region after a boosted navigation, for screen readers.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.boosted) {
      var main = document.getElementById("main");
      if (main) main.focus();
    }
  });
})();
