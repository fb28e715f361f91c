//! lang (under construction)
