//! Searching the contact notes the user may read, in Chinese or English; each note found
//! links to its case.

use common::case_notes::{NoteHit, NoteHitPage, NoteSearchQuery};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{hong_kong, person_name};
use crate::api::{use_fetch, Fetch, Load};
use crate::app::Route;
use crate::i18n::{use_i18n, use_title, I18n};
use crate::pager::Pager;

/// The search lives in the page's history entry, not in its address: what was looked for
/// (a name, what someone said) stays out of the address bar, the browser's history and
/// server logs, and going back from a case returns to the same results.
#[derive(Debug, Clone, Default, PartialEq)]
struct Search {
    q: String,
    page: i64,
}

#[function_component]
pub fn NoteSearchPage() -> Html {
    use_title("note_search.title");
    let i18n = use_i18n();
    let navigator = use_navigator();
    let search: Search = use_location()
        .and_then(|l| l.state::<Search>())
        .map(|state| (*state).clone())
        .unwrap_or_default();
    // Searching again for the same words still reloads: a note may have been written.
    let generation = use_state(|| 0u32);
    let draft = use_state(|| search.q.clone());
    {
        // The back button changes the search; the box follows it.
        let draft = draft.clone();
        use_effect_with(search.q.clone(), move |q| draft.set(q.clone()));
    }
    let go = Callback::from(move |search: Search| {
        if let Some(navigator) = &navigator {
            navigator.push_with_state(&Route::NoteSearch, search);
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
    html! {
        <section>
            <div class="page-head"><h1>{ i18n.t("note_search.title") }</h1></div>
            <form role="search" class="search" id="note-search" {onsubmit}>
                <label for="note-search-q">{ i18n.t("note_search.label") }</label>
                <p id="note-search-hint" class="hint">{ i18n.t("note_search.hint") }</p>
                <div class="search-row">
                    <input id="note-search-q" type="search" name="q" autocomplete="off"
                        aria-describedby="note-search-hint" value={(*draft).clone()} {oninput} />
                    <button type="submit">{ i18n.t("note_search.submit") }</button>
                </div>
            </form>
            if !search.q.is_empty() {
                <NoteHits search={search.clone()} generation={*generation} {on_page} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NoteHitsProps {
    search: Search,
    generation: u32,
    on_page: Callback<i64>,
}

/// The notes a search found, a page at a time.
#[function_component]
fn NoteHits(props: &NoteHitsProps) -> Html {
    let i18n = use_i18n();
    let query = NoteSearchQuery {
        q: props.search.q.clone(),
        page: Some(props.search.page.max(1)),
    };
    let fetch = Fetch {
        path: "/api/case-notes/search".to_owned(),
        body: serde_json::to_value(query).ok(),
    };
    let found = use_fetch::<NoteHitPage>(fetch, props.generation);
    match &*found {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        // A term too short or too long is said plainly, not as a form to correct.
        Load::Failed(error) => html! {
            <p role="alert" class="alert">
                { error.fields.get("q").map_or_else(|| i18n.error(error), |e| i18n.field_error(e)) }
            </p>
        },
        Load::Ready(found) => html! {
            <>
                <p role="status" class="result-count">
                    { i18n.tf("note_search.total", &[("total", &found.total.to_string())]) }
                </p>
                if found.items.is_empty() {
                    <p>{ i18n.t("note_search.none") }</p>
                } else {
                    <ol class="note-hits" id="note-search-results" aria-label={i18n.t("note_search.results")}>
                        { for found.items.iter().map(|hit| hit_view(i18n, hit)) }
                    </ol>
                }
                <Pager page={found.page} total={found.total} per_page={found.per_page}
                    label="note_search.paging" on_page={props.on_page.clone()} />
            </>
        },
    }
}

fn hit_view(i18n: I18n, hit: &NoteHit) -> Html {
    html! {
        <li key={hit.note_id.clone()}>
            <p>
                <Link<Route> to={Route::CaseDetail { id: hit.case_id.clone() }}>
                    { format!("{} {}", hit.case_number, person_name(&hit.client)) }
                </Link<Route>>
            </p>
            <p class="note-meta">
                { format!("{} · {} · {}", hong_kong(hit.contact_at),
                    i18n.code("contact_type", hit.contact_type.as_str()), hit.author.display_name) }
            </p>
            <p class="narrative">{ hit.excerpt.clone() }</p>
        </li>
    }
}
