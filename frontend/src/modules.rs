//! Pages for modules that are not built yet, and for unknown addresses.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::i18n::{use_i18n, use_title};

#[derive(Properties, PartialEq)]
pub struct ModulePageProps {
    /// Translation key of the module's name.
    pub name: &'static str,
}

#[function_component]
pub fn ModulePage(props: &ModulePageProps) -> Html {
    use_title(props.name);
    let i18n = use_i18n();
    html! {
        <section>
            <h1>{ i18n.t(props.name) }</h1>
            <p>{ i18n.t("module.unavailable") }</p>
        </section>
    }
}

#[function_component]
pub fn NotFoundPage() -> Html {
    use_title("notfound.title");
    let i18n = use_i18n();
    html! {
        <section>
            <h1>{ i18n.t("notfound.title") }</h1>
            <p>{ i18n.t("notfound.text") }</p>
            <p><Link<Route> to={Route::Home}>{ i18n.t("notfound.home") }</Link<Route>></p>
        </section>
    }
}
