//! Jobs: background loops that poll something until it is done or nobody needs it
//! ([`JobHandle`], [`Jobs`]), and work the researcher started and may cancel, one run
//! of a kind at a time ([`Cancellable`]: an upload, a batch setup, a check of a file).
//!
//! A job is owned by a [`JobHandle`] holding a [`CancellationToken`]; dropping the handle
//! cancels the job, so a job can never outlive whoever started it. The loop `select!`s
//! over cancellation and either its wait or its work, so cancelling never waits for a
//! slow request to finish. The work decides the next interval itself ([`Next`]), which is
//! how pollers adapt (quick while processing, slower while collecting, stop when done).

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What a job's work asks for after one round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Run again after this long.
    After(Duration),
    /// The job is finished.
    Stop,
}

/// Owns a running job. Dropping it cancels the job.
#[derive(Debug)]
pub struct JobHandle {
    token: CancellationToken,
    task: JoinHandle<()>,
}

impl JobHandle {
    /// Starts `work` after `first_delay`, then again after each interval it returns,
    /// until it returns [`Next::Stop`] or the handle is cancelled or dropped.
    pub fn spawn<W, F>(first_delay: Duration, mut work: W) -> Self
    where
        W: FnMut() -> F + Send + 'static,
        F: Future<Output = Next> + Send + 'static,
    {
        let token = CancellationToken::new();
        let cancelled = token.clone();
        let task = tokio::spawn(async move {
            let mut delay = first_delay;
            loop {
                tokio::select! {
                    () = cancelled.cancelled() => return,
                    () = tokio::time::sleep(delay) => {}
                }
                let next = tokio::select! {
                    () = cancelled.cancelled() => return,
                    next = work() => next,
                };
                match next {
                    Next::After(interval) => delay = interval,
                    Next::Stop => return,
                }
            }
        });
        Self { token, task }
    }

    /// Whether the job has ended (finished, or cancelled and unwound).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// Cancels the job and waits until its loop has returned.
    pub async fn cancel_and_wait(mut self) {
        self.token.cancel();
        // Taking the task out leaves a finished placeholder for Drop to cancel again.
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        // A job that panicked has ended all the same; there is nothing more to wait for.
        let _ = task.await;
    }
}

impl Drop for JobHandle {
    fn drop(&mut self) {
        self.token.cancel();
    }
}

/// The running jobs, keyed by what each one watches (a batch, a study…). Starting a job
/// for a key that already has one replaces (and so cancels) the old one.
#[derive(Debug)]
pub struct Jobs<K> {
    running: HashMap<K, JobHandle>,
}

