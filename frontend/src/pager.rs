//! The pager under every paginated list, the state of a list searched by words, and of a
//! list whose filters live in the address.

use serde::{de::DeserializeOwned, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

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

/// A list's query as the address holds it: filters and a 1-based page, which a change of
/// filter sets back to the first.
pub trait ListQuery: Serialize + DeserializeOwned + Default + Clone + 'static {
    fn set_page(&mut self, page: Option<i64>);
}

macro_rules! list_queries {
    ($($query:ty),* $(,)?) => {
        $(impl ListQuery for $query {
            fn set_page(&mut self, page: Option<i64>) {
                self.page = page;
            }
        })*
    };
}

list_queries!(
    common::activities::ActivityListQuery,
    common::assessments::AssessmentListQuery,
    common::cases::CaseListQuery,
    common::enquiries::EnquiryListQuery,
    common::hub::ResourceQuery,
);

/// A list whose filters and page live in the address, so a view can be kept as a link and
/// Back returns to it. The API is asked with the very query the address holds, encoded
/// the same way, so no filter of a kept link is lost on the way.
#[derive(Clone)]
pub struct AddressedList<Q> {
    pub query: Q,
    pub go: Callback<Q>,
}

#[hook]
pub fn use_addressed_list<Q, R>(route: R) -> AddressedList<Q>
where
    Q: ListQuery,
    R: Routable + 'static,
{
    let navigator = use_navigator();
    let query = use_location()
        .and_then(|l| l.query::<Q>().ok())
        .unwrap_or_default();
    let go = Callback::from(move |next: Q| {
        if let Some(navigator) = &navigator {
            let _ = navigator.push_with_query(&route, &next);
        }
    });
    AddressedList { query, go }
}

impl<Q: ListQuery> AddressedList<Q> {
    /// `path` asked with this list's query.
    pub fn api(&self, path: &str) -> String {
        match serde_urlencoded::to_string(&self.query) {
            Ok(query) if !query.is_empty() => format!("{path}?{query}"),
            _ => path.to_owned(),
        }
    }

    /// The query changed by `change`, back on the first page.
    pub fn refined(&self, change: impl FnOnce(&mut Q)) -> Q {
        let mut next = self.query.clone();
        change(&mut next);
        next.set_page(None);
        next
    }

    /// A filter's choice: `apply` sets the filter from the value chosen.
    pub fn on_choose(&self, apply: fn(&mut Q, &str)) -> Callback<String> {
        self.on_value(move |q, value: String| apply(q, &value))
    }

    /// A typed filter's choice, such as a closed list's value.
    pub fn on_value<V: 'static>(&self, apply: impl Fn(&mut Q, V) + 'static) -> Callback<V> {
        let list = self.clone();
        Callback::from(move |value: V| list.go.emit(list.refined(|q| apply(q, value))))
    }

    /// A filter control's change: `apply` sets the filter from the control's value.
    pub fn on_filter(&self, apply: fn(&mut Q, &str)) -> Callback<Event> {
        self.on_choose(apply)
            .reform(|event: Event| value_of(&event))
    }

    pub fn on_page(&self) -> Callback<i64> {
        let query = self.query.clone();
        self.go.reform(move |page: i64| {
            let mut next = query.clone();
            next.set_page(Some(page));
            next
        })
    }
}
