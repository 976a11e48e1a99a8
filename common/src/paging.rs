//! The page window every paginated list takes: 1-based page and a bounded page size.

use crate::error::ValidationErrors;

pub const PER_PAGE_DEFAULT: i64 = 20;
pub const PER_PAGE_MAX: i64 = 100;

/// The (page, per page) asked for, once valid; the problems are added to `errors`.
pub fn window(
    page: Option<i64>,
    per_page: Option<i64>,
    errors: &mut ValidationErrors,
) -> (i64, i64) {
    let page = page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        errors.add("page", "out_of_range", "Page must be from 1 to 100000");
    }
    let per_page = per_page.unwrap_or(PER_PAGE_DEFAULT);
    if !(1..=PER_PAGE_MAX).contains(&per_page) {
        errors.add(
            "per_page",
            "out_of_range",
            format!("Per page must be from 1 to {PER_PAGE_MAX}"),
        );
    }
    (page, per_page)
}

/// The window of a list searched by a few words of a name: at most 100 characters of them.
pub fn searched(
    q: Option<&str>,
    page: Option<i64>,
    per_page: Option<i64>,
) -> Result<(i64, i64), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let window = window(page, per_page, &mut errors);
    if q.is_some_and(|q| q.chars().count() > 100) {
        errors.add("q", "too_long", "At most 100 characters");
    }
    errors.into_result(|| window)
}
