//! A client's household on their record: what the household is like, its members present
//! and past, adding a registered person (who moves from any other household) and a
//! member leaving; or, when none is recorded, a form to record it.

use common::districts::District;
use common::error::ErrorBody;
use common::households::{
    ClientHousehold, CssaCaseType, CssaStatus, Household, HouseholdForm, HouseholdType,
    HousingType, IncomeBand, LeavingForm, MembershipForm, Relationship,
};
use common::identity::Permission;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::clients::ClientCandidates;
use crate::form::{error_attrs, field_error, value_of, FormField};
use crate::i18n::{use_i18n, I18n};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct HouseholdSectionProps {
    pub client_id: String,
}

#[function_component]
pub fn HouseholdSection(props: &HouseholdSectionProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let notice = use_state(|| None::<&'static str>);
    let loaded = use_get::<ClientHousehold>(
        format!("/api/clients/{}/household", encode(&props.client_id)),
        *generation,
    );
    let on_saved = {
        let (generation, notice) = (generation.clone(), notice.clone());
        Callback::from(move |message: &'static str| {
            notice.set(Some(message));
            generation.set(generation.wrapping_add(1));
        })
    };
    let may_edit = session.can(Permission::EditClients);
    html! {
        <section aria-labelledby="household-title" id="household">
            <h2 id="household-title">{ i18n.t("household.title") }</h2>
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            { match &*loaded {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(found) => html! {
                    <>
                        { match &found.household {
                            Some(household) => html! {
                                <HouseholdView household={household.clone()} may_edit={may_edit} on_saved={on_saved.clone()} />
                            },
                            None => html! {
                                <>
                                    <p>{ i18n.t("household.none") }</p>
                                    if may_edit {
                                        <HouseholdFormView principal={Some(props.client_id.clone())} on_saved={on_saved.clone()} />
                                    }
                                </>
                            },
                        } }
                        if !found.earlier.is_empty() {
                            <h3>{ i18n.t("household.earlier") }</h3>
                            <ul class="earlier-households">
                                { for found.earlier.iter().map(|m| html! {
                                    <li>{ i18n.tf("household.earlier_stay", &[
                                        ("relationship", i18n.code("relationship", m.relationship.as_str())),
                                        ("from", &m.joined_on.to_string()),
                                        ("to", &m.left_on.to_string()),
                                    ]) }</li>
                                }) }
                            </ul>
                        }
                    </>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct HouseholdViewProps {
    household: Household,
    may_edit: bool,
    on_saved: Callback<&'static str>,
}

#[function_component]
fn HouseholdView(props: &HouseholdViewProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let editing = use_state(|| false);
    let error = use_state(|| None::<ErrorBody>);
    let household = &props.household;
    if *editing {
        let (editing, on_saved) = (editing.clone(), props.on_saved.clone());
        let saved = Callback::from(move |message| {
            editing.set(false);
            on_saved.emit(message);
        });
        return html! { <HouseholdFormView existing={Some(household.clone())} on_saved={saved} /> };
    }
    let leave = |client_id: &str| {
        let (api, error, on_saved) = (api.clone(), error.clone(), props.on_saved.clone());
        let path = format!(
            "/api/households/{}/members/{}/leave",
            encode(&household.id),
            encode(client_id)
        );
        Callback::from(move |_: MouseEvent| {
            let (api, path, error, on_saved) =
                (api.clone(), path.clone(), error.clone(), on_saved.clone());
            spawn_local(async move {
                match api.post::<Household>(&path, &LeavingForm::default()).await {
                    Ok(_) => on_saved.emit("household.member_left"),
                    Err(failed) => error.set(Some(failed)),
                }
            });
        })
    };
    let address = if household.address_withheld {
        i18n.t("client.contact_withheld").to_owned()
    } else if household.address.is_empty() {
        i18n.t("client.empty").to_owned()
    } else {
        household.address.clone()
    };
    let cssa = match household.cssa_case_type {
        Some(case_type) => format!(
            "{} ({})",
            i18n.code("cssa_status", household.cssa_status.as_str()),
            i18n.code("cssa_case_type", case_type.as_str())
        ),
        None => i18n
            .code("cssa_status", household.cssa_status.as_str())
            .to_owned(),
    };
    let today = crate::clients::hong_kong_today();
    html! {
        <>
            <dl class="details" id="household-details">
                <dt>{ i18n.t("household.household_type") }</dt>
                <dd>{ i18n.code("household_type", household.household_type.as_str()) }</dd>
                <dt>{ i18n.t("household.housing_type") }</dt>
                <dd>{ i18n.code("housing_type", household.housing_type.as_str()) }</dd>
                <dt>{ i18n.t("client.district") }</dt>
                <dd>{ i18n.district(household.district) }</dd>
                <dt>{ i18n.t("household.address") }</dt>
                <dd>{ address }</dd>
                <dt>{ i18n.t("household.cssa_status") }</dt>
                <dd>{ cssa }</dd>
                <dt>{ i18n.t("household.income_band") }</dt>
                <dd>{ i18n.code("income_band", household.income_band.as_str()) }</dd>
            </dl>
            if props.may_edit && !household.address_withheld {
                <button type="button" id="household-edit" onclick={{
                    let editing = editing.clone();
                    Callback::from(move |_: MouseEvent| editing.set(true))
                }}>{ i18n.t("household.edit") }</button>
            }
            if let Some(error) = error.as_ref() {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <div class="table-wrap" role="region" tabindex="0" aria-labelledby="household-members-caption">
                <table class="data" id="household-members">
                    <caption id="household-members-caption">{ i18n.t("household.members") }</caption>
                    <thead><tr>
                        <th scope="col">{ i18n.t("household.member") }</th>
                        <th scope="col">{ i18n.t("household.relationship") }</th>
                        <th scope="col">{ i18n.t("client.sex") }</th>
                        <th scope="col" class="number">{ i18n.t("household.age") }</th>
                        <th scope="col">{ i18n.t("household.joined_on") }</th>
                        <th scope="col">{ i18n.t("household.left_on") }</th>
                        if props.may_edit { <th scope="col">{ i18n.t("household.actions") }</th> }
                    </tr></thead>
                    <tbody>{ for household.members.iter().map(|m| {
                        let name = [m.name_zh.as_str(), m.name_en.as_str()]
                            .into_iter()
                            .filter(|n| !n.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ");
                        let present = m.left_on.is_none();
                        html! {
                            <tr key={format!("{}-{}", m.client_id, m.joined_on)} class={classes!((!present).then_some("past"))}>
                                <th scope="row">
                                    <Link<Route> to={Route::ClientDetail { id: m.client_id.clone() }}>{ name.clone() }</Link<Route>>
                                </th>
                                <td>{ i18n.code("relationship", m.relationship.as_str()) }</td>
                                <td>{ i18n.sex(m.sex) }</td>
                                <td class="number">{ common::person::age_on(m.date_of_birth, today) }</td>
                                <td>{ m.joined_on.to_string() }</td>
                                <td>{ m.left_on.map(|d| d.to_string()).unwrap_or_default() }</td>
                                if props.may_edit {
                                    <td>
                                        if present && m.relationship != Relationship::Principal {
                                            <button type="button" class="member-leave" onclick={leave(&m.client_id)}
                                                aria-label={i18n.tf("household.leave_named", &[("name", &name)])}>
                                                { i18n.t("household.leave") }
                                            </button>
                                        }
                                    </td>
                                }
                            </tr>
                        }
                    }) }</tbody>
                </table>
            </div>
            if props.may_edit {
                <AddMember household_id={household.id.clone()} on_saved={props.on_saved.clone()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct HouseholdFormProps {
    /// To record a new household around this client.
    #[prop_or_default]
    principal: Option<String>,
    /// To edit this one.
    #[prop_or_default]
    existing: Option<Household>,
    on_saved: Callback<&'static str>,
}

fn form_of(household: &Household) -> HouseholdForm {
    HouseholdForm {
        principal_client_id: None,
        district: Some(household.district),
        address: household.address.clone(),
        household_type: Some(household.household_type),
        housing_type: Some(household.housing_type),
        cssa_status: Some(household.cssa_status),
        cssa_case_type: household.cssa_case_type,
        income_band: Some(household.income_band),
        version: Some(household.version),
    }
}

/// A choice of one code from a closed list, labelled and translated.
fn code_select(
    i18n: I18n,
    id: &'static str,
    options: Vec<(&'static str, &'static str)>,
    chosen: Option<&'static str>,
    onchange: Callback<Event>,
    errors: &Option<ErrorBody>,
) -> Html {
    let error = field_error(errors, id);
    let (invalid, described) = error_attrs(&format!("household-{id}"), error.as_ref());
    html! {
        <FormField id={format!("household-{id}")} label={field_label(id)} error={error}>
            <select id={format!("household-{id}")} {onchange} aria-invalid={invalid} aria-describedby={described}>
                <option value="" selected={chosen.is_none()}>{ i18n.t("client.choose") }</option>
                { for options.into_iter().map(|(code, label)| html! {
                    <option value={code} selected={chosen == Some(code)}>{ label }</option>
                }) }
            </select>
        </FormField>
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "household_type" => "household.household_type",
        "housing_type" => "household.housing_type",
        "cssa_status" => "household.cssa_status",
        "cssa_case_type" => "household.cssa_case_type",
        "income_band" => "household.income_band",
        "district" => "client.district",
        _ => "household.address",
    }
}

#[function_component]
fn HouseholdFormView(props: &HouseholdFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(|| match &props.existing {
        Some(household) => form_of(household),
        None => HouseholdForm {
            principal_client_id: props.principal.clone(),
            ..HouseholdForm::default()
        },
    });
    let errors = use_state(|| None::<ErrorBody>);
    let onsubmit = {
        let (api, form, errors, on_saved) = (
            api.clone(),
            form.clone(),
            errors.clone(),
            props.on_saved.clone(),
        );
        let existing = props.existing.as_ref().map(|h| h.id.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (api, body, errors, on_saved, existing) = (
                api.clone(),
                (*form).clone(),
                errors.clone(),
                on_saved.clone(),
                existing.clone(),
            );
            spawn_local(async move {
                let saved = match &existing {
                    Some(id) => {
                        api.put::<Household>(&format!("/api/households/{}", encode(id)), &body)
                            .await
                    }
                    None => api.post::<Household>("/api/households", &body).await,
                };
                match saved {
                    Ok(_) => on_saved.emit("household.saved"),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let edit = |apply: fn(&mut HouseholdForm, String)| crate::form::edit_value(&form, apply);
    let options = |list: &'static str, codes: Vec<&'static str>| {
        codes
            .into_iter()
            .map(|code| (code, i18n.code(list, code)))
            .collect::<Vec<_>>()
    };
    let address_error = field_error(&errors, "address");
    let (address_invalid, address_described) =
        error_attrs("household-address", address_error.as_ref());
    html! {
        <form id="household-form" {onsubmit} novalidate=true class="panel">
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            { code_select(i18n, "household_type",
                options("household_type", HouseholdType::ALL.iter().map(|c| c.as_str()).collect()),
                form.household_type.map(HouseholdType::as_str),
                edit(|f, v| f.household_type = HouseholdType::parse(&v)), &errors) }
            { code_select(i18n, "housing_type",
                options("housing_type", HousingType::ALL.iter().map(|c| c.as_str()).collect()),
                form.housing_type.map(HousingType::as_str),
                edit(|f, v| f.housing_type = HousingType::parse(&v)), &errors) }
            { code_select(i18n, "district",
                District::ALL.iter().map(|d| (d.code(), i18n.district(*d))).collect(),
                form.district.map(District::code),
                edit(|f, v| f.district = District::from_code(&v)), &errors) }
            <FormField id="household-address" label="household.address" error={address_error}>
                <input id="household-address" type="text" maxlength="200" value={form.address.clone()}
                    onchange={edit(|f, v| f.address = v)}
                    aria-invalid={address_invalid} aria-describedby={address_described} />
            </FormField>
            { code_select(i18n, "cssa_status",
                options("cssa_status", CssaStatus::ALL.iter().map(|c| c.as_str()).collect()),
                form.cssa_status.map(CssaStatus::as_str),
                edit(|f, v| f.cssa_status = CssaStatus::parse(&v)), &errors) }
            if form.cssa_status == Some(CssaStatus::Receiving) {
                { code_select(i18n, "cssa_case_type",
                    options("cssa_case_type", CssaCaseType::ALL.iter().map(|c| c.as_str()).collect()),
                    form.cssa_case_type.map(CssaCaseType::as_str),
                    edit(|f, v| f.cssa_case_type = CssaCaseType::parse(&v)), &errors) }
            }
            { code_select(i18n, "income_band",
                options("income_band", IncomeBand::ALL.iter().map(|c| c.as_str()).collect()),
                form.income_band.map(IncomeBand::as_str),
                edit(|f, v| f.income_band = IncomeBand::parse(&v)), &errors) }
            <button type="submit" class="primary">{ i18n.t(if props.existing.is_some() { "household.save" } else { "household.record" }) }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct AddMemberProps {
    household_id: String,
    on_saved: Callback<&'static str>,
}

/// Find a registered person and add them with their relationship; someone not yet
/// registered is registered first.
#[function_component]
fn AddMember(props: &AddMemberProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let term = use_state(String::new);
    let relationship = use_state(|| None::<Relationship>);
    let errors = use_state(|| None::<ErrorBody>);
    let add = {
        let (api, relationship, errors, on_saved) = (
            api.clone(),
            relationship.clone(),
            errors.clone(),
            props.on_saved.clone(),
        );
        let path = format!("/api/households/{}/members", encode(&props.household_id));
        Callback::from(move |client_id: String| {
            let body = MembershipForm {
                client_id: Some(client_id),
                relationship: *relationship,
                joined_on: None,
            };
            let (api, path, errors, on_saved) =
                (api.clone(), path.clone(), errors.clone(), on_saved.clone());
            spawn_local(async move {
                match api.post::<Household>(&path, &body).await {
                    Ok(_) => on_saved.emit("household.member_added"),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let relationship_error = field_error(&errors, "relationship");
    let (rel_invalid, rel_described) =
        error_attrs("member-relationship", relationship_error.as_ref());
    let on_term = {
        let term = term.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                term.set(input.value());
            }
        })
    };
    html! {
        <div class="panel" id="household-add">
            <h3>{ i18n.t("household.add_member") }</h3>
            if let Some(error) = errors.as_ref().filter(|e| !e.fields.contains_key("relationship")) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <FormField id="member-relationship" label="household.relationship" error={relationship_error}>
                <select id="member-relationship" aria-invalid={rel_invalid} aria-describedby={rel_described}
                    onchange={{
                        let relationship = relationship.clone();
                        Callback::from(move |event: Event| relationship.set(Relationship::parse(&value_of(&event))))
                    }}>
                    <option value="" selected={relationship.is_none()}>{ i18n.t("client.choose") }</option>
                    { for Relationship::ALL.iter().filter(|r| **r != Relationship::Principal).map(|r| html! {
                        <option value={r.as_str()} selected={*relationship == Some(*r)}>{ i18n.code("relationship", r.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id="member-search" label="household.find_person">
                <input id="member-search" type="search" maxlength="50" value={(*term).clone()} oninput={on_term} />
            </FormField>
            if term.chars().count() >= 2 {
                <ClientCandidates term={(*term).clone()} action="household.add" action_named="household.add_named" on_choose={add} />
            }
            <p class="hint">
                { i18n.t("household.not_registered") }{ " " }
                <Link<Route> to={Route::ClientNew}>{ i18n.t("household.register_member") }</Link<Route>>
            </p>
        </div>
    }
}
