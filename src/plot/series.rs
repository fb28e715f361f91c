//! Named series of plotted values, with bounds and smoothing kept up to date as points arrive.

/// TensorBoard's default smoothing weight.
pub const DEFAULT_SMOOTHING: f64 = 0.6;

/// One named series; a point's x is its index (the step).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    label: String,
    values: Vec<f64>,
    smoothed: Vec<f64>,
    ema: Ema,
    range: Option<(f64, f64)>,
    min_positive: Option<f64>,
    non_positive: usize,
}

impl Series {
    fn new(label: &str, weight: f64) -> Self {
        Series {
            label: label.to_string(),
            values: Vec::new(),
            smoothed: Vec::new(),
            ema: Ema::new(weight),
            range: None,
            min_positive: None,
            non_positive: 0,
        }
    }

    fn push(&mut self, value: f64) {
        self.values.push(value);
        self.smoothed.push(self.ema.next(value));
        if !value.is_finite() {
            return;
        }
        self.range = Some(match self.range {
            Some((lo, hi)) => (lo.min(value), hi.max(value)),
            None => (value, value),
        });
        if value > 0.0 {
            self.min_positive = Some(self.min_positive.map_or(value, |m| m.min(value)));
        } else {
            self.non_positive += 1;
        }
    }

    fn resmooth(&mut self, weight: f64) {
        self.ema = Ema::new(weight);
        let ema = &mut self.ema;
        self.smoothed = self.values.iter().map(|&v| ema.next(v)).collect();
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Every value pushed, non-finite ones included.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The debiased EMA of `values`, same length; non-finite values pass through unchanged.
    pub fn smoothed(&self) -> &[f64] {
        &self.smoothed
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value at `step`, if the series has reached it.
    pub fn get(&self, step: usize) -> Option<f64> {
        self.values.get(step).copied()
    }

    pub fn last(&self) -> Option<f64> {
        self.values.last().copied()
    }

    /// Smallest and largest finite value.
    pub fn range(&self) -> Option<(f64, f64)> {
        self.range
    }

    /// Smallest value above zero (the lower bound on a log axis).
    pub fn min_positive(&self) -> Option<f64> {
        self.min_positive
    }

    /// How many finite values are zero or negative (hidden on a log axis).
    pub fn non_positive(&self) -> usize {
        self.non_positive
    }
}

/// TensorBoard's debiased exponential moving average: early points are not pulled towards 0.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ema {
    weight: f64,
    accum: f64,
    count: i32,
}

impl Ema {
    fn new(weight: f64) -> Self {
        Ema {
            weight,
            accum: 0.0,
            count: 0,
        }
    }

    fn next(&mut self, value: f64) -> f64 {
        if !value.is_finite() {
            return value;
        }
        self.accum = self.accum * self.weight + (1.0 - self.weight) * value;
        self.count = self.count.saturating_add(1);
        let debias = 1.0 - self.weight.powi(self.count);
        if debias == 0.0 {
            value
        } else {
            self.accum / debias
        }
    }
}

/// The ordered set of named series that `plot(value, label=...)` appends to.
#[derive(Debug, Clone, PartialEq)]
pub struct Plots {
    series: Vec<Series>,
    smoothing: f64,
}

impl Default for Plots {
    fn default() -> Self {
        Plots {
            series: Vec::new(),
            smoothing: DEFAULT_SMOOTHING,
        }
    }
}

impl Plots {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `value` to the series `label`, creating it (last in order) on first use.
    pub fn push(&mut self, label: &str, value: f64) {
        let index = match self.series.iter().position(|s| s.label == label) {
            Some(index) => index,
            None => {
                self.series.push(Series::new(label, self.smoothing));
                self.series.len() - 1
            }
        };
        self.series[index].push(value);
    }

    /// Series in the order they were first plotted.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    pub fn get(&self, label: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.label == label)
    }

    /// True when no point was plotted.
    pub fn is_empty(&self) -> bool {
        self.series.iter().all(Series::is_empty)
    }

