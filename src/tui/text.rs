//! The player's own words (key hints, titles, questions, notices) in each lesson language.
//! `{}` in a template is filled by [`fill`].

use crate::lesson::Lang;

/// A key (or keys) and what it does.
pub type KeyHint = (&'static str, &'static str);

pub struct Texts {
    /// Every key, as the `?` overlay lists them.
    pub keys: &'static [KeyHint],
    pub help_title: &'static str,
    /// Status bar hints by mode, most important first: a narrow bar drops them from the end.
    pub hints_normal: &'static [KeyHint],
    pub hints_edit: &'static [KeyHint],
    pub hints_prompt: &'static [KeyHint],
    pub hints_help: &'static [KeyHint],
    /// Always shown at the right end of the normal hints.
    pub hints_always: &'static [KeyHint],
    pub lessons: &'static str,
    pub too_small: &'static str,
    /// `{}x{}` the needed size, then `{}x{}` the terminal's.
    pub too_small_size: &'static str,
    pub chart_title: &'static str,
    pub repl_title: &'static str,
    pub running_cell: &'static str,
    pub checking_exercise: &'static str,
    pub running: &'static str,
    pub esc_stops: &'static str,
    pub solution_title: &'static str,
    pub solution_body: &'static str,
    pub solution_yes: &'static str,
    pub solution_no: &'static str,
    pub reset_title: &'static str,
    pub reset_body: &'static str,
    pub reset_keep: &'static str,
    pub reset_undo: &'static str,
    pub reset_cancel: &'static str,
    pub exercise: &'static str,
    pub state_running: &'static str,
    pub state_queued: &'static str,
    pub state_failed: &'static str,
    pub state_passed: &'static str,
    pub state_not_yet: &'static str,
    pub state_stale: &'static str,
    pub state_ran: &'static str,
    pub edited: &'static str,
    pub hint: &'static str,
    pub solution: &'static str,
    pub check_passed: &'static str,
    pub check_failed: &'static str,
    pub placeholder_left: &'static str,
    pub not_an_exercise: &'static str,
    pub no_more_hints: &'static str,
    pub cell_failed: &'static str,
    pub session_reset: &'static str,
    pub not_saved: &'static str,
}

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// `template` with each `{}` replaced by the next of `values`.
pub fn fill(template: &str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::new();
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or_default());
    for (i, part) in parts.enumerate() {
        if let Some(value) = values.get(i) {
            out.push_str(&value.to_string());
        }
        out.push_str(part);
    }
    out
}

const EN: Texts = Texts {
    keys: &[
        ("↑ ↓ j k", "scroll"),
        ("PgUp PgDn Home End", "scroll by page, to the top or end"),
        ("Tab Shift-Tab", "next / previous cell"),
        ("Enter", "run the cell (and earlier cells not run yet)"),
        ("e", "edit the cell; Esc leaves the editor, Ctrl-R runs"),
        ("h", "next hint of an exercise"),
        ("s", "show the solution (asks first)"),
        ("r", "reset the lesson's session (asks about edits)"),
        ("n p", "next / previous lesson"),
        (":", "a REPL line in the lesson's session"),
        ("c L m", "chart: show or hide, log scale, smoothing"),
        ("← →", "chart cursor"),
        ("Esc Ctrl-C", "stop the running cell"),
        ("l", "show or hide the lesson list"),
        ("?", "this help"),
        ("q", "quit (progress saved)"),
    ],
    help_title: " Keys (mouse: wheel scrolls, click focuses a cell) ",
    hints_normal: &[
        ("Enter", "run"),
        ("Tab", "next"),
        ("e", "edit"),
        (":", "repl"),
        ("c", "chart"),
    ],
    hints_edit: &[("Esc", "done"), ("Ctrl-R", "run")],
    hints_prompt: &[("Enter", "run"), ("Esc", "close")],
    hints_help: &[("?", "close help")],
    hints_always: &[("?", "help"), ("q", "quit")],
    lessons: "Lessons",
    too_small: "Please make the window larger.",
    too_small_size: "nnlearn needs {}x{}; this one is {}x{}.",
    chart_title: " chart: c hide · L log · m smoothing · ← → cursor ",
    repl_title: " REPL in this lesson's session: Enter runs · Esc closes ",
    running_cell: "running cell {}",
    checking_exercise: "checking exercise {}",
    running: "running",
    esc_stops: " (Esc stops)  ",
    solution_title: " Show the solution? ",
    solution_body: "Trying a little longer helps it stick.",
    solution_yes: " show it   ",
    solution_no: " not now",
    reset_title: " Reset the lesson's session? ",
    reset_body: "Every variable is forgotten and outputs are cleared.",
    reset_keep: " reset, keep my edits   ",
    reset_undo: " reset and undo my edits   ",
    reset_cancel: " cancel",
    exercise: "exercise",
    state_running: "running",
    state_queued: "queued",
    state_failed: "✗ failed",
    state_passed: "✓ passed",
    state_not_yet: "✗ not yet",
    state_stale: "stale: an earlier cell changed",
    state_ran: "✓ ran",
    edited: "edited",
    hint: "Hint {}: ",
    solution: "Solution:",
    check_passed: "✓ Check passed",
    check_failed: "✗ Not yet: the check failed",
    placeholder_left: "Replace the ... with your answer first.",
    not_an_exercise: "Hints and solutions belong to exercises; Tab to one first.",
    no_more_hints: "No more hints; s shows the solution.",
    cell_failed: "Cell {} failed, so the cells after it did not run.",
    session_reset: "Session reset.",
    not_saved: "Progress not saved: {}",
};

