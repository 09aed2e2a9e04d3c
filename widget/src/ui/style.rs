//! The dialog's style sheet, adopted by the shadow root as a constructed sheet (so a strict
//! CSP without `'unsafe-inline'` styles still applies it).
//!
//! Colours are custom properties that teams may override on the host element
//! (`snag-widget { --snag-accent: #0a7d4f }`); custom properties are the one thing that
//! crosses the shadow boundary on purpose. The defaults meet WCAG AA: text at least 7:1,
//! controls and focus rings at least 3:1, in both themes.

/// The dark palette, shared by `data-theme=dark` and `system` under a dark preference.
macro_rules! dark {
    () => {
        "--bg:#111827;--fg:#f3f4f6;--muted:#d1d5db;--line:#9ca3af;--field:#1f2937;\
         --accent:var(--snag-accent-dark,#93c5fd);--accent-fg:var(--snag-accent-dark-text,#0b1220);\
         --danger:#fca5a5;--ok:#6ee7b7;color-scheme:dark;"
    };
}

pub const CSS: &str = concat!(
    ":host{all:initial!important}",
    ".dialog{--bg:#fff;--fg:#111827;--muted:#4b5563;--line:#6b7280;--field:#fff;",
    "--accent:var(--snag-accent,#1d4ed8);--accent-fg:var(--snag-accent-text,#fff);",
    "--danger:#b91c1c;--ok:#047857;color-scheme:light;",
    "box-sizing:border-box;width:min(600px,calc(100vw - 24px));max-height:calc(100vh - 24px);",
    "padding:0;border:1px solid var(--line);border-radius:12px;background:var(--bg);color:var(--fg);",
    "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;text-align:start;",
    "box-shadow:0 20px 50px rgba(0,0,0,.35)}",
    ".dialog[data-theme=dark]{",
    dark!(),
    "}",
    "@media (prefers-color-scheme:dark){.dialog[data-theme=system]{",
    dark!(),
    "}}",
    ".dialog::backdrop{background:rgba(17,24,39,.55)}",
    // "Capture exactly" hides the dialog and its backdrop while the tab is captured.
    ".dialog.capturing{visibility:hidden}.dialog.capturing::backdrop{background:transparent}",
    // Repainted while the capture waits for its first frame; one pixel, all but transparent.
    ".nudge{position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;",
    "background:rgba(0,0,0,.004)}.nudge.odd{background:rgba(0,0,0,.008)}",
    "@media (prefers-reduced-motion:no-preference){.dialog[open]{animation:snag-in .16s ease-out}}",
    "@keyframes snag-in{from{opacity:0;transform:translateY(8px)}}",
    "*,*::before,*::after{box-sizing:border-box}",
    ".form{display:flex;flex-direction:column;max-height:calc(100vh - 26px);margin:0}",
    ".head,.foot{display:flex;align-items:center;gap:8px;padding:12px 16px}",
    ".head{justify-content:space-between;border-bottom:1px solid var(--line)}",
    ".foot{justify-content:flex-end;border-top:1px solid var(--line)}",
    ".body{overflow:auto;padding:12px 16px;display:flex;flex-direction:column;gap:12px}",
    "h2,h3{margin:0;font-weight:650;color:var(--fg)}h2{font-size:18px}h3{font-size:15px}",
    ".field{display:flex;flex-direction:column;gap:4px}",
    "label{font-weight:600}",
    ".hint{margin:0;color:var(--muted);font-size:13px}",
    "input,textarea,select{font:inherit;color:var(--fg);background:var(--field);",
    "border:1px solid var(--line);border-radius:6px;padding:6px 8px;width:100%;margin:0}",
    "textarea{resize:vertical}",
    "[aria-invalid=true]{border-color:var(--danger);border-width:2px}",
    ".error{margin:0;color:var(--danger);font-weight:600}.error:empty{display:none}",
    "details{border:1px solid var(--line);border-radius:6px;padding:6px 10px}",
    "details[open]>summary{margin-bottom:8px}summary{cursor:pointer;font-weight:600}",
    "details.more[open]{display:flex;flex-direction:column;gap:10px}",
    ".json{margin:0;max-height:240px;overflow:auto;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;",
    "white-space:pre-wrap;word-break:break-all}",
    "button{font:inherit;font-weight:600;border-radius:6px;padding:7px 14px;cursor:pointer;",
    "border:1px solid var(--line);background:var(--field);color:var(--fg)}",
    "button.primary{background:var(--accent);color:var(--accent-fg);border-color:var(--accent)}",
    "button[disabled]{opacity:.6;cursor:progress}",
    "button[aria-pressed=true]{background:var(--fg);color:var(--bg);border-color:var(--fg)}",
    ".icon{padding:2px 10px;font-size:20px;line-height:1}",
    ":focus-visible{outline:3px solid var(--accent);outline-offset:2px}",
    ".status{margin:0;font-weight:600}.status:empty{display:none}",
    ".status.ok{color:var(--ok)}.status.bad{color:var(--danger)}",
    "[hidden]{display:none!important}",
    ".shot{display:flex;flex-direction:column;gap:8px}",
    ".tools{display:flex;flex-wrap:wrap;gap:6px;align-items:center}",
    ".tools button{padding:4px 10px;font-size:13px}",
    ".canvas{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:6px;",
    "cursor:crosshair;touch-action:none;background:var(--field)}",
    ".file{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}",
    ".upload{display:inline-block;font-weight:600;font-size:13px;border:1px solid var(--line);",
    "border-radius:6px;padding:4px 10px;cursor:pointer}",
    ".upload:focus-within{outline:3px solid var(--accent);outline-offset:2px}",
);
