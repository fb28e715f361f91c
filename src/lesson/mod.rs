//! Lessons: the typed model, the markdown parser, TeX math to Unicode, the
//! embedded catalog and the learner's saved progress. No terminal I/O here.

pub mod math;
pub mod model;
pub mod parse;

pub use model::*;
