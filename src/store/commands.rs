//! Commands left for a running engine by another process: `poll-now` and a dashboard beside
//! the daemon (`S`, `p`). The engine takes them within 250 ms and notes when; the asker waits
//! for that note, and withdraws a command nobody took.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Result, Store, StoreError, millis};

/// What another process may ask of the running engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlCommand {
    /// Poll Shoptet now.
    SyncNow,
    Pause,
    Resume,
}

impl ControlCommand {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlCommand::SyncNow => "sync_now",
            ControlCommand::Pause => "pause",
            ControlCommand::Resume => "resume",
        }
    }

    fn parse(text: &str) -> Result<ControlCommand> {
        match text {
            "sync_now" => Ok(ControlCommand::SyncNow),
            "pause" => Ok(ControlCommand::Pause),
            "resume" => Ok(ControlCommand::Resume),
            other => Err(StoreError::Corrupt(format!("engine command {other:?}"))),
        }
    }
}

/// Where a command left for the engine stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandStatus {
    Waiting,
    Taken,
    /// Withdrawn, or cleared by an engine that started after it was left.
    Gone,
}

/// Taken commands are kept this long (for the asker to see), then removed.
const KEEP_TAKEN_MS: i64 = 60_000;

impl Store {
    /// Leaves `cmd` for the running engine; returns its id.
    pub fn request_command(&mut self, cmd: ControlCommand) -> Result<i64> {
        let now = millis(self.now());
        self.conn
            .prepare_cached("INSERT INTO engine_commands (command, requested_at) VALUES (?1, ?2)")?
            .execute(params![cmd.as_str(), now])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn command_status(&self, id: i64) -> Result<CommandStatus> {
        let taken: Option<Option<i64>> = self
            .conn
            .prepare_cached("SELECT taken_at FROM engine_commands WHERE id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()?;
        Ok(match taken {
            None => CommandStatus::Gone,
            Some(None) => CommandStatus::Waiting,
            Some(Some(_)) => CommandStatus::Taken,
        })
    }

    /// Withdraws a command nobody took; false when the engine took it meanwhile.
    pub fn withdraw_command(&mut self, id: i64) -> Result<bool> {
        let n = self
            .conn
            .prepare_cached("DELETE FROM engine_commands WHERE id = ?1 AND taken_at IS NULL")?
            .execute(params![id])?;
        Ok(n > 0 || self.command_status(id)? == CommandStatus::Gone)
    }

    /// The waiting commands, oldest first, marked taken in the same transaction (so two readers
    /// never both take one); taken commands older than a minute go then. Without a waiting
    /// command this is one read.
    pub fn take_commands(&mut self) -> Result<Vec<ControlCommand>> {
        let waiting: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM engine_commands WHERE taken_at IS NULL)")?
            .query_row([], |r| r.get(0))?;
        if !waiting {
            return Ok(Vec::new());
        }
        let now = millis(self.now());
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let texts = tx
            .prepare_cached("SELECT command FROM engine_commands WHERE taken_at IS NULL ORDER BY id")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tx.prepare_cached("UPDATE engine_commands SET taken_at = ?1 WHERE taken_at IS NULL")?
            .execute(params![now])?;
        tx.prepare_cached("DELETE FROM engine_commands WHERE taken_at < ?1")?
            .execute(params![now - KEEP_TAKEN_MS])?;
        tx.commit()?;
        texts.iter().map(|t| ControlCommand::parse(t)).collect()
    }

    /// Drops every command (an engine starting up: what was asked of an earlier one is moot).
    pub fn clear_commands(&mut self) -> Result<()> {
        self.conn.prepare_cached("DELETE FROM engine_commands")?.execute([])?;
        Ok(())
    }
}
