//! "Capture exactly": the tab as the browser draws it, through `getDisplayMedia`. The user
//! is asked (the browser's own prompt); `preferCurrentTab` offers this tab first. One frame
//! is taken and the stream stopped at once.

use js_sys::{Object, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlCanvasElement, HtmlVideoElement, MediaStream, MediaStreamTrack};

use super::redact::Hidden;
use crate::dom::{self, set_prop};

/// Captures one frame of the tab, redacted; `Err` with the reason if the user declined or
/// the browser cannot (no API, an insecure page, a policy, no frame in time).
///
/// `nudge` is an element out of the user's sight whose look is changed a little while the
/// first frame is awaited: Chromium captures a tab on repaint, and a page standing still can
/// otherwise leave the stream without a frame.
pub async fn tab(hidden: &Hidden, nudge: &Element) -> Result<HtmlCanvasElement, &'static str> {
    let window = dom::window().ok_or("no window")?;
    let devices = window
        .navigator()
        .media_devices()
        .map_err(|_| "no media devices")?;
    let constraints = Object::new();
    let video = Object::new();
    set_prop(&video, "displaySurface", &JsValue::from_str("browser"));
    // Browsers default to a small frame (800 pixels wide in Chromium); ask for the tab's
    // real size so text stays readable.
    let ratio = window.device_pixel_ratio();
    for (name, size) in [
        ("width", window.inner_width()),
        ("height", window.inner_height()),
    ] {
        if let Some(css) = size.ok().and_then(|s| s.as_f64()) {
            let ideal = Object::new();
            set_prop(
                &ideal,
                "ideal",
                &JsValue::from_f64(libm::round(css * ratio)),
            );
            set_prop(&video, name, &ideal);
        }
    }
    set_prop(&constraints, "video", &video);
    set_prop(&constraints, "audio", &JsValue::FALSE);
    set_prop(&constraints, "preferCurrentTab", &JsValue::TRUE);
    set_prop(
        &constraints,
        "selfBrowserSurface",
        &JsValue::from_str("include"),
    );
    let request = devices
        .get_display_media_with_constraints(constraints.unchecked_ref())
        .map_err(|_| "no getDisplayMedia")?;
    let stream: MediaStream = JsFuture::from(request)
        .await
        .map_err(|_| "declined")?
        .dyn_into()
        .map_err(|_| "not a stream")?;
    let canvas = frame(&stream, nudge).await;
    // A stream's tracks are tracks.
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
    let canvas = canvas.ok_or("no frame")?;
    // The frame is in device pixels of the captured surface; the boxes in CSS pixels.
    let width = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1.0);
    let scale = f64::from(canvas.width()) / width.max(1.0);
    super::redact::paint(&canvas, hidden, scale);
    Ok(canvas)
}

/// How long the first frame of the stream may take.
const FRAME_WAIT_MS: i32 = 4_000;

/// How often the nudge element changes while the first frame is awaited.
const NUDGE_EVERY_MS: i32 = 150;

async fn frame(stream: &MediaStream, nudge: &Element) -> Option<HtmlCanvasElement> {
    let video: HtmlVideoElement = dom::document()?
        .create_element("video")
        .ok()?
        .unchecked_into();
    video.set_muted(true);
    video.set_src_object(Some(stream));
    let playing = crate::wait::settled_by(&video, "onloadeddata", &["onerror"]);
    let _ = video.play();
    // Wait for the first frame in short rounds, nudging a repaint after each. A stream that
    // never delivers one must not keep the dialog hidden: after a few seconds the capture
    // gives up (the frame check below fails) and the earlier screenshot stays. Counted by
    // the clock, not in rounds: a hidden tab's timers may run a second late each.
    let give_up_at = super::now() + f64::from(FRAME_WAIT_MS);
    let ok = loop {
        let round = Promise::race(&js_sys::Array::of2(
            &playing,
            &crate::wait::after(NUDGE_EVERY_MS),
        ));
        match JsFuture::from(round).await {
            Err(_) => break false,
            // The timer resolves with nothing; `loadeddata` with its event.
            Ok(value) if !value.is_undefined() => break true,
            Ok(_) => {}
        }
        if super::now() >= give_up_at {
            break true;
        }
        let _ = nudge.class_list().toggle("odd");
    };
    crate::wait::clear_handlers(&video, &["onloadeddata", "onerror"]);
    // HAVE_CURRENT_DATA: there is a frame to draw.
    if !ok || video.ready_state() < 2 {
        video.set_src_object(None);
        return None;
    }
    let (canvas, context) = super::canvas(video.video_width(), video.video_height())?;
    context
        .draw_image_with_html_video_element(&video, 0.0, 0.0)
        .ok()?;
    video.set_src_object(None);
    Some(canvas)
}
