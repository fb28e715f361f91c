//! Python's number formatting: float repr, format specs, round.
