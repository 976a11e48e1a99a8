//! A supervisor shows a case to another caseworker of its unit, to read only (cover
//! during leave, a second opinion), and stops showing it.

use std::rc::Rc;

use common::cases::{CaseDetail, ShareForm};
use common::error::ErrorBody;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::detail::send_action;
use super::CaseworkerSelect;
use crate::api::encode;
use crate::form::{error_attrs, field_error, value_of, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct CaseSharesProps {
    pub detail: Rc<CaseDetail>,
    pub on_changed: Callback<(CaseDetail, &'static str)>,
}

#[function_component]
pub fn CaseShares(props: &CaseSharesProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let case = &props.detail.case;
    let chosen = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let path = format!("/api/cases/{}/shares", encode(&case.id));
    let onsubmit = {
        let (api, path, chosen, errors, on_changed) = (
            api.clone(),
            path.clone(),
            chosen.clone(),
            errors.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = ShareForm {
                user_id: Some((*chosen).clone()).filter(|id| !id.is_empty()),
            };
            send_action(
                api.clone(),
                path.clone(),
                body,
                errors.clone(),
                on_changed.clone(),
                "case.shared",
            );
        })
    };
    let stop = |user_id: &str| {
        let (api, errors, on_changed) = (api.clone(), errors.clone(), props.on_changed.clone());
        let path = format!("{path}/{}", encode(user_id));
        Callback::from(move |_: MouseEvent| {
            let (api, path, errors, on_changed) = (
                api.clone(),
                path.clone(),
                errors.clone(),
                on_changed.clone(),
            );
            spawn_local(async move {
                match api.delete::<CaseDetail>(&path).await {
                    Ok(changed) => {
                        errors.set(None);
                        on_changed.emit((changed, "case.unshared"));
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| chosen.set(value_of(&event)))
    };
    let error = field_error(&errors, "user_id");
    let (invalid, described) = error_attrs("share-worker", error.as_ref());
    html! {
        <section class="panel" aria-labelledby="shares-title">
            <h2 id="shares-title">{ i18n.t("case.shares_title") }</h2>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            if props.detail.shared_with.is_empty() {
                <p>{ i18n.t("case.shared_with_none") }</p>
            } else {
                <ul class="shares">
                    { for props.detail.shared_with.iter().map(|w| html! {
                        <li key={w.id.clone()}>
                            { w.display_name.clone() }{ " " }
                            <button type="button" onclick={stop(&w.id)}
                                aria-label={i18n.tf("case.unshare_named", &[("name", &w.display_name)])}>
                                { i18n.t("case.unshare") }
                            </button>
                        </li>
                    }) }
                </ul>
            }
            <form id="case-share" {onsubmit} novalidate=true>
                <FormField id="share-worker" label="case.share_with" error={error}>
                    <CaseworkerSelect id="share-worker" value={(*chosen).clone()} onchange={on_choose}
                        except={Some(case.responsible_worker.id.clone())}
                        invalid={invalid} described={described} />
                </FormField>
                <button type="submit">{ i18n.t("case.share_submit") }</button>
            </form>
        </section>
    }
}
