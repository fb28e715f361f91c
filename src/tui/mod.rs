//! tui (under construction)
