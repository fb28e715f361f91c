//! Word wrapping of styled text by display width: CJK characters take two columns and may
//! break anywhere, Latin words break at spaces, and over-long words are cut.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Punctuation that must not start a line (kinsoku): it stays with the character before it.
const NO_LINE_START: &str = "，。、；：！？）」』】》”’,.;:!?)]}%";
/// Opening brackets that must not end a line: they go down with what they open.
const NO_LINE_END: &str = "（「『【《“‘";

/// Wraps `spans` into lines of at most `width` columns. `first` prefixes the first line and
/// `rest` every other one (bullets, quote bars, indents); their widths count towards `width`.
/// A `\n` in a span's text is a hard line break.
pub fn wrap(
    spans: &[(String, Style)],
    width: usize,
    first: Span<'static>,
    rest: Span<'static>,
) -> Vec<Line<'static>> {
    let mut out = LineBuilder::new(first, rest, width);
    for (text, style) in spans {
        for (i, hard_line) in text.split('\n').enumerate() {
            if i > 0 {
                out.break_line();
            }
            for word in words(hard_line) {
                out.push_word(word, *style);
            }
        }
    }
    out.finish()
}

struct LineBuilder {
    lines: Vec<Line<'static>>,
    current: Vec<Span<'static>>,
    used: usize,
    prefix_width: usize,
    rest: Span<'static>,
    width: usize,
    /// The last word on the current line, which a line break may carry down (kinsoku).
    last_word: Option<(String, Style)>,
}

impl LineBuilder {
    fn new(first: Span<'static>, rest: Span<'static>, width: usize) -> LineBuilder {
        let prefix_width = first.width();
        LineBuilder {
            lines: Vec::new(),
            current: vec![first],
            used: prefix_width,
            prefix_width,
            rest,
            width: width.max(prefix_width + 1),
            last_word: None,
        }
    }

    fn at_line_start(&self) -> bool {
        self.used == self.prefix_width
    }

    fn break_line(&mut self) {
        let rest = self.rest.clone();
        self.prefix_width = rest.width();
        self.used = self.prefix_width;
        let done = std::mem::replace(&mut self.current, vec![rest]);
        self.lines.push(Line::from(done));
        self.last_word = None;
    }

    /// Breaks the line before `word`; when `word` may not start a line, or the line would end
    /// with an opening bracket, the line's last word goes down too.
    fn break_before(&mut self, word: &str) {
        let last_text = self
            .last_word
            .as_ref()
            .map_or("", |(text, _)| text.as_str());
        let line_text: usize = self.current.iter().skip(1).map(|s| s.content.len()).sum();
        let carry = !last_text.is_empty()
            && last_text.len() < line_text
            && (word.starts_with(|c| NO_LINE_START.contains(c))
                || last_text.ends_with(|c| NO_LINE_END.contains(c)));
        let carried = if carry {
            self.remove_tail(last_text.chars().count());
            self.last_word.take()
        } else {
            None
        };
        self.trim_trailing_space();
        self.break_line();
        if let Some((text, style)) = carried {
            self.append(&text, style);
            self.last_word = Some((text, style));
        }
    }

    /// Removes the last `count` characters of the line's text.
    fn remove_tail(&mut self, count: usize) {
        for _ in 0..count {
            if self.current.len() <= 1 {
                return;
            }
            if let Some(last) = self.current.last_mut() {
                if let Some(ch) = last.content.to_mut().pop() {
                    self.used -= ch.width().unwrap_or(0);
                }
                if last.content.is_empty() {
                    self.current.pop();
                }
            }
        }
    }

    fn push_word(&mut self, word: &str, style: Style) {
        if word == " " {
            if !self.at_line_start() && self.used < self.width {
                self.append(" ", style);
            }
            self.last_word = None;
            return;
        }
        let w = word.width();
        if self.used + w > self.width && !self.at_line_start() {
            self.break_before(word);
        }
        if self.used + w <= self.width {
            self.append(word, style);
            self.last_word = Some((word.to_string(), style));
            return;
        }
        // Longer than a whole line: cut it by characters.
        for ch in word.chars() {
            let cw = ch.width().unwrap_or(0);
            if self.used + cw > self.width && !self.at_line_start() {
                self.break_line();
            }
            self.append(ch.encode_utf8(&mut [0; 4]), style);
        }
    }

    fn append(&mut self, text: &str, style: Style) {
        self.used += text.width();
        let has_text = self.current.len() > 1;
        match self.current.last_mut() {
            Some(last) if last.style == style && has_text => {
                last.content.to_mut().push_str(text);
            }
            _ => self.current.push(Span::styled(text.to_string(), style)),
        }
    }

    fn trim_trailing_space(&mut self) {
        let has_text = self.current.len() > 1;
        if let Some(last) = self.current.last_mut().filter(|_| has_text) {
            if last.content.ends_with(' ') {
                last.content.to_mut().pop();
                self.used -= 1;
            }
        }
    }

    fn finish(mut self) -> Vec<Line<'static>> {
        self.trim_trailing_space();
        self.lines.push(Line::from(self.current));
        self.lines
    }
}

