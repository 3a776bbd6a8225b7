//! Long work on the command line: one line that says how big a first sync or a backfill is
//! (orders, RAYNET requests, today's budget, ETA), and a progress bar with counts and the ETA —
//! drawn only when stderr is a terminal, so never in JSON mode, cron mail or the journal.

use std::io::IsTerminal;

use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::render::{plural, when};
use crate::engine::api::EngineStatus;
use crate::engine::estimate::{Estimate, WorkKind};
use crate::runtime::logging;

fn kind_name(k: WorkKind) -> &'static str {
    match k {
        WorkKind::FirstSync => "First sync",
        WorkKind::Backfill => "Backfill",
        WorkKind::Backlog => "Backlog",
    }
}

/// "Backfill: 1240 orders (35 new clients, 12 new products), ≈ 5960 RAYNET requests, budget
/// left today 23715 (2000 kept for new orders), ETA 2026-12-08 14:05".
pub(super) fn describe(e: &Estimate, now: DateTime<Utc>) -> String {
    let budget = match e.budget_left {
        Some(b) => format!("budget left today {b} of {}", e.daily_limit),
        None => format!("budget left today not reported yet ({} a day)", e.daily_limit),
    };
    format!(
        "{}: {} ({}, {}), ≈ {} RAYNET requests, {budget} ({} kept for new orders), {}",
        kind_name(e.kind),
        plural(e.orders, "order", "orders"),
        plural(e.new_clients, "new client", "new clients"),
        plural(e.new_products, "new product", "new products"),
        e.raynet_requests,
        e.reserve,
        eta(e, now)
    )
}

/// "ETA …", or why the work waits, or why it never ends.
fn eta(e: &Estimate, now: DateTime<Utc>) -> String {
    match (e.held_until, e.days, e.eta, e.next_reset) {
        (Some(until), ..) => format!("waits for RAYNET's budget to reset {}", at(until, now)),
        (None, Some(days), Some(eta), Some(reset)) if days > 1 => format!(
            "more than today's budget: {days} days, going on after the reset {}; ETA {}",
            at(reset, now),
            when(eta, now)
        ),
        (None, Some(_), Some(eta), _) => format!("ETA {}", when(eta, now)),
        _ => "never: sync.backfill_reserve takes the whole daily budget".into(),
    }
}

/// "at 2026-12-08 01:00" or "now" / "in 5 min 3 s".
fn at(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let w = when(t, now);
    if w.starts_with(|c: char| c.is_ascii_digit()) { format!("at {w}") } else { w }
}

/// What the follower shows.
struct View {
    /// Print the estimate line when a first sync or backfill begins (text mode).
    announce: bool,
    announced: bool,
    bar: Option<ProgressBar>,
    terminal: bool,
}

impl View {
    fn update(&mut self, s: &EngineStatus) {
        let (Some((done, total)), Some(e)) = (s.progress, s.estimate.as_ref()) else { return };
        let now = Utc::now();
        if self.announce && !self.announced && e.kind != WorkKind::Backlog {
            println!("{}", describe(e, now));
            self.announced = true;
        }
        if !self.terminal {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| new_bar(total, e.kind));
        bar.set_length(total);
        bar.set_position(done);
        bar.set_message(eta(e, now));
    }
}

/// A bar on stderr; log lines are written above it while it is drawn.
fn new_bar(total: u64, kind: WorkKind) -> ProgressBar {
    let style = ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} orders · {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style);
    bar.set_prefix(kind_name(kind));
    let drawn = bar.clone();
    logging::around_stderr(Some(Box::new(move |write| drawn.suspend(write))));
    bar
}

/// Follows the engine's status while a pass runs (see the module documentation).
pub(super) struct Follower {
    stop: oneshot::Sender<()>,
    task: JoinHandle<bool>,
}

/// Starts following; `announce`: print the estimate line (not yet printed by the caller).
pub(super) fn follow(mut status: watch::Receiver<EngineStatus>, announce: bool) -> Follower {
    let (stop, mut stopped) = oneshot::channel();
    let terminal = std::io::stderr().is_terminal();
    let task = tokio::spawn(async move {
        let mut view = View { announce, announced: false, bar: None, terminal };
        loop {
            view.update(&status.borrow_and_update().clone());
            tokio::select! {
                _ = &mut stopped => break,
                changed = status.changed() => if changed.is_err() { break },
            }
        }
        if let Some(bar) = view.bar.take() {
            logging::around_stderr(None);
            bar.finish_and_clear();
        }
        view.announced
    });
    Follower { stop, task }
}

impl Follower {
    /// Stops following and clears the bar; true when the estimate line was printed.
    pub(super) async fn finish(self) -> bool {
        let _ = self.stop.send(());
        self.task.await.unwrap_or(false)
    }
}
