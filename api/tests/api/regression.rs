//! The dashboard's regressions against statsmodels: `data/regression/make.py` made a synthetic
//! data set and statsmodels' fits of it once; here the same design is fitted in Rust and every
//! figure must agree to 1e-6.

use std::fs;
use std::path::PathBuf;

use api::analytics::regression::{logit, poisson_robust, wilson, Coefficient, Fit, FitError};
use nalgebra::{DMatrix, DVector};
use serde_json::Value;

const TOLERANCE: f64 = 1e-6;
const AGE_BANDS: [&str; 4] = ["18-29", "30-39", "40-49", "50+"];

/// Columns of the design, in make.py's order.
const SINGLE_PARENT: usize = 5;
const NEW_ARRIVAL: usize = 7;

type FitFn = fn(&DMatrix<f64>, &DVector<f64>) -> Result<Fit, FitError>;
/// A figure as statsmodels names it, and where a coefficient holds it.
type Quantity = (&'static str, fn(&Coefficient) -> f64);

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api/data/regression")
}

fn expected() -> Value {
    let text = fs::read_to_string(data_dir().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// The design make.py builds: an intercept, the age bands after the first as dummies, then
/// the other columns as numbers; and the outcome.
fn design(age_bands: &[&str]) -> (DMatrix<f64>, DVector<f64>) {
    let text = fs::read_to_string(data_dir().join("cases.csv")).expect("cases.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("age_band,female,single_parent,cssa,new_arrival,children_under_18,outcome")
    );
    let mut rows = Vec::new();
    let mut outcomes = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 7, "{line}");
        let band = age_bands
            .iter()
            .position(|b| *b == fields[0])
            .expect("a known age band");
        rows.push(1.0);
        rows.extend((1..age_bands.len()).map(|level| f64::from(u8::from(band == level))));
        rows.extend(
            fields[1..6]
                .iter()
                .map(|v| v.parse::<f64>().expect("a number")),
        );
        outcomes.push(fields[6].parse::<f64>().expect("a number"));
    }
    let columns = age_bands.len() + 5;
    let x = DMatrix::from_row_slice(outcomes.len(), columns, &rows);
    (x, DVector::from_vec(outcomes))
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect()
}

/// Asserts every figure of `fit` against statsmodels'.
fn assert_agrees(name: &str, fit: &Fit, expected: &Value) {
    let quantities: [Quantity; 5] = [
        ("params", |c| c.estimate),
        ("bse", |c| c.std_error),
        ("pvalues", |c| c.p_value),
        ("ci_low", |c| c.ci_low),
        ("ci_high", |c| c.ci_high),
    ];
    for (quantity, ours) in quantities {
        let theirs = numbers(&expected[quantity]);
        assert_eq!(fit.coefficients.len(), theirs.len(), "{name} {quantity}");
        for (j, (coefficient, want)) in fit.coefficients.iter().zip(&theirs).enumerate() {
            let got = ours(coefficient);
            assert!(
                (got - want).abs() <= TOLERANCE,
                "{name} {quantity}[{j}]: {got} against statsmodels' {want}"
            );
        }
    }
}

#[test]
fn poisson_with_robust_errors_and_logit_agree_with_statsmodels() {
    let expected = expected();
    let (x, y) = design(&AGE_BANDS);
    assert_eq!(x.ncols(), expected["columns"].as_array().unwrap().len());
    assert_eq!(Some(x.nrows() as u64), expected["n"].as_u64());

    let poisson = poisson_robust(&x, &y).expect("the Poisson fit");
    let logistic = logit(&x, &y).expect("the logit fit");
    assert_eq!(poisson.n, x.nrows());
    assert_agrees("poisson", &poisson, &expected["poisson_hc0"]);
    assert_agrees("logit", &logistic, &expected["logit"]);

    // The ratio scale is the exponentiated linear one; with a 20% prevalence, odds ratios
    // lie further from 1 than prevalence ratios.
    for (p, l) in poisson
        .coefficients
        .iter()
        .zip(&logistic.coefficients)
        .skip(1)
    {
        let ratio = p.ratio();
        assert!((ratio.estimate - p.estimate.exp()).abs() < 1e-15);
        assert!(ratio.ci_low < ratio.estimate && ratio.estimate < ratio.ci_high);
        assert!(l.estimate.abs() > p.estimate.abs());
    }
}

