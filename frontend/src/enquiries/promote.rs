//! Promoting an enquiry: the registration form prefilled from the enquiry, with its
//! possible matches (the worker says one is the same person, or that none is), and the
//! case's fields; one submission registers the client and opens the case.

use std::collections::BTreeMap;
use std::rc::Rc;

use common::cases::{CaseForm, CaseState, ReferralSource};
use common::clients::{Client, ClientForm};
use common::enquiries::{Enquiry, Promotion, PromotionForm};
use common::error::ErrorBody;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::cases::CaseFields;
use crate::clients::ClientFormView;
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct PromoteProps {
    pub id: String,
}

#[function_component]
pub fn PromotePage(props: &PromoteProps) -> Html {
    use_title("enquiry.promote_title");
    let i18n = use_i18n();
    let loaded = use_get::<Enquiry>(format!("/api/enquiries/{}", encode(&props.id)), 0);
    html! {
        <section>
            <p class="back">
                <Link<Route> to={Route::EnquiryDetail { id: props.id.clone() }}>{ i18n.t("enquiry.back_to_enquiry") }</Link<Route>>
            </p>
            <h1>{ i18n.t("enquiry.promote_title") }</h1>
            { match &*loaded {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(enquiry) => html! { <Promote enquiry={enquiry.clone()} /> },
            } }
        </section>
    }
}

/// The fields an answer names under `part` (`case.case_type`), by their own names, and
/// the others: each part's errors go beside its own fields.
fn split(body: &ErrorBody, part: &str) -> (ErrorBody, ErrorBody) {
    let prefix = format!("{part}.");
    let (mut inside, mut outside) = (BTreeMap::new(), BTreeMap::new());
    for (field, error) in &body.fields {
        match field.strip_prefix(&prefix) {
            Some(own) => inside.insert(own.to_owned(), error.clone()),
            None => outside.insert(field.clone(), error.clone()),
        };
    }
    let with = |fields| ErrorBody {
        fields,
        ..body.clone()
    };
    (with(inside), with(outside))
}

#[derive(Properties, PartialEq)]
struct PromoteFormProps {
    enquiry: Rc<Enquiry>,
}

