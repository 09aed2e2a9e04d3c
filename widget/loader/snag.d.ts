// Types for `window.Snag`, installed by `<script src="https://snag.example/widget.js">`.
// Served beside the widget as /widget/snag.d.ts; copy it into your project or reference it
// with `/// <reference path="snag.d.ts" />`.

export {};

declare global {
  interface Window {
    Snag: Snag.Api;
  }

  namespace Snag {
    type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
    type Theme = 'light' | 'dark' | 'system';

    /** Keys of the bundled strings that `strings` may override. */
    type StringKey =
      | 'launcher' | 'heading' | 'close' | 'description' | 'description_hint' | 'more'
      | 'title' | 'category' | 'category_bug' | 'category_idea' | 'category_question'
      | 'category_other' | 'steps' | 'expected' | 'actual' | 'email' | 'screenshot'
      | 'capturing' | 'capture_failed' | 'capture_exact' | 'tab_failed' | 'upload' | 'paste_hint'
      | 'remove_shot' | 'highlight' | 'redact' | 'undo' | 'editor_help' | 'shot_label'
      | 'preview' | 'send' | 'cancel' | 'sending' | 'sent' | 'queued' | 'required'
      | 'error_too_large' | 'error_invalid' | 'error_key' | 'error_server' | 'scrubbed'
      | 'tools' | 'no_shot' | 'add_shot';

    interface Options {
      /** The project's public key (`snag project create` prints it). */
      key?: string;
      /** Where reports go; defaults to `api/v1/reports` beside widget.js. */
      endpoint?: string;
      position?: Position;
      /** The button's text; defaults to the locale's "Feedback". */
      label?: string;
      theme?: Theme;
      /** A bundled locale (`en`, `fr`, `ar`); defaults to the browser's languages. */
      locale?: string;
      /** `false` hides the floating button: call `Snag.open()` from your own trigger. */
      button?: boolean;
      /** The button's and primary actions' colour (any CSS colour). */
      accent?: string;
      /** Extra CSS selectors blacked out in screenshots (besides password and card fields
       *  and `[data-snag-mask]`). */
      mask?: string[];
      /** Replacements for bundled strings, by key. */
      strings?: Partial<Record<StringKey, string>>;
      release?: string;
      /** `production`, `staging`, ...: drives the defect leakage metric. */
      environment?: string;
    }

    interface User {
      id?: string;
      email?: string;
      name?: string;
    }

    interface Submitted {
      /** The stored report's id. */
      id: string;
      defect_id: string;
      /** True when the report had been saved offline and was delivered later. */
      queued: boolean;
    }

    interface Events {
      open: undefined;
      close: undefined;
      /** The server stored the report. */
      submitted: Submitted;
      /** Saved in the browser; it will be sent when the server can be reached. */
      queued: undefined;
      /** The server refused a report; the value is its error code (`too_large`, ...). */
      error: string;
    }

    interface Api {
      /** Sets options; may be called again at any time. Returns the API for chaining. */
      init(options: Options): Api;
      /** Opens the dialog, loading the widget first if needed. */
      open(): void;
      close(): void;
      /** Who the user is: sent with reports, and the form stops asking for an e-mail. */
      identify(user: User | null): void;
      /** String key/value pairs sent with every report (`plan`, `tenant`, ...). */
      setMetadata(metadata: Record<string, string | number | boolean>): void;
      setRelease(release: string): void;
      /** Listens for an event; returns a function that stops listening. */
      on<K extends keyof Events>(event: K, handler: (detail: Events[K]) => void): () => void;
    }
  }
}
