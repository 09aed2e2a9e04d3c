//! Delivery that never loses a report: saved to the outbox before the first attempt, retried
//! with backoff and jitter (honouring `Retry-After`), and left in the outbox for a later
//! moment or visit when the server cannot be reached. The idempotency key makes every
//! retry safe: the server stores one report per key.

pub mod backoff;
pub mod http;
pub mod outbox;

use alloc::rc::Rc;
use alloc::{string::String, vec::Vec};
use core::cell::{Cell, RefCell};

use js_sys::Object;
use wasm_bindgen::JsValue;

use crate::dom::{self, set_prop};
use crate::global::Global;
use crate::ui::App;
use backoff::delay_ms;
pub use http::{Attempt, Envelope};

/// How a submission ended, as the user is told.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent {
        id: String,
        defect_id: String,
    },
    /// Saved in the outbox; it will be sent in the background or on a later visit.
    Queued,
    Rejected {
        code: String,
        field: Option<String>,
    },
}

/// Attempts while the user waits; after these the report is queued and the dialog says so.
const ATTEMPTS_WHILE_WAITING: u32 = 3;
/// A `Retry-After` longer than this is not waited for with the dialog open.
const LONGEST_WAIT_MS: f64 = 8_000.0;

/// Envelopes being sent right now, so the background flush never races a submission.
static IN_FLIGHT: Global<RefCell<Vec<String>>> = Global::new(RefCell::new(Vec::new()));
/// Envelopes that IndexedDB would not keep: delivered while this page lives.
static MEMORY: Global<RefCell<Vec<Envelope>>> = Global::new(RefCell::new(Vec::new()));
static FLUSHING: Global<Cell<bool>> = Global::new(Cell::new(false));
/// Set by the `online` event to cut a long backoff short.
static KICKED: Global<Cell<bool>> = Global::new(Cell::new(false));

pub async fn submit(app: &Rc<App>, envelope: Envelope) -> Outcome {
    if !outbox::save(&envelope).await {
        MEMORY.with(|m| m.borrow_mut().push(envelope.clone()));
    }
    IN_FLIGHT.with(|f| f.borrow_mut().push(envelope.id.clone()));
    let outcome = deliver_now(&envelope).await;
    IN_FLIGHT.with(|f| {
        let mut in_flight = f.borrow_mut();
        if let Some(at) = in_flight.iter().position(|id| *id == envelope.id) {
            in_flight.swap_remove(at);
        }
    });
    match &outcome {
        Outcome::Queued => deliver_saved(Rc::clone(app)),
        _ => forget(&envelope.id).await,
    }
    outcome
}

async fn deliver_now(envelope: &Envelope) -> Outcome {
    let mut retries = 0;
    loop {
        if !online() {
            return Outcome::Queued;
        }
        match http::attempt(envelope).await {
            Attempt::Accepted { id, defect_id } => return Outcome::Sent { id, defect_id },
            Attempt::Rejected { code, field } => return Outcome::Rejected { code, field },
            Attempt::Retry { after_ms } => {
                retries += 1;
                let wait = delay_ms(retries, after_ms, js_sys::Math::random());
                if retries >= ATTEMPTS_WHILE_WAITING || wait > LONGEST_WAIT_MS {
                    return Outcome::Queued;
                }
                crate::wait::sleep(wait as i32).await;
            }
        }
    }
}

/// Delivers what the outbox holds, in the background, until it is empty. Called at start
/// (reports from earlier visits), after a report was queued, and when the browser comes
/// back online. Only one flush runs at a time.
pub fn deliver_saved(app: Rc<App>) {
    KICKED.with(|k| k.set(true));
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    crate::wait::spawn(async move {
        let mut round = 0;
        loop {
            KICKED.with(|k| k.set(false));
            let mut pending = outbox::load_all().await;
            pending.extend(MEMORY.with(|m| m.borrow().clone()));
            pending.retain(|e| !IN_FLIGHT.with(|f| f.borrow().contains(&e.id)));
            let mut wait_floor: Option<f64> = None;
            let mut again = false;
            for envelope in pending {
                match http::attempt(&envelope).await {
                    Attempt::Accepted { id, defect_id } => {
                        forget(&envelope.id).await;
                        app.bridge
                            .emit("submitted", &submitted(&id, &defect_id, true));
                    }
                    Attempt::Rejected { code, .. } => {
                        // Refused for good (a key revoked since, a limit lowered): keeping
                        // it would only retry forever. The team hears of it.
                        forget(&envelope.id).await;
                        app.bridge.emit("error", &JsValue::from_str(&code));
                    }
                    Attempt::Retry { after_ms } => {
                        again = true;
                        wait_floor = match (wait_floor, after_ms) {
                            (Some(a), Some(b)) => Some(a.max(b)),
                            (a, b) => a.or(b),
                        };
                    }
                }
            }
            if !again {
                break;
            }
            round += 1;
            let wait = delay_ms(round, wait_floor, js_sys::Math::random());
            sleep_unless_kicked(wait).await;
        }
        FLUSHING.with(|f| f.set(false));
    });
}

/// Sleeps up to `ms`, waking early when the browser reports it is back online.
async fn sleep_unless_kicked(ms: f64) {
    let mut left = ms;
    while left > 0.0 && !KICKED.with(Cell::get) {
        let step = left.min(1_000.0);
        crate::wait::sleep(step as i32).await;
        left -= step;
    }
}

async fn forget(id: &str) {
    outbox::remove(id).await;
    MEMORY.with(|m| m.borrow_mut().retain(|e| e.id != id));
}

fn online() -> bool {
    dom::window().is_none_or(|w| w.navigator().on_line())
}

/// The detail of the `submitted` event: `{id, defect_id, queued}`.
pub fn submitted(id: &str, defect_id: &str, was_queued: bool) -> JsValue {
    let detail = Object::new();
    set_prop(&detail, "id", &JsValue::from_str(id));
    set_prop(&detail, "defect_id", &JsValue::from_str(defect_id));
    set_prop(&detail, "queued", &JsValue::from_bool(was_queued));
    detail.into()
}
