//! The moderators' queue: posts with reports waiting, the earliest reported first, each
//! with its reports; hiding the post or dismissing its reports takes it off the queue.

use common::circle::{Post, ReportQueue};
use common::error::ErrorBody;
use common::identity::Permission;
use yew::prelude::*;
use yew_router::prelude::*;

use super::post::{act, author_line, error_alert, PostView};
use super::CircleRoute;
use crate::api::{use_get, Load};
use crate::cases::hong_kong;
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::pager::Pager;

#[function_component]
pub fn ReportsPage() -> Html {
    use_title("circle.reports");
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let page = use_state(|| 1i64);
    let queue = use_get::<ReportQueue>(format!("/api/circle/reports?page={}", *page), *generation);
    let errors = use_state(|| None::<ErrorBody>);
    let changed = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |to: i64| page.set(to))
    };
    let dismiss = |post_id: &str| {
        let (api, errors, changed, path) = (
            session.api.clone(),
            errors.clone(),
            changed.clone(),
            format!("/api/circle/posts/{post_id}/dismissal"),
        );
        Callback::from(move |_: MouseEvent| {
            let (api, path) = (api.clone(), path.clone());
            act(&errors, &changed, async move {
                api.post_empty::<Post>(&path).await
            });
        })
    };
    if !session.can(Permission::ModerateCircle) {
        return html! { <p role="alert" class="alert">{ i18n.t("error.forbidden") }</p> };
    }
    html! {
        <section>
            <p><Link<CircleRoute> to={CircleRoute::Threads}>{ i18n.t("circle.back") }</Link<CircleRoute>></p>
            <h1>{ i18n.t("circle.reports") }</h1>
            { error_alert(i18n, &errors) }
            { match &*queue {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(queue) => html! {
                    <>
                        <p role="status">{ i18n.tf("circle.reports_waiting", &[("total", &queue.total.to_string())]) }</p>
                        { for queue.items.iter().map(|item| html! {
                            <section key={item.post.id.clone()} class="panel reported">
                                <h2>
                                    <Link<CircleRoute> to={CircleRoute::Thread { id: item.post.thread_id.clone() }}>
                                        { item.thread_title.clone() }
                                    </Link<CircleRoute>>
                                </h2>
                                <ul>
                                    { for item.reports.iter().map(|r| html! {
                                        <li key={r.id.clone()}>
                                            { i18n.tf("circle.reported_by", &[
                                                ("name", &author_line(i18n, &r.reported_by)),
                                                ("at", &hong_kong(r.reported_at)),
                                                ("reason", &r.reason),
                                            ]) }
                                        </li>
                                    }) }
                                </ul>
                                <PostView post={item.post.clone()} changed={changed.clone()} />
                                <button type="button" onclick={dismiss(&item.post.id)}>{ i18n.t("circle.dismiss") }</button>
                            </section>
                        }) }
                        <Pager page={queue.page} total={queue.total} per_page={queue.per_page}
                            label="circle.reports_paging" on_page={on_page.clone()} />
                    </>
                },
            } }
        </section>
    }
}
