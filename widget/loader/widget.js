// Snag loader: the only code every host page pays for. It installs `window.Snag`, starts the
// bounded console and breadcrumb buffers at once (a report needs what happened before the
// user thought of reporting), draws the feedback button, and fetches the wasm widget only
// when the button is first hovered, focused or clicked, or when the page is idle.
//
// Rules for this file: nothing here may throw into the host page, block it, or restyle it.
// Every hook is wrapped in try/catch, the button lives in a shadow root, and the originals
// of wrapped functions are called exactly as the page called them.
//
// `cargo xtask build-widget` copies this file to widget/dist/widget.js, replacing the two
// file names below with the hashed names of the built files and dropping comment lines.
(function () {
  'use strict';
  var w = window;
  var d = document;
  if (w.Snag && w.Snag.v) return;

  var JS = '__SNAG_JS__';
  var WASM = '__SNAG_WASM__';
  // Ring buffer sizes: the report carries the most recent entries only.
  var MAX = 50;
  var TEXT = 1000;

  var script = d.currentScript;
  var src = (script && script.src) || '';
  var base = src ? src.slice(0, src.lastIndexOf('/') + 1) : '/';
  var data = (script && script.dataset) || {};
  var cfg = {
    key: data.key,
    endpoint: data.endpoint || base + 'api/v1/reports',
    position: data.position || 'bottom-right',
    label: data.label,
    theme: data.theme || 'system',
    locale: data.locale,
    button: data.button !== 'false',
    accent: data.accent,
    mask: data.mask ? data.mask.split(',') : [],
    release: data.release,
    environment: data.environment,
    strings: {},
    user: null,
    metadata: {}
  };
  var logs = [];
  var crumbs = [];
  var handlers = {};
  var widget = null;
  var loading = null;
  var host = null;
  var root = null;
  var button = null;

  function push(list, entry) {
    list.push(entry);
    if (list.length > MAX) list.shift();
  }

  function cut(text) {
    text = String(text);
    return text.length > TEXT ? text.slice(0, TEXT) + '…' : text;
  }

  function own(url) {
    return String(url).indexOf(base) === 0;
  }

  function describe(value) {
    try {
      if (value instanceof Error) return value.name + ': ' + value.message;
      if (typeof value === 'object' && value !== null) return JSON.stringify(value);
    } catch (e) {
      // A cyclic or hostile object: its tag is all we can say.
    }
    return String(value);
  }

  function log(level, args) {
    try {
      var parts = [];
      for (var i = 0; i < args.length; i++) parts.push(describe(args[i]));
      push(logs, { level: level, message: cut(parts.join(' ')), ts: Date.now() });
    } catch (e) {
      // Never let a logging hook fail the page's own console call.
    }
  }

  function crumb(entry) {
    entry.ts = Date.now();
    push(crumbs, entry);
  }

  ['error', 'warn'].forEach(function (level) {
    var original = console[level];
    if (typeof original !== 'function') return;
    console[level] = function () {
      log(level, arguments);
      return original.apply(this, arguments);
    };
  });

  w.addEventListener('error', function (event) {
    if (event.error || event.message) log('error', [event.error || event.message]);
  });
  w.addEventListener('unhandledrejection', function (event) {
    log('error', ['Unhandled rejection:', event.reason]);
  });

  d.addEventListener('click', function (event) {
    try {
      var el = event.target;
      if (!el || el === host || !el.tagName) return;
      var text = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60);
      var name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
      crumb({ kind: 'click', message: text ? name + ' "' + text + '"' : name });
    } catch (e) {
      // A click on something exotic: skip the breadcrumb, not the click.
    }
  }, true);

  function navigated() {
    crumb({ kind: 'navigation', url: cut(location.href) });
  }
  ['pushState', 'replaceState'].forEach(function (name) {
    var original = history[name];
    if (typeof original !== 'function') return;
    history[name] = function () {
      var result = original.apply(this, arguments);
      try { navigated(); } catch (e) { /* keep the navigation */ }
      return result;
    };
  });
  w.addEventListener('popstate', navigated);
  w.addEventListener('hashchange', navigated);

  function request(method, url, status) {
    if (own(url)) return;
    crumb({ kind: 'request', method: String(method || 'GET').toUpperCase().slice(0, 16), url: cut(url), status: status });
  }

  var originalFetch = w.fetch;
  if (typeof originalFetch === 'function') {
    w.fetch = function (input, init) {
      var result = originalFetch.apply(this, arguments);
      try {
        var method = (init && init.method) || (input && input.method) || 'GET';
        var url = typeof input === 'string' ? input : (input && input.url) || String(input);
        url = new URL(url, location.href).href;
        result.then(function (response) {
          if (!response.ok) request(method, url, response.status);
        }, function () {
          request(method, url, 0);
        });
      } catch (e) {
        // The page gets its own result whatever happens here.
      }
      return result;
    };
  }

  var xhr = w.XMLHttpRequest && w.XMLHttpRequest.prototype;
  if (xhr) {
    var open = xhr.open;
    var send = xhr.send;
    xhr.open = function (method, url) {
      try { this.__snag = [method, new URL(url, location.href).href]; } catch (e) { this.__snag = null; }
      return open.apply(this, arguments);
    };
    xhr.send = function () {
      var info = this.__snag;
      var req = this;
      if (info) {
        req.addEventListener('loadend', function () {
          if (req.status === 0 || req.status >= 400) request(info[0], info[1], req.status);
        });
      }
      return send.apply(this, arguments);
    };
  }

  function emit(name, detail) {
    (handlers[name] || []).forEach(function (fn) {
      try { fn(detail); } catch (e) { /* a team's handler must not break the widget */ }
    });
  }

  // Calls into the widget never throw into the page, whatever happened inside.
  function safe(instance, method) {
    try {
      if (instance) instance[method]();
    } catch (e) {
      console.warn('[snag] ' + method + ' failed:', e);
    }
  }

  function load() {
    if (!loading) {
      loading = import(base + 'widget/' + JS).then(function (module) {
        return module.default({ module_or_path: base + 'widget/' + WASM }).then(function () {
          module.start(bridge);
          widget = module;
          return widget;
        });
      });
      loading.catch(function (error) {
        loading = null;
        console.warn('[snag] the widget could not load:', error);
      });
    }
    return loading;
  }

  var bridge = {
    root: function () { return root; },
    button: function () { return button; },
    config: function () { return cfg; },
    console: function () { return logs.slice(); },
    crumbs: function () { return crumbs.slice(); },
    emit: emit
  };

  var CSS = ':host{all:initial!important}' +
    '.launcher{position:fixed;z-index:2147483000;display:inline-flex;align-items:center;gap:.4em;' +
    'padding:.6em 1em;border:0;border-radius:999px;cursor:pointer;font:600 14px/1.2 system-ui,sans-serif;' +
    'background:var(--snag-accent,#1d4ed8);color:var(--snag-accent-text,#fff);' +
    'box-shadow:0 2px 8px rgba(0,0,0,.3)}' +
    '.launcher:focus-visible{outline:3px solid var(--snag-focus,#f59e0b);outline-offset:2px}' +
    '.bottom-right{right:16px;bottom:16px}.bottom-left{left:16px;bottom:16px}' +
    '.top-right{right:16px;top:16px}.top-left{left:16px;top:16px}' +
    '@media print{.launcher{display:none}}';

  function sheet(target, css) {
    // Constructed style sheets are not inline styles, so a strict CSP without
    // 'unsafe-inline' in style-src still applies them.
    if (target.adoptedStyleSheets && w.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var s = new CSSStyleSheet();
      s.replaceSync(css);
      target.adoptedStyleSheets = target.adoptedStyleSheets.concat([s]);
    } else {
      var style = d.createElement('style');
      style.textContent = css;
      target.appendChild(style);
    }
  }

  function render() {
    if (!cfg.button) {
      if (button) button.remove();
      button = null;
      return;
    }
    if (!button) {
      button = d.createElement('button');
      button.type = 'button';
      button.className = 'launcher';
      button.setAttribute('part', 'button');
      button.addEventListener('click', function () { api.open(); });
      ['pointerenter', 'focus', 'touchstart'].forEach(function (name) {
        button.addEventListener(name, function () { load().catch(function () {}); }, { passive: true });
      });
      root.appendChild(button);
    }
    button.className = 'launcher ' + cfg.position;
    button.textContent = label();
    if (cfg.accent) host.style.setProperty('--snag-accent', cfg.accent);
  }

  // The button's text before the widget has loaded, for the bundled locales, picked as the
  // widget picks its locale (the team's choice, then the browser's languages).
  var LABELS = { en: 'Feedback', fr: 'Un problème ?', ar: 'ملاحظات' };
  function label() {
    if (cfg.label) return cfg.label;
    var wanted = [cfg.locale].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i] || '').split(/[-_]/)[0].toLowerCase();
      if (LABELS[tag]) return LABELS[tag];
    }
    return LABELS.en;
  }

  function mount() {
    if (host) return;
    try {
      host = d.createElement('snag-widget');
      root = host.attachShadow({ mode: 'open' });
      sheet(root, CSS);
      (d.body || d.documentElement).appendChild(host);
      render();
      safe(widget, 'configure');
    } catch (e) {
      // An exotic page (no shadow DOM, a frozen body): no button, and no error either.
      console.warn('[snag] no feedback button:', e);
    }
  }

  function idle() {
    // A report saved while offline on an earlier visit is delivered by the widget, so it
    // loads once the page has settled even if nobody touches the button.
    if (!cfg.key) return;
    var later = w.requestIdleCallback || function (fn) { return setTimeout(fn, 3000); };
    later(function () { load().catch(function () {}); }, { timeout: 10000 });
  }

  var api = {
    v: 1,
    init: function (options) {
      options = options || {};
      for (var name in options) {
        if (Object.prototype.hasOwnProperty.call(options, name)) cfg[name] = options[name];
      }
      if (!cfg.endpoint) cfg.endpoint = base + 'api/v1/reports';
      if (host) render();
      safe(widget, 'configure');
      idle();
      return api;
    },
    open: function () {
      load().then(function (instance) { safe(instance, 'open'); }, function () {});
    },
    close: function () {
      safe(widget, 'close');
    },
    identify: function (user) {
      cfg.user = user || null;
    },
    setMetadata: function (metadata) {
      for (var name in metadata || {}) {
        if (Object.prototype.hasOwnProperty.call(metadata, name)) cfg.metadata[name] = String(metadata[name]);
      }
    },
    setRelease: function (release) {
      cfg.release = release;
    },
    on: function (name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
      return function () {
        handlers[name] = (handlers[name] || []).filter(function (f) { return f !== fn; });
      };
    }
  };
  w.Snag = api;

  // After parsing, so the button comes last in the page's tab order (an async script can
  // run while the body is still being parsed).
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', mount);
  else mount();
  if (cfg.key) idle();
})();