    /// Number of steps of the longest series.
    pub fn steps(&self) -> usize {
        self.series.iter().map(Series::len).max().unwrap_or(0)
    }

    pub fn clear(&mut self) {
        self.series.clear();
    }

    pub fn smoothing(&self) -> f64 {
        self.smoothing
    }

    /// Sets the EMA weight (clamped to 0..=0.999; 0 means no smoothing) and recomputes.
    pub fn set_smoothing(&mut self, weight: f64) {
        let weight = if weight.is_nan() {
            DEFAULT_SMOOTHING
        } else {
            weight.clamp(0.0, 0.999)
        };
        self.smoothing = weight;
        for series in &mut self.series {
            series.resmooth(weight);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plots(values: &[f64]) -> Plots {
        let mut plots = Plots::new();
        for &v in values {
            plots.push("loss", v);
        }
        plots
    }

    #[test]
    fn series_keep_first_use_order_and_their_own_steps() {
        let mut plots = Plots::new();
        plots.push("loss", 1.0);
        plots.push("acc", 0.5);
        plots.push("loss", 0.8);
        let labels: Vec<_> = plots.series().iter().map(Series::label).collect();
        assert_eq!(labels, ["loss", "acc"]);
        assert_eq!(plots.get("loss").map(Series::values), Some(&[1.0, 0.8][..]));
        assert_eq!(plots.get("acc").and_then(|s| s.get(1)), None);
        assert_eq!(plots.steps(), 2);
        assert!(!plots.is_empty());
        plots.clear();
        assert!(plots.is_empty());
    }

    #[test]
    fn bounds_skip_non_finite_values() {
        fn check(values: &[f64], range: Option<(f64, f64)>, min_pos: Option<f64>, non_pos: usize) {
            let plots = plots(values);
            let series = plots.get("loss");
            assert_eq!(series.and_then(Series::range), range, "{values:?}");
            assert_eq!(series.and_then(Series::min_positive), min_pos, "{values:?}");
            assert_eq!(
                series.map_or(0, Series::non_positive),
                non_pos,
                "{values:?}"
            );
        }
        check(&[], None, None, 0);
        check(&[f64::NAN, f64::INFINITY], None, None, 0);
        check(&[3.0, f64::NAN, -1.0, 2.0], Some((-1.0, 3.0)), Some(2.0), 1);
        check(
            &[0.0, f64::NEG_INFINITY, 5.0],
            Some((0.0, 5.0)),
            Some(5.0),
            1,
        );
    }

    #[test]
    fn smoothing_is_tensorboards_debiased_ema() {
        fn check(weight: f64, values: &[f64], expected: &[f64]) {
            let mut plots = plots(values);
            plots.set_smoothing(weight);
            let got = plots.get("loss").map(Series::smoothed).unwrap_or_default();
            assert_eq!(got.len(), expected.len());
            for (g, e) in got.iter().zip(expected) {
                assert!(
                    g == e || (g - e).abs() < 1e-12 || (g.is_nan() && e.is_nan()),
                    "{got:?} != {expected:?}"
                );
            }
        }
        // By hand: accum = 0.6*accum + 0.4*v, divided by 1 - 0.6^n.
        check(0.6, &[1.0, 0.0], &[1.0, 0.24 / 0.64]);
        check(0.6, &[2.0, f64::NAN, 2.0], &[2.0, f64::NAN, 2.0]);
        check(0.0, &[3.0, 1.0, 4.0], &[3.0, 1.0, 4.0]);
        check(0.5, &[0.0, 4.0], &[0.0, 2.0 / 0.75]);
    }

    #[test]
    fn incremental_smoothing_matches_recomputed() {
        let values: Vec<f64> = (0..50).map(|i| ((i * 7) % 11) as f64).collect();
        let incremental = plots(&values);
        let mut recomputed = incremental.clone();
        recomputed.set_smoothing(DEFAULT_SMOOTHING);
        assert_eq!(incremental, recomputed);
    }
}
