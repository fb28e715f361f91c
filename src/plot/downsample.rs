//! Thinning a long series for drawing without losing its peaks.

use super::axis::Scale;

/// Points `(step, plotted y)` of `values` to draw: all of them when `bucket <= 1`, otherwise the
/// lowest and highest point of each run of `bucket` steps, in step order, so spikes survive.
/// Values the scale cannot draw (non-finite, or <= 0 on a log axis) are left out.
pub fn downsample(values: &[f64], bucket: usize, scale: Scale) -> Vec<(f64, f64)> {
    let drawable = |(i, &v): (usize, &f64)| Some((i as f64, scale.map(v)?));
    if bucket <= 1 {
        return values.iter().enumerate().filter_map(drawable).collect();
    }
    let mut points = Vec::with_capacity(2 * values.len().div_ceil(bucket));
    for (b, chunk) in values.chunks(bucket).enumerate() {
        let start = b * bucket;
        let mut extremes: Option<((f64, f64), (f64, f64))> = None;
        for p in chunk.iter().enumerate().filter_map(drawable) {
            let p = (p.0 + start as f64, p.1);
            extremes = Some(match extremes {
                None => (p, p),
                Some((lo, hi)) => (
                    if p.1 < lo.1 { p } else { lo },
                    if p.1 > hi.1 { p } else { hi },
                ),
            });
        }
        if let Some((lo, hi)) = extremes {
            let (first, second) = if lo.0 <= hi.0 { (lo, hi) } else { (hi, lo) };
            points.push(first);
            if second != first {
                points.push(second);
            }
        }
    }
    points
}

/// Steps per bucket so that `steps` steps fit `pixels` buckets.
pub fn bucket_size(steps: usize, pixels: usize) -> usize {
    steps.div_ceil(pixels.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_each_buckets_extremes_in_step_order() {
        fn check(values: &[f64], bucket: usize, scale: Scale, expected: &[(f64, f64)]) {
            assert_eq!(
                downsample(values, bucket, scale),
                expected,
                "{values:?} by {bucket}"
            );
        }
        let nan = f64::NAN;
        check(&[], 3, Scale::Linear, &[]);
        check(
            &[1.0, nan, 3.0],
            1,
            Scale::Linear,
            &[(0.0, 1.0), (2.0, 3.0)],
        );
        check(
            &[1.0, 5.0, 2.0, 0.0, 3.0, 4.0],
            3,
            Scale::Linear,
            &[(0.0, 1.0), (1.0, 5.0), (3.0, 0.0), (5.0, 4.0)],
        );
        check(&[2.0, 2.0, 2.0], 3, Scale::Linear, &[(0.0, 2.0)]);
        check(
            &[9.0, 1.0, nan, nan, nan, 7.0],
            2,
            Scale::Linear,
            &[(0.0, 9.0), (1.0, 1.0), (5.0, 7.0)],
        );
        check(
            &[0.0, 100.0, -1.0, 10.0],
            2,
            Scale::Log10,
            &[(1.0, 2.0), (3.0, 1.0)],
        );
    }

    #[test]
    fn a_long_series_shrinks_to_two_points_per_bucket_and_keeps_its_spike() {
        let mut values: Vec<f64> = (0..100_000).map(|i| (i as f64 * 0.01).sin()).collect();
        values[54_321] = 50.0;
        let bucket = bucket_size(values.len(), 400);
        let points = downsample(&values, bucket, Scale::Linear);
        assert!(points.len() <= 800, "{} points", points.len());
        assert!(points.contains(&(54_321.0, 50.0)));
        assert_eq!(points.first(), Some(&(0.0, 0.0)));
    }

    proptest::proptest! {
        #[test]
        fn extremes_survive_and_steps_stay_in_order(
            values in proptest::collection::vec(-1e6f64..1e6, 1..2000),
            pixels in 1usize..300,
        ) {
            let points = downsample(&values, bucket_size(values.len(), pixels), Scale::Linear);
            proptest::prop_assert!(points.len() <= 2 * pixels);
            proptest::prop_assert!(points.windows(2).all(|w| w[0].0 < w[1].0));
            let max = values.iter().copied().fold(f64::MIN, f64::max);
            let min = values.iter().copied().fold(f64::MAX, f64::min);
            proptest::prop_assert!(points.iter().any(|p| p.1 == max));
            proptest::prop_assert!(points.iter().any(|p| p.1 == min));
        }
    }

    #[test]
    fn bucket_size_covers_every_step() {
        fn check(steps: usize, pixels: usize, expected: usize) {
            assert_eq!(bucket_size(steps, pixels), expected, "{steps} in {pixels}");
        }
        check(0, 10, 1);
        check(10, 10, 1);
        check(11, 10, 2);
        check(100_000, 400, 250);
        check(5, 0, 5);
    }
}
