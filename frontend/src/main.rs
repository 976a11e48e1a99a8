//! FamilyLink's single-page app: this file only mounts it; `app` holds the router and shell.

mod activities;
mod admin;
mod analytics;
mod api;
mod app;
mod assessments;
mod cases;
mod chart;
mod child_protection;
mod circle;
mod clients;
mod enquiries;
mod filters;
mod form;
mod history_search;
mod households;
mod hub;
mod i18n;
mod identity;
mod not_found;
mod outcomes;
mod pager;
mod risk;
mod statistics;
mod terms;
mod training;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
