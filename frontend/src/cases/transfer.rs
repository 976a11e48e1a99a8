//! Handing a case to another worker of the centre, or to another centre of the agency,
//! whose supervisor then names the worker. The receiver accepts it on their home.

use std::rc::Rc;

use common::cases::{CaseDetail, CaseworkDirectory, TransferForm};
use common::error::ErrorBody;
use yew::prelude::*;

use super::detail::send_action;
use super::CaseworkerSelect;
use crate::api::{encode, use_get, Load};
use crate::form::{error_attrs, field_error, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct TransferRequestProps {
    pub detail: Rc<CaseDetail>,
    pub on_changed: Callback<(CaseDetail, &'static str)>,
}

#[function_component]
pub fn TransferRequestForm(props: &TransferRequestProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let case = &props.detail.case;
    let directory = use_get::<CaseworkDirectory>("/api/casework/directory".into(), 0);
    let form = use_state(TransferForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let elsewhere = form
        .to_centre_id
        .as_ref()
        .is_some_and(|centre| centre != &case.centre_id);
    let onsubmit = {
        let (form, errors, on_changed) = (form.clone(), errors.clone(), props.on_changed.clone());
        let path = format!("/api/cases/{}/transfer", encode(&case.id));
        let version = case.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = TransferForm {
                version: Some(version),
                ..(*form).clone()
            };
            send_action(
                api.clone(),
                path.clone(),
                body,
                errors.clone(),
                on_changed.clone(),
                "case.transfer_requested",
            );
        })
    };
    let edit = |apply: fn(&mut TransferForm, String)| crate::form::edit_value(&form, apply);
    let error = |field: &str| field_error(&errors, field);
    let (centre_invalid, centre_described) =
        error_attrs("transfer-centre", error("to_centre_id").as_ref());
    let (worker_invalid, worker_described) =
        error_attrs("transfer-worker", error("to_worker_id").as_ref());
    let (reason_invalid, reason_described) =
        error_attrs("transfer-reason", error("reason").as_ref());
    let centres = match &*directory {
        Load::Ready(directory) => directory.centres.clone(),
        _ => Vec::new(),
    };
    let chosen_centre = form.to_centre_id.clone().unwrap_or(case.centre_id.clone());
    html! {
        <section class="panel" aria-labelledby="transfer-title">
            <h2 id="transfer-title">{ i18n.t("case.transfer_title") }</h2>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <form id="transfer-request" {onsubmit} novalidate=true>
                <FormField id="transfer-centre" label="case.transfer_centre" error={error("to_centre_id")}>
                    <select id="transfer-centre"
                        onchange={edit(|f, v| { f.to_centre_id = Some(v); f.to_worker_id = None; })}
                        aria-invalid={centre_invalid} aria-describedby={centre_described}>
                        { for centres.iter().map(|c| html! {
                            <option value={c.id.clone()} selected={chosen_centre == c.id}>{ i18n.pick(&c.name_zh, &c.name_en).to_owned() }</option>
                        }) }
                    </select>
                </FormField>
                if elsewhere {
                    <p class="hint">{ i18n.t("case.transfer_centre_hint") }</p>
                } else {
                    <FormField id="transfer-worker" label="case.transfer_worker" error={error("to_worker_id")}>
                        <CaseworkerSelect id="transfer-worker" value={form.to_worker_id.clone().unwrap_or_default()}
                            onchange={edit(|f, v| f.to_worker_id = Some(v).filter(|v| !v.is_empty()))}
                            except={Some(case.responsible_worker.id.clone())}
                            invalid={worker_invalid} described={worker_described} />
                    </FormField>
                }
                <FormField id="transfer-reason" label="case.transfer_reason" error={error("reason")}>
                    <textarea id="transfer-reason" rows="3" maxlength="500"
                        onchange={edit(|f, v| f.reason = v)}
                        aria-invalid={reason_invalid} aria-describedby={reason_described} />
                </FormField>
                <button type="submit">{ i18n.t("case.transfer_submit") }</button>
            </form>
        </section>
    }
}
