//! The runner: one `select!` over terminal input, a 1 s tick, engine news and finished
//! background work; every input becomes an `Action` for `App::update`.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, AppInit};
use crate::tui::deps::{DashboardDeps, EngineLink, OnSave};
use crate::tui::probe::SetupProbe;
use crate::tui::terminal;

pub async fn run_dashboard(deps: DashboardDeps) -> io::Result<()> {
    let mut term = terminal::init()?;
    let _guard = terminal::RestoreGuard;
    let mut signals = terminal::Signals::new()?;
    run_with(&mut term, EventStream::new(), async move { signals.recv().await }, deps).await
}

/// The loop itself, over any backend and event source (tests use `TestBackend` and a channel).
/// Ends on quit, when `shutdown` resolves, or when the event source ends.
pub async fn run_with<B, E>(
    term: &mut Terminal<B>,
    mut events: E,
    shutdown: impl Future<Output = ()>,
    deps: DashboardDeps,
) -> io::Result<()>
where
    B: Backend,
    E: Stream<Item = io::Result<Event>> + Unpin,
{
    let DashboardDeps { source, config, setup, config_path, mut engine, probe, mut on_save, lang, banner } =
        deps;
    let size = term.size().map_err(backend_error)?;
    let mut app = App::new(AppInit {
        source,
        config,
        config_path,
        commands: engine.as_ref().map(|l| l.commands.clone()),
        status: engine.as_ref().map(|l| l.status.borrow().clone()),
        probe: probe.clone(),
        lang,
        banner,
        now: Utc::now(),
        size: (size.width, size.height),
        setup,
    });
    let (tx, mut rx) = unbounded_channel::<Action>();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut shutdown = std::pin::pin!(shutdown);

    loop {
        for effect in app.take_effects() {
            run_effect(effect, &probe, &tx, &mut on_save, &mut engine, &mut app);
        }
        if app.should_quit() {
            break;
        }
        term.draw(|f| app.render(f)).map_err(backend_error)?;
        let action = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => app.map_event(&ev),
                Some(Err(e)) => return Err(e),
                None => Some(Action::Quit),
            },
            _ = tick.tick() => Some(Action::Tick(Utc::now())),
            Some(a) = rx.recv() => Some(a),
            a = engine_news(&mut engine) => Some(a),
            _ = &mut shutdown => Some(Action::Quit),
        };
        if let Some(a) = action {
            app.update(a);
        }
        while let Ok(a) = rx.try_recv() {
            app.update(a);
        }
    }
    // Leave the final frame on the backend (what a test inspects; a terminal is restored next).
    term.draw(|f| app.render(f)).map_err(backend_error)?;
    Ok(())
}

fn backend_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// The next engine event or status change; never resolves without an engine.
async fn engine_news(engine: &mut Option<EngineLink>) -> Action {
    let Some(link) = engine.as_mut() else {
        return std::future::pending().await;
    };
    tokio::select! {
        r = link.events.recv() => match r {
            Ok(ev) => Action::Engine(ev),
            Err(RecvError::Lagged(_)) => Action::Refresh,
            Err(RecvError::Closed) => std::future::pending().await,
        },
        r = link.status.changed() => match r {
            Ok(()) => Action::Status(link.status.borrow_and_update().clone()),
            Err(_) => std::future::pending().await,
        },
    }
}

fn run_effect(
    effect: Effect,
    probe: &Arc<dyn SetupProbe>,
    tx: &UnboundedSender<Action>,
    on_save: &mut OnSave,
    engine: &mut Option<EngineLink>,
    app: &mut App,
) {
    match effect {
        Effect::TestShoptet { base_url, token, addon_eshop_url } => {
            let (probe, tx) = (probe.clone(), tx.clone());
            tokio::spawn(async move {
                let r = probe.test_shoptet(base_url, token, addon_eshop_url).await;
                let _ = tx.send(Action::ShoptetTested(r));
            });
        }
        Effect::TestRaynet { base_url, instance, username, api_key } => {
            let (probe, tx) = (probe.clone(), tx.clone());
            tokio::spawn(async move {
                let r = probe.test_raynet(base_url, instance, username, api_key).await;
                let _ = tx.send(Action::RaynetTested(r));
            });
        }
        Effect::ResolveNames(cfg) => {
            let (probe, tx) = (probe.clone(), tx.clone());
            tokio::spawn(async move {
                // Both at once: one slow service must not hold back the other's names.
                let (shoptet, raynet) = tokio::join!(
                    probe.test_shoptet(
                        cfg.shoptet.base_url.clone(),
                        cfg.shoptet.api_token.clone(),
                        (cfg.shoptet.auth == crate::config::ShoptetAuth::Addon).then(|| cfg
                            .shoptet
                            .eshop_url
                            .clone()
                            .unwrap_or_default()),
                    ),
                    probe.test_raynet(
                        cfg.raynet.base_url.clone(),
                        cfg.raynet.instance.clone(),
                        cfg.raynet.username.clone(),
                        cfg.raynet.api_key.clone(),
                    ),
                );
                let _ = tx.send(Action::NamesResolved { shoptet: Some(shoptet), raynet: Some(raynet) });
            });
        }
        Effect::SetUpWebhooks { shop, job } => {
            let (probe, tx) = (probe.clone(), tx.clone());
            tokio::spawn(async move {
                let r = probe.set_up_webhooks(shop, job).await;
                let _ = tx.send(Action::WebhooksSetUp(r));
            });
        }
        Effect::RunChecks(cfg) => {
            let (probe, tx) = (probe.clone(), tx.clone());
            tokio::spawn(async move {
                let checks = probe.doctor(*cfg).await;
                let _ = tx.send(Action::ChecksDone(checks));
            });
        }
        Effect::Save(cfg) => {
            let result = on_save(&cfg).map(|link| {
                if let Some(link) = link {
                    app.commands = Some(link.commands.clone());
                    app.status = Some(link.status.borrow().clone());
                    *engine = Some(link);
                }
            });
            app.update(Action::Saved(result));
        }
    }
}
