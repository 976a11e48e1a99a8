//! The page for an address the app does not know.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::i18n::{use_i18n, use_title};

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
