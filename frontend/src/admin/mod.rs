//! The platform administrator's pages: for now, the platform's lists.

mod taxonomy;

pub use taxonomy::TaxonomyPage;
