//! Axis bounds, nice tick positions and compact tick labels.

use super::series::Plots;

/// How y values map to plotted coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    #[default]
    Linear,
    /// Plotted as log10(y); values <= 0 are not drawn.
    Log10,
}

impl Scale {
    /// The plotted coordinate of `value`, or `None` where it cannot be drawn.
    pub fn map(self, value: f64) -> Option<f64> {
        match self {
            _ if !value.is_finite() => None,
            Scale::Linear => Some(value),
            Scale::Log10 if value > 0.0 => Some(value.log10()),
            Scale::Log10 => None,
        }
    }

    /// The value at plotted coordinate `pos`.
    pub fn unmap(self, pos: f64) -> f64 {
        match self {
            Scale::Linear => pos,
            Scale::Log10 => 10f64.powf(pos),
        }
    }
}

/// Plot bounds: x in steps, y in plotted coordinates (log10 of the value on a log axis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

/// Padding on each side of the y range, as a fraction of it.
const PAD: f64 = 0.05;

impl Bounds {
    /// Bounds that hold every drawable point, or `None` when there is none.
    pub fn of(plots: &Plots, scale: Scale) -> Option<Bounds> {
        let (lo, hi) = plots
            .series()
            .iter()
            .filter_map(|s| {
                let (lo, hi) = s.range()?;
                match scale {
                    Scale::Linear => Some((lo, hi)),
                    Scale::Log10 => Some((s.min_positive()?.log10(), scale.map(hi)?)),
                }
            })
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))?;
        let last_step = plots.steps().saturating_sub(1).max(1) as f64;
        Some(Bounds {
            x: [0.0, last_step],
            y: padded(lo, hi, scale),
        })
    }
}

fn padded(lo: f64, hi: f64, scale: Scale) -> [f64; 2] {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        return [lo - span * PAD, hi + span * PAD];
    }
    // A constant series gets a band around it: half a decade on a log axis, 10% (or 1) otherwise.
    let half = match scale {
        Scale::Log10 => 0.5,
        Scale::Linear if lo == 0.0 => 1.0,
        Scale::Linear => lo.abs() * 0.1,
    };
    [lo - half, hi + half]
}

/// A tick: where it goes (in plotted coordinates) and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub pos: f64,
    pub label: String,
}

/// At most `max_count` (at least 2) ticks at 1-2-5 steps inside `range` (plotted coordinates).
pub fn ticks(range: [f64; 2], scale: Scale, max_count: usize) -> Vec<Tick> {
    let [lo, hi] = range;
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Vec::new();
    }
    let max_count = max_count.max(2);
    match scale {
        Scale::Log10 if decades(lo, hi) >= 2 => {
            let step = fitting_step(lo, hi, max_count).max(1.0);
            steps_in(lo, hi, step)
                .map(|e| Tick {
                    pos: e,
                    label: format_tick(10f64.powf(e), 10f64.powf(e)),
                })
                .collect()
        }
        Scale::Log10 => {
            let (vlo, vhi) = (10f64.powf(lo), 10f64.powf(hi));
            let step = fitting_step(vlo, vhi, max_count);
            steps_in(vlo, vhi, step)
                .filter_map(|v| {
                    Some(Tick {
                        pos: scale.map(v)?,
                        label: format_tick(v, step),
                    })
                })
                .collect()
        }
        Scale::Linear => {
            let step = fitting_step(lo, hi, max_count);
            steps_in(lo, hi, step)
                .map(|v| Tick {
                    pos: v,
                    label: format_tick(v, step),
                })
                .collect()
        }
    }
}

/// How many whole powers of ten lie in `lo..=hi` (log10 coordinates).
fn decades(lo: f64, hi: f64) -> i64 {
    (hi.floor() - lo.ceil()) as i64 + 1
}

