//! The one writer: every write goes through a single thread that commits in small batches.
//!
//! Requests queue their writes; the thread takes whatever has queued (up to `max_batch`), runs
//! each in its own savepoint inside one transaction, and commits once. While it waits for the
//! disk, new writes queue, so the batch grows with the load and many requests share one fsync
//! (group commit). A caller hears back only after the commit, so an acknowledged write is
//! durable. One failing write rolls back its savepoint only, not its neighbours.

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::StoreError;

/// What the writer reports after each commit: batch size and time spent, for metrics.
pub type BatchObserver = Box<dyn Fn(usize, Duration) + Send>;

/// Sends the outcome to the waiting caller once the commit's fate is known.
type Deferred = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<dyn FnOnce(&Connection) -> Deferred + Send>;

enum Message {
    Job(Job),
    Stop,
}

pub(crate) struct Writer {
    sender: Sender<Message>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    pub(crate) fn spawn(conn: Connection, max_batch: usize, observer: BatchObserver) -> Self {
        let (sender, receiver) = crossbeam_channel::unbounded();
        let thread = std::thread::Builder::new()
            .name("snag-writer".into())
            .spawn(move || run(conn, receiver, max_batch.max(1), observer))
            .expect("spawning the writer thread at start-up");
        Writer {
            sender,
            thread: std::sync::Mutex::new(Some(thread)),
        }
    }

    /// Queues `op` for the writer's next batch; the future resolves with its result once the
    /// batch committed. Queuing happens now, so the future does not borrow the writer.
    pub(crate) fn write<T, F>(
        &self,
        op: F,
    ) -> impl Future<Output = Result<T, StoreError>> + Send + 'static
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn: &Connection| {
            let outcome = in_savepoint(conn, op);
            Box::new(move |commit: Result<(), String>| {
                let result = match (outcome, commit) {
                    (Ok(value), Ok(())) => Ok(value),
                    (Err(err), _) => Err(err),
                    (Ok(_), Err(message)) => Err(StoreError::Commit(message)),
                };
                // The caller may have gone (client disconnected); the write stands regardless.
                let _ = reply.send(result);
            })
        });
        let queued = self.sender.send(Message::Job(job));
        async move {
            queued.map_err(|_| StoreError::WriterStopped)?;
            answer.await.map_err(|_| StoreError::WriterStopped)?
        }
    }

    /// Commits everything queued before this call, then stops the thread. Later writes fail
    /// with [`StoreError::WriterStopped`].
    pub(crate) fn stop(&self) {
        let _ = self.sender.send(Message::Stop);
        let handle = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

fn in_savepoint<T>(
    conn: &Connection,
    op: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.execute_batch("SAVEPOINT job")?;
    match op(conn) {
        Ok(value) => {
            conn.execute_batch("RELEASE job")?;
            Ok(value)
        }
        Err(err) => {
            conn.execute_batch("ROLLBACK TO job; RELEASE job")?;
            Err(err)
        }
    }
}

fn run(conn: Connection, receiver: Receiver<Message>, max_batch: usize, observer: BatchObserver) {
    let mut batch: Vec<Job> = Vec::with_capacity(max_batch);
    let mut stopping = false;
    while !stopping {
        match receiver.recv() {
            Ok(Message::Job(job)) => batch.push(job),
            Ok(Message::Stop) | Err(_) => break,
        }
        while batch.len() < max_batch {
            match receiver.try_recv() {
                Ok(Message::Job(job)) => batch.push(job),
                Ok(Message::Stop) => {
                    stopping = true;
                    break;
                }
                Err(_) => break,
            }
        }
        let started = Instant::now();
        let size = batch.len();
        commit_batch(&conn, batch.drain(..));
        observer(size, started.elapsed());
    }
    tracing::info!("writer stopped after draining its queue");
}

fn commit_batch(conn: &Connection, jobs: impl Iterator<Item = Job>) {
    if let Err(err) = conn.execute_batch("BEGIN IMMEDIATE") {
        let message = err.to_string();
        tracing::error!(error = %message, "the writer could not begin a transaction");
        // Without a transaction each job would autocommit on its own; refuse them instead.
        // Dropping a job drops its reply, and its caller hears `WriterStopped`.
        jobs.for_each(drop);
        return;
    }
    let deferred: Vec<Deferred> = jobs.map(|job| job(conn)).collect();
    let commit = crate::search::flush_pending(conn)
        .and_then(|()| Ok(conn.execute_batch("COMMIT")?))
        .map_err(|err| {
            let _ = conn.execute_batch("ROLLBACK");
            tracing::error!(error = %err, "the writer could not commit a batch");
            err.to_string()
        });
    for reply in deferred {
        reply(commit.clone());
    }
}
