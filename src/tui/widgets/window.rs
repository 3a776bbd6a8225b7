//! A scrolling window over a paged result: only the visible rows are ever fetched.

use crate::tui::source::Page;

#[derive(Debug, Clone)]
pub struct Window<T> {
    pub page: Page<T>,
    /// Absolute index of the first row in `page`.
    pub offset: u64,
    /// Absolute index of the selected row.
    pub selected: u64,
    pub error: Option<String>,
}

impl<T> Default for Window<T> {
    fn default() -> Self {
        Window { page: Page::default(), offset: 0, selected: 0, error: None }
    }
}

impl<T> Window<T> {
    pub fn selected_row(&self) -> Option<&T> {
        let i = self.selected.checked_sub(self.offset)?;
        self.page.rows.get(usize::try_from(i).ok()?)
    }

    /// Index of the selected row inside the page, for highlighting.
    pub fn selected_in_page(&self) -> Option<usize> {
        self.selected_row()?;
        usize::try_from(self.selected - self.offset).ok()
    }

    /// Moves the selection and keeps it inside a window of `rows`; true when the window moved.
    pub fn move_by(&mut self, delta: i64, rows: u64) -> bool {
        let last = self.page.total.saturating_sub(1);
        let target = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta.unsigned_abs()).min(last)
        };
        self.selected = target;
        self.fit(rows)
    }

    /// Adjusts the window start so the selection is visible; true when it changed.
    pub fn fit(&mut self, rows: u64) -> bool {
        let rows = rows.max(1);
        let before = self.offset;
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset != before
    }

    /// Stores a freshly fetched page (or its error), keeping the selection in range.
    /// True when the window had to move (the caller fetches again).
    pub fn set(&mut self, result: Result<Page<T>, String>, rows: u64) -> bool {
        match result {
            Ok(page) => {
                self.error = None;
                self.page = page;
                if self.page.total == 0 {
                    self.selected = 0;
                    self.offset = 0;
                } else if self.selected >= self.page.total {
                    self.selected = self.page.total - 1;
                }
                if self.offset > self.selected {
                    self.offset = self.selected.saturating_sub(rows.saturating_sub(1));
                    return true;
                }
                false
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    pub fn reset(&mut self) {
        self.offset = 0;
        self.selected = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(total: u64) -> Window<u64> {
        let mut w = Window::default();
        w.set(Ok(Page { rows: (0..10).collect(), total }), 10);
        w
    }

    #[test]
    fn moving_past_the_window_shifts_it_and_clamps_at_the_end() {
        let mut w = window(25);
        assert!(!w.move_by(9, 10));
        assert!(w.move_by(1, 10));
        assert_eq!((w.offset, w.selected), (1, 10));
        w.move_by(100, 10);
        assert_eq!((w.offset, w.selected), (15, 24));
        w.move_by(-100, 10);
        assert_eq!((w.offset, w.selected), (0, 0));
    }

    #[test]
    fn a_shrinking_result_pulls_the_selection_back() {
        let mut w = window(25);
        w.move_by(20, 10);
        let moved = w.set(Ok(Page { rows: vec![], total: 2 }), 10);
        assert!(moved);
        assert_eq!(w.selected, 1);
        assert_eq!(w.offset, 0);
    }
}
