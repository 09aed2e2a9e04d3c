//! The rest of the screenshot chain: "Capture exactly" through the browser's screen capture,
//! and an uploaded image when nothing else will do.

use std::io::Cursor;

use e2e::browser::{Browser, runtime};
use image::{ImageFormat, Rgb, RgbImage};

use crate::support::{
    ROOT, SetupOptions, WAIT, centre, click_at, setup, staff_bytes, submitted_id, wait_dialog_open,
    wait_status,
};

#[test]
fn an_uploaded_image_replaces_the_screenshot() {
    let setup = setup(SetupOptions::default());
    let upload = tempfile::Builder::new()
        .suffix(".png")
        .tempfile()
        .expect("a temporary file");
    let mut png = Vec::new();
    RgbImage::from_pixel(240, 120, Rgb([200, 30, 30]))
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .expect("encoding");
    std::fs::write(upload.path(), &png).expect("writing the image");

    let rt = runtime();
    let id = rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        click_at(&browser, centre(&browser, ".launcher").await).await;
        wait_dialog_open(&browser).await;
        browser
            .wait_for(
                "the screenshot",
                &format!("return !{ROOT}.querySelector('.canvas').hidden"),
                WAIT,
            )
            .await;
        // WebDriver hands a file to a file input, as a user choosing one would.
        let input = browser
            .client
            .execute(&format!("return {ROOT}.querySelector('.file')"), vec![])
            .await
            .expect("the file input");
        // An element comes back as {"element-6066-11e4-a52e-4f735466cecf": id}.
        let id = input
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .expect("an element reference")
            .to_owned();
        let input =
            fantoccini::elements::Element::from_element_id(browser.client.clone(), id.into());
        input
            .send_keys(&upload.path().display().to_string())
            .await
            .expect("choosing the file");
        browser
            .wait_for(
                "the uploaded image",
                &format!("return {ROOT}.querySelector('.canvas').width === 240"),
                WAIT,
            )
            .await;
        click_at(&browser, centre(&browser, "#snag-description").await).await;
        browser.type_text("See the attached picture").await;
        click_at(&browser, centre(&browser, ".send").await).await;
        wait_status(&browser, "Thank you").await;
        submitted_id(&browser, 0).await
    });
    let stored = staff_bytes(&setup, &format!("/api/v1/reports/{id}/screenshot"));
    let image = image::load_from_memory(&stored)
        .expect("an image")
        .to_rgb8();
    assert_eq!((image.width(), image.height()), (240, 120));
    assert_eq!(image.get_pixel(120, 60).0, [200, 30, 30]);
}

/// Opens the dialog from the button and waits for the screenshot of the page.
async fn open_with_page_screenshot(browser: &Browser) {
    click_at(browser, centre(browser, ".launcher").await).await;
    wait_dialog_open(browser).await;
    browser
        .wait_for(
            "the page screenshot",
            &format!("return {ROOT}.querySelector('.canvas').dataset.source === 'page'"),
            WAIT,
        )
        .await;
}

#[test]
fn capture_exactly_takes_the_tab_and_redacts_it() {
    let setup = setup(SetupOptions::default());
    let rt = runtime();
    let (id, password) = rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        let password = browser
            .js(
                "const r = document.querySelector('#password').getBoundingClientRect();\
                 return [r.left, r.top, r.width, r.height, document.documentElement.clientWidth];",
                vec![],
            )
            .await;
        open_with_page_screenshot(&browser).await;
        let at = centre(&browser, ".exact").await;
        click_at(&browser, at).await;
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let state = browser
                .js(
                    &format!(
                        "const r = {ROOT}; return [r.querySelector('.canvas').dataset.source,\
                         r.querySelector('dialog').className, r.querySelector('.shot-status').textContent,\
                         r.querySelector('.canvas').dataset.tabError || '']"
                    ),
                    vec![],
                )
                .await;
            if state[0] == "tab" {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no tab capture after clicking {at:?}: {state}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        click_at(&browser, centre(&browser, "#snag-description").await).await;
        browser.type_text("Captured exactly").await;
        click_at(&browser, centre(&browser, ".send").await).await;
        wait_status(&browser, "Thank you").await;
        (submitted_id(&browser, 0).await, password)
    });
    let stored = staff_bytes(&setup, &format!("/api/v1/reports/{id}/screenshot"));
    if let Ok(path) = std::env::var("SNAG_KEEP_SCREENSHOT") {
        let _ = std::fs::write(path, &stored);
    }
    let image = image::load_from_memory(&stored)
        .expect("an image")
        .to_rgb8();
    let scale = f64::from(image.width()) / password[4].as_f64().expect("width");
    let at = |i: usize| password[i].as_f64().expect("a number") * scale;
    let (x, y) = ((at(0) + at(2) / 2.0) as u32, (at(1) + at(3) / 2.0) as u32);
    assert_eq!(
        image.get_pixel(x, y).0,
        [0, 0, 0],
        "the password field is black"
    );
}

#[test]
fn a_declined_tab_capture_keeps_the_page_screenshot_and_says_so() {
    let setup = setup(SetupOptions::default());
    let rt = runtime();
    rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        // The user presses "Cancel" in the browser's prompt.
        browser
            .js(
                "navigator.mediaDevices.getDisplayMedia = () =>\
                 Promise.reject(new DOMException('declined', 'NotAllowedError'));",
                vec![],
            )
            .await;
        open_with_page_screenshot(&browser).await;
        click_at(&browser, centre(&browser, ".exact").await).await;
        browser
            .wait_for(
                "the refusal named",
                &format!("return {ROOT}.querySelector('.canvas').dataset.tabError === 'declined'"),
                WAIT,
            )
            .await;
        let state = browser
            .js(
                &format!(
                    "const r = {ROOT}; return [r.querySelector('.canvas').dataset.source,\
                     r.querySelector('.canvas').hidden, r.querySelector('dialog').open,\
                     r.querySelector('dialog').classList.contains('capturing'),\
                     r.querySelector('.shot-status').textContent]"
                ),
                vec![],
            )
            .await;
        assert_eq!(state[0], "page", "the page screenshot stays");
        assert_eq!(state[1], false, "and is shown");
        assert_eq!(state[2], true, "the dialog is open");
        assert_eq!(state[3], false, "and visible again");
        assert!(
            state[4]
                .as_str()
                .is_some_and(|s| s.contains("could not be captured")),
            "the user is told: {state}"
        );
    });
}