#[test]
fn wilson_intervals_agree_with_statsmodels() {
    for case in expected()["wilson"].as_array().expect("wilson cases") {
        let successes = case["successes"].as_u64().unwrap();
        let n = case["n"].as_u64().unwrap();
        let (low, high) = wilson(successes, n).expect("an interval");
        let (want_low, want_high) = (
            case["low"].as_f64().unwrap(),
            case["high"].as_f64().unwrap(),
        );
        assert!(
            (low - want_low).abs() <= TOLERANCE,
            "{successes}/{n} low {low} against {want_low}"
        );
        assert!(
            (high - want_high).abs() <= TOLERANCE,
            "{successes}/{n} high {high} against {want_high}"
        );
        assert!((0.0..=1.0).contains(&low) && low <= high && high <= 1.0);
    }
    assert_eq!(wilson(0, 0), None);
    assert_eq!(wilson(3, 2), None);
}

#[test]
fn a_singular_design_is_an_error_not_a_panic() {
    let (x, y) = design(&AGE_BANDS);

    // A factor level with no cases: a column of zeros.
    let mut empty_level = x.clone();
    empty_level.column_mut(1).fill(0.0);
    // A factor level with every case: the column repeats the intercept.
    let mut every_case = x.clone();
    every_case.column_mut(1).fill(1.0);
    // The same factor entered twice.
    let mut duplicated = x.clone().insert_column(x.ncols(), 0.0);
    duplicated.set_column(x.ncols(), &x.column(SINGLE_PARENT));
    // Every age band with the intercept (no reference level): the dummies sum to the intercept.
    let (every_level, _) = design(&["none", "18-29", "30-39", "40-49", "50+"]);

    for singular in [empty_level, every_case, duplicated, every_level] {
        assert_eq!(poisson_robust(&singular, &y), Err(FitError::Singular));
        assert_eq!(logit(&singular, &y), Err(FitError::Singular));
    }
}

#[test]
fn impossible_data_are_errors_not_panics() {
    let (x, y) = design(&AGE_BANDS);
    for fit in [poisson_robust as FitFn, logit] {
        assert_eq!(
            fit(&DMatrix::zeros(0, 3), &DVector::zeros(0)),
            Err(FitError::NoCases)
        );
        assert!(matches!(
            fit(&x, &y.rows(0, 10).into_owned()),
            Err(FitError::Shape { .. })
        ));
        assert_eq!(
            fit(&x, &DVector::zeros(x.nrows())),
            Err(FitError::NoVariation)
        );
        assert_eq!(fit(&x, &y.map(|v| 2.0 * v)), Err(FitError::NotBinary));
        let mut not_finite = x.clone();
        not_finite[(3, 4)] = f64::NAN;
        assert_eq!(fit(&not_finite, &y), Err(FitError::NotFinite));

        // No new arrival has the outcome: their ratio is zero, its log infinite.
        let mut no_outcome = y.clone();
        for i in 0..x.nrows() {
            if x[(i, NEW_ARRIVAL)] == 1.0 {
                no_outcome[i] = 0.0;
            }
        }
        assert_eq!(fit(&x, &no_outcome), Err(FitError::Separation));
    }

    // Every new arrival has the outcome: an infinite odds ratio, but a finite prevalence ratio.
    let mut every_outcome = y.clone();
    for i in 0..x.nrows() {
        if x[(i, NEW_ARRIVAL)] == 1.0 {
            every_outcome[i] = 1.0;
        }
    }
    assert_eq!(logit(&x, &every_outcome), Err(FitError::Separation));
    assert!(poisson_robust(&x, &every_outcome).is_ok());
}
