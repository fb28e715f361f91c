//! Lesson markdown to the typed model: front matter, prose (via pulldown-cmark),
//! and the tagged fences that make cells and exercises. Every problem found is
//! reported, each with its line, rather than only the first.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::math::to_unicode;
use super::model::{
    Align, Block, Cell, Exercise, Lang, Lesson, LessonError, Prose, Span, SpanStyle,
};

/// Parses one lesson file. `path` names it in messages and gives the number and
/// slug (`.../02-linear-regression.md`); `assets` maps names relative to the
/// assets folder (`graph.txt`) to their text, for `![..](../../assets/graph.txt)`.
pub fn parse_lesson(
    path: &str,
    lang: Lang,
    text: &str,
    assets: &BTreeMap<String, String>,
) -> Result<Lesson, Vec<LessonError>> {
    let text = text.replace("\r\n", "\n");
    let mut errors = Errors {
        file: path.to_string(),
        list: Vec::new(),
    };
    let (number, slug) = match file_number_and_slug(path) {
        Some(parts) => parts,
        None => {
            errors.add(0, "file name must look like NN-slug.md".to_string());
            (0, String::new())
        }
    };
    let front = parse_front_matter(&text, &mut errors);
    let lines = LineIndex::new(&text);
    let mut builder = Builder::new(errors, assets, &lines, front.body_offset, true);
    builder.run(&text[front.body_offset..]);
    let Builder {
        mut errors, blocks, ..
    } = builder;
    if errors.list.is_empty() {
        Ok(Lesson {
            slug,
            number,
            lang,
            title: front.title.unwrap_or_default(),
            summary: front.summary.unwrap_or_default(),
            blocks,
            source_path: path.to_string(),
        })
    } else {
        errors.list.sort_by_key(|error| error.line);
        Err(errors.list)
    }
}

/// Markdown that is only shown, such as a hint's text: every fence is displayed,
/// never run, and problems (an unknown asset) are left out rather than reported.
pub fn parse_prose(text: &str) -> Vec<Prose> {
    let lines = LineIndex::new(text);
    let errors = Errors {
        file: String::new(),
        list: Vec::new(),
    };
    let no_assets = BTreeMap::new();
    let mut builder = Builder::new(errors, &no_assets, &lines, 0, false);
    builder.run(text);
    builder
        .blocks
        .into_iter()
        .filter_map(|block| match block {
            Block::Prose(prose) => Some(prose),
            Block::Cell(_) | Block::Exercise(_) => None,
        })
        .collect()
}

/// `02` and `linear-regression` from `.../02-linear-regression.md`.
fn file_number_and_slug(path: &str) -> Option<(u32, String)> {
    let path = Path::new(path);
    if path.extension()? != "md" {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    let (number, slug) = stem.split_once('-')?;
    let valid_slug = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) || !valid_slug {
        return None;
    }
    Some((number.parse().ok()?, slug.to_string()))
}

struct Errors {
    file: String,
    list: Vec<LessonError>,
}

impl Errors {
    fn add(&mut self, line: usize, message: String) {
        self.list.push(LessonError {
            file: self.file.clone(),
            line,
            message,
        });
    }
}

struct FrontMatter {
    title: Option<String>,
    summary: Option<String>,
    /// Where the markdown after the front matter starts.
    body_offset: usize,
}

fn parse_front_matter(text: &str, errors: &mut Errors) -> FrontMatter {
    let mut front = FrontMatter {
        title: None,
        summary: None,
        body_offset: 0,
    };
    let Some(rest) = text.strip_prefix("---\n") else {
        errors.add(
            1,
            "missing front matter (---, title: ..., summary: ..., ---)".to_string(),
        );
        return front;
    };
    // The closing `---` line: where the fields end and where the body starts.
    let mut offset = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((fields_end, body_start)) = close else {
        errors.add(1, "front matter is not closed by a `---` line".to_string());
        return front;
    };
    for (i, line) in rest[..fields_end].lines().enumerate() {
        let line_number = i + 2;
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            errors.add(
                line_number,
                format!("front matter line is not `key: value`: {line}"),
            );
            continue;
        };
        let value = unquote(value.trim()).to_string();
        match key.trim() {
            "title" => front.title = Some(value),
            "summary" => front.summary = Some(value),
            other => errors.add(line_number, format!("unknown front matter key `{other}`")),
        }
    }
    if front.title.as_deref().is_none_or(str::is_empty) {
        errors.add(1, "front matter has no title".to_string());
    }
    front.body_offset = "---\n".len() + body_start;
    front
}

