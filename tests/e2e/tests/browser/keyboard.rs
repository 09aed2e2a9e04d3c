//! The widget used with the keyboard only: reach the button, open, fill, send, close.

use e2e::browser::{Browser, runtime};
use fantoccini::key::Key;

use crate::support::{
    ROOT, SetupOptions, WAIT, dialog_open, focused, setup, submitted_id, wait_dialog_open,
    wait_status,
};

#[test]
fn the_widget_works_with_the_keyboard_alone() {
    let setup = setup(SetupOptions::default());
    let rt = runtime();
    rt.block_on(async {
        let browser = Browser::start().await;
        crate::support::open_page(&browser, &setup.page.url("/")).await;
        // The button is the page's last focusable element: Shift+Tab from the start.
        browser.press(&[Key::Shift.into(), Key::Tab.into()]).await;
        assert_eq!(focused(&browser).await, "button.launcher.bottom-right");
        browser.press(&[Key::Enter.into()]).await;
        wait_dialog_open(&browser).await;
        assert_eq!(
            focused(&browser).await,
            "textarea#snag-description",
            "focus moves into the dialog"
        );
        browser.type_text("Typed without a mouse").await;
        // Draw a redact box with the keyboard: Tab to the screenshot, move the cursor, Enter,
        // five steps right and three down, Enter.
        browser
            .wait_for(
                "the screenshot",
                &format!("return !{ROOT}.querySelector('.canvas').hidden"),
                WAIT,
            )
            .await;
        for _ in 0..40 {
            if focused(&browser).await == "canvas.canvas" {
                break;
            }
            browser.press(&[Key::Tab.into()]).await;
        }
        assert_eq!(focused(&browser).await, "canvas.canvas");
        // From the centre, 250 pixels up (Shift: big steps) onto the hero's grey placeholder,
        // away from the blacked-out account panel.
        for _ in 0..5 {
            browser.press(&[Key::Shift.into(), Key::Up.into()]).await;
        }
        browser.press(&[Key::Enter.into()]).await;
        for _ in 0..5 {
            browser.press(&[Key::Right.into()]).await;
        }
        for _ in 0..3 {
            browser.press(&[Key::Down.into()]).await;
        }
        browser.press(&[Key::Enter.into()]).await;
        let inside = browser
            .js(
                &format!(
                    "const c = {ROOT}.querySelector('.canvas');\
                     const x = Math.round(c.width / 2 + 25), y = Math.round(c.height / 2 - 250 + 15);\
                     return [...c.getContext('2d').getImageData(x, y, 1, 1).data];"
                ),
                vec![],
            )
            .await;
        assert_eq!(
            inside,
            serde_json::json!([0, 0, 0, 255]),
            "the box is black"
        );
        // Ctrl+Z takes it back.
        browser.press(&[Key::Control.into(), 'z']).await;
        let undone = browser
            .js(
                &format!(
                    "const c = {ROOT}.querySelector('.canvas');\
                     const x = Math.round(c.width / 2 + 25), y = Math.round(c.height / 2 - 250 + 15);\
                     return [...c.getContext('2d').getImageData(x, y, 1, 1).data];"
                ),
                vec![],
            )
            .await;
        assert_ne!(undone, inside, "undo removes the box");
        // Tab through the dialog to Send; it never leaves the dialog on the way.
        let mut reached = false;
        for _ in 0..40 {
            browser.press(&[Key::Tab.into()]).await;
            let now = focused(&browser).await;
            assert!(!now.starts_with("outside:"), "focus left the dialog: {now}");
            if now == "button.primary.send" {
                reached = true;
                break;
            }
        }
        assert!(reached, "Send is reachable with Tab");
        browser.press(&[Key::Enter.into()]).await;
        wait_status(&browser, "Thank you").await;
        submitted_id(&browser, 0).await;

        browser.press(&[Key::Escape.into()]).await;
        assert!(!dialog_open(&browser).await, "Escape closes the dialog");
        assert_eq!(
            focused(&browser).await,
            "button.launcher.bottom-right",
            "focus returns to the button"
        );
    });
}
