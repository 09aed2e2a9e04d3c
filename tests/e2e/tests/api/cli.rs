//! The `snag` command line: every subcommand has help, and the admin commands work.

use e2e::snag_command;

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().expect("dir");
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["project", "--help"],
        vec!["project", "create", "--help"],
        vec!["project", "list", "--help"],
        vec!["token", "create", "--help"],
        vec!["migrate", "--help"],
    ] {
        let output = snag_command(dir.path(), &args);
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn migrate_create_project_and_token() {
    let dir = tempfile::tempdir().expect("dir");
    let output = snag_command(dir.path(), &["migrate"]);
    assert!(output.status.success());
    let latest = format!("schema version {}", snag_storage::schema::latest_version());
    assert!(String::from_utf8_lossy(&output.stdout).contains(&latest));
    let again = snag_command(dir.path(), &["migrate"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 migration(s) applied"));

    let output = snag_command(
        dir.path(),
        &[
            "project",
            "create",
            "--name",
            "shop",
            "--origin",
            "https://Shop.Example/",
            "--json",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let project: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(
        project["public_key"]
            .as_str()
            .is_some_and(|k| k.starts_with("snag_pk_"))
    );
    assert_eq!(
        project["allowed_origins"],
        serde_json::json!(["https://shop.example"])
    );

    let duplicate = snag_command(
        dir.path(),
        &[
            "project",
            "create",
            "--name",
            "shop",
            "--origin",
            "https://shop.example",
        ],
    );
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

    let bad_origin = snag_command(
        dir.path(),
        &["project", "create", "--name", "x", "--origin", "not a url"],
    );
    assert!(!bad_origin.status.success());
    let no_origin = snag_command(dir.path(), &["project", "create", "--name", "y"]);
    assert!(!no_origin.status.success());

    let output = snag_command(dir.path(), &["token", "create", "--name", "ci"]);
    assert!(output.status.success());
    let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(token.starts_with("snag_st_") && token.len() > 40);
    let conn = rusqlite::Connection::open(dir.path().join("snag.db")).expect("open");
    let stored: String = conn
        .query_row("SELECT token_hash FROM staff_tokens", [], |r| r.get(0))
        .expect("a hash");
    assert_ne!(stored, token, "only the hash is stored");
    assert_eq!(stored.len(), 64);
}