/// The smallest step of 1, 2 or 5 times a power of ten that puts at most `max_count` ticks in
/// `lo..=hi`.
fn fitting_step(lo: f64, hi: f64, max_count: usize) -> f64 {
    let raw = (hi - lo) / max_count as f64;
    if !(raw > 0.0 && raw.is_finite()) {
        return 1.0;
    }
    // A tenth of the average spacing is too fine and ten times it too coarse: the answer is
    // between.
    let start = raw.log10().floor() as i32 - 1;
    (start..start + 3)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
        .find(|&step| steps_in(lo, hi, step).count() <= max_count)
        .unwrap_or(raw)
}

/// Multiples of `step` in `lo..=hi`, computed from integers so that 0.1 * 3 prints as 0.3.
fn steps_in(lo: f64, hi: f64, step: f64) -> impl Iterator<Item = f64> {
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(move |k| if k == 0 { 0.0 } else { k as f64 * step })
}

/// A tick label as short as the tick spacing `step` allows: `0`, `0.5`, `1e-3`, `2.5k`.
pub fn format_tick(value: f64, step: f64) -> String {
    let abs = value.abs();
    if abs == 0.0 {
        return "0".into();
    }
    if !abs.is_finite() {
        return format_value(value);
    }
    if abs < 0.01 {
        let digits = decimals(step / 10f64.powf(abs.log10().floor())).min(2);
        return scientific(value, digits);
    }
    if abs >= 1e15 {
        return scientific(value, 2);
    }
    let (div, suffix) = si_suffix(abs);
    format!("{}{suffix}", trimmed(value / div, decimals(step / div)))
}

/// A value for the legend and cursor readout: 4 significant digits, compact.
pub fn format_value(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.into();
    }
    let abs = value.abs();
    if abs == 0.0 {
        return "0".into();
    }
    let exp = abs.log10().floor();
    if !(-3.0..15.0).contains(&exp) {
        return scientific(value, 3);
    }
    let (div, suffix) = si_suffix(abs);
    let scaled_exp = (abs / div).log10().floor();
    format!(
        "{}{suffix}",
        trimmed(value / div, decimals(10f64.powf(scaled_exp - 3.0)))
    )
}

/// `2.5e-4`: the mantissa with at most `decimals` decimals.
fn scientific(value: f64, decimals: usize) -> String {
    let exp = value.abs().log10().floor();
    format!("{}e{exp}", trimmed(value / 10f64.powf(exp), decimals))
}

