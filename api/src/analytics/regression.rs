//! The two regressions behind the DAS risk and protective factors dashboard, fitted in process
//! so the server needs no statistics runtime: a Poisson GLM with HC0 (robust) standard errors,
//! whose exponentiated coefficients are prevalence ratios (the outcome is common, so odds
//! ratios would overstate them), and the logistic regression whose odds ratios readers of
//! the literature expect. Both agree with statsmodels to 1e-6 (`tests/api/regression.rs`).
//!
//! Both models are GLMs with a canonical link, so one Newton iteration serves both: the
//! observed and expected information coincide, and the Newton step is the IRLS step.

use std::collections::HashMap;

use nalgebra::{Cholesky, DMatrix, DVector};
use thiserror::Error;

/// scipy's `norm.ppf(0.975)`, which statsmodels uses for its 95% intervals.
const Z_975: f64 = 1.959_963_984_540_054;
/// The last step's Newton decrement, √(Δβ' I Δβ), bounds how far it moved any coefficient in
/// units of that coefficient's standard error, whatever the covariate's scale. Newton converges
/// quadratically, so after a step this small the estimates sit at rounding level.
const DECREMENT_TOLERANCE: f64 = 1e-8;
/// The decrement alone would also stop a coefficient running off to infinity under
/// separation, where the information along it vanishes but each step stays near 1; so the
/// steps themselves must be small too (relative to the coefficient once it exceeds 1).
const STEP_TOLERANCE: f64 = 1e-8;
const MAX_ITERATIONS: usize = 100;
/// A column explained by the others to within this share of its variance is collinear with
/// them: estimates from such a design would be rounding noise.
const COLLINEARITY_TOLERANCE: f64 = 1e-10;
/// A linear predictor past this puts a fitted probability or rate within about 1e-13 of its
/// bound, where only an infinite coefficient (separation) would take it.
const SEPARATED_ETA: f64 = 30.0;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum FitError {
    #[error("there are no cases to fit")]
    NoCases,
    #[error("the design is {rows}×{columns} but there are {outcomes} outcomes")]
    Shape {
        rows: usize,
        columns: usize,
        outcomes: usize,
    },
    #[error("the design or the outcome holds a value that is not a finite number")]
    NotFinite,
    #[error("outcomes must be 0 or 1")]
    NotBinary,
    #[error("the outcome is the same for every case, so nothing can be estimated")]
    NoVariation,
    #[error("the design is singular: a column is empty, repeats the intercept or combines others (a factor level with no cases, or with every case)")]
    Singular,
    #[error("the outcome is perfectly predicted (say, no case in a factor level has it, or for the odds every case does), so a ratio would be zero or infinite")]
    Separation,
    #[error("the fit did not converge")]
    NotConverged,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// In the order of the design's columns.
    pub coefficients: Vec<Coefficient>,
    pub iterations: usize,
    pub n: usize,
}

/// A coefficient on the linear (log or log-odds) scale, with a Wald test and interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coefficient {
    pub estimate: f64,
    pub std_error: f64,
    pub z: f64,
    /// Two-sided, from the standard normal.
    pub p_value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// A coefficient on the ratio scale: a prevalence ratio from [`poisson_robust`], an odds
/// ratio from [`logit`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Coefficient {
    fn wald(estimate: f64, std_error: f64) -> Self {
        let z = estimate / std_error;
        Self {
            estimate,
            std_error,
            z,
            p_value: 2.0 * normal_upper_tail(z.abs()),
            ci_low: estimate - Z_975 * std_error,
            ci_high: estimate + Z_975 * std_error,
        }
    }

    /// The interval is the exponentiated Wald interval, so it is asymmetric around the ratio.
    pub fn ratio(&self) -> Ratio {
        Ratio {
            estimate: self.estimate.exp(),
            ci_low: self.ci_low.exp(),
            ci_high: self.ci_high.exp(),
        }
    }
}

/// Cases that share a row of the design, counted. Both fits depend on the data only
/// through each distinct row's cases and how many of them have the outcome, so a design of
/// categorical factors fits in as many rows as it has patterns, not one a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    x: DMatrix<f64>,
    cases: DVector<f64>,
    with: DVector<f64>,
}