/// Cuts preformatted `pieces` (code, program output) into lines of at most `width` columns by
/// characters, keeping every space; `first` and `rest` prefix the lines as in [`wrap`].
pub fn cut(
    pieces: &[(String, Style)],
    width: usize,
    first: Span<'static>,
    rest: Span<'static>,
) -> Vec<Line<'static>> {
    let mut out = LineBuilder::new(first, rest, width);
    for (text, style) in pieces {
        for ch in text.chars() {
            let cw = ch.width().unwrap_or(0);
            if out.used + cw > out.width && !out.at_line_start() {
                out.break_line();
            }
            out.append(ch.encode_utf8(&mut [0; 4]), *style);
        }
    }
    out.lines.push(Line::from(out.current));
    out.lines
}

/// One line of preformatted `text` (program output, a traceback, a diagram) in `width`
/// columns: never wrapped, so that caret lines and drawn trees stay aligned; what does not fit
/// is cut, the last column showing `…`.
pub fn clip(text: &str, style: Style, width: usize) -> Line<'static> {
    if text.width() <= width {
        return Line::styled(text.to_string(), style);
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let cw = ch.width().unwrap_or(0);
        if used + cw + 1 > width {
            break;
        }
        used += cw;
        out.push(ch);
    }
    out.push('…');
    Line::styled(out, style)
}

/// Splits text into break units: runs of spaces (as one `" "`), Latin words, and single wide
/// characters, each keeping any punctuation that may not start a line.
fn words(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, ch)) = iter.next() {
        let end = i + ch.len_utf8();
        if ch.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(&text[s..i]);
            }
            // A space between two wide characters is a soft line break of the source, which
            // CJK text does not show.
            let before = text[..i].chars().next_back();
            let after = text[i..].chars().find(|c| !c.is_whitespace());
            let joins_wide = before.is_some_and(is_wide) && after.is_some_and(is_wide);
            if out.last() != Some(&" ") && !joins_wide {
                out.push(" ");
            }
        } else if is_wide(ch) {
            if let Some(s) = start.take() {
                out.push(&text[s..i]);
            }
            // Glue following no-line-start punctuation to this character.
            let mut glued = end;
            while let Some(&(j, next)) = iter.peek() {
                if !NO_LINE_START.contains(next) {
                    break;
                }
                glued = j + next.len_utf8();
                iter.next();
            }
            out.push(&text[i..glued]);
        } else if start.is_none() {
            if NO_LINE_START.contains(ch) && out.last().is_some_and(|w| w != &" ") {
                // Punctuation right after a wide character joins it.
                let prev = out.pop().unwrap_or_default();
                let prev_start = prev.as_ptr() as usize - text.as_ptr() as usize;
                start = Some(prev_start);
            } else {
                start = Some(i);
            }
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn is_wide(ch: char) -> bool {
    ch.width().unwrap_or(0) >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, width: usize, expected: &[&str]) {
        let spans = [(text.to_string(), Style::new())];
        let lines = wrap(&spans, width, Span::raw("> "), Span::raw("  "));
        let got: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(got, expected, "{text:?} at {width}");
        for line in &lines {
            assert!(line.width() <= width, "{line:?} wider than {width}");
        }
    }

    #[test]
    fn wraps_by_display_width() {
        check("the quick brown fox", 11, &["> the quick", "  brown fox"]);
        check("a  b", 20, &["> a b"]);
        check(
            "averyveryverylongword",
            8,
            &["> averyv", "  eryver", "  ylongw", "  ord"],
        );
        check("one\ntwo", 20, &["> one", "  two"]);
        check("神经网络的基础", 8, &["> 神经网", "  络的基", "  础"]);
        check("权重，偏置。", 8, &["> 权重，", "  偏置。"]);
        // Kinsoku: 「 does not end a line, and ， after a styled word takes the word down.
        check("一二三「四」", 10, &["> 一二三", "  「四」"]);
        check("用 PyTorch 训练", 12, &["> 用 PyTorch", "  训练"]);
        check(
            "模型眼 中“错”是 什么。 对",
            40,
            &["> 模型眼中“错”是什么。对"],
        );
        check("", 10, &["> "]);
    }

    #[test]
    fn preformatted_text_keeps_spaces_and_is_cut_by_characters() {
        let pieces = [("x  = [1,  2]".to_string(), Style::new())];
        let lines = cut(&pieces, 8, Span::raw("| "), Span::raw("| "));
        let got: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(got, ["| x  = [", "| 1,  2]"]);
    }

    #[test]
    fn closing_punctuation_in_its_own_span_takes_the_word_before_down() {
        let spans = [
            ("一二".to_string(), Style::new()),
            ("三".to_string(), Style::new().bold()),
            ("。好".to_string(), Style::new()),
        ];
        let lines = wrap(&spans, 8, Span::raw("> "), Span::raw("  "));
        let got: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(got, ["> 一二", "  三。好"]);
    }

    #[test]
    fn output_lines_are_clipped_not_wrapped() {
        let check = |text: &str, width: usize, expected: &str| {
            let line = clip(text, Style::new(), width);
            assert_eq!(line.to_string(), expected, "{text:?} at {width}");
            assert!(line.width() <= width);
        };
        check("    ^^^^^^", 10, "    ^^^^^^");
        check("tensor([1., 2., 3.])", 10, "tensor([1…");
        check("张量的形状", 6, "张量…");
        check("张量的形状", 7, "张量的…");
    }
}
