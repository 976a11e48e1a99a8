//! The Excel workbook: asked for here, built by the server in the background. The list of
//! the user's workbooks comes from the server, so one asked for before leaving the page is
//! still followed, and downloaded, on coming back.

use common::error::ErrorBody;
use common::statistics::{StatisticsQuery, WorkbookJob, WorkbookState};
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::{encode, save_file, use_get, Load};
use crate::cases::hong_kong;
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct WorkbookPanelProps {
    pub query: StatisticsQuery,
}

fn unfinished(job: &WorkbookJob) -> bool {
    matches!(job.state, WorkbookState::Queued | WorkbookState::Running)
}

#[function_component]
pub fn WorkbookPanel(props: &WorkbookPanelProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let generation = use_state(|| 0u32);
    let jobs = use_get::<Vec<WorkbookJob>>("/api/statistics/workbooks".to_owned(), *generation);
    let error = use_state(|| None::<ErrorBody>);
    // While one is being built, look again every second.
    {
        let generation = generation.clone();
        let waiting = matches!(&*jobs, Load::Ready(list) if list.iter().any(unfinished));
        use_effect_with((waiting, *generation), move |(waiting, current)| {
            let timer = waiting.then(|| {
                let (generation, current) = (generation.clone(), *current);
                Timeout::new(1_000, move || generation.set(current + 1))
            });
            move || drop(timer)
        });
    }
    let on_request = {
        let (api, generation, error, query) = (
            api.clone(),
            generation.clone(),
            error.clone(),
            props.query.clone(),
        );
        Callback::from(move |_| {
            let (api, generation, error, query) = (
                api.clone(),
                generation.clone(),
                error.clone(),
                query.clone(),
            );
            spawn_local(async move {
                match api
                    .post::<WorkbookJob>("/api/statistics/workbooks", &query)
                    .await
                {
                    Ok(_) => {
                        error.set(None);
                        generation.set(*generation + 1);
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };
    let download = |job: &WorkbookJob| {
        let (api, error) = (api.clone(), error.clone());
        let path = format!("/api/statistics/workbooks/{}/file", encode(&job.id));
        let name = job
            .file_name
            .clone()
            .unwrap_or_else(|| "statistics.xlsx".to_owned());
        Callback::from(move |_| {
            let (api, error, path, name) = (api.clone(), error.clone(), path.clone(), name.clone());
            spawn_local(async move {
                match api.download(&path, None::<&()>).await {
                    Ok((bytes, _)) => {
                        if save_file(&bytes, &name).is_err() {
                            error.set(Some(ErrorBody {
                                code: "unknown".to_owned(),
                                message: String::new(),
                                fields: Default::default(),
                            }));
                        }
                    }
                    Err(failure) => error.set(Some(failure)),
                }
            });
        })
    };
    html! {
        <section class="workbooks" aria-labelledby="workbooks-title">
            <h2 id="workbooks-title">{ i18n.t("workbook.title") }</h2>
            <button id="request-workbook" type="button" class="primary" onclick={on_request}>
                { i18n.t("workbook.request") }
            </button>
            if let Some(failure) = &*error {
                <p role="alert" class="alert">{ i18n.error(failure) }</p>
            }
            if let Load::Ready(list) = &*jobs {
                if !list.is_empty() {
                    <ul class="workbook-list" aria-live="polite">
                        { for list.iter().take(5).map(|job| html! {
                            <li key={job.id.clone()}>
                                <span>{ i18n.pick(&job.period_zh, &job.period_en).to_owned() }</span>
                                { " · " }
                                <span>{ hong_kong(job.requested_at) }</span>
                                { " · " }
                                { match job.state {
                                    WorkbookState::Queued | WorkbookState::Running => html! {
                                        <>
                                            <label for={format!("progress-{}", job.id)}>{ i18n.t("workbook.building") }</label>
                                            <progress id={format!("progress-{}", job.id)} max="100" value={job.progress.to_string()}>
                                                { format!("{}%", job.progress) }
                                            </progress>
                                        </>
                                    },
                                    WorkbookState::Ready => html! {
                                        <button type="button" class="download-workbook" onclick={download(job)}>
                                            { i18n.tf("workbook.download", &[("name", job.file_name.as_deref().unwrap_or(""))]) }
                                        </button>
                                    },
                                    WorkbookState::Failed => html! {
                                        <span class="alert">{ i18n.t("workbook.failed") }</span>
                                    },
                                } }
                            </li>
                        }) }
                    </ul>
                }
            }
        </section>
    }
}
