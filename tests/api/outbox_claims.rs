//! The outbox across stops, crashes and several senders: a stopped server finishes what
//! it is sending and leaves the rest pending, a killed one strands no more than it had in
//! flight, and a restart among three servers touches nobody else's messages.

use std::collections::BTreeMap;
use std::time::Duration;

use diesel::prelude::*;

use crate::helpers::{future_document, registrant, spawn_with, Options, TestApp};
use crate::servers::serve;
use crate::smtp::SmtpSink;

/// An app that queues mail but does not send it, with `n` registrations of edition `slug`
/// waiting in its outbox.
async fn queued(slug: &str, n: usize) -> TestApp {
    let app = spawn_with(Options {
        demo: false,
        mail_worker: false,
        ..Options::default()
    })
    .await;
    app.import(&future_document(slug)).await;
    for i in 0..n {
        let res = app
            .register(slug, &registrant(&format!("m{i}@{slug}.fr")))
            .await;
        assert_eq!(res.status(), 201);
    }
    app
}

/// The outbox's rows per status.
async fn statuses(app: &TestApp) -> BTreeMap<String, i64> {
    app.with_db(|c| {
        use rencontres::db::schema::outbox;
        outbox::table
            .group_by(outbox::status)
            .select((outbox::status, diesel::dsl::count_star()))
            .load::<(String, i64)>(c)
            .unwrap()
            .into_iter()
            .collect()
    })
    .await
}

/// How many messages each recipient received; fails on a duplicate.
fn once_each(sink: &SmtpSink) -> usize {
    let mut seen = BTreeMap::<String, usize>::new();
    for m in sink.messages() {
        for to in m.mail().to {
            *seen.entry(to).or_default() += 1;
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    seen.len()
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_server_finishes_its_sends_and_leaves_the_rest_pending() {
    let app = queued("ob1", 16).await;
    let sink = SmtpSink::start().await;
    sink.set_data_delay(Duration::from_millis(300));
    let server = serve(&app.database_url, &app.data_dir, &sink.url(), &[]);
    wait_until("a first message", || !sink.messages().is_empty()).await;
    tokio::task::spawn_blocking(move || server.terminate())
        .await
        .unwrap();
    // What the server had begun, it finished; nothing is left half-sent or given up.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let after_stop = statuses(&app).await;
    assert_eq!(after_stop.get("dead"), None, "{after_stop:?}");
    assert_eq!(after_stop.get("sending"), None, "{after_stop:?}");
    let sent = after_stop.get("sent").copied().unwrap_or(0);
    assert!((1..16).contains(&sent), "{after_stop:?}");
    assert_eq!(once_each(&sink) as i64, sent);

    sink.set_data_delay(Duration::ZERO);
    let _next = serve(&app.database_url, &app.data_dir, &sink.url(), &[]);
    sink.wait_for(16, Duration::from_secs(60)).await;
    // The last acceptance is recorded a moment after the sink has the message (longer on
    // a loaded machine).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let end = loop {
        let now = statuses(&app).await;
        if now.get("sent") == Some(&16) || tokio::time::Instant::now() > deadline {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(end.get("sent"), Some(&16), "{end:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(once_each(&sink), 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_holds_no_more_than_it_had_in_flight() {
    let app = queued("ob2", 16).await;
    let sink = SmtpSink::start().await;
    sink.set_data_delay(Duration::from_millis(300));
    let lease = [("RENCONTRES__MAIL__LEASE_SECONDS", "5")];
    let server = serve(&app.database_url, &app.data_dir, &sink.url(), &lease);
    wait_until("a first message", || !sink.messages().is_empty()).await;
    tokio::task::spawn_blocking(move || server.kill())
        .await
        .unwrap();
    let killed = statuses(&app).await;
    let in_flight = killed.get("sending").copied().unwrap_or(0);
    // Four senders: at most four messages were between claim and acknowledgement.
    assert!(in_flight <= 4, "{killed:?}");

    // A new server leaves those claims alone until their lease runs out, then holds them
    // for a person to check, and sends the rest.
    sink.set_data_delay(Duration::ZERO);
    let _next = serve(&app.database_url, &app.data_dir, &sink.url(), &lease);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let later = loop {
        let now = statuses(&app).await;
        if now.get("sent").copied().unwrap_or(0) == 16 - in_flight {
            break now;
        }
        assert!(tokio::time::Instant::now() < deadline, "not sent: {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        later.get("sending").copied().unwrap_or(0),
        in_flight,
        "{later:?}"
    );
    once_each(&sink);
    // The claims expire; the next server to start holds them.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let _third = serve(&app.database_url, &app.data_dir, &sink.url(), &lease);
    let end = statuses(&app).await;
    assert_eq!(end.get("dead").copied().unwrap_or(0), in_flight, "{end:?}");
    assert_eq!(
        end.get("sent").copied().unwrap_or(0),
        16 - in_flight,
        "{end:?}"
    );
    once_each(&sink);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_one_of_three_sending_servers_loses_and_repeats_nothing() {
    let app = queued("ob3", 36).await;
    let sink = SmtpSink::start().await;
    sink.set_data_delay(Duration::from_millis(150));
    let mut servers: Vec<_> = (0..3)
        .map(|_| serve(&app.database_url, &app.data_dir, &sink.url(), &[]))
        .collect();
    wait_until("a few messages", || sink.messages().len() >= 4).await;
    let first = servers.remove(0);
    tokio::task::spawn_blocking(move || first.terminate())
        .await
        .unwrap();
    servers.push(serve(&app.database_url, &app.data_dir, &sink.url(), &[]));
    sink.wait_for(36, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(once_each(&sink), 36);
    let end = statuses(&app).await;
    assert_eq!(end, BTreeMap::from([("sent".to_string(), 36)]), "{end:?}");
}
