//! The memory budget: how many heap bytes the process may hold before the
//! running program gets a `MemoryError`.
//!
//! The count is the counting allocator's ([`super::alloc`]), so tensors,
//! lists, strings, dicts and every other object are in it, and freed memory
//! leaves it. Programs are refused at two kinds of points: before a large
//! request ([`reserve`]: a tensor, `[0] * n`, `list(range(n))`, a long string),
//! and after growth ([`check`]: each statement, loop iteration and container
//! append), so both one huge request and a slow leak stop near the budget.
//!
//! Crossing the budget raises once; the program's variables stay, and the
//! session may go on past the budget by a small grace ([`grace`]) so the next
//! lines can run (printing, `del x`). Past the grace every check raises, until
//! memory is freed below the budget again.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use super::alloc;

/// The default budget is this share of the machine's memory...
const DEFAULT_SHARE: usize = 4;
/// ...and at most this much.
const DEFAULT_MAX: usize = 8 << 30;
/// Assumed when the machine's memory cannot be read.
const FALLBACK_MEMORY: usize = 8 << 30;
/// The smallest budget `--max-memory` takes: below it the process's own
/// baseline (interpreter, lessons, UI) leaves a program no room.
pub const MIN_BUDGET: usize = 32 << 20;

/// The budget in bytes; 0 until it is set or first used.
static BUDGET: AtomicUsize = AtomicUsize::new(0);
/// Set when a check found the budget crossed; cleared once usage is back under it.
static TRIPPED: AtomicBool = AtomicBool::new(false);

/// The error for a program over the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget {
    pub budget: usize,
}

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "nnlearn's memory budget of {} is used up; raise it with --max-memory, e.g. nnlearn --max-memory {}",
            format_size(self.budget),
            format_size(self.budget.saturating_mul(2))
        )
    }
}

/// Sets the budget (`--max-memory`).
pub fn set_budget(bytes: usize) {
    BUDGET.store(bytes.max(1), Relaxed);
    alloc::fit_to_budget(bytes);
}

/// The budget: as set, else a quarter of the machine's memory, at most 8 GiB.
pub fn budget() -> usize {
    match BUDGET.load(Relaxed) {
        0 => {
            let bytes = default_budget();
            set_budget(bytes);
            bytes
        }
        bytes => bytes,
    }
}

pub fn default_budget() -> usize {
    (physical_memory() / DEFAULT_SHARE).min(DEFAULT_MAX)
}

/// How far past the budget a session may go once it has been told.
pub fn grace(budget: usize) -> usize {
    budget / 32
}

/// Bytes in use now.
pub fn used() -> usize {
    alloc::live()
}

/// Raises when usage has crossed the budget since the last check, or is past
/// the grace: called after growth.
pub fn check() -> Result<(), OverBudget> {
    let (used, budget) = (used(), budget());
    if used <= budget {
        if TRIPPED.load(Relaxed) {
            TRIPPED.store(false, Relaxed);
        }
        return Ok(());
    }
    if !TRIPPED.swap(true, Relaxed) || used > budget + grace(budget) {
        return Err(OverBudget { budget });
    }
    Ok(())
}

/// Raises when `bytes` more would pass the budget (or the grace, once crossed):
/// called before a large allocation, which then does not happen.
pub fn reserve(bytes: usize) -> Result<(), OverBudget> {
    let budget = budget();
    let limit = match TRIPPED.load(Relaxed) {
        true => budget + grace(budget),
        false => budget,
    };
    if used().saturating_add(bytes) > limit {
        return Err(OverBudget { budget });
    }
    Ok(())
}

/// The machine's memory, or the container's limit when that is lower.
fn physical_memory() -> usize {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let total = read("/proc/meminfo").and_then(|info| {
        let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib.saturating_mul(1024))
    });
    let limit = [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .find_map(|path| read(path)?.trim().parse::<usize>().ok());
    match (total, limit) {
        (Some(t), Some(l)) => t.min(l),
        (t, l) => t.or(l).unwrap_or(FALLBACK_MEMORY),
    }
}

/// A budget as `--max-memory` takes and shows it (`512M`, `4G`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(pub usize);

impl Size {
    pub fn default_budget() -> Size {
        Size(default_budget())
    }
}

impl std::str::FromStr for Size {
    type Err = String;
    fn from_str(text: &str) -> Result<Size, String> {
        match parse_size(text)? {
            bytes if bytes < MIN_BUDGET => Err(format!(
                "the memory budget must be at least {}",
                format_size(MIN_BUDGET)
            )),
            bytes => Ok(Size(bytes)),
        }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_size(self.0))
    }
}

/// Parses a size as `--max-memory` takes it: a number of bytes, or with a
/// binary unit K, M, G or T (`512M`, `1.5G`, `4GiB`).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let bad = || format!("'{text}' is not a size (use a number with K, M, G or T, e.g. 4G)");
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_uppercase();
    let shift = match unit.trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(bad()),
    };
    let value: f64 = number.parse().map_err(|_| bad())?;
    let bytes = value * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes >= usize::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as usize)
}

/// A size the way `--max-memory` takes it: `512M`, `1.5G`, `4G`.
pub fn format_size(bytes: usize) -> String {
    let units = [(40, "T"), (30, "G"), (20, "M"), (10, "K")];
    for (shift, unit) in units {
        let scale = (1u64 << shift) as f64;
        let value = bytes as f64 / scale;
        if value >= 1.0 {
            let tenths = (value * 10.0).round() / 10.0;
            return match tenths.fract() == 0.0 {
                true => format!("{tenths:.0}{unit}"),
                false => format!("{tenths:.1}{unit}"),
            };
        }
    }
    format!("{bytes}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("64 MB"), Ok(64 << 20));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("2T"), Ok(2 << 40));
        for bad in ["", "G", "4X", "-1G", "1e3", "four", "99999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_print_as_the_flag_takes_them() {
        assert_eq!(format_size(512 << 20), "512M");
        assert_eq!(format_size(4 << 30), "4G");
        assert_eq!(format_size(3 << 29), "1.5G");
        assert_eq!(format_size(6_000_000_000), "5.6G");
        assert_eq!(format_size(100), "100");
        assert_eq!(parse_size(&format_size(3 << 29)), Ok(3 << 29));
    }

    #[test]
    fn budgets_below_the_minimum_are_refused() {
        assert_eq!("64M".parse::<Size>(), Ok(Size(64 << 20)));
        assert!("1M".parse::<Size>().is_err());
        assert!("lots".parse::<Size>().is_err());
    }

    #[test]
    fn the_message_names_the_budget_and_the_flag() {
        let text = OverBudget { budget: 256 << 20 }.to_string();
        assert!(
            text.contains("256M") && text.contains("--max-memory 512M"),
            "{text}"
        );
    }

    #[test]
    fn the_default_is_a_capped_share_of_memory() {
        let b = default_budget();
        assert!(b > 0 && b <= DEFAULT_MAX);
    }
}
