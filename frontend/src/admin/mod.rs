//! The platform administrator's pages: the platform's lists, and the district population
//! the dashboards' rates are reckoned against.

mod population;
mod taxonomy;

pub use population::PopulationPanel;
pub use taxonomy::TaxonomyPage;
