//! Searching the contact notes the user may read, in Chinese or English; each note found
//! links to its case.

use common::case_notes::{NoteHit, NoteHitPage, NoteSearchQuery};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{hong_kong, person_name};
use crate::api::{use_fetch, Fetch, Load};
use crate::app::Route;
use crate::history_search::{use_history_search, Search, SearchBox};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::pager::Pager;

#[function_component]
pub fn NoteSearchPage() -> Html {
    use_title("note_search.title");
    let i18n = use_i18n();
    let SearchBox {
        search,
        generation,
        draft,
        onsubmit,
        oninput,
        on_page,
    } = use_history_search(Route::NoteSearch);
    html! {
        <section>
            <div class="page-head"><h1>{ i18n.t("note_search.title") }</h1></div>
            <form role="search" class="search" id="note-search" {onsubmit}>
                <label for="note-search-q">{ i18n.t("note_search.label") }</label>
                <p id="note-search-hint" class="hint">{ i18n.t("note_search.hint") }</p>
                <div class="search-row">
                    <input id="note-search-q" type="search" name="q" autocomplete="off"
                        aria-describedby="note-search-hint" value={draft} {oninput} />
                    <button type="submit">{ i18n.t("note_search.submit") }</button>
                </div>
            </form>
            if !search.q.is_empty() {
                <NoteHits search={search.clone()} {generation} {on_page} />
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
                    { i18n.tf(if found.total_estimated { "note_search.total_about" } else { "note_search.total" },
                        &[("total", &found.total.to_string())]) }
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
