//! The REPL driven with scripted input (stdin not a terminal): what it prints, and what it keeps.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use expect_test::{expect, Expect};
use nnlearn::lang::torch::new_session;
use nnlearn::repl::run::{run_block, Console};
use nnlearn::repl::run_plain;

/// stdout and stderr in one buffer, in the order they were written.
#[derive(Clone, Default)]
struct Transcript(Rc<RefCell<Vec<u8>>>);

impl Write for Transcript {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().write(bytes)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `input` through a fresh REPL; checks what it printed (results and errors interleaved).
fn check(input: &str, expected: Expect) {
    let transcript = Transcript::default();
    let status = run_plain(
        &mut new_session(),
        &mut input.as_bytes(),
        &mut transcript.clone(),
        &mut transcript.clone(),
    );
    assert_eq!(status, 0);
    expected.assert_eq(&String::from_utf8_lossy(&transcript.0.borrow()));
}

#[test]
fn echoes_expressions_like_python() {
    check(
        "x = 2\nx * 3\nNone\n'hi'\nprint('hi')\n[x, 0.1 + 0.2]\n",
        expect![[r#"
            6
            'hi'
            hi
            [2, 0.30000000000000004]
        "#]],
    );
}

#[test]
fn echoes_tensors() {
    check(
        "x = torch.ones(2)\nx * 2\nw = torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)\nw.sum()\n",
        expect![[r#"
            tensor([2., 2.])
            tensor(0., dtype=torch.float64, grad_fn=<SumBackward0>)
        "#]],
    );
}

#[test]
fn multi_line_blocks() {
    check(
        "def double(x):\n    return x * 2\n\nfor i in range(3):\n    print(double(i))\n\ndouble(21)\n",
        expect![[r#"
            0
            2
            4
            42
        "#]],
    );
}

#[test]
fn vars_and_reset() {
    check(
        "lr = 0.1\nsteps = [1, 2]\nw = torch.zeros(3, 2, dtype=torch.float64)\nmodel = nn.Linear(2, 1)\n:vars\n:reset\n:vars\nlr\ntorch.ones(1)\n",
        expect![[r#"
            name   type    shape   dtype          device
            lr     float
            steps  list
            w      Tensor  [3, 2]  torch.float64  cpu
            model  Linear
            Every variable is forgotten.
            No variables yet.
            Traceback (most recent call last):
              File "<stdin>", line 1, in <module>
                lr
            NameError: name 'lr' is not defined
            tensor([1.])
        "#]],
    );
}

#[test]
fn errors_keep_the_session() {
    check(
        "total = 10\ntotal = total / 0\ntotal\nx = (1 +)\ntotal + 1\n:nope\nw = torch.ones(4, 2)\nw @ torch.ones(3, 1)\ntotal, w.shape\n",
        expect![[r#"
            Traceback (most recent call last):
              File "<stdin>", line 1, in <module>
                total = total / 0
                        ^^^^^^^^^
            ZeroDivisionError: division by zero
            10
              File "<stdin>", line 1
                x = (1 +)
                        ^
            SyntaxError: invalid syntax
            11
            unknown command :nope (:help lists them)
            Traceback (most recent call last):
              File "<stdin>", line 1, in <module>
                w @ torch.ones(3, 1)
            RuntimeError: mm: mat1 and mat2 shapes cannot be multiplied (4x2 and 3x1)
            (10, torch.Size([4, 2]))
        "#]],
    );
}

#[test]
fn quit_stops_reading() {
    check(
        "1\n:quit\n2\n",
        expect![[r#"
        1
    "#]],
    );
}

/// Presses Ctrl-C (sets the session's interrupt flag) as soon as the running code prints.
struct CtrlCOnPrint {
    flag: Arc<AtomicBool>,
    printed: String,
    errors: String,
}

impl Console for CtrlCOnPrint {
    fn print(&mut self, text: &str) {
        self.printed.push_str(text);
        self.flag.store(true, Ordering::Relaxed);
    }
    fn plot(&mut self, _: &str, _: f64) {}
    fn error(&mut self, text: &str) {
        self.errors.push_str(text);
    }
}

#[test]
fn interrupt_stops_a_loop_and_keeps_the_variables() {
    let mut session = new_session();
    let mut console = CtrlCOnPrint {
        flag: session.interrupt_flag(),
        printed: String::new(),
        errors: String::new(),
    };
    run_block(
        &mut session,
        "n = 0\nwhile True:\n    n += 1\n    print(n)",
        &mut console,
    );
    assert!(
        console.errors.ends_with("KeyboardInterrupt\n"),
        "{}",
        console.errors
    );
    let printed = console.printed.lines().count();
    assert!(printed >= 1);
    console.printed.clear();
    run_block(&mut session, "n", &mut console);
    // The interrupt lands before `n += 1` or before `print(n)`.
    let n: usize = console.printed.trim().parse().expect("n is an int");
    assert!(
        n == printed || n == printed + 1,
        "n = {n}, {printed} printed"
    );
}