fn unquote(value: &str) -> &str {
    ['"', '\'']
        .iter()
        .find_map(|&q| value.strip_prefix(q).and_then(|v| v.strip_suffix(q)))
        .unwrap_or(value)
}

/// Byte offset to 1-based line number.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// Inline content before it is split into paragraphs: display math and asset
/// diagrams sit inside markdown paragraphs but are shown as blocks of their own.
enum Piece {
    Span(Span),
    DisplayMath(String),
    Diagram {
        caption: Option<String>,
        text: String,
    },
}

/// An open markdown container.
enum Frame {
    /// Collects inline pieces: a paragraph, a heading, a table cell.
    Inline(InlineKind, Vec<Piece>),
    /// Collects blocks, and loose inline text (tight list items have no paragraphs).
    Blocks(BlocksKind, Vec<Prose>, Vec<Piece>),
    List(Option<u64>, Vec<Vec<Prose>>),
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Row(Vec<Vec<Span>>),
    Code {
        info: String,
        text: String,
        line: usize,
    },
    Image {
        dest: String,
        alt: String,
        line: usize,
    },
    /// Raw HTML, not shown.
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum InlineKind {
    Paragraph,
    Heading(u8),
    TableCell,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlocksKind {
    Quote,
    Item,
}

#[derive(Default)]
struct InlineState {
    emphasis: usize,
    strong: usize,
    strikethrough: usize,
    links: Vec<String>,
}

/// Which runnable block a following `output`, `check`, `hint` or `solution`
/// fence would belong to.
#[derive(Default)]
struct FenceState {
    /// The index in `blocks` of a cell that an `output` fence may still follow.
    open_cell: Option<usize>,
    exercise: Option<PendingExercise>,
    runnables: usize,
    exercise_ids: HashSet<String>,
}

struct PendingExercise {
    exercise: Exercise,
    check: Option<String>,
    solution: Option<String>,
}

struct Builder<'a> {
    errors: Errors,
    assets: &'a BTreeMap<String, String>,
    lines: &'a LineIndex,
    /// Offset of the markdown body in the file, for line numbers.
    base: usize,
    blocks: Vec<Block>,
    stack: Vec<Frame>,
    inline: InlineState,
    fences: FenceState,
    /// Whether top-level fences make cells and exercises (a lesson) or are only
    /// shown (a hint).
    runnable_fences: bool,
}

impl<'a> Builder<'a> {
    fn new(
        errors: Errors,
        assets: &'a BTreeMap<String, String>,
        lines: &'a LineIndex,
        base: usize,
        runnable_fences: bool,
    ) -> Builder<'a> {
        Builder {
            errors,
            assets,
            lines,
            base,
            blocks: Vec::new(),
            stack: Vec::new(),
            inline: InlineState::default(),
            fences: FenceState::default(),
            runnable_fences,
        }
    }

