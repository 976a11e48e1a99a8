//! DAS: aggregate, non-identifying figures about clients.

mod chart;
mod das;

pub use das::DasPage;
