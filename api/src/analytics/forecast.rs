//! Needs ahead: new cases a month forecast six months on by additive Holt-Winters
//! smoothing with a yearly season, the weights chosen by the smallest one-step error, the
//! interval from those errors; its accuracy shown on the last six months held out, beside
//! "as the same month last year".

use chrono::{Datelike, Months, NaiveDate};
use common::analytics::{
    ForecastMonth, HeldOut, MonthCount, NeedsAhead, FORECAST_HISTORY, FORECAST_MONTHS,
    HELD_OUT_MONTHS,
};
use common::cases::{CaseEventKind, CaseState};

use super::facts::Model;
use super::service::{Matcher, View};
use crate::error::ApiError;

/// A year of months.
const SEASON: usize = 12;
/// The longest history read: ten years.
const MOST_MONTHS: usize = 120;
/// A 95% interval's half width in standard errors.
const Z95: f64 = 1.959_963_984_540_054;

/// A fitted smoothing: the weights, the state after the last month, and the variance of
/// its one-step errors.
#[derive(Debug, Clone, PartialEq)]
pub struct Smoothing {
    pub weights: [f64; 3],
    level: f64,
    trend: f64,
    /// The last season's effects, oldest first.
    season: Vec<f64>,
    variance: f64,
}

/// The state after the first season: its mean as the level at its middle carried to its
/// end, the trend from the first two seasons' means, each month's effect about the line.
fn start(series: &[f64]) -> (f64, f64, Vec<f64>) {
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let (first, second) = (mean(&series[..SEASON]), mean(&series[SEASON..2 * SEASON]));
    let trend = (second - first) / SEASON as f64;
    let middle = (SEASON - 1) as f64 / 2.0;
    let season = (0..SEASON)
        .map(|i| series[i] - (first + trend * (i as f64 - middle)))
        .collect();
    (first + trend * middle, trend, season)
}

/// Runs the smoothing over the series with these weights; the sum of squared one-step
/// errors, and the state at the end.
fn run(series: &[f64], [alpha, beta, gamma]: [f64; 3]) -> (f64, Smoothing) {
    let (mut level, mut trend, mut season) = start(series);
    let mut squared = 0.0;
    for (t, &y) in series.iter().enumerate().skip(SEASON) {
        let effect = season[t % SEASON];
        let error = y - (level + trend + effect);
        squared += error * error;
        let last = level;
        level = alpha * (y - effect) + (1.0 - alpha) * (level + trend);
        trend = beta * (level - last) + (1.0 - beta) * trend;
        season[t % SEASON] = gamma * (y - level) + (1.0 - gamma) * effect;
    }
    let n = series.len();
    // Oldest first: the effect of the month after the last comes first in the next year.
    let season = (0..SEASON).map(|i| season[(n + i) % SEASON]).collect();
    let variance = squared / (n - SEASON) as f64;
    let smoothing = Smoothing {
        weights: [alpha, beta, gamma],
        level,
        trend,
        season,
        variance,
    };
    (squared, smoothing)
}

/// The weights with the smallest one-step error over a grid; at least two seasons.
pub fn fit(series: &[f64]) -> Smoothing {
    assert!(series.len() >= 2 * SEASON, "two seasons to fit");
    let steps = |from: u32, to: u32, by: u32| {
        (from..=to)
            .step_by(by as usize)
            .map(|p| f64::from(p) / 100.0)
    };
    let mut best: Option<(f64, Smoothing)> = None;
    for alpha in steps(5, 95, 5) {
        for beta in steps(0, 30, 5) {
            for gamma in steps(5, 50, 5) {
                let (error, smoothing) = run(series, [alpha, beta, gamma]);
                if best.as_ref().is_none_or(|(e, _)| error < *e) {
                    best = Some((error, smoothing));
                }
            }
        }
    }
    best.expect("a grid").1
}

impl Smoothing {
    /// The next `months`: expected and a 95% interval, never below zero.
    pub fn forecast(&self, months: usize) -> Vec<(f64, f64, f64)> {
        let [alpha, beta, gamma] = self.weights;
        let mut spread = 1.0;
        (1..=months)
            .map(|h| {
                if h > 1 {
                    let j = (h - 1) as f64;
                    let seasonal = if (h - 1) % SEASON == 0 { gamma } else { 0.0 };
                    spread += (alpha * (1.0 + j * beta) + seasonal).powi(2);
                }
                let expected = self.level + h as f64 * self.trend + self.season[(h - 1) % SEASON];
                let half = Z95 * (self.variance * spread).sqrt();
                (
                    expected.max(0.0),
                    (expected - half).max(0.0),
                    (expected + half).max(0.0),
                )
            })
            .collect()
    }
}

fn month_name(month: NaiveDate) -> String {
    month.format("%Y-%m").to_string()
}

fn months_between(first: NaiveDate, day: NaiveDate) -> i64 {
    i64::from(day.year() - first.year()) * 12 + i64::from(day.month0()) - i64::from(first.month0())
}

