//! The dashboard's storage on a real SQLite store: full-text search that follows merges,
//! splits and renames, keyset paging in every order, users, sessions, invites, comments.

mod common;

use common::{Decided, Fixture};
use snag_core::{
    ConsoleEntry, ConsoleLevel, DefectId, DefectPatch, ReportId, ReportPayload, Role, Severity,
    Source, Status,
};
use snag_storage::{
    DefectOp, InboxFilter, InboxSort, NewDefect, NewReport, NewUser, StatusFilter, Store,
    inbox_cursor, now_millis,
};

impl Fixture {
    fn report(
        &mut self,
        text: &str,
        console: &str,
        join: Option<&DefectId>,
    ) -> (ReportId, DefectId) {
        let report = NewReport {
            id: ReportId::parse(&self.id()).expect("id"),
            project_id: self.project,
            received_at: now_millis() + self.counter as i64,
            payload: ReportPayload {
                description: Some(text.into()),
                steps: Some("open the page".into()),
                console: vec![ConsoleEntry {
                    level: ConsoleLevel::Error,
                    message: console.into(),
                    ts: None,
                }],
                ..ReportPayload::default()
            },
            enriched: Default::default(),
            screenshot: None,
            thumbnail: None,
            idempotency_key: None,
            new_defect: NewDefect {
                id: DefectId::parse(&self.id()).expect("id"),
                title: text.into(),
                severity: None,
                component: None,
                route: None,
                category: None,
                environment: None,
                source: Source::Widget,
            },
            features: None,
            reopen_on_new_report: true,
            outbox: Vec::new(),
        };
        let accepted = self
            .runtime
            .block_on(
                self.store
                    .insert_report(report, Box::new(Decided(join.cloned()))),
            )
            .expect("stored");
        (accepted.report_id, accepted.defect_id)
    }

    fn op(&self, id: &DefectId, op: DefectOp) {
        self.runtime
            .block_on(
                self.store
                    .update_defect(id.clone(), op, "ann".into(), Vec::new()),
            )
            .expect("op");
    }

    fn search(&self, words: &str) -> Vec<DefectId> {
        let mut found: Vec<DefectId> = self
            .store
            .inbox(&InboxFilter {
                status: StatusFilter::All,
                search: Some(words.into()),
                limit: 100,
                ..InboxFilter::default()
            })
            .expect("inbox")
            .into_iter()
            .map(|d| d.id)
            .collect();
        found.sort();
        found
    }
}

#[test]
fn search_finds_text_and_follows_merges_splits_and_renames() {
    let mut f = Fixture::new();
    let (_, pay) = f.report("Pay button dead", "TypeError: total undefined", None);
    let (_, cart) = f.report("Cart empty", "RangeError: bad index", None);
    let (second, _) = f.report("Cart shows nothing", "RangeError: bad index", Some(&cart));
    assert_eq!(f.search("TypeError"), vec![pay.clone()]);
    assert_eq!(f.search("typeerror TOTAL"), vec![pay.clone()]);
    assert_eq!(f.search("rangeerror"), vec![cart.clone()]);
    assert_eq!(f.search("open page"), {
        let mut both = vec![pay.clone(), cart.clone()];
        both.sort();
        both
    });
    assert!(f.search("nothing-here").is_empty());
    assert!(f.search("\" OR *").is_empty(), "operators are only text");
    assert_eq!(f.search("Ran*"), vec![cart.clone()], "a prefix");

    // Merge: the cart's reports are found under pay; cart keeps its title.
    f.op(&cart, DefectOp::Merge { into: pay.clone() });
    assert_eq!(f.search("rangeerror"), vec![pay.clone()]);
    let mut both = vec![pay.clone(), cart.clone()];
    both.sort();
    assert_eq!(
        f.search("cart empty"),
        both,
        "the report text moved, the title stayed"
    );
    f.op(&cart, DefectOp::Unmerge);
    assert_eq!(f.search("rangeerror"), vec![cart.clone()]);

    // Split: the moved report is found under the new defect.
    let fresh = DefectId::parse("00000000-0000-7000-8000-0000000000ff").unwrap();
    f.op(
        &cart,
        DefectOp::Split {
            report: second,
            new_defect: fresh.clone(),
        },
    );
    let mut expected = vec![cart.clone(), fresh.clone()];
    expected.sort();
    assert_eq!(f.search("rangeerror"), expected);
    assert_eq!(f.search("shows"), vec![fresh]);

    // Rename: the old title is forgotten, the new one found.
    f.op(
        &pay,
        DefectOp::Patch(DefectPatch {
            title: Some("Checkout frozen".into()),
            ..DefectPatch::default()
        }),
    );
    assert_eq!(f.search("frozen"), vec![pay.clone()]);
    assert_eq!(
        f.search("button"),
        vec![pay],
        "still in the report's own text"
    );
}

