//! The client list: search, pages of results and the Excel export.

use common::clients::{Client, ClientExportRequest, ClientPage, ClientQuery};
use common::error::ErrorBody;
use common::identity::Permission;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{save_file, use_fetch, with_query, Fetch, Load};
use crate::app::Route;
use crate::history_search::{use_history_search, SearchBox};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;
use crate::pager::Pager;

#[function_component]
pub fn ClientList() -> Html {
    use_title("clients.title");
    let i18n = use_i18n();
    let session = use_session();
    let SearchBox {
        search: query,
        generation,
        draft,
        onsubmit,
        oninput,
        on_page: go_to_page,
    } = use_history_search(Route::Clients);
    let page = query.page.max(1);
    let fetch = if query.q.is_empty() {
        Fetch::get(with_query("/api/clients", &[("page", &page.to_string())]))
    } else {
        let search = ClientQuery {
            q: Some(query.q.clone()),
            page: Some(page),
            per_page: None,
        };
        Fetch {
            path: "/api/clients/search".to_owned(),
            body: serde_json::to_value(search).ok(),
        }
    };
    let results = use_fetch::<ClientPage>(fetch, generation);

    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("clients.title") }</h1>
                <div class="actions">
                    if session.can(Permission::EditClients) {
                        <Link<Route> to={Route::ClientNew} classes="button primary">
                            { i18n.t("clients.register") }
                        </Link<Route>>
                    }
                    if session.can(Permission::ExportClients) {
                        <ExportButton q={query.q.clone()} />
                    }
                </div>
            </div>
            <form role="search" class="search" {onsubmit}>
                <label for="client-search">{ i18n.t("clients.search_label") }</label>
                <div class="search-row">
                    <input id="client-search" type="search" name="q" autocomplete="off"
                        value={draft} {oninput} />
                    <button type="submit">{ i18n.t("clients.search_submit") }</button>
                </div>
            </form>
            {
                match &*results {
                    Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                    Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                    Load::Ready(found) => {
                        html! {
                            <>
                                <p role="status" class="result-count">
                                    { i18n.tf(if found.total_estimated { "clients.total_about" } else { "clients.total" },
                                        &[("total", &found.total.to_string())]) }
                                </p>
                                if found.items.is_empty() {
                                    <p>{ i18n.t("clients.none") }</p>
                                } else {
                                    <ClientTable clients={found.items.clone()} />
                                }
                                <Pager page={found.page} total={found.total} per_page={found.per_page}
                                    label="clients.paging" on_page={go_to_page.clone()} />
                            </>
                        }
                    }
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ClientTableProps {
    clients: Vec<Client>,
}

#[function_component]
fn ClientTable(props: &ClientTableProps) -> Html {
    let i18n = use_i18n();
    let headers = [
        "client.name_zh",
        "client.name_en",
        "client.sex",
        "client.date_of_birth",
        "client.phone",
        "client.district",
        "client.hkid",
    ];
    html! {
        // Scrolls sideways on a narrow screen; focusable so the keyboard can scroll it.
        <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("clients.caption")}>
            <table class="data">
                <caption>{ i18n.t("clients.caption") }</caption>
                <thead>
                    <tr>{ for headers.iter().map(|key| html! { <th scope="col">{ i18n.t(key) }</th> }) }</tr>
                </thead>
                <tbody>{ for props.clients.iter().map(|client| client_row(i18n, client)) }</tbody>
            </table>
        </div>
    }
}

/// One link per row, on the first name the client has, to open their record.
fn client_row(i18n: I18n, client: &Client) -> Html {
    let to = Route::ClientDetail {
        id: client.id.clone(),
    };
    let link_on_zh = !client.name_zh.is_empty();
    let name_cell = |name: &str, linked: bool| {
        if linked {
            html! { <th scope="row"><Link<Route> to={to.clone()}>{ name.to_owned() }</Link<Route>></th> }
        } else {
            html! { <td>{ name.to_owned() }</td> }
        }
    };
    html! {
        <tr key={client.id.clone()}>
            { name_cell(&client.name_zh, link_on_zh) }
            { name_cell(&client.name_en, !link_on_zh) }
            <td>{ i18n.sex(client.sex) }</td>
            <td>{ super::shown_birth(i18n, client) }</td>
            <td>{ super::shown_phone(i18n, client) }</td>
            <td>{ super::shown_district(i18n, client) }</td>
            <td>{ client.hkid_masked.clone().unwrap_or_default() }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct ExportButtonProps {
    /// The search in force: the file holds what the list shows.
    q: String,
}

#[function_component]
fn ExportButton(props: &ExportButtonProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let busy = use_state(|| false);
    let error = use_state(|| None::<ErrorBody>);
    // Rows in the file and clients matching, when the file was cut at its row limit.
    let cut = use_state(|| None::<(String, String)>);
    let onclick = {
        let (busy, error, cut, q) = (busy.clone(), error.clone(), cut.clone(), props.q.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            cut.set(None);
            let (api, busy, error, cut) = (api.clone(), busy.clone(), error.clone(), cut.clone());
            let request = ClientExportRequest {
                q: (!q.is_empty()).then(|| q.clone()),
            };
            spawn_local(async move {
                match api
                    .download("/api/clients/export.xlsx", Some(&request))
                    .await
                {
                    Ok((bytes, headers)) => {
                        let rows = headers.get("x-export-rows").unwrap_or_default();
                        let matching = headers.get("x-export-matching").unwrap_or_default();
                        if rows != matching {
                            cut.set(Some((rows, matching)));
                        }
                        if save_file(&bytes, "clients.xlsx").is_err() {
                            error.set(Some(ErrorBody {
                                code: "unknown".to_owned(),
                                message: String::new(),
                                fields: Default::default(),
                            }));
                        }
                    }
                    Err(failure) => error.set(Some(failure)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <>
            <button id="export-clients" type="button" {onclick} aria-busy={busy.then_some("true")}>
                { if *busy { i18n.t("clients.exporting") } else { i18n.t("clients.export") } }
            </button>
            if let Some(failure) = &*error {
                <p role="alert" class="alert">{ i18n.error(failure) }</p>
            }
            if let Some((rows, matching)) = &*cut {
                <p id="export-cut" role="status" class="alert">
                    { i18n.tf("clients.export_cut", &[("rows", rows), ("matching", matching)]) }
                </p>
            }
        </>
    }
}
