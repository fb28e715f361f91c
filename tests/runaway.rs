//! Runaway programs (issue 13): each one ends in a clear Python error, or in
//! `KeyboardInterrupt` soon after Ctrl-C, within the memory budget, and the
//! REPL session then runs its next line with its variables.
//!
//! Each case runs `nnlearn repl` on piped stdin. The memory cases run under
//! `/usr/bin/time -v` (where it exists) to read the peak resident memory.
//! The cases run one at a time so their timings do not disturb each other.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The budget the memory cases run under.
const BUDGET_MIB: usize = 256;
/// The most a case may take to fill the budget (generous for a loaded CI machine).
const FILL_LIMIT: Duration = Duration::from_secs(60);
/// How soon after Ctrl-C a long tensor op must stop...
const STOP_LIMIT: Duration = Duration::from_millis(100);
/// ...in one of this many tries (a busy machine can delay one).
const STOP_TRIES: usize = 3;
const TIME: &str = "/usr/bin/time";

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A REPL process with its output lines, stdout and stderr together, as they arrive.
struct Repl {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<(Instant, String)>,
    seen: Vec<String>,
    timed: bool,
}

impl Repl {
    /// `nnlearn --max-memory BUDGET repl`, under `/usr/bin/time -v` when `timed`.
    fn start(budget: &str, timed: bool) -> Repl {
        let timed = timed && std::path::Path::new(TIME).exists();
        let bin = env!("CARGO_BIN_EXE_nnlearn");
        let mut cmd = match timed {
            true => {
                let mut c = Command::new(TIME);
                c.arg("-v").arg(bin);
                c
            }
            false => Command::new(bin),
        };
        let data = std::env::temp_dir().join(format!("nnlearn-runaway-{}", std::process::id()));
        let mut child = cmd
            .args(["--max-memory", budget, "repl"])
            .env("NNLEARN_DATA_DIR", data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nnlearn repl");
        let (send, lines) = channel();
        let out: Box<dyn Read + Send> = Box::new(child.stdout.take().expect("stdout"));
        let err: Box<dyn Read + Send> = Box::new(child.stderr.take().expect("stderr"));
        for stream in [out, err] {
            let send = send.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if send.send((Instant::now(), line)).is_err() {
                        break;
                    }
                }
            });
        }
        Repl {
            stdin: child.stdin.take(),
            child,
            lines,
            seen: Vec::new(),
            timed,
        }
    }

    /// Sends a block of code (a blank line ends it) and returns when it was sent.
    fn send(&mut self, code: &str) -> Instant {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin
            .write_all(format!("{code}\n\n").as_bytes())
            .and_then(|_| stdin.flush())
            .expect("write to the repl");
        Instant::now()
    }

    /// When a line containing `text` arrived, waiting at most `limit`.
    fn wait_for(&mut self, text: &str, limit: Duration) -> Instant {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, line)) => {
                    let found = line.contains(text);
                    self.seen.push(line);
                    if found {
                        return at;
                    }
                }
                Err(_) => panic!(
                    "no line with {text:?} within {limit:?}; output:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Ctrl-C: SIGINT to the REPL.
    fn interrupt(&self) -> Instant {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        Instant::now()
    }

    /// Ends the session; the peak resident memory in MiB when it ran timed.
    fn finish(mut self) -> Option<usize> {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "exit status {status}");
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        while let Ok((_, line)) = self.lines.recv_timeout(Duration::from_millis(500)) {
            self.seen.push(line);
        }
        let peak = self.seen.iter().find_map(|l| {
            let kib = l
                .trim()
                .strip_prefix("Maximum resident set size (kbytes): ")?;
            kib.parse::<usize>().ok()
        });
        if self.timed {
            Some(peak.expect("time -v reports the peak") / 1024)
        } else {
            None
        }
    }
}

/// Runs `setup`, then `runaway`, which must fail with a line containing
/// `error`; then `next`, which must print `answer`; all within the budget
/// plus 10% of resident memory.
fn memory_case(setup: &str, runaway: &str, error: &str, next: &str, answer: &str) {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut repl = Repl::start(&format!("{BUDGET_MIB}M"), true);
    if !setup.is_empty() {
        repl.send(setup);
    }
    let sent = repl.send(runaway);
    let stopped = repl.wait_for(error, FILL_LIMIT);
    assert!(stopped - sent < FILL_LIMIT);
    repl.send(next);
    repl.wait_for(answer, Duration::from_secs(10));
    if let Some(peak) = repl.finish() {
        assert!(
            peak <= BUDGET_MIB * 11 / 10,
            "peak resident memory {peak} MiB, budget {BUDGET_MIB} MiB"
        );
    }
}

const OVER_BUDGET: &str = "MemoryError: nnlearn's memory budget of 256M is used up";

