//! A search kept in the page's history entry, not in its address: what was looked for (a
//! name, an HKID, what someone said) stays out of the address bar, the browser's history
//! and server logs, and going back from a record returns to the same results.

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub q: String,
    pub page: i64,
}

impl Default for Search {
    fn default() -> Self {
        Self {
            q: String::new(),
            page: 1,
        }
    }
}

/// The search box of a page: the search in the history entry, the words being typed, and
/// what submitting and paging do.
pub struct SearchBox {
    pub search: Search,
    /// Bumped by every submission: searching again for the same words still reloads, as a
    /// record may have been added meanwhile.
    pub generation: u32,
    pub draft: String,
    pub onsubmit: Callback<SubmitEvent>,
    pub oninput: Callback<InputEvent>,
    pub on_page: Callback<i64>,
}

#[hook]
pub fn use_history_search(route: Route) -> SearchBox {
    let navigator = use_navigator();
    let search: Search = use_location()
        .and_then(|l| l.state::<Search>())
        .map(|state| (*state).clone())
        .unwrap_or_default();
    let generation = use_state(|| 0u32);
    let draft = use_state(|| search.q.clone());
    {
        // The back button changes the search; the box follows it.
        let draft = draft.clone();
        use_effect_with(search.q.clone(), move |q| draft.set(q.clone()));
    }
    let go = Callback::from(move |search: Search| {
        if let Some(navigator) = &navigator {
            navigator.push_with_state(&route, search);
        }
    });
    let onsubmit = {
        let (draft, go, generation) = (draft.clone(), go.clone(), generation.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            generation.set(generation.wrapping_add(1));
            go.emit(Search {
                q: draft.trim().to_owned(),
                page: 1,
            });
        })
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            draft.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_page = {
        let q = search.q.clone();
        go.reform(move |page: i64| Search { q: q.clone(), page })
    };
    SearchBox {
        generation: *generation,
        draft: (*draft).clone(),
        search,
        onsubmit,
        oninput,
        on_page,
    }
}