/// The view's new cases a month to the last whole month of its period (and before this
/// month), from the first month any case in view opened; the forecast where the history
/// is long enough.
pub fn needs_ahead(model: &Model, view: &View) -> Result<NeedsAhead, ApiError> {
    let matcher = Matcher::new(model, view);
    let first_of = |day: NaiveDate| day.with_day(1).expect("a first day");
    let until = view.filter.until.min(view.today);
    let after = until + chrono::Duration::days(1);
    // The last whole month: the period's own if it ends on its last day.
    let end = first_of(after) - Months::new(1);
    let start = end - Months::new(MOST_MONTHS as u32 - 1);
    let few = view.few_below();
    let mut counts = vec![0i64; MOST_MONTHS];
    let mut people: Vec<Vec<u32>> = vec![Vec::new(); MOST_MONTHS];
    let mut earliest = MOST_MONTHS;
    for case in matcher.cases(model) {
        for step in case.steps.iter() {
            let new = matches!(
                (step.kind, step.state),
                (CaseEventKind::Opened, _) | (CaseEventKind::Registered, CaseState::Open)
            );
            if !new || step.on < start || first_of(step.on) > end {
                continue;
            }
            let m = months_between(start, step.on) as usize;
            counts[m] += 1;
            earliest = earliest.min(m);
            if people[m].len() < few && !people[m].contains(&case.client) {
                people[m].push(case.client);
            }
        }
    }
    let months: Vec<NaiveDate> = (0..MOST_MONTHS)
        .map(|m| start + Months::new(m as u32))
        .collect();
    let range = earliest.min(MOST_MONTHS)..MOST_MONTHS;
    let history = range
        .clone()
        .map(|m| MonthCount {
            month: month_name(months[m]),
            cases: (counts[m] == 0 || people[m].len() >= few).then_some(counts[m]),
        })
        .collect();
    let series: Vec<f64> = counts[range].iter().map(|&n| n as f64).collect();
    let mut needs = NeedsAhead {
        scope: view.scope,
        suppressed_below: (!view.exact()).then_some(view.threshold),
        history,
        forecast: None,
        held_out: None,
        smoothing: None,
    };
    if series.len() < FORECAST_HISTORY {
        return Ok(needs);
    }
    let ahead = |from: NaiveDate, points: Vec<(f64, f64, f64)>| -> Vec<ForecastMonth> {
        points
            .into_iter()
            .enumerate()
            .map(|(i, (expected, low, high))| ForecastMonth {
                month: month_name(from + Months::new(i as u32)),
                expected,
                low,
                high,
            })
            .collect()
    };
    let smoothing = fit(&series);
    needs.forecast = Some(ahead(
        end + Months::new(1),
        smoothing.forecast(FORECAST_MONTHS),
    ));
    needs.smoothing = Some(smoothing.weights);
    let kept = series.len() - HELD_OUT_MONTHS;
    let test = fit(&series[..kept]).forecast(HELD_OUT_MONTHS);
    let actual: Vec<i64> = series[kept..].iter().map(|&y| y as i64).collect();
    let mean = |errors: &mut dyn Iterator<Item = f64>| errors.sum::<f64>() / HELD_OUT_MONTHS as f64;
    needs.held_out = Some(HeldOut {
        mean_absolute_error: mean(
            &mut test
                .iter()
                .zip(&actual)
                .map(|(f, &y)| (f.0 - y as f64).abs()),
        ),
        naive_mean_absolute_error: mean(
            &mut (kept..series.len()).map(|t| (series[t - SEASON] - series[t]).abs()),
        ),
        within_interval: test
            .iter()
            .zip(&actual)
            .filter(|(f, &y)| f.1 <= y as f64 && y as f64 <= f.2)
            .count(),
        months: ahead(end - Months::new(HELD_OUT_MONTHS as u32 - 1), test),
        actual,
    });
    // Beyond one's own centre, months of few people are hidden: so are the actual counts
    // held out, when any of them is.
    if needs.history[kept..].iter().any(|m| m.cases.is_none()) {
        needs.held_out = None;
    }
    Ok(needs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line with a yearly pattern that sums to nothing.
    fn seasonal(months: usize, slope: f64) -> Vec<f64> {
        let pattern = [
            5.0, -3.0, 2.0, 0.0, -4.0, 1.0, 3.0, -2.0, 0.0, -1.0, 4.0, -5.0,
        ];
        (0..months)
            .map(|t| 40.0 + slope * t as f64 + pattern[t % SEASON])
            .collect()
    }

    #[test]
    fn a_steady_season_on_a_line_is_carried_on_exactly() {
        let whole = seasonal(48, 0.5);
        let smoothing = fit(&whole[..42]);
        for (h, (expected, low, high)) in smoothing.forecast(6).into_iter().enumerate() {
            assert!(
                (expected - whole[42 + h]).abs() < 1e-9,
                "month {h}: {expected}"
            );
            assert!((high - low).abs() < 1e-6, "no error, no width");
        }
    }

    #[test]
    fn the_interval_widens_ahead_and_never_goes_below_zero() {
        let mut series = seasonal(60, 0.0);
        for (t, y) in series.iter_mut().enumerate() {
            *y += if t % 3 == 0 { 4.0 } else { -2.0 } * ((t * 7 % 5) as f64 - 2.0);
        }
        let ahead = fit(&series).forecast(6);
        let widths: Vec<f64> = ahead.iter().map(|(_, low, high)| high - low).collect();
        assert!(widths[0] > 0.0);
        assert!(widths.windows(2).all(|w| w[1] >= w[0] - 1e-9), "{widths:?}");
        let low = fit(&vec![0.0; 30]
            .into_iter()
            .chain([1.0; 6])
            .collect::<Vec<_>>())
        .forecast(6);
        assert!(low.iter().all(|(e, l, _)| *e >= 0.0 && *l >= 0.0));
    }
}
