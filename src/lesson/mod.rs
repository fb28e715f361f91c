//! lesson (under construction)
