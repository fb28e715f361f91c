//! Charts of `plot(...)` series: the data ([`Plots`]), the terminal widget ([`ChartView`], used
//! by the TUI pane and the REPL's inline viewport) and SVG output for `nnlearn run --plot`.

pub mod axis;
pub mod chart;
pub mod downsample;
pub mod series;
pub mod svg;

pub use axis::{format_tick, format_value, ticks, Bounds, Scale, Tick};
pub use chart::{series_color, ChartView, PALETTE};
pub use downsample::{bucket_size, downsample};
pub use series::{Plots, Series, DEFAULT_SMOOTHING};
pub use svg::{svg_string, write_svg, PlotError};