impl<K> Default for Jobs<K> {
    fn default() -> Self {
        Self {
            running: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash + Clone> Jobs<K> {
    pub fn start(&mut self, key: K, handle: JobHandle) {
        self.forget_finished();
        self.running.insert(key, handle);
    }

    /// Cancels the job for `key`; returns whether there was one.
    pub fn stop(&mut self, key: &K) -> bool {
        self.running.remove(key).is_some()
    }

    /// Keys whose job is still running.
    pub fn active(&mut self) -> Vec<K> {
        self.forget_finished();
        self.running.keys().cloned().collect()
    }

    fn forget_finished(&mut self) {
        self.running.retain(|_, handle| !handle.is_finished());
    }
}

/// Cancellable work of one kind (an upload, a setup, a check of the data file): one run
/// at a time, which the researcher can cancel. A new run cancels the one before.
#[derive(Debug, Default)]
pub struct Cancellable(std::sync::Mutex<Runs>);

impl Cancellable {
    /// Runs `work` as this kind's current run: an earlier run still going is cancelled,
    /// and `work` gets the token that cancels this one.
    pub async fn run<T, Fut>(&self, work: impl FnOnce(CancellationToken) -> Fut) -> T
    where
        Fut: Future<Output = T>,
    {
        let (id, cancel) = self.runs().begin();
        let result = work(cancel).await;
        self.runs().end(id);
        result
    }

    /// Cancels the current run, if any.
    pub fn cancel(&self) {
        self.runs().cancel();
    }

    /// A panic elsewhere cannot leave the runs in a state worth refusing.
    fn runs(&self) -> std::sync::MutexGuard<'_, Runs> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A number telling runs apart, and the current run's cancellation.
#[derive(Debug, Default)]
struct Runs {
    current: Option<(u64, CancellationToken)>,
    started: u64,
}

impl Runs {
    /// A new run, cancelling any earlier one still going.
    fn begin(&mut self) -> (u64, CancellationToken) {
        if let Some((_, previous)) = self.current.take() {
            previous.cancel();
        }
        self.started += 1;
        let token = CancellationToken::new();
        self.current = Some((self.started, token.clone()));
        (self.started, token)
    }

    /// Forgets run `id` once it has ended, unless a newer one replaced it.
    fn end(&mut self, id: u64) {
        if self
            .current
            .as_ref()
            .is_some_and(|(current, _)| *current == id)
        {
            self.current = None;
        }
    }

    fn cancel(&self) {
        if let Some((_, token)) = &self.current {
            token.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn counting(
        runs: &Arc<AtomicU32>,
        stop_after: u32,
    ) -> impl FnMut() -> std::future::Ready<Next> + Send + 'static {
        let runs = Arc::clone(runs);
        move || {
            let done = runs.fetch_add(1, Ordering::SeqCst) + 1;
            std::future::ready(if done >= stop_after {
                Next::Stop
            } else {
                Next::After(Duration::from_secs(done.into()))
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn runs_at_the_intervals_the_work_asks_for_then_stops() {
        let runs = Arc::new(AtomicU32::new(0));
        let handle = JobHandle::spawn(Duration::from_secs(1), counting(&runs, 3));
        // Paused time advances only when every task is idle, so these are exact.
        tokio::time::sleep(Duration::from_millis(999)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 0);
        tokio::time::sleep(Duration::from_millis(2)).await; // t = 1.001 s: first run
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        tokio::time::sleep(Duration::from_secs(1)).await; // t = 2.001 s: second run
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        tokio::time::sleep(Duration::from_secs(2)).await; // t = 4.001 s: third, then Stop
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        tokio::task::yield_now().await;
        assert!(handle.is_finished());
    }

    #[tokio::test(start_paused = true)]
    async fn dropping_the_handle_cancels_the_job() {
        let runs = Arc::new(AtomicU32::new(0));
        let handle = JobHandle::spawn(Duration::from_secs(1), counting(&runs, u32::MAX));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        drop(handle);
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn cancelling_does_not_wait_for_slow_work() {
        let started = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&started);
        let handle = JobHandle::spawn(Duration::ZERO, move || {
            seen.fetch_add(1, Ordering::SeqCst);
            std::future::pending::<Next>()
        });
        tokio::time::sleep(Duration::from_millis(1)).await;
        assert_eq!(started.load(Ordering::SeqCst), 1);
        // Would hang forever if cancellation waited for the pending work.
        handle.cancel_and_wait().await;
    }

    #[tokio::test(start_paused = true)]
    async fn replacing_a_job_cancels_the_old_one() {
        let first = Arc::new(AtomicU32::new(0));
        let second = Arc::new(AtomicU32::new(0));
        let mut jobs = Jobs::default();
        jobs.start(
            "batch-1",
            JobHandle::spawn(Duration::from_secs(1), counting(&first, u32::MAX)),
        );
        jobs.start(
            "batch-1",
            JobHandle::spawn(Duration::from_secs(1), counting(&second, u32::MAX)),
        );
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(first.load(Ordering::SeqCst), 0);
        assert_eq!(second.load(Ordering::SeqCst), 1);
        assert_eq!(jobs.active(), vec!["batch-1"]);
        assert!(jobs.stop(&"batch-1"));
        assert!(!jobs.stop(&"batch-1"));
        assert!(jobs.active().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn finished_jobs_leave_the_active_list() {
        let runs = Arc::new(AtomicU32::new(0));
        let mut jobs = Jobs::default();
        jobs.start(7_u32, JobHandle::spawn(Duration::ZERO, counting(&runs, 1)));
        tokio::time::sleep(Duration::from_millis(1)).await;
        tokio::task::yield_now().await;
        assert!(jobs.active().is_empty());
    }

    #[test]
    fn a_new_run_cancels_the_old_one_and_only_its_own_end_clears_it() {
        let mut runs = Runs::default();
        let (first, first_token) = runs.begin();
        let (second, second_token) = runs.begin();
        assert!(first_token.is_cancelled());
        runs.end(first);
        runs.cancel();
        assert!(
            second_token.is_cancelled(),
            "the second is still the current one"
        );
        runs.end(second);
        assert!(runs.current.is_none());
    }

    #[tokio::test]
    async fn a_run_can_be_cancelled_from_outside() {
        let kind = Cancellable::default();
        let slot = &kind;
        let cancelled = slot
            .run(|cancel| async move {
                slot.cancel();
                cancel.is_cancelled()
            })
            .await;
        assert!(cancelled);
    }
}