#[function_component]
fn Promote(props: &PromoteFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let navigator = use_navigator();
    let enquiry = &props.enquiry;
    // The case starts as the enquiry left it: its topics, and the family came themselves.
    let case = use_state(|| CaseForm {
        nature_codes: enquiry.topic_codes.clone(),
        referral_source: Some(ReferralSource::SelfReferred),
        state: Some(CaseState::Open),
        ..CaseForm::default()
    });
    let case_errors = use_state(|| None::<ErrorBody>);
    // A client registered before whom the worker said is the same person.
    let chosen = use_state(|| None::<Client>);
    let failure = use_state(|| None::<ErrorBody>);
    let busy = use_state(|| false);

    // Sends the promotion; the case's errors go beside its fields, the rest to `report`.
    let send = {
        let (case, case_errors) = (case.clone(), case_errors.clone());
        let (id, version) = (enquiry.id.clone(), enquiry.version);
        Callback::from(
            move |(client, client_id, report): (
                Option<ClientForm>,
                Option<String>,
                Callback<ErrorBody>,
            )| {
                let body = PromotionForm {
                    client,
                    client_id,
                    case: (*case).clone(),
                    version: Some(version),
                };
                let path = format!("/api/enquiries/{}/promote", encode(&id));
                let (api, navigator, case_errors) =
                    (api.clone(), navigator.clone(), case_errors.clone());
                case_errors.set(None);
                spawn_local(async move {
                    match api.post::<Promotion>(&path, &body).await {
                        Ok(promotion) => {
                            if let Some(navigator) = navigator {
                                navigator.push(&Route::CaseDetail {
                                    id: promotion.case.case.id,
                                });
                            }
                        }
                        Err(error) => {
                            let (of_case, rest) = split(&error, "case");
                            let (mut shown, others) = split(&rest, "client");
                            shown.fields.extend(others.fields);
                            case_errors.set(Some(of_case));
                            report.emit(shown);
                        }
                    }
                });
            },
        )
    };
    let on_case = {
        let case = case.clone();
        Callback::from(move |next: CaseForm| case.set(next))
    };
    let case_fields = html! {
        <fieldset class="field" id="promote-case">
            <legend>{ i18n.t("enquiry.case_part") }</legend>
            <CaseFields form={(*case).clone()} on_change={on_case} errors={(*case_errors).clone()} />
        </fieldset>
    };

    if let Some(client) = &*chosen {
        let onsubmit = {
            let (send, failure, busy, client_id) = (
                send.clone(),
                failure.clone(),
                busy.clone(),
                client.id.clone(),
            );
            Callback::from(move |event: SubmitEvent| {
                event.prevent_default();
                if *busy {
                    return;
                }
                busy.set(true);
                failure.set(None);
                let (failure, busy) = (failure.clone(), busy.clone());
                let report = Callback::from(move |body: ErrorBody| {
                    failure.set(Some(body));
                    busy.set(false);
                });
                send.emit((None, Some(client_id.clone()), report));
            })
        };
        let choose_again = {
            let chosen = chosen.clone();
            Callback::from(move |_: MouseEvent| chosen.set(None))
        };
        let name = [client.name_zh.as_str(), client.name_en.as_str()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        return html! {
            <form id="promote-form" class="stack" {onsubmit} novalidate=true>
                if let Some(body) = &*failure {
                    <div role="alert" class="alert">
                        <p>{ i18n.error(body) }</p>
                        <ul>{ for body.fields.values().map(|e| html! { <li>{ i18n.field_error(e) }</li> }) }</ul>
                    </div>
                }
                <p id="promote-chosen">
                    { i18n.tf("enquiry.chosen_client", &[("name", &name), ("born", &client.date_of_birth.to_string())]) }
                    { " " }
                    <button type="button" id="promote-choose-again" onclick={choose_again}>{ i18n.t("enquiry.choose_again") }</button>
                </p>
                { case_fields }
                <div class="actions">
                    <button id="promote-submit" type="submit" class="primary" aria-busy={busy.then_some("true")}>
                        { i18n.t("enquiry.promote_chosen_submit") }
                    </button>
                </div>
            </form>
        };
    }

    let submit = send
        .reform(|(client, report): (ClientForm, Callback<ErrorBody>)| (Some(client), None, report));
    let on_same_person = {
        let chosen = chosen.clone();
        Callback::from(move |client: Client| chosen.set(Some(client)))
    };
    html! {
        <>
            <p class="hint">{ i18n.t("enquiry.promote_intro") }</p>
            <ClientFormView prefill={Some(Rc::new(enquiry.client_prefill()))} submit={Some(submit)}
                on_same_person={Some(on_same_person)} submit_label={Some("enquiry.promote_submit")}>
                { case_fields }
            </ClientFormView>
        </>
    }
}

#[cfg(test)]
mod tests {
    use common::error::FieldError;

    use super::*;

    #[test]
    fn each_part_gets_its_own_fields() {
        let body = ErrorBody {
            code: "validation_failed".into(),
            message: String::new(),
            fields: [
                ("case.case_type", "required"),
                ("client.name_zh", "name_required"),
                ("version", "required"),
            ]
            .into_iter()
            .map(|(field, code)| (field.to_owned(), FieldError::new(code, "")))
            .collect(),
        };
        let (of_case, rest) = split(&body, "case");
        assert_eq!(of_case.fields.keys().collect::<Vec<_>>(), ["case_type"]);
        assert_eq!(
            rest.fields.keys().collect::<Vec<_>>(),
            ["client.name_zh", "version"]
        );
        assert_eq!(of_case.code, "validation_failed");
    }
}