const ZH: Texts = Texts {
    keys: &[
        ("↑ ↓ j k", "滚动"),
        ("PgUp PgDn Home End", "翻页，跳到开头或结尾"),
        ("Tab Shift-Tab", "下一个 / 上一个单元"),
        ("Enter", "运行单元（以及之前还没运行的单元）"),
        ("e", "编辑单元；Esc 退出编辑，Ctrl-R 运行"),
        ("h", "练习的下一条提示"),
        ("s", "显示答案（会先确认）"),
        ("r", "重置本课的会话（会问是否保留修改）"),
        ("n p", "下一课 / 上一课"),
        (":", "在本课的会话里执行一行代码"),
        ("c L m", "图表：显示或隐藏、对数坐标、平滑"),
        ("← →", "图表光标"),
        ("Esc Ctrl-C", "停止正在运行的单元"),
        ("l", "显示或隐藏课程列表"),
        ("?", "本帮助"),
        ("q", "退出（进度会保存）"),
    ],
    help_title: " 按键（鼠标：滚轮滚动，点击选中单元） ",
    hints_normal: &[
        ("Enter", "运行"),
        ("Tab", "下一个"),
        ("e", "编辑"),
        (":", "REPL"),
        ("c", "图表"),
    ],
    hints_edit: &[("Esc", "完成"), ("Ctrl-R", "运行")],
    hints_prompt: &[("Enter", "运行"), ("Esc", "关闭")],
    hints_help: &[("?", "关闭帮助")],
    hints_always: &[("?", "帮助"), ("q", "退出")],
    lessons: "课程",
    too_small: "请把窗口调大一些。",
    too_small_size: "nnlearn 至少需要 {}x{}，当前是 {}x{}。",
    chart_title: " 图表：c 隐藏 · L 对数 · m 平滑 · ← → 光标 ",
    repl_title: " 本课会话中的 REPL：Enter 运行 · Esc 关闭 ",
    running_cell: "正在运行单元 {}",
    checking_exercise: "正在检查练习 {}",
    running: "正在运行",
    esc_stops: "（Esc 停止）  ",
    solution_title: " 显示答案？ ",
    solution_body: "再多试一会儿，记得更牢。",
    solution_yes: " 显示   ",
    solution_no: " 先不看",
    reset_title: " 重置本课的会话？ ",
    reset_body: "所有变量都会被清除，输出也会清空。",
    reset_keep: " 重置，保留我的修改   ",
    reset_undo: " 重置并撤销我的修改   ",
    reset_cancel: " 取消",
    exercise: "练习",
    state_running: "运行中",
    state_queued: "排队中",
    state_failed: "✗ 出错",
    state_passed: "✓ 通过",
    state_not_yet: "✗ 未通过",
    state_stale: "已过时：前面的单元改过了",
    state_ran: "✓ 已运行",
    edited: "已修改",
    hint: "提示 {}：",
    solution: "答案：",
    check_passed: "✓ 检查通过",
    check_failed: "✗ 还没通过：检查失败",
    placeholder_left: "先把 ... 换成你的答案。",
    not_an_exercise: "提示和答案只属于练习；先用 Tab 切换到练习。",
    no_more_hints: "没有更多提示了；按 s 查看答案。",
    cell_failed: "单元 {} 出错，后面的单元没有运行。",
    session_reset: "会话已重置。",
    not_saved: "进度没有保存：{}",
};
