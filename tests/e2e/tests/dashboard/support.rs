//! Two projects with a defect each, and staff of every role.

use e2e::dashboard::{create_user, post_report};
use e2e::{Options, Snag, create_project, snag_command};
use serde_json::{Value, json};

pub struct World {
    pub snag: Snag,
    pub shop_key: String,
    /// `{id, defect_id}` of the report posted to each project.
    pub shop: Value,
    pub other: Value,
}

impl World {
    pub fn id(report: &Value, field: &str) -> String {
        report[field].as_str().expect("an id").to_owned()
    }
}

/// `shop` (seen by ann the triager and vic the viewer) and `other` (seen by bob the
/// triager); adm is an admin.
pub fn world(options: Options) -> World {
    let snag = Snag::start_with(options);
    let dir = snag.data_dir.clone();
    let shop_key = create_project(
        &dir,
        &[
            "--name",
            "shop",
            "--allow-no-origin",
            "--no-dedup",
            "--route",
            "/checkout/**=checkout",
        ],
    );
    let other_key: String = create_project(
        &dir,
        &["--name", "other", "--allow-no-origin", "--no-dedup"],
    );
    create_user(&dir, "ann@shop.example", "triager", &["shop"]);
    create_user(&dir, "vic@shop.example", "viewer", &["shop"]);
    create_user(&dir, "bob@other.example", "triager", &["other"]);
    create_user(&dir, "adm@snag.example", "admin", &[]);
    let shop = post_report(
        &snag,
        &shop_key,
        &json!({"title": "Pay button does nothing", "description": "Clicking Pay does nothing",
                "page": {"url": "https://shop.example/checkout/1/pay"}}),
    );
    let other = post_report(
        &snag,
        &other_key,
        &json!({"title": "Secret roadmap page crashes", "description": "Only other may see this",
                "page": {"url": "https://other.example/roadmap"}}),
    );
    World {
        snag,
        shop_key,
        shop,
        other,
    }
}

pub fn cli(world: &World, args: &[&str]) -> std::process::Output {
    snag_command(&world.snag.data_dir, args)
}
