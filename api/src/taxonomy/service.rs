//! The lists' rules: codes and names are unique within a list, a code never changes, a
//! term is retired rather than deleted, and a retired one stays only where it already was.

use common::error::ValidationErrors;
use common::taxonomy::{
    Direction, NewTermForm, Term, TermForm, TermMoveForm, TermNames, Vocabulary,
};
use serde_json::json;

use super::store;
use crate::audit;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// What the audit trail and the errors call a list's terms.
struct Words {
    create: &'static str,
    update: &'static str,
    moved: &'static str,
    unknown: &'static str,
    one: &'static str,
}

fn words(vocabulary: Vocabulary) -> Words {
    match vocabulary {
        Vocabulary::CaseNatures => Words {
            create: "case_nature.create",
            update: "case_nature.update",
            moved: "case_nature.move",
            unknown: "unknown_nature",
            one: "case nature",
        },
        Vocabulary::EducationThemes => Words {
            create: "education_theme.create",
            update: "education_theme.update",
            moved: "education_theme.move",
            unknown: "unknown_theme",
            one: "family life education theme",
        },
        Vocabulary::InterventionModels => Words {
            create: "intervention_model.create",
            update: "intervention_model.update",
            moved: "intervention_model.move",
            unknown: "unknown_intervention_model",
            one: "intervention model",
        },
    }
}

/// Terms exist and, when newly given, are still in use: a retired one may stay where it
/// was (`kept`).
pub fn check_terms(
    conn: &mut DbConnection,
    vocabulary: Vocabulary,
    codes: &[String],
    kept: &[String],
    field: &str,
    errors: &mut ValidationErrors,
) -> Result<(), ApiError> {
    let terms = store::terms(conn, vocabulary)?;
    let words = words(vocabulary);
    for code in codes {
        let usable = terms
            .iter()
            .any(|t| &t.code == code && (t.active || kept.contains(code)));
        if !usable {
            errors.add(
                field,
                words.unknown,
                format!("{code} is not a {} in use", words.one),
            );
        }
    }
    Ok(())
}

/// Two terms with one name could not be told apart on a form or in a report.
fn check_names_free(
    vocabulary: Vocabulary,
    terms: &[Term],
    names: &TermNames,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let others = || terms.iter().filter(|t| Some(t.code.as_str()) != except);
    for (field, taken) in [
        ("name_zh", others().any(|t| t.name_zh == names.name_zh)),
        ("name_en", others().any(|t| t.name_en == names.name_en)),
    ] {
        if taken {
            return Err(ApiError::Conflict {
                code: "duplicate_name",
                message: format!("Another {} already has this name", words(vocabulary).one),
                field: Some(field.into()),
            });
        }
    }
    Ok(())
}

fn found(conn: &mut DbConnection, vocabulary: Vocabulary, code: &str) -> Result<Term, ApiError> {
    store::find(conn, vocabulary, code)?.ok_or(ApiError::NotFound)
}

pub fn add(
    conn: &mut DbConnection,
    principal: &Principal,
    vocabulary: Vocabulary,
    form: &NewTermForm,
) -> Result<Term, ApiError> {
    let new = form.parse().map_err(ApiError::Validation)?;
    let words = words(vocabulary);
    db::transaction(conn, |conn| {
        let terms = store::terms(conn, vocabulary)?;
        if terms.iter().any(|t| t.code == new.code) {
            return Err(ApiError::Conflict {
                code: "duplicate_code",
                message: format!("Another {} already has this code", words.one),
                field: Some("code".into()),
            });
        }
        check_names_free(vocabulary, &terms, &new.names, None)?;
        store::insert(conn, vocabulary, &new)?;
        audit::record(
            conn,
            &principal.actor(),
            words.create,
            (vocabulary.term(), Some(&new.code)),
            Some(json!({ "name_zh": new.names.name_zh, "name_en": new.names.name_en })),
        )?;
        found(conn, vocabulary, &new.code)
    })
}

pub fn change(
    conn: &mut DbConnection,
    principal: &Principal,
    vocabulary: Vocabulary,
    code: &str,
    form: &TermForm,
) -> Result<Term, ApiError> {
    let change = form.parse().map_err(ApiError::Validation)?;
    let words = words(vocabulary);
    db::transaction(conn, |conn| {
        let before = found(conn, vocabulary, code)?;
        check_names_free(
            vocabulary,
            &store::terms(conn, vocabulary)?,
            &change.names,
            Some(code),
        )?;
        if !store::update_if_version(conn, vocabulary, code, &change)? {
            return Err(ApiError::version_conflict(words.one));
        }
        audit::record(
            conn,
            &principal.actor(),
            words.update,
            (vocabulary.term(), Some(code)),
            Some(json!({
                "before": { "name_zh": before.name_zh, "name_en": before.name_en, "active": before.active },
                "after": { "name_zh": change.names.name_zh, "name_en": change.names.name_en, "active": change.active },
            })),
        )?;
        found(conn, vocabulary, code)
    })
}

/// Moves a term one place, swapping it with its neighbour; answers the whole order.
pub fn move_term(
    conn: &mut DbConnection,
    principal: &Principal,
    vocabulary: Vocabulary,
    code: &str,
    form: &TermMoveForm,
) -> Result<Vec<Term>, ApiError> {
    let movement = form.parse().map_err(ApiError::Validation)?;
    let words = words(vocabulary);
    db::transaction(conn, |conn| {
        let terms = store::terms(conn, vocabulary)?;
        let at = terms
            .iter()
            .position(|t| t.code == code)
            .ok_or(ApiError::NotFound)?;
        let neighbour = match movement.direction {
            Direction::Up => at.checked_sub(1),
            Direction::Down => Some(at + 1).filter(|next| *next < terms.len()),
        }
        .ok_or_else(|| {
            ApiError::field(
                "direction",
                "cannot_move",
                "The term is already at that end of the list",
            )
        })?;
        let other = &terms[neighbour].code;
        if !store::swap_if_version(conn, vocabulary, code, movement.version, other)? {
            return Err(ApiError::version_conflict(words.one));
        }
        audit::record(
            conn,
            &principal.actor(),
            words.moved,
            (vocabulary.term(), Some(code)),
            Some(json!({ "direction": movement.direction, "swapped_with": other })),
        )?;
        Ok(store::terms(conn, vocabulary)?)
    })
}
