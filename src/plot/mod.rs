//! plot (under construction)