fn si_suffix(abs: f64) -> (f64, &'static str) {
    [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        .into_iter()
        .find(|&(div, _)| abs >= div)
        .unwrap_or((1.0, ""))
}

/// Decimals needed to write multiples of `step` exactly (2.5 needs one).
fn decimals(step: f64) -> usize {
    (0..12)
        .find(|&d| {
            let scaled = (step * 10f64.powi(d as i32)).abs();
            scaled.round() >= 1.0 && (scaled - scaled.round()).abs() <= 1e-6 * scaled
        })
        .unwrap_or(12)
}

fn trimmed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_are_compact() {
        fn check(value: f64, step: f64, expected: &str) {
            assert_eq!(
                format_tick(value, step),
                expected,
                "format_tick({value}, {step})"
            );
        }
        check(0.0, 0.5, "0");
        check(0.5, 0.5, "0.5");
        check(1.0, 0.5, "1");
        check(0.25, 0.05, "0.25");
        check(0.30000000000000004, 0.1, "0.3");
        check(-0.2, 0.2, "-0.2");
        check(1e-3, 1e-3, "1e-3");
        check(2.5e-3, 5e-4, "2.5e-3");
        check(-5e-4, 1e-4, "-5e-4");
        check(2500.0, 500.0, "2.5k");
        check(2000.0, 1000.0, "2k");
        check(12500.0, 2500.0, "12.5k");
        check(1e6, 1e6, "1M");
        check(3e9, 1e9, "3G");
        check(1e15, 1e15, "1e15");
        check(40.0, 20.0, "40");
        check(1.02, 0.02, "1.02");
    }

    #[test]
    fn values_have_four_significant_digits() {
        fn check(value: f64, expected: &str) {
            assert_eq!(format_value(value), expected, "format_value({value})");
        }
        check(0.0, "0");
        check(0.123456, "0.1235");
        check(1.0, "1");
        check(2.5, "2.5");
        check(123.456, "123.5");
        check(1234.5, "1.234k");
        check(-0.5, "-0.5");
        check(1.5e-5, "1.5e-5");
        check(1e-3, "0.001");
        check(0.01, "0.01");
        check(f64::NAN, "nan");
        check(f64::NEG_INFINITY, "-inf");
        check(3e20, "3e20");
    }

    fn labels(range: [f64; 2], scale: Scale, max_count: usize) -> Vec<String> {
        ticks(range, scale, max_count)
            .into_iter()
            .map(|t| t.label)
            .collect()
    }

    #[test]
    fn ticks_step_by_one_two_or_five() {
        fn check(range: [f64; 2], max_count: usize, expected: &[&str]) {
            assert_eq!(
                labels(range, Scale::Linear, max_count),
                expected,
                "{range:?} {max_count}"
            );
        }
        check([0.0, 1.0], 6, &["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        check([0.0, 1.0], 3, &["0", "0.5", "1"]);
        check([-0.05, 1.05], 4, &["0", "0.5", "1"]);
        check([-0.05, 1.05], 3, &["0", "0.5", "1"]);
        check([-0.05, 1.05], 2, &["0", "1"]);
        check([0.0, 9999.0], 5, &["0", "2k", "4k", "6k", "8k"]);
        check(
            [0.0, 9999.0],
            10,
            &["0", "1k", "2k", "3k", "4k", "5k", "6k", "7k", "8k", "9k"],
        );
        check([-1e300, 1e300], 3, &["-1e300", "0", "1e300"]);
        check([0.0, 99.0], 5, &["0", "20", "40", "60", "80"]);
        check([2.31, 2.39], 5, &["2.32", "2.34", "2.36", "2.38"]);
        check([-3.0, 3.0], 4, &["-2", "0", "2"]);
        check([1.0, 1.0], 4, &[]);
        check([f64::NAN, 1.0], 4, &[]);
        check([0.0, 1.0], 0, &["0", "1"]);
    }

    #[test]
    fn log_ticks_are_decades_when_the_range_spans_them() {
        fn check(range: [f64; 2], max_count: usize, expected: &[&str]) {
            assert_eq!(
                labels(range, Scale::Log10, max_count),
                expected,
                "{range:?} {max_count}"
            );
        }
        check([-3.2, 0.1], 5, &["1e-3", "0.01", "0.1", "1"]);
        check([-3.2, 0.1], 3, &["0.01", "1"]);
        check([0.0, 6.0], 4, &["1", "100", "10k", "1M"]);
        // Less than two decades: linear steps, placed at their log position.
        let ticks = ticks([0.0, 0.5], Scale::Log10, 3);
        let got: Vec<_> = ticks.iter().map(|t| (t.label.as_str(), t.pos)).collect();
        assert_eq!(got, [("1", 0.0), ("2", 2f64.log10()), ("3", 3f64.log10())]);
    }

    #[test]
    fn bounds_pad_the_y_range() {
        fn check(values: &[f64], scale: Scale, expected: Option<Bounds>) {
            let mut plots = Plots::new();
            for &v in values {
                plots.push("s", v);
            }
            assert_eq!(Bounds::of(&plots, scale), expected, "{values:?} {scale:?}");
        }
        let b = |x: f64, y: [f64; 2]| Some(Bounds { x: [0.0, x], y });
        check(&[], Scale::Linear, None);
        check(&[f64::NAN], Scale::Linear, None);
        check(&[0.0, 10.0], Scale::Linear, b(1.0, [-0.5, 10.5]));
        check(&[5.0], Scale::Linear, b(1.0, [4.5, 5.5]));
        check(&[0.0, 0.0, 0.0], Scale::Linear, b(2.0, [-1.0, 1.0]));
        check(&[-1.0, 0.0], Scale::Log10, None);
        check(&[-1.0, 1.0, 100.0], Scale::Log10, b(2.0, [-0.1, 2.1]));
        check(&[10.0], Scale::Log10, b(1.0, [0.5, 1.5]));
    }
}
