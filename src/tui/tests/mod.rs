//! Player tests without threads or a terminal: a fake kernel records jobs, tests feed its
//! reports by hand, and screens are rendered into a `TestBackend`.

mod render;
mod update;

use std::collections::BTreeMap;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crate::lesson::parse::parse_lesson;
use crate::lesson::progress::{Progress, ProgressStore};
use crate::lesson::{Lang, Lesson};

use super::app::{Action, App, Setup};
use super::kernel::fake::FakeKernel;
use super::kernel::{Job, KernelEvent};
use super::keys::action_for;

pub const LESSON_EN: &str = r#"---
title: Linear regression
summary: Predict a number with a weighted sum.
---

# Weighted sums

Text with **bold**, *emphasis*, `code` and math $\hat{y} = Xw$:

$$\hat{y} = w_1 x_1 + b$$

- first item
- second item

```python
x = torch.ones(2)
print(x)
```

| name | value |
| --- | ---: |
| lr | 0.1 |

```python
y = x * 2
print(y)
```

```python exercise id=double
z = ...
```
```check
assert z == 4, "z should be 4"
```
```hint
Multiply **2** by 2.
```
```hint
`z = 2 * 2`
```
```solution
z = 2 * 2
```
"#;

const LESSON_TWO: &str = r#"---
title: Losses
summary: How wrong is a prediction?
---

Short lesson.

```python
loss = 1.0
```
"#;

pub const LESSON_ZH: &str = r#"---
title: 线性回归
summary: 用加权和预测一个数，再学习权重。
---

# 加权和

神经网络最简单的形式没有隐藏层：一层把每个输入乘以一个权重，把结果相加，再加上一个常数。这就是**线性回归**，深度网络的每一层本质上都是同样的计算。

```python
x = torch.ones(2)
```
"#;

pub fn lesson(path: &str, lang: Lang, text: &str) -> Lesson {
    match parse_lesson(path, lang, text, &BTreeMap::new()) {
        Ok(lesson) => lesson,
        Err(errors) => panic!("test lesson does not parse: {errors:?}"),
    }
}

pub fn lessons() -> Vec<Lesson> {
    vec![
        lesson("en/02-linear-regression.md", Lang::En, LESSON_EN),
        lesson("en/03-losses.md", Lang::En, LESSON_TWO),
    ]
}

/// Player settings for tests: English, CPU, fresh progress, not saved.
pub fn setup(size: (u16, u16)) -> Setup {
    Setup {
        lang: Lang::En,
        device: "cpu".into(),
        cuda: "CUDA: not available".into(),
        progress: Progress::default(),
        store: None,
        notice: None,
        open: None,
        size,
    }
}

/// An app over `lessons` with a fake kernel (shared by every kernel the app starts).
pub fn app_from(lessons: Vec<Lesson>, setup: Setup) -> (App, FakeKernel) {
    let kernel = FakeKernel::default();
    let shared = kernel.clone();
    let app = App::new(lessons, setup, Box::new(move || Box::new(shared.clone())));
    (app, kernel)
}

pub fn app_with(
    lessons: Vec<Lesson>,
    size: (u16, u16),
    store: Option<ProgressStore>,
) -> (App, FakeKernel) {
    app_from(
        lessons,
        Setup {
            store,
            ..setup(size)
        },
    )
}

pub fn app() -> (App, FakeKernel) {
    app_with(lessons(), (100, 30), None)
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Applies `event` the way the event loop does.
pub fn press(app: &mut App, event: Event) {
    if let Some(action) = action_for(app, event) {
        app.update(action);
    }
}

pub fn report(app: &mut App, event: KernelEvent) {
    app.update(Action::Kernel(event));
}

pub fn jobs(kernel: &FakeKernel) -> Vec<Job> {
    kernel.jobs.borrow().clone()
}

/// The screen as text, one line per row.
pub fn screen(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(terminal) => terminal,
        Err(error) => panic!("{error}"),
    };
    if let Err(error) = terminal.draw(|frame| frame.render_widget(app, frame.area())) {
        panic!("{error}");
    }
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
