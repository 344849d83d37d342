/* Dealtrack's small amount of JavaScript: dialogs, toasts, the board's drag and drop, sortable settings lists.
   Everything else is htmx attributes in the templates. */
(function () {
  "use strict";

  function toast(message, level) {
    var box = document.getElementById("messages");
    if (!box || !message) return;
    var p = document.createElement("p");
    p.className = "toast " + (level || "");
    p.setAttribute("role", "status");
    p.textContent = message;
    box.appendChild(p);
    setTimeout(function () { p.remove(); }, 6000);
  }

  function openDialogs(root) {
    (root || document).querySelectorAll("dialog[data-open]").forEach(function (dialog) {
      if (!dialog.open) dialog.showModal();
      dialog.removeAttribute("data-open");
      dialog.addEventListener("close", function () { dialog.remove(); });
      var first = dialog.querySelector("[autofocus], input:not([type=hidden]), select, textarea, button");
      if (first) first.focus();
    });
  }

  // Server-rendered messages fade after a while; errors stay until the next page.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#messages .toast:not(.error)").forEach(function (p) {
      setTimeout(function () { p.remove(); }, 6000);
    });
    openDialogs(document);
    initBoard();
    initSortableLists();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    openDialogs(event.target.parentNode || document);
    initSortableLists();
  });

  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      var dialog = closer.closest("dialog");
      if (dialog) dialog.close();
    }
    var confirmer = event.target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (nav) nav.classList.toggle("open", open);
    }
    var all = event.target.closest("input[data-select-all]");
    if (all) {
      document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
    }
  }, true);

  document.body && document.body.addEventListener("toast", function (event) {
    toast(event.detail.message, event.detail.level);
  });
  document.addEventListener("toast", function (event) {
    toast(event.detail.message, event.detail.level);
  });

  // htmx does not swap error responses by default; say something instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    toast(document.documentElement.getAttribute("data-error-" + (status === 404 ? "404" : "other")) || ("Error " + status), "error");
  });

  /* ---- Pipeline board ---------------------------------------------------------------------------------- */
  var pending = null; // {card, from, index}: where a dropped card came from, until the server answers

  function revert() {
    if (!pending) return;
    var ref = pending.from.children[pending.index] || null;
    pending.from.insertBefore(pending.card, ref);
    pending.card.classList.remove("moving");
    pending = null;
  }

  function initBoard() {
    var board = document.querySelector("[data-board]");
    if (!board || typeof Sortable === "undefined") return;
    board.querySelectorAll(".cards").forEach(function (list) {
      Sortable.create(list, {
        group: "board",
        sort: false,
        draggable: ".deal-card",
        filter: ".more-cards",
        animation: 120,
        delay: 150,
        delayOnTouchOnly: true,
        onEnd: function (evt) {
          if (evt.from === evt.to) return;
          var card = evt.item;
          pending = { card: card, from: evt.from, index: evt.oldIndex };
          card.classList.add("moving");
          htmx.ajax("POST", card.getAttribute("data-move-url"), {
            target: "#dialog-slot",
            swap: "innerHTML",
            values: { stage: evt.to.getAttribute("data-stage"), version: card.getAttribute("data-version"), source: "board", query: board.getAttribute("data-query") || "" }
          });
        }
      });
    });
  }

  document.addEventListener("dealRefused", function (event) {
    revert();
    if (event.detail && event.detail.message) toast(event.detail.message, "error");
  });

  document.addEventListener("dealMoved", function (event) {
    var detail = event.detail || {};
    var card = document.getElementById("deal-" + detail.deal);
    if (pending && pending.card === card) pending = null;
    if (card) {
      card.classList.remove("moving");
      var target = document.querySelector('.cards[data-stage="' + detail.stage + '"]');
      if (target && target.getAttribute("data-collapsed") === "true") {
        card.remove();
      } else if (target && card.parentNode !== target) {
        target.insertBefore(card, target.firstChild);
      }
    }
    if (detail.message) toast(detail.message, "success");
  });

  /* ---- Sortable settings lists (stage order) ------------------------------------------------------------ */
  function initSortableLists() {
    if (typeof Sortable === "undefined") return;
    document.querySelectorAll("[data-sortable-list]:not([data-sortable-ready])").forEach(function (list) {
      list.setAttribute("data-sortable-ready", "1");
      Sortable.create(list, {
        handle: ".drag-handle",
        animation: 120,
        onEnd: function () {
          var form = document.getElementById(list.getAttribute("data-sortable-list"));
          if (form) htmx.trigger(form, "submit");
        }
      });
    });
  }
})();
