//! `nnlearn run --plot out.svg`: the chart as an SVG image, drawn with plotters.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::axis::{format_value, Bounds, Scale};
use super::downsample::{bucket_size, downsample};
use super::series::Plots;

#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot draw the chart: {0}")]
    Draw(String),
}

const SIZE: (u32, u32) = (800, 500);
const PLOT_WIDTH_PX: usize = 700;

/// The same hues as the terminal palette.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 150, 170),
    RGBColor(200, 150, 0),
    RGBColor(170, 50, 170),
    RGBColor(40, 150, 40),
    RGBColor(220, 60, 60),
    RGBColor(60, 90, 220),
];

/// Writes every series of `plots` as one line of an SVG chart at `path`.
pub fn write_svg(plots: &Plots, path: &Path) -> Result<(), PlotError> {
    let svg = svg_string(plots)?;
    std::fs::write(path, svg).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The SVG document for `plots`: axes with ticks, a legend, one polyline per series.
pub fn svg_string(plots: &Plots) -> Result<String, PlotError> {
    let mut svg = String::new();
    draw(plots, &mut svg).map_err(|e| PlotError::Draw(e.to_string()))?;
    Ok(svg)
}

fn draw<'a>(plots: &Plots, svg: &'a mut String) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let bounds = Bounds::of(plots, Scale::Linear).unwrap_or(Bounds {
        x: [0.0, 1.0],
        y: [0.0, 1.0],
    });
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(bounds.x[0]..bounds.x[1], bounds.y[0]..bounds.y[1])?;
    chart
        .configure_mesh()
        .x_desc("step")
        // Steps are whole numbers: no more x labels than steps.
        .x_labels(plots.steps().clamp(2, 10))
        .x_label_formatter(&|x| format_value(*x))
        .y_label_formatter(&|y| format_value(*y))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 14))
        .draw()?;
    let bucket = bucket_size(plots.steps(), PLOT_WIDTH_PX * 2);
    for (i, series) in plots.series().iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let points = downsample(series.values(), bucket, Scale::Linear);
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))?
            .label(series.label())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    if !plots.series().is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Plots {
        let mut plots = Plots::new();
        for i in 0..500 {
            let x = i as f64;
            plots.push("train loss", 1.0 / (1.0 + x * 0.1));
            if i % 10 == 0 {
                plots.push("val <acc> & co", 1.0 - 0.5 / (1.0 + x * 0.01));
            }
        }
        plots.push("train loss", f64::NAN);
        plots
    }

    #[test]
    fn writes_axes_a_legend_and_one_line_per_series() {
        let path = std::env::temp_dir().join(format!("nnlearn-plot-{}.svg", std::process::id()));
        write_svg(&sample(), &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(svg.trim_end().ends_with("</svg>"));
        // Each series: its line and its legend swatch, both in its colour.
        for color in &PALETTE[..2] {
            let stroke = format!(
                r##"stroke="#{:02X}{:02X}{:02X}" stroke-width="2""##,
                color.0, color.1, color.2
            );
            assert_eq!(svg.matches(&stroke).count(), 2, "{stroke}");
        }
        for text in [
            "\ntrain loss\n",
            "\nval &lt;acc&gt; &amp; co\n",
            "\nstep\n",
            "\n0.5\n",
            "\n200\n",
        ] {
            assert!(svg.contains(text), "missing {text:?}");
        }
        assert!(svg.matches("<text").count() >= 8);
    }

    #[test]
    fn empty_and_constant_plots_still_draw() {
        // Lines and legend swatches are the only strokes 2 wide.
        fn check(plots: &Plots, wide_strokes: usize) {
            let svg = svg_string(plots).unwrap();
            assert_eq!(
                svg.matches(r#"stroke-width="2""#).count(),
                wide_strokes,
                "{plots:?}"
            );
        }
        check(&Plots::new(), 0);
        let mut constant = Plots::new();
        constant.push("c", 2.0);
        constant.push("c", 2.0);
        check(&constant, 2);
        let mut nan = Plots::new();
        nan.push("n", f64::NAN);
        check(&nan, 1);
    }

    #[test]
    fn an_unwritable_path_is_an_error() {
        let err = write_svg(&sample(), Path::new("/nonexistent-dir/x.svg")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot write /nonexistent-dir/x.svg: "),
            "{err}"
        );
    }
}
