//! The platform administrator's pages: for now, the case nature taxonomy.

mod taxonomy;

pub use taxonomy::TaxonomyPage;