#[test]
fn a_list_growing_forever_stops_at_the_budget() {
    memory_case(
        "x = []",
        "while True:\n    x.append([0] * 1000)",
        OVER_BUDGET,
        "print(len(x) > 1000, x[0][:3])",
        "True [0, 0, 0]",
    );
}

#[test]
fn a_cat_loop_stops_at_the_budget() {
    memory_case(
        "import torch\nx = torch.ones(1000)",
        "while True:\n    x = torch.cat([x, x])",
        OVER_BUDGET,
        "print(x.shape[0] >= 2 ** 20, x[-1].item())",
        "True 1.0",
    );
}

#[test]
fn one_huge_list_is_refused_before_it_is_made() {
    memory_case(
        "",
        "x = [0] * 10 ** 9",
        "MemoryError",
        "x = [0] * 10\nprint(len(x))",
        "10",
    );
}

#[test]
fn a_huge_range_made_a_list_is_refused() {
    memory_case(
        "",
        "x = list(range(10 ** 10))",
        "MemoryError",
        "print(list(range(3)))",
        "[0, 1, 2]",
    );
}

#[test]
fn a_list_holding_itself_stops_at_the_budget() {
    memory_case(
        "x = []",
        "while True:\n    x.append(x)",
        OVER_BUDGET,
        "print(len(x) > 1000, x[0] is x, x[:0])",
        "True True []",
    );
}

/// Objects that refer to each other are freed once nothing else refers to them: these
/// loops make about 500 MiB of cycles each (a node referring to itself, a node and its
/// gradient closure as micrograd makes them, a class defined in a function with its
/// methods and their closures) and run to their end within the budget.
#[test]
fn cycles_no_one_refers_to_are_freed_within_the_budget() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut repl = Repl::start(&format!("{BUDGET_MIB}M"), true);
    repl.send(
        "class Node:\n    def __init__(self):\n        self.me = self\n        self.payload = [0.0] * 1000",
    );
    repl.send("for i in range(20000):\n    n = Node()\nprint('self', n.me is n, len(n.payload))");
    repl.wait_for("self True 1000", FILL_LIMIT);
    repl.send(
        "def grad_node():\n    out = Node()\n    def back():\n        out.payload[0] += 1.0\n    out.back = back\n    return out",
    );
    repl.send(
        "for i in range(20000):\n    n = grad_node()\nn.back()\nprint('closure', n.payload[0])",
    );
    repl.wait_for("closure 1.0", FILL_LIMIT);
    repl.send(
        "def make():\n    class Leaf:\n        def __init__(self):\n            self.payload = [0.0] * 1000\n            def back():\n                return self\n            self.back = back\n    return Leaf()",
    );
    repl.send("for i in range(20000):\n    n = make()\nprint('local class', n.back() is n)");
    repl.wait_for("local class True", FILL_LIMIT);
    if let Some(peak) = repl.finish() {
        assert!(
            peak <= BUDGET_MIB * 11 / 10,
            "peak resident memory {peak} MiB, budget {BUDGET_MIB} MiB"
        );
    }
}

#[test]
fn a_generator_that_never_ends_stops_at_the_budget() {
    memory_case(
        "def g():\n    while True:\n        yield [0] * 100",
        "x = list(g())",
        OVER_BUDGET,
        "print(next(g())[:2])",
        "[0, 0]",
    );
}

#[test]
fn an_f_string_doubling_forever_stops_at_the_budget() {
    memory_case(
        "s = 'ab'",
        "while True:\n    s = f'{s}{s}'",
        OVER_BUDGET,
        "print(len(s) > 2 ** 20, s[:4])",
        "True abab",
    );
}

#[test]
fn ctrl_c_stops_a_16000_square_matmul_and_keeps_its_operands() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut repl = Repl::start("4G", false);
    repl.send("import torch\na = torch.ones(16000, 16000)\nprint('made')");
    repl.wait_for("made", Duration::from_secs(60));
    let mut delays = Vec::new();
    while delays.len() < STOP_TRIES && !delays.iter().any(|d| *d <= STOP_LIMIT) {
        let started = repl.send("b = a @ a");
        // Let the product get going (a whole one takes tens of seconds).
        std::thread::sleep(Duration::from_millis(500));
        let pressed = repl.interrupt();
        let stopped = repl.wait_for("KeyboardInterrupt", Duration::from_secs(10));
        assert!(stopped - started > Duration::from_millis(400), "it ran");
        delays.push(stopped.saturating_duration_since(pressed));
    }
    eprintln!("KeyboardInterrupt after Ctrl-C: {delays:?}");
    assert!(
        delays.iter().any(|d| *d <= STOP_LIMIT),
        "stopped {delays:?} after Ctrl-C"
    );
    repl.send("print(a[15999, 15999].item(), a.shape)");
    repl.wait_for("1.0 torch.Size([16000, 16000])", Duration::from_secs(10));
    repl.send("print(b)");
    repl.wait_for(
        "NameError: name 'b' is not defined",
        Duration::from_secs(10),
    );
    repl.finish();
}