    fn run(&mut self, body: &str) {
        let options = Options::ENABLE_TABLES | Options::ENABLE_MATH | Options::ENABLE_STRIKETHROUGH;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            let line = self.lines.line(self.base + range.start);
            self.event(event, line);
        }
        self.close_runnables();
    }

    fn event(&mut self, event: Event<'_>, line: usize) {
        let top_level = self.stack.is_empty();
        match event {
            Event::Start(tag) => {
                if top_level && !matches!(tag, Tag::CodeBlock(_)) {
                    self.close_runnables();
                }
                self.start(tag, line);
            }
            Event::End(tag) => self.end(tag),
            Event::Text(text) => match self.stack.last_mut() {
                Some(Frame::Code { text: code, .. }) => code.push_str(&text),
                Some(Frame::Image { alt, .. }) => alt.push_str(&text),
                _ => self.push_span(&text, SpanStyle::default()),
            },
            Event::Code(text) => self.push_span(
                &text,
                SpanStyle {
                    code: true,
                    ..SpanStyle::default()
                },
            ),
            Event::InlineMath(tex) => self.push_span(
                &to_unicode(&tex),
                SpanStyle {
                    math: true,
                    ..SpanStyle::default()
                },
            ),
            Event::DisplayMath(tex) => self.push_piece(Piece::DisplayMath(to_unicode(&tex))),
            Event::SoftBreak => self.push_span(" ", SpanStyle::default()),
            Event::HardBreak => self.push_span("\n", SpanStyle::default()),
            Event::Rule => {
                if top_level {
                    self.close_runnables();
                }
                self.emit(Prose::Rule);
            }
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: usize) {
        let frame = match tag {
            Tag::Paragraph => Frame::Inline(InlineKind::Paragraph, Vec::new()),
            Tag::Heading { level, .. } => {
                Frame::Inline(InlineKind::Heading(level as u8), Vec::new())
            }
            Tag::BlockQuote(_) => Frame::Blocks(BlocksKind::Quote, Vec::new(), Vec::new()),
            Tag::List(start) => Frame::List(start, Vec::new()),
            Tag::Item => Frame::Blocks(BlocksKind::Item, Vec::new(), Vec::new()),
            Tag::Table(align) => Frame::Table {
                align: align.into_iter().map(to_align).collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead | Tag::TableRow => Frame::Row(Vec::new()),
            Tag::TableCell => Frame::Inline(InlineKind::TableCell, Vec::new()),
            Tag::CodeBlock(kind) => Frame::Code {
                info: match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                },
                text: String::new(),
                line,
            },
            Tag::Image { dest_url, .. } => Frame::Image {
                dest: dest_url.to_string(),
                alt: String::new(),
                line,
            },
            Tag::Emphasis => {
                self.inline.emphasis += 1;
                return;
            }
            Tag::Strong => {
                self.inline.strong += 1;
                return;
            }
            Tag::Strikethrough => {
                self.inline.strikethrough += 1;
                return;
            }
            Tag::Link { dest_url, .. } => {
                self.inline.links.push(dest_url.to_string());
                return;
            }
            _ => Frame::Html,
        };
        // A block opening inside a tight list item ends the item's loose text.
        if let Some(Frame::Blocks(_, blocks, loose)) = self.stack.last_mut() {
            if !matches!(frame, Frame::Image { .. }) {
                blocks.extend(split_paragraphs(std::mem::take(loose)));
            }
        }
        self.stack.push(frame);
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis => self.inline.emphasis = self.inline.emphasis.saturating_sub(1),
            TagEnd::Strong => self.inline.strong = self.inline.strong.saturating_sub(1),
            TagEnd::Strikethrough => {
                self.inline.strikethrough = self.inline.strikethrough.saturating_sub(1)
            }
            TagEnd::Link => {
                self.inline.links.pop();
            }
            _ => {
                if let Some(frame) = self.stack.pop() {
                    self.close(frame);
                }
            }
        }
    }

    fn close(&mut self, frame: Frame) {
        match frame {
            Frame::Inline(InlineKind::Paragraph, pieces) => {
                for prose in split_paragraphs(pieces) {
                    self.emit(prose);
                }
            }
            Frame::Inline(InlineKind::Heading(level), pieces) => self.emit(Prose::Heading {
                level,
                spans: flatten(pieces),
            }),
            Frame::Inline(InlineKind::TableCell, pieces) => {
                if let Some(Frame::Row(cells)) = self.stack.last_mut() {
                    cells.push(flatten(pieces));
                }
            }
            Frame::Blocks(kind, mut blocks, loose) => {
                blocks.extend(split_paragraphs(loose));
                match kind {
                    BlocksKind::Quote => self.emit(Prose::Quote(blocks)),
                    BlocksKind::Item => {
                        if let Some(Frame::List(_, items)) = self.stack.last_mut() {
                            items.push(blocks);
                        }
                    }
                }
            }
            Frame::List(start, items) => self.emit(Prose::List { start, items }),
            Frame::Table { align, head, rows } => self.emit(Prose::Table { align, head, rows }),
            Frame::Row(cells) => {
                if let Some(Frame::Table { head, rows, .. }) = self.stack.last_mut() {
                    if head.is_empty() && rows.is_empty() {
                        *head = cells;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            Frame::Code { info, text, line } => {
                if self.stack.is_empty() && self.runnable_fences {
                    self.fence(&info, text, line);
                } else {
                    // Fences nested in lists or quotes are shown, never run.
                    let lang = info.split_whitespace().next().unwrap_or("");
                    self.emit(shown_fence(lang, text));
                }
            }
            Frame::Image { dest, alt, line } => self.image(dest, alt, line),
            Frame::Html => {}
        }
    }

    fn image(&mut self, dest: String, alt: String, line: usize) {
        let asset = dest
            .rsplit_once("assets/")
            .map(|(_, name)| name)
            .filter(|name| name.ends_with(".txt"));
        match asset {
            Some(name) => match self.assets.get(name) {
                Some(text) => self.push_piece(Piece::Diagram {
                    caption: Some(alt).filter(|alt| !alt.is_empty()),
                    text: text.trim_end().to_string(),
                }),
                None => self.errors.add(line, format!("unknown asset `{name}`")),
            },
            // Pictures cannot be drawn in a terminal; their description can.
            None => {
                let label = if alt.is_empty() { dest } else { alt };
                self.push_span(
                    &format!("[{label}]"),
                    SpanStyle {
                        emphasis: true,
                        ..SpanStyle::default()
                    },
                );
            }
        }
    }

    /// A top-level fence: a cell, part of an exercise, or something shown.
    fn fence(&mut self, info: &str, text: String, line: usize) {
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("");
        let attributes: Vec<&str> = words.collect();
        match (lang, attributes.as_slice()) {
            ("python", []) => {
                self.close_runnables();
                self.fences.open_cell = Some(self.blocks.len());
                let index = self.next_runnable();
                self.blocks.push(Block::Cell(Cell {
                    index,
                    code: text,
                    expected_output: None,
                    line,
                }));
            }
            ("python", ["exercise", rest @ ..]) => {
                self.close_runnables();
                let id = self.exercise_id(rest, line);
                self.fences.exercise = Some(PendingExercise {
                    exercise: Exercise {
                        index: self.next_runnable(),
                        id,
                        code: text,
                        check: String::new(),
                        hints: Vec::new(),
                        solution: String::new(),
                        line,
                    },
                    check: None,
                    solution: None,
                });
            }
            ("python", _) => {
                self.close_runnables();
                self.errors.add(
                    line,
                    format!("unknown python fence `{info}` (expected `python` or `python exercise id=ID`)"),
                );
            }
            ("output", _) => {
                let cell = self
                    .fences
                    .open_cell
                    .take()
                    .and_then(|i| self.blocks.get_mut(i));
                match cell {
                    Some(Block::Cell(cell)) => cell.expected_output = Some(text),
                    _ => self.errors.add(
                        line,
                        "an `output` block must directly follow a `python` cell".to_string(),
                    ),
                }
            }
            ("check" | "hint" | "solution", _) => self.exercise_part(lang, text, line),
            _ => {
                self.close_runnables();
                self.emit(shown_fence(lang, text));
            }
        }
    }

    fn exercise_id(&mut self, attributes: &[&str], line: usize) -> String {
        let id = match attributes {
            [attribute] => attribute.strip_prefix("id=").filter(|id| !id.is_empty()),
            _ => None,
        };
        let Some(id) = id else {
            self.errors.add(
                line,
                "an exercise needs exactly `id=ID` after `python exercise`".to_string(),
            );
            return String::new();
        };
        if !self.fences.exercise_ids.insert(id.to_string()) {
            self.errors
                .add(line, format!("duplicate exercise id `{id}`"));
        }
        id.to_string()
    }

    fn exercise_part(&mut self, part: &str, text: String, line: usize) {
        self.fences.open_cell = None;
        let Some(pending) = self.fences.exercise.as_mut() else {
            self.errors.add(
                line,
                format!("a `{part}` block must follow a `python exercise` (or its other parts)"),
            );
            return;
        };
        let slot = match part {
            "check" => &mut pending.check,
            "solution" => &mut pending.solution,
            _ => {
                pending.exercise.hints.push(text.trim_end().to_string());
                return;
            }
        };
        if slot.is_some() {
            let id = pending.exercise.id.clone();
            self.errors
                .add(line, format!("exercise `{id}` has a second `{part}`"));
        } else {
            *slot = Some(text);
        }
    }

    fn next_runnable(&mut self) -> usize {
        self.fences.runnables += 1;
        self.fences.runnables - 1
    }

    /// Something other than a cell's or exercise's parts comes next: the open
    /// cell can no longer get an output, and the open exercise is complete.
    fn close_runnables(&mut self) {
        self.fences.open_cell = None;
        let Some(pending) = self.fences.exercise.take() else {
            return;
        };
        let PendingExercise {
            mut exercise,
            check,
            solution,
        } = pending;
        for (part, value) in [("check", &check), ("solution", &solution)] {
            if value.is_none() {
                let message = format!("exercise `{}` has no `{part}` block", exercise.id);
                self.errors.add(exercise.line, message);
            }
        }
        exercise.check = check.unwrap_or_default();
        exercise.solution = solution.unwrap_or_default();
        self.blocks.push(Block::Exercise(exercise));
    }

    fn push_span(&mut self, text: &str, mut style: SpanStyle) {
        style.emphasis |= self.inline.emphasis > 0;
        style.strong |= self.inline.strong > 0;
        style.strikethrough |= self.inline.strikethrough > 0;
        let link = self.inline.links.last().cloned();
        let Some(pieces) = self.pieces() else {
            return;
        };
        if let Some(Piece::Span(last)) = pieces.last_mut() {
            if last.style == style && last.link == link {
                last.text.push_str(text);
                return;
            }
        }
        pieces.push(Piece::Span(Span {
            text: text.to_string(),
            style,
            link,
        }));
    }

    fn push_piece(&mut self, piece: Piece) {
        if let Some(pieces) = self.pieces() {
            pieces.push(piece);
        }
    }

    /// Where inline content goes now, if anywhere.
    fn pieces(&mut self) -> Option<&mut Vec<Piece>> {
        match self.stack.last_mut()? {
            Frame::Inline(_, pieces) | Frame::Blocks(_, _, pieces) => Some(pieces),
            _ => None,
        }
    }

    /// Adds a finished prose block to the innermost container, or the lesson.
    fn emit(&mut self, prose: Prose) {
        match self.stack.last_mut() {
            Some(Frame::Blocks(_, blocks, loose)) => {
                blocks.extend(split_paragraphs(std::mem::take(loose)));
                blocks.push(prose);
            }
            _ => self.blocks.push(Block::Prose(prose)),
        }
    }
}

fn to_align(alignment: Alignment) -> Align {
    match alignment {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn shown_fence(lang: &str, text: String) -> Prose {
    let text = text.trim_end_matches('\n').to_string();
    if lang == "diagram" {
        Prose::Diagram {
            caption: None,
            text,
        }
    } else {
        Prose::Code {
            lang: lang.to_string(),
            text,
        }
    }
}

/// Paragraphs, with display math and diagrams lifted out as blocks of their own.
fn split_paragraphs(pieces: Vec<Piece>) -> Vec<Prose> {
    let mut blocks = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let flush = |spans: &mut Vec<Span>, blocks: &mut Vec<Prose>| {
        let mut paragraph = std::mem::take(spans);
        trim_spans(&mut paragraph);
        if !paragraph.is_empty() {
            blocks.push(Prose::Paragraph(paragraph));
        }
    };
    for piece in pieces {
        match piece {
            Piece::Span(span) => spans.push(span),
            Piece::DisplayMath(text) => {
                flush(&mut spans, &mut blocks);
                blocks.push(Prose::Math(text));
            }
            Piece::Diagram { caption, text } => {
                flush(&mut spans, &mut blocks);
                blocks.push(Prose::Diagram { caption, text });
            }
        }
    }
    flush(&mut spans, &mut blocks);
    blocks
}

/// Removes the spaces and breaks left at the edges when a block is lifted out.
fn trim_spans(spans: &mut Vec<Span>) {
    if let Some(first) = spans.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = spans.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    spans.retain(|span| !span.text.is_empty());
}

/// Inline content for places that take no blocks (headings, table cells).
fn flatten(pieces: Vec<Piece>) -> Vec<Span> {
    let mut spans: Vec<Span> = pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Span(span) => span,
            Piece::DisplayMath(text) => Span {
                text,
                style: SpanStyle {
                    math: true,
                    ..SpanStyle::default()
                },
                link: None,
            },
            Piece::Diagram { caption, text } => Span {
                text: caption.unwrap_or(text),
                style: SpanStyle::default(),
                link: None,
            },
        })
        .collect();
    trim_spans(&mut spans);
    spans
}

#[cfg(test)]
mod tests;
