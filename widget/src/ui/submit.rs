//! The Send button and the "What is sent" view.

use alloc::rc::Rc;
use alloc::{borrow::ToOwned, string::String};

use wasm_bindgen::JsValue;

use super::App;
use super::dialog::{Dialog, Tone};
use crate::i18n::{Msg, Texts};
use crate::report::{self, Draft, Prepared};
use crate::send::{self, Envelope, Outcome};

/// Validates, then sends in the background while the dialog shows progress.
pub fn start(app: &Rc<App>) {
    let settings = app.settings();
    let prepared = app.with_dialog(|dialog| {
        if dialog.is_busy() {
            return None;
        }
        let draft = read(dialog);
        if draft.description.trim().is_empty() {
            dialog.set_error(Some(dialog.text(Msg::Required)));
            let _ = dialog.fields.description.focus();
            return None;
        }
        let prepared = assemble(app, dialog, &draft);
        if let Err(refusal) = prepared.check() {
            let text = rejection_text(
                &dialog.texts,
                refusal.code.as_str(),
                Some(refusal.field.as_str()),
            );
            dialog.set_status(&text, Tone::Bad);
            dialog.renew_key();
            return None;
        }
        dialog.set_error(None);
        dialog.set_busy(true);
        dialog.set_status(dialog.text(Msg::Sending), Tone::Neutral);
        Some(prepared)
    });
    let Some(Some(prepared)) = prepared else {
        return;
    };
    let Some(key) = settings.key.clone() else {
        app.with_dialog(|d| {
            d.set_busy(false);
            d.set_status(d.text(Msg::ErrKey), Tone::Bad);
        });
        return;
    };
    let envelope = Envelope {
        endpoint: settings.endpoint.clone(),
        key,
        id: prepared.payload.idempotency_key.clone().unwrap_or_default(),
        body: crate::report::to_json(&prepared.payload),
    };
    let app = Rc::clone(app);
    crate::wait::spawn(async move {
        let outcome = send::submit(&app, envelope).await;
        app.with_dialog(|dialog| finish(dialog, &outcome));
        // After the dialog is released: a team's handler may call back into the widget.
        let (event, detail) = match &outcome {
            Outcome::Sent { id, defect_id } => ("submitted", send::submitted(id, defect_id, false)),
            Outcome::Queued => ("queued", JsValue::UNDEFINED),
            Outcome::Rejected { code, .. } => ("error", JsValue::from_str(code)),
        };
        app.bridge.emit(event, &detail);
    });
}

fn finish(dialog: &Dialog, outcome: &Outcome) {
    dialog.set_busy(false);
    match outcome {
        Outcome::Sent { .. } => {
            dialog.reset();
            dialog.set_status(dialog.text(Msg::Sent), Tone::Ok);
        }
        Outcome::Queued => {
            dialog.reset();
            dialog.set_status(dialog.text(Msg::Queued), Tone::Ok);
        }
        Outcome::Rejected { code, field } => {
            let text = rejection_text(&dialog.texts, code, field.as_deref());
            dialog.set_status(&text, Tone::Bad);
            dialog.renew_key();
        }
    }
}

/// Fills "What is sent" when it is opened.
pub fn refresh_preview(app: &Rc<App>) {
    app.with_dialog(|dialog| {
        if !dialog.preview_open() {
            return;
        }
        let prepared = assemble(app, dialog, &read(dialog));
        let text = report::preview(
            &prepared.payload,
            &prepared.scrubbed,
            dialog.text(Msg::Scrubbed),
        );
        dialog.preview.set_text_content(Some(&text));
    });
}

fn assemble(app: &App, dialog: &Dialog, draft: &Draft) -> Prepared {
    report::prepare(
        draft,
        &app.settings(),
        &app.bridge,
        dialog.shot.data_url(),
        dialog.key(),
    )
}

fn read(dialog: &Dialog) -> Draft {
    let f = &dialog.fields;
    Draft {
        description: f.description.value(),
        title: f.title.value(),
        category: f.category.value(),
        steps: f.steps.value(),
        expected: f.expected.value(),
        actual: f.actual.value(),
        email: f.email.value(),
    }
}

/// The server's refusal in the user's language: what kind of problem, and where.
pub fn rejection_text(texts: &Texts, code: &str, field: Option<&str>) -> String {
    let msg = match code {
        "too_large" => Msg::ErrTooLarge,
        "malformed_json"
        | "invalid_type"
        | "missing_field"
        | "empty_field"
        | "invalid_value"
        | "invalid_url"
        | "invalid_image"
        | "bad_body"
        | "unsupported_media_type" => Msg::ErrInvalid,
        "missing_key" | "unknown_key" | "origin_not_allowed" | "origin_required" => Msg::ErrKey,
        _ => Msg::ErrServer,
    };
    let mut text = texts.get(msg).to_owned();
    if let Some(field) = field.filter(|_| matches!(msg, Msg::ErrTooLarge | Msg::ErrInvalid)) {
        text.push_str(" (");
        text.push_str(field);
        text.push(')');
    }
    text.push('.');
    text
}