impl Counts {
    /// The distinct rows of `x` (n×p, the intercept column of ones included), each with its
    /// cases and how many of them have the outcome in `y` (0 or 1 a case).
    pub fn of(x: &DMatrix<f64>, y: &DVector<f64>) -> Result<Counts, FitError> {
        let (n, p) = x.shape();
        if n == 0 {
            return Err(FitError::NoCases);
        }
        if y.len() != n || p == 0 {
            return Err(FitError::Shape {
                rows: n,
                columns: p,
                outcomes: y.len(),
            });
        }
        if x.iter().chain(y.iter()).any(|v| !v.is_finite()) {
            return Err(FitError::NotFinite);
        }
        if y.iter().any(|&v| v != 0.0 && v != 1.0) {
            return Err(FitError::NotBinary);
        }
        let mut place: HashMap<Vec<u64>, usize> = HashMap::new();
        let mut rows: Vec<usize> = Vec::new();
        let (mut cases, mut with) = (Vec::new(), Vec::new());
        for (i, row) in x.row_iter().enumerate() {
            let key: Vec<u64> = row.iter().map(|v| v.to_bits()).collect();
            let at = *place.entry(key).or_insert_with(|| {
                rows.push(i);
                cases.push(0.0);
                with.push(0.0);
                rows.len() - 1
            });
            cases[at] += 1.0;
            with[at] += y[i];
        }
        Ok(Counts {
            x: x.select_rows(&rows),
            cases: DVector::from_vec(cases),
            with: DVector::from_vec(with),
        })
    }

    /// Rows already counted: each row's cases (at least one) and how many have the outcome.
    pub fn new(
        x: DMatrix<f64>,
        cases: DVector<f64>,
        with: DVector<f64>,
    ) -> Result<Counts, FitError> {
        let (n, p) = x.shape();
        if n == 0 {
            return Err(FitError::NoCases);
        }
        if cases.len() != n || with.len() != n || p == 0 {
            return Err(FitError::Shape {
                rows: n,
                columns: p,
                outcomes: with.len(),
            });
        }
        if x.iter()
            .chain(cases.iter())
            .chain(with.iter())
            .any(|v| !v.is_finite())
        {
            return Err(FitError::NotFinite);
        }
        if cases
            .iter()
            .zip(with.iter())
            .any(|(&c, &w)| c < 1.0 || w < 0.0 || w > c)
        {
            return Err(FitError::NotBinary);
        }
        Ok(Counts { x, cases, with })
    }
}

/// Poisson regression with a log link and HC0 sandwich errors, as statsmodels'
/// `GLM(y, x, family=Poisson()).fit(cov_type="HC0")`. With a 0/1 outcome the Poisson
/// variance is wrong, so only the sandwich (bread = (X'diag(μ)X)⁻¹, meat = X'diag((y-μ)²)X)
/// gives honest intervals; the estimates themselves are consistent for log prevalence ratios.
///
/// `x` is n×p with the intercept column of ones included; `y` holds 0/1 outcomes.
pub fn poisson_robust(x: &DMatrix<f64>, y: &DVector<f64>) -> Result<Fit, FitError> {
    poisson_robust_counted(&Counts::of(x, y)?)
}

/// [`poisson_robust`] over counted rows: a row's cases with the outcome each add (1-μ)² to
/// the meat, those without it μ².
pub fn poisson_robust_counted(counts: &Counts) -> Result<Fit, FitError> {
    let fitted = newton(counts, Family::Poisson)?;
    let squares = DVector::from_fn(counts.cases.len(), |i, _| {
        let (mu, with) = (fitted.mean[i], counts.with[i]);
        with * (1.0 - mu).powi(2) + (counts.cases[i] - with) * mu * mu
    });
    let meat = weighted_cross_product(&counts.x, &squares);
    let covariance = &fitted.bread * meat * &fitted.bread;
    Ok(fitted.into_fit(&covariance))
}

/// Logistic regression, as statsmodels' `Logit(y, x).fit()`, with the inverse information as
/// covariance. `x` is n×p with the intercept column of ones included; `y` holds 0/1 outcomes.
pub fn logit(x: &DMatrix<f64>, y: &DVector<f64>) -> Result<Fit, FitError> {
    logit_counted(&Counts::of(x, y)?)
}

