//! The pager under every paginated list, and the state of a list searched by words.

use yew::prelude::*;

use crate::form::value_of;
use crate::i18n::use_i18n;

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    pub page: i64,
    pub total: i64,
    pub per_page: i64,
    /// Translation key naming the pages, for assistive technology.
    pub label: &'static str,
    pub on_page: Callback<i64>,
}

#[function_component]
pub fn Pager(props: &PagerProps) -> Html {
    let i18n = use_i18n();
    let per_page = props.per_page.max(1);
    let pages = ((props.total + per_page - 1) / per_page).max(1);
    html! {
        <nav class="pager" aria-label={i18n.t(props.label)}>
            { page_button(i18n.t("clients.prev"), props.page - 1, pages, &props.on_page) }
            <span>
                { i18n.tf("clients.page_of", &[
                    ("page", &props.page.to_string()),
                    ("pages", &pages.to_string()),
                ]) }
            </span>
            { page_button(i18n.t("clients.next"), props.page + 1, pages, &props.on_page) }
        </nav>
    }
}

/// Past the first or last page the button stays focusable but does nothing
/// (`aria-disabled`): a truly disabled button would drop the keyboard focus.
fn page_button(label: &'static str, target: i64, pages: i64, go: &Callback<i64>) -> Html {
    let outside = !(1..=pages).contains(&target);
    let onclick = go.reform(move |_: MouseEvent| target);
    let onclick = (!outside).then_some(onclick);
    html! {
        <button type="button" aria-disabled={outside.then_some("true")} {onclick}>{ label }</button>
    }
}

/// A list searched by words a page at a time: the words searched (set when the search is
/// sent, not as typed) and the page, which a new search sets back to the first.
#[derive(Clone)]
pub struct Searched {
    pub q: UseStateHandle<String>,
    pub typed: UseStateHandle<String>,
    pub page: UseStateHandle<i64>,
}

impl Searched {
    pub fn onsearch(&self) -> Callback<SubmitEvent> {
        let (q, typed, page) = (self.q.clone(), self.typed.clone(), self.page.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            q.set((*typed).clone());
            page.set(1);
        })
    }

    pub fn on_typed(&self) -> Callback<InputEvent> {
        let typed = self.typed.clone();
        Callback::from(move |e: InputEvent| typed.set(value_of(&e)))
    }

    pub fn on_page(&self) -> Callback<i64> {
        let page = self.page.clone();
        Callback::from(move |to: i64| page.set(to))
    }
}

#[hook]
pub fn use_searched() -> Searched {
    Searched {
        q: use_state(String::new),
        typed: use_state(String::new),
        page: use_state(|| 1i64),
    }
}
