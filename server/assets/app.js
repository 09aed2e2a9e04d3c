// Snag dashboard: keyboard shortcuts, listed on `?`. The pages work without this file; it
// only moves focus and clicks the buttons that are already there. Served from /app/static
// (script-src 'self'): no inline script, nothing from a CDN.
"use strict";
(function () {
  const body = document.body;
  const help = document.getElementById("help");

  function typing(target) {
    if (!target || !target.tagName) return false;
    const tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  // Inbox: the current row, moved with j/k.
  const rows = () => Array.from(document.querySelectorAll("#inbox tbody tr[data-id]"));
  let current = -1;
  function setCurrent(index) {
    const all = rows();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((row, i) => {
      row.classList.toggle("current", i === current);
      if (i === current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    const row = all[current];
    row.scrollIntoView({ block: "nearest" });
    const link = row.querySelector("td.title a");
    if (link) link.focus({ preventScroll: true });
  }
  function currentRow() {
    const all = rows();
    return current >= 0 ? all[current] : null;
  }

  function submitBulk(action) {
    const form = document.getElementById("bulk");
    if (!form) return;
    const checked = form.ownerDocument.querySelectorAll("input[name=ids][form=bulk]:checked");
    if (checked.length === 0) {
      const row = currentRow();
      const box = row && row.querySelector("input[name=ids]");
      if (!box) return;
      box.checked = true;
    }
    const button = form.querySelector("button[name=action][value=" + action + "]");
    if (button) button.click();
  }

  function leaveStatusMode() {
    body.classList.remove("status-mode");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      leaveStatusMode();
      return;
    }
    if (typing(event.target)) return;
    const page = body.dataset.page;
    if (body.classList.contains("status-mode") && /^[1-9]$/.test(event.key)) {
      const button = document.querySelector('#status-controls button[data-key="' + event.key + '"]');
      leaveStatusMode();
      if (button) {
        event.preventDefault();
        button.click();
      }
      return;
    }
    switch (event.key) {
      case "?":
        if (help) {
          if (help.open) help.close();
          else help.showModal();
        }
        break;
      case "/": {
        const search = document.getElementById("search");
        if (search) {
          event.preventDefault();
          search.focus();
        }
        break;
      }
      case "j":
        if (page === "inbox") setCurrent(current + 1);
        break;
      case "k":
        if (page === "inbox") setCurrent(current - 1);
        break;
      case "o":
      case "Enter": {
        const row = page === "inbox" && currentRow();
        const link = row && row.querySelector("td.title a");
        if (link) {
          event.preventDefault();
          link.click();
        }
        break;
      }
      case "x": {
        const row = page === "inbox" && currentRow();
        const box = row && row.querySelector("input[name=ids]");
        if (box) box.checked = !box.checked;
        break;
      }
      case "a":
        if (page === "inbox") submitBulk("assign_me");
        if (page === "defect") {
          const form = document.getElementById("assign-me");
          if (form) form.requestSubmit();
        }
        break;
      case "s":
        if (page === "defect" && document.getElementById("status-controls")) {
          body.classList.add("status-mode");
          const first = document.querySelector("#status-controls button");
          if (first) first.focus();
        }
        if (page === "inbox") {
          const select = document.getElementById("bulk-status");
          if (select) {
            event.preventDefault();
            select.focus();
          }
        }
        break;
      case "c": {
        const comment = page === "defect" && document.getElementById("comment-body");
        if (comment) {
          event.preventDefault();
          comment.focus();
        }
        break;
      }
      case "u":
        if (page !== "inbox") window.location.href = "/app";
        break;
      default:
    }
  });

  const show = document.getElementById("show-help");
  if (show && help) show.addEventListener("click", () => help.showModal());
})();