/// [`logit`] over counted rows.
pub fn logit_counted(counts: &Counts) -> Result<Fit, FitError> {
    let fitted = newton(counts, Family::Logit)?;
    let covariance = fitted.bread.clone();
    Ok(fitted.into_fit(&covariance))
}

/// The Wilson score 95% interval for a proportion, as statsmodels'
/// `proportion_confint(method="wilson")`: unlike the Wald interval it stays inside [0, 1] and
/// is not degenerate at 0 or n successes, which small centres often have. `None` when there
/// is no denominator or the count exceeds it.
pub fn wilson(successes: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || successes > n {
        return None;
    }
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = Z_975 * Z_975;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

#[derive(Clone, Copy)]
enum Family {
    Poisson,
    Logit,
}

impl Family {
    /// The mean μ = b'(η) and variance b''(η) of the canonical link's cumulant b.
    fn mean_variance(self, eta: f64) -> (f64, f64) {
        match self {
            Family::Poisson => {
                let mu = eta.exp();
                (mu, mu)
            }
            Family::Logit => {
                let p = 1.0 / (1.0 + (-eta).exp());
                (p, p * (1.0 - p))
            }
        }
    }

    /// b(η) - yη, whose sum is the negative log-likelihood up to a constant; written so that
    /// large |η| neither overflows nor loses the small term.
    fn loss(self, eta: f64, y: f64) -> f64 {
        let cumulant = match self {
            Family::Poisson => eta.exp(),
            Family::Logit => eta.max(0.0) + (-eta.abs()).exp().ln_1p(),
        };
        cumulant - y * eta
    }

    /// The first iterate's mean, taken from the data, as statsmodels and R do: a start at
    /// β = 0 would put every Poisson rate at 1, far from a 0/1 outcome's prevalence.
    fn start(self, y: f64, mean_y: f64) -> f64 {
        match self {
            Family::Poisson => (y + mean_y) / 2.0,
            Family::Logit => (y + 0.5) / 2.0,
        }
    }

    fn link(self, mu: f64) -> f64 {
        match self {
            Family::Poisson => mu.ln(),
            Family::Logit => (mu / (1.0 - mu)).ln(),
        }
    }
}

struct Fitted {
    beta: DVector<f64>,
    /// Each counted row's fitted mean.
    mean: DVector<f64>,
    cases: usize,
    /// The inverse information at the estimate.
    bread: DMatrix<f64>,
    iterations: usize,
}

impl Fitted {
    fn into_fit(self, covariance: &DMatrix<f64>) -> Fit {
        let coefficients = self
            .beta
            .iter()
            .enumerate()
            .map(|(j, &estimate)| Coefficient::wald(estimate, covariance[(j, j)].max(0.0).sqrt()))
            .collect();
        Fit {
            coefficients,
            iterations: self.iterations,
            n: self.cases,
        }
    }
}

fn newton(counts: &Counts, family: Family) -> Result<Fitted, FitError> {
    let Counts { x, cases, with } = counts;
    let (n, p) = x.shape();
    let (total, with_outcome) = (cases.sum(), with.sum());
    if with_outcome == 0.0 || with_outcome == total {
        return Err(FitError::NoVariation);
    }
    // Collinearity is a property of the design alone; checking it before any weights enter
    // keeps it apart from separation, which only drives weights towards zero.
    inverse(&weighted_cross_product(x, &DVector::from_element(n, 1.0)))
        .ok_or(FitError::Singular)?;

    // The first step is weighted least squares on the working response from a starting mean
    // (each row's share with the outcome, drawn towards the whole's).
    let share = with.component_div(cases);
    let mean_y = with_outcome / total;
    let mut eta = share.map(|v| family.link(family.start(v, mean_y)));
    // The loss at β = 0 bounds the first step, whose halvings head back there.
    let mut beta = DVector::zeros(p);
    let mut loss = total_loss(family, &DVector::zeros(n), counts);
    for iteration in 1..=MAX_ITERATIONS {
        let (mean, variance) = moments(family, &eta);
        let information = weighted_cross_product(x, &variance.component_mul(cases));
        // The design has full rank, so only weights vanishing as fitted values reach their
        // bounds can make the information singular.
        let information_inverse = inverse(&information).ok_or(FitError::Separation)?;
        let residuals = with - mean.component_mul(cases);
        let target = if iteration == 1 {
            // (X'VX)⁻¹ X'V z with the working response z = η + (y - μ)/v.
            let vz = variance.component_mul(cases).component_mul(&eta) + &residuals;
            &information_inverse * x.tr_mul(&vz)
        } else {
            &beta + &information_inverse * x.tr_mul(&residuals)
        };
        // Halve a step that raises the loss: Newton is not monotone far from the optimum, and
        // user data (a large continuous covariate) can send it there.
        let mut candidate = target;
        let mut candidate_eta = x * &candidate;
        let mut candidate_loss = total_loss(family, &candidate_eta, counts);
        let mut halvings = 0;
        while candidate_loss.is_nan() || candidate_loss > loss + 1e-12 * loss.abs() {
            halvings += 1;
            if halvings > 50 {
                return Err(failure(family, &eta));
            }
            candidate = (&candidate + &beta) / 2.0;
            candidate_eta = x * &candidate;
            candidate_loss = total_loss(family, &candidate_eta, counts);
        }
        let step = &candidate - &beta;
        let decrement = step.dot(&(&information * &step)).sqrt();
        let largest_step = step
            .iter()
            .zip(candidate.iter())
            .map(|(d, b)| d.abs() / b.abs().max(1.0))
            .fold(0.0, f64::max);
        beta = candidate;
        eta = candidate_eta;
        loss = candidate_loss;
        if iteration > 1 && decrement < DECREMENT_TOLERANCE && largest_step < STEP_TOLERANCE {
            let (mean, variance) = moments(family, &eta);
            let bread = inverse(&weighted_cross_product(x, &variance.component_mul(cases)))
                .ok_or(FitError::Separation)?;
            return Ok(Fitted {
                beta,
                mean,
                cases: total as usize,
                bread,
                iterations: iteration,
            });
        }
    }
    Err(failure(family, &eta))
}

fn moments(family: Family, eta: &DVector<f64>) -> (DVector<f64>, DVector<f64>) {
    (
        eta.map(|e| family.mean_variance(e).0),
        eta.map(|e| family.mean_variance(e).1),
    )
}

/// The negative log-likelihood up to a constant: a row's cases each lose b(η) and those
/// with the outcome gain η.
fn total_loss(family: Family, eta: &DVector<f64>, counts: &Counts) -> f64 {
    eta.iter()
        .zip(counts.cases.iter().zip(counts.with.iter()))
        .map(|(&e, (&cases, &with))| cases * family.loss(e, with / cases))
        .sum()
}

/// Why a fit on a full-rank design failed: fitted values pinned at their bound mean a
/// coefficient running off to infinity.
fn failure(family: Family, eta: &DVector<f64>) -> FitError {
    let separated = eta.iter().any(|&e| match family {
        Family::Poisson => e < -SEPARATED_ETA,
        Family::Logit => e.abs() > SEPARATED_ETA,
    });
    if separated {
        FitError::Separation
    } else {
        FitError::NotConverged
    }
}

/// X' diag(w) X.
fn weighted_cross_product(x: &DMatrix<f64>, w: &DVector<f64>) -> DMatrix<f64> {
    let mut weighted = x.clone();
    for (mut row, &wi) in weighted.row_iter_mut().zip(w.iter()) {
        row *= wi;
    }
    x.tr_mul(&weighted)
}

/// The inverse of a symmetric positive semi-definite matrix, or `None` when it is singular to
/// within [`COLLINEARITY_TOLERANCE`]. Scaling to a unit diagonal first makes each squared
/// Cholesky pivot the share of a column's (weighted) sum of squares left unexplained by the
/// columns before it, so one threshold serves any units of measurement.
fn inverse(a: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let diagonal = a.diagonal();
    if !diagonal.iter().all(|&d| d.is_finite() && d > 0.0) {
        return None;
    }
    let scale = diagonal.map(|d| 1.0 / d.sqrt());
    let scaled = DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] * scale[i] * scale[j]);
    let cholesky = Cholesky::new(scaled)?;
    if !cholesky
        .l_dirty()
        .diagonal()
        .iter()
        .all(|&l| l * l > COLLINEARITY_TOLERANCE)
    {
        return None;
    }
    let inverse = cholesky.inverse();
    Some(DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| {
        inverse[(i, j)] * scale[i] * scale[j]
    }))
}