#[test]
fn keyset_pages_cover_every_order_without_gaps() {
    let mut f = Fixture::new();
    let mut ids = Vec::new();
    for i in 0..7 {
        let (_, defect) = f.report(&format!("defect number {i}"), "x", None);
        if i % 2 == 0 {
            let (_, again) = f.report("more", "x", Some(&defect));
            assert_eq!(again, defect);
        }
        let severity = [None, Some(Severity::Blocker), Some(Severity::Minor)][i % 3];
        f.op(
            &defect,
            DefectOp::Patch(DefectPatch {
                severity: Some(severity),
                ..DefectPatch::default()
            }),
        );
        ids.push(defect);
    }
    f.op(
        &ids[6],
        DefectOp::Transition {
            to: Status::WontFix,
            note: None,
        },
    );
    for sort in InboxSort::ALL {
        let all = f
            .store
            .inbox(&InboxFilter {
                sort,
                limit: 100,
                ..InboxFilter::default()
            })
            .unwrap();
        assert_eq!(all.len(), 6, "{sort:?}: open defects only");
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = f
                .store
                .inbox(&InboxFilter {
                    sort,
                    after: after.clone(),
                    limit: 4,
                    ..InboxFilter::default()
                })
                .unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(|d| inbox_cursor(d, sort));
            paged.extend(page.into_iter().map(|d| d.id));
            if paged.len() > 10 {
                break;
            }
        }
        let expected: Vec<DefectId> = all.iter().map(|d| d.id.clone()).collect();
        assert_eq!(paged, expected, "{sort:?}");
    }
    let severities: Vec<Option<Severity>> = f
        .store
        .inbox(&InboxFilter {
            sort: InboxSort::Severity,
            limit: 100,
            ..InboxFilter::default()
        })
        .unwrap()
        .iter()
        .map(|d| d.severity)
        .collect();
    assert_eq!(severities.first(), Some(&Some(Severity::Blocker)));
    assert_eq!(severities.last(), Some(&None), "unset severities last");
    assert!(
        f.store
            .inbox(&InboxFilter {
                after: Some("garbage".into()),
                limit: 5,
                ..InboxFilter::default()
            })
            .is_err()
    );
}

#[test]
fn users_sessions_invites_and_comments() {
    let mut f = Fixture::new();
    let user = f
        .store
        .insert_user(NewUser {
            email: "ann@example.com".into(),
            role: Role::Triager,
            password_hash: None,
            projects: vec![f.project],
        })
        .unwrap();
    assert!(
        f.store
            .insert_user(NewUser {
                email: "ann@example.com".into(),
                role: Role::Viewer,
                password_hash: None,
                projects: vec![],
            })
            .is_err(),
        "e-mail addresses are unique"
    );
    let (found, hash) = f.store.user_by_email("ann@example.com").unwrap().unwrap();
    assert_eq!(found.projects, vec![f.project]);
    assert_eq!(hash, None);

    f.store
        .insert_invite(user.id, "invitehash", now_millis() + 60_000)
        .unwrap();
    assert!(f.store.invite("invitehash").unwrap().is_some());
    assert!(
        f.store
            .accept_invite("invitehash", "$argon2id$x")
            .unwrap()
            .is_some()
    );
    assert!(
        f.store
            .accept_invite("invitehash", "$argon2id$y")
            .unwrap()
            .is_none(),
        "once"
    );
    let (_, hash) = f.store.user_by_email("ann@example.com").unwrap().unwrap();
    assert_eq!(hash.as_deref(), Some("$argon2id$x"));

    f.runtime
        .block_on(f.store.insert_session(
            "live".into(),
            user.id,
            "csrf".into(),
            now_millis() + 60_000,
        ))
        .unwrap();
    f.runtime
        .block_on(
            f.store
                .insert_session("old".into(), user.id, "csrf2".into(), now_millis() - 1),
        )
        .unwrap();
    let session = f.store.session("live").unwrap().expect("a live session");
    assert_eq!(
        (session.user.email.as_str(), session.csrf.as_str()),
        ("ann@example.com", "csrf")
    );
    assert!(f.store.session("old").unwrap().is_none(), "expired");
    f.runtime
        .block_on(f.store.delete_session("live".into()))
        .unwrap();
    assert!(f.store.session("live").unwrap().is_none());

    let (_, defect) = f.report("broken", "x", None);
    let comment = f
        .runtime
        .block_on(f.store.add_comment(
            defect.clone(),
            "ann@example.com".into(),
            "<b>looking</b>".into(),
        ))
        .unwrap();
    let comments = f.store.comments(&defect).unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].body, "<b>looking</b>");
    let history = f.store.get_defect(&defect).unwrap().unwrap().history;
    let last = history.last().unwrap();
    assert_eq!(last.kind, "commented");
    assert_eq!(last.to.as_deref(), Some(comment.id.to_string().as_str()));
    assert!(
        f.runtime
            .block_on(f.store.add_comment(
                DefectId::parse("00000000-0000-7000-8000-00000000abcd").unwrap(),
                "ann".into(),
                "x".into()
            ))
            .is_err()
    );
}
