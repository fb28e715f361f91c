//! The lesson player: a full-screen terminal interface over the lessons, with a kernel (a
//! worker thread owning the lesson's session) per lesson.
//!
//! Shape (Elm style): terminal input, ticks and kernel reports arrive on one channel
//! ([`event`]), become [`app::Action`]s ([`keys`]), [`app::App::update`] applies them, and
//! `impl Widget for &App` ([`ui`]) draws the state.

pub mod app;
pub mod doc;
pub mod event;
pub mod highlight;
pub mod kernel;
pub mod keys;
pub mod layout;
pub mod stale;
pub mod terminal;
pub mod text;
pub mod ui;
pub mod wrap;

#[cfg(test)]
mod tests;

pub use terminal::{run_player, PlayerOptions};

/// The status bar's CUDA note, from the CUDA probe (run once per process,
/// never crashing): the GPU's name, or why there is none, without the
/// driver's error code (`CUDA unavailable: no NVIDIA driver found`).
pub fn cuda_status() -> String {
    use crate::tensor::cuda::CudaStatus;
    match crate::tensor::cuda::cuda_status() {
        CudaStatus::Available { name, .. } => format!("CUDA: {name}"),
        CudaStatus::Unavailable(reason) => {
            let short = reason.split(" (").next().unwrap_or(reason);
            format!("CUDA unavailable: {short}")
        }
    }
}