/// P(Z > x) for x ≥ 0, by W. J. Cody's rational approximations (ACM TOMS Algorithm 715, as
/// used by R's `pnorm`), accurate to double precision far into the tail, where p-values of
/// strong factors on thousands of cases lie.
// The coefficients as published, digit for digit, so they can be checked against the source.
#[allow(clippy::excessive_precision)]
fn normal_upper_tail(x: f64) -> f64 {
    const A: [f64; 5] = [
        2.235_252_035_460_683_928_7,
        161.028_231_068_555_878_81,
        1_067.689_485_460_370_958_2,
        18_154.981_253_343_561_249,
        0.065_682_337_918_207_449_113,
    ];
    const B: [f64; 4] = [
        47.202_581_904_688_241_87,
        976.098_551_737_776_693_22,
        10_260.932_208_618_978_205,
        45_507.789_335_026_729_956,
    ];
    const C: [f64; 9] = [
        0.398_941_512_088_134_667_64,
        8.883_149_794_388_375_941_2,
        93.506_656_132_177_855_979,
        597.270_276_394_800_262_26,
        2_494.537_585_290_372_671_1,
        6_848.190_450_536_282_332_6,
        11_602.651_437_647_350_124,
        9_842.714_838_383_978_021_8,
        1.076_557_677_372_019_231_7e-8,
    ];
    const D: [f64; 8] = [
        22.266_688_044_328_115_691,
        235.387_901_782_624_998_61,
        1_519.377_599_407_554_805,
        6_485.558_298_266_760_755,
        18_615.571_640_885_098_091,
        34_900.952_721_145_977_266,
        38_912.003_286_093_271_411,
        19_685.429_676_859_990_727,
    ];
    const P: [f64; 6] = [
        0.215_898_534_057_956_99,
        0.127_401_161_160_247_363_9,
        0.022_235_277_870_649_807,
        0.001_421_619_193_227_893_466,
        2.911_287_495_116_879_2e-5,
        0.023_073_441_764_940_173_03,
    ];
    const Q: [f64; 5] = [
        1.284_260_096_144_911_21,
        0.468_238_212_480_865_118,
        0.065_988_137_868_928_551_5,
        0.003_782_396_332_027_582_44,
        7.297_515_550_839_662_05e-5,
    ];
    const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_677_939_946_059_934;

    if x.is_nan() {
        return f64::NAN;
    }
    // exp(-x²/2) with x split at a multiple of 1/16, so that x² loses no bits.
    let gaussian = |x: f64| {
        let coarse = (x * 16.0).trunc() / 16.0;
        let fine = (x - coarse) * (x + coarse);
        (-coarse * coarse / 2.0).exp() * (-fine / 2.0).exp()
    };
    if x <= 0.674_489_75 {
        let xsq = x * x;
        let mut numerator = A[4] * xsq;
        let mut denominator = xsq;
        for i in 0..3 {
            numerator = (numerator + A[i]) * xsq;
            denominator = (denominator + B[i]) * xsq;
        }
        0.5 - x * (numerator + A[3]) / (denominator + B[3])
    } else if x <= 32f64.sqrt() {
        let mut numerator = C[8] * x;
        let mut denominator = x;
        for i in 0..7 {
            numerator = (numerator + C[i]) * x;
            denominator = (denominator + D[i]) * x;
        }
        gaussian(x) * (numerator + C[7]) / (denominator + D[7])
    } else if x < 37.5193 {
        let xsq = 1.0 / (x * x);
        let mut numerator = P[5] * xsq;
        let mut denominator = xsq;
        for i in 0..4 {
            numerator = (numerator + P[i]) * xsq;
            denominator = (denominator + Q[i]) * xsq;
        }
        let rational = xsq * (numerator + P[4]) / (denominator + Q[4]);
        gaussian(x) * (FRAC_1_SQRT_2PI - rational) / x
    } else {
        0.0
    }
}
