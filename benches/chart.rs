//! One 200x60 frame of a 10,000-step, two-series chart (target: under 2 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use nnlearn::plot::{ChartView, Plots};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

fn training_run(steps: usize) -> Plots {
    let mut plots = Plots::new();
    for i in 0..steps {
        let t = i as f64;
        let noise = (t * 12.9898).sin() * 0.05;
        plots.push("loss", (-t / 2000.0).exp() + 0.1 + noise);
        plots.push("val", (-t / 2500.0).exp() + 0.15 + noise / 2.0);
    }
    plots
}

fn frame(c: &mut Criterion) {
    let plots = training_run(10_000);
    let area = Rect::new(0, 0, 200, 60);
    for (name, smooth) in [
        ("chart 200x60 10k", false),
        ("chart 200x60 10k smoothed", true),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                let mut buf = Buffer::empty(area);
                let view = ChartView {
                    smooth,
                    cursor: Some(5_000),
                    title: Some("training"),
                    ..ChartView::new(&plots)
                };
                view.render(area, &mut buf);
                buf
            })
        });
    }
}

criterion_group!(benches, frame);
criterion_main!(benches);
