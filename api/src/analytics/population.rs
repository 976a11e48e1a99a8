//! The district population a deployment loads, and the residents a rate is reckoned
//! against.

use std::collections::HashMap;

use common::analytics::AgeBand;
use common::clients::Sex;
use common::districts::District;
use common::population::{PopulationForm, PopulationSummary};
use serde_json::json;

use super::store::{self, PopulationLoad};
use crate::audit;
use crate::db::{self, new_id, now, stored_code, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// The loaded figures by district, age band and sex.
pub struct Population(HashMap<(District, AgeBand, Sex), i64>);

impl Population {
    pub fn read(conn: &mut DbConnection) -> Result<Population, ApiError> {
        let mut cells = HashMap::new();
        for (district, band, sex, population) in store::population(conn)? {
            let key = (
                stored_code(
                    District::from_code,
                    "district_populations.district",
                    &district,
                )?,
                stored_code(AgeBand::parse, "district_populations.age_band", &band)?,
                stored_code(Sex::parse, "district_populations.sex", &sex)?,
            );
            cells.insert(key, population);
        }
        Ok(Population(cells))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The residents of a district, age band and sex; each left open is summed over.
    pub fn residents(
        &self,
        district: Option<District>,
        band: Option<AgeBand>,
        sex: Option<Sex>,
    ) -> i64 {
        self.0
            .iter()
            .filter(|((d, b, s), _)| {
                district.is_none_or(|x| x == *d)
                    && band.is_none_or(|x| x == *b)
                    && sex.is_none_or(|x| x == *s)
            })
            .map(|(_, n)| n)
            .sum()
    }
}

/// What is loaded, if anything.
pub fn summary(conn: &mut DbConnection) -> Result<Option<PopulationSummary>, ApiError> {
    let Some((load, loaded_by)) = store::latest_load(conn)? else {
        return Ok(None);
    };
    let population = Population::read(conn)?;
    Ok(Some(PopulationSummary {
        id: load.id,
        source: load.source,
        loaded_by,
        loaded_at: load.loaded_at,
        cells: load.cells,
        total: load.total,
        by_district: District::ALL
            .iter()
            .map(|d| (*d, population.residents(Some(*d), None, None)))
            .collect(),
    }))
}

/// Replaces the loaded figures with the form's, if the load it replaces is still the
/// latest; audited with its source and size.
pub fn load(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &PopulationForm,
) -> Result<PopulationSummary, ApiError> {
    let (source, cells) = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let latest = store::latest_load(conn)?.map(|(load, _)| load.id);
        if latest != form.replaces {
            return Err(ApiError::Conflict {
                code: "stale",
                message:
                    "Someone else loaded population figures since you read them: read them again"
                        .into(),
                field: Some("replaces".into()),
            });
        }
        let load = PopulationLoad {
            id: new_id(),
            source,
            cells: cells.len() as i64,
            total: cells.iter().map(|c| c.population).sum(),
            loaded_by: principal.user_id.clone(),
            loaded_at: now(),
        };
        store::replace_population(conn, &cells, &load)?;
        audit::record(
            conn,
            &principal.actor(),
            "population.load",
            ("population", Some(&load.id)),
            Some(json!({ "source": load.source, "cells": load.cells, "total": load.total })),
        )?;
        summary(conn)?.ok_or(ApiError::NotFound)
    })
}
