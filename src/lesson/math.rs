//! TeX math to readable Unicode text for the terminal:
//! `\frac{1}{m}\sum_{i=1}^{m}|y_i-\hat{y}_i|` reads `(1/m) Σᵢ₌₁ᵐ |yᵢ − ŷᵢ|`.
//!
//! The input is parsed into atoms with a TeX-like class (ordinary, binary
//! operator, relation, ...) so spacing follows TeX's rules instead of the
//! author's whitespace. Rows (`\\`) become lines and `&` columns are aligned.
//! Unknown commands degrade to their name; no input can make it panic.

use unicode_width::UnicodeWidthStr;

/// Converts TeX math (the text between `$` or `$$`) to Unicode. The result has
/// one line per row of an `aligned` environment (or of top-level `\\`).
pub fn to_unicode(latex: &str) -> String {
    let mut parser = Parser {
        chars: latex.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let rows = parser.parse_rows(false);
    layout(&rows, Layout::Aligned)
}

/// Groups nested deeper than this are taken as literal text, so hostile input
/// cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Ord,
    /// Binary operator (`+`, `−`, `·`); becomes `Unary` with nothing to its left.
    Bin,
    /// A sign: `−x`, `−Σ`, with no space after it.
    Unary,
    /// Relation (`=`, `≤`, `←`): spaced on both sides.
    Rel,
    /// Large operator with limits (`Σ`, `Π`): spaced on both sides.
    Op,
    /// Named function (`log`): a space after it unless an argument in brackets follows.
    Func,
    Open,
    Close,
    Punct,
    /// Explicit spacing (`\quad`, `\,`): no automatic space next to it.
    Space,
}

#[derive(Clone, Debug)]
struct Atom {
    text: String,
    class: Class,
    /// A fraction, written without outer parentheses; they are added when a
    /// neighbour would otherwise run into it (`(1/m) Σ`).
    fraction: bool,
}

impl Atom {
    fn new(text: impl Into<String>, class: Class) -> Atom {
        Atom {
            text: text.into(),
            class,
            fraction: false,
        }
    }

    fn ord(text: impl Into<String>) -> Atom {
        Atom::new(text, Class::Ord)
    }

    /// The text as it must read once something is attached to it.
    fn solid_text(&self) -> String {
        if self.fraction {
            format!("({})", self.text)
        } else {
            self.text.clone()
        }
    }
}

/// Why a sequence of atoms ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    End,
    /// At an unconsumed `}`.
    Brace,
    /// After `&`.
    Column,
    /// After `\\`.
    Row,
    /// After `\end{...}`.
    EnvEnd,
}

type Rows = Vec<Vec<Vec<Atom>>>;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Rows of columns of atoms, up to `\end` (in an environment) or the end.
    fn parse_rows(&mut self, in_env: bool) -> Rows {
        let mut rows: Rows = vec![vec![Vec::new()]];
        loop {
            let (atoms, stop) = self.parse_seq();
            if let Some(cell) = rows.last_mut().and_then(|row| row.last_mut()) {
                cell.extend(atoms);
            }
            match stop {
                Stop::End => break,
                Stop::EnvEnd if in_env => break,
                Stop::EnvEnd => {}
                // A stray `}`: skip it.
                Stop::Brace => self.pos += 1,
                Stop::Column => {
                    if let Some(row) = rows.last_mut() {
                        row.push(Vec::new());
                    }
                }
                Stop::Row => rows.push(vec![Vec::new()]),
            }
        }
        // `a \\ b \\` has no third row.
        if rows.len() > 1 && rows.last().is_some_and(|row| row.iter().all(Vec::is_empty)) {
            rows.pop();
        }
        rows
    }

    fn parse_seq(&mut self) -> (Vec<Atom>, Stop) {
        let mut out = Vec::new();
        loop {
            self.skip_space();
            if let Some(stop) = self.parse_token(&mut out) {
                return (out, stop);
            }
        }
    }

    /// The atoms of a `{...}` group body, with the closing brace consumed.
    fn parse_group_body(&mut self) -> Vec<Atom> {
        if self.depth >= MAX_DEPTH {
            let rest: String = self.chars[self.pos..].iter().collect();
            self.pos = self.chars.len();
            return vec![Atom::ord(rest)];
        }
        self.depth += 1;
        let mut out = Vec::new();
        loop {
            let (atoms, stop) = self.parse_seq();
            out.extend(atoms);
            match stop {
                Stop::Brace => {
                    self.pos += 1;
                    break;
                }
                Stop::End => break,
                Stop::Column | Stop::Row | Stop::EnvEnd => {}
            }
        }
        self.depth -= 1;
        out
    }

    /// A command or macro argument: a group, one command, or one character.
    fn parse_arg(&mut self) -> Vec<Atom> {
        self.skip_space();
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.parse_group_body()
            }
            Some('}') | None => Vec::new(),
            Some(_) => {
                let mut out = Vec::new();
                // A stop here (`&`, `\\`) leaves the argument empty.
                let _ = self.parse_token(&mut out);
                out
            }
        }
    }

    /// The raw text of a group (`\text{...}`), or of one character.
    fn parse_raw_arg(&mut self) -> String {
        self.skip_space();
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                let mut depth = 1;
                let mut text = String::new();
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    text.push(c);
                }
                text
            }
            Some(c) => {
                self.pos += 1;
                c.to_string()
            }
            None => String::new(),
        }
    }

    fn parse_command_name(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        if self.pos == start {
            // A one-character command such as `\,` or `\\`.
            if let Some(c) = self.peek() {
                self.pos += 1;
                return c.to_string();
            }
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// Parses one token into `out`; returns why the sequence stops, if it does.
    fn parse_token(&mut self, out: &mut Vec<Atom>) -> Option<Stop> {
        let c = match self.peek() {
            None => return Some(Stop::End),
            Some('}') => return Some(Stop::Brace),
            Some(c) => c,
        };
        self.pos += 1;
        match c {
            '&' => return Some(Stop::Column),
            '{' => {
                let atoms = self.parse_group_body();
                out.push(Atom::ord(render(&atoms)));
            }
            '^' | '_' => {
                let atoms = self.parse_arg();
                attach_script(out, &render_compact(&atoms), c == '^');
            }
            '\'' => attach_text(out, "′"),
            '\\' => return self.parse_command(out),
            _ => out.push(char_atom(c)),
        }
        None
    }

    fn parse_command(&mut self, out: &mut Vec<Atom>) -> Option<Stop> {
        let name = self.parse_command_name();
        match name.as_str() {
            "" => {}
            "\\" | "cr" | "newline" => return Some(Stop::Row),
            "end" => {
                self.parse_raw_arg();
                return Some(Stop::EnvEnd);
            }
            "begin" => out.push(self.parse_environment()),
            "frac" | "dfrac" | "tfrac" => {
                let numerator = render(&self.parse_arg());
                let denominator = render(&self.parse_arg());
                out.push(Atom {
                    text: format!(
                        "{}/{}",
                        fraction_part(numerator),
                        fraction_part(denominator)
                    ),
                    class: Class::Ord,
                    fraction: true,
                });
            }
            "sqrt" => out.push(self.parse_sqrt()),
            "left" | "right" => {
                let class = if name == "left" {
                    Class::Open
                } else {
                    Class::Close
                };
                let mut delimiter = Vec::new();
                // `\left.` is an invisible delimiter.
                if self.peek() == Some('.') {
                    self.pos += 1;
                } else {
                    let _ = self.parse_token(&mut delimiter);
                }
                let text: String = delimiter.iter().map(|atom| atom.text.as_str()).collect();
                out.push(Atom::new(text, class));
            }
            "text" | "textrm" | "textit" | "textbf" | "textsf" | "texttt" | "mbox" => {
                out.push(Atom::ord(self.parse_raw_arg()));
            }
            "operatorname" => out.push(Atom::new(self.parse_raw_arg(), Class::Func)),
            "mathbb" => {
                let text = render_compact(&self.parse_arg());
                out.push(Atom::ord(
                    text.chars().map(double_struck).collect::<String>(),
                ));
            }
            "mathrm" | "mathit" | "mathbf" | "mathsf" | "mathtt" | "mathcal" | "boldsymbol"
            | "bm" => {
                let atoms = self.parse_arg();
                out.push(Atom::ord(render(&atoms)));
            }
            _ => {
                if let Some(mark) = accent(&name) {
                    let base = render(&self.parse_arg());
                    out.push(Atom::ord(apply_accent(&base, mark)));
                } else if let Some(atom) = symbol(&name) {
                    match atom.class {
                        // `\prime` attaches like `'`.
                        Class::Ord if atom.text == "′" => attach_text(out, "′"),
                        _ => out.push(atom),
                    }
                } else if !IGNORED.contains(&name.as_str()) {
                    out.push(Atom::ord(name));
                }
            }
        }
        None
    }

    fn parse_environment(&mut self) -> Atom {
        let name = self.parse_raw_arg();
        if name == "array" {
            // The column specification (`{cc}`) is not shown.
            self.parse_raw_arg();
        }
        let rows = self.parse_rows(true);
        let style = match name.trim_end_matches('*') {
            "aligned" | "align" | "alignat" | "split" | "eqnarray" | "gathered" => Layout::Aligned,
            _ => Layout::Grid,
        };
        Atom::ord(layout(&rows, style))
    }

    fn parse_sqrt(&mut self) -> Atom {
        self.skip_space();
        let mut index = String::new();
        if self.peek() == Some('[') {
            self.pos += 1;
            let start = self.pos;
            while self.peek().is_some_and(|c| c != ']') {
                self.pos += 1;
            }
            let raw: String = self.chars[start..self.pos].iter().collect();
            self.pos = (self.pos + 1).min(self.chars.len());
            index = to_script(raw.trim(), superscript).unwrap_or_default();
        }
        let atoms = self.parse_arg();
        let body = render(&atoms);
        let body = match atoms.as_slice() {
            [] => String::new(),
            [atom] if !body.contains(' ') => atom.solid_text(),
            _ => format!("({body})"),
        };
        Atom::ord(format!("{index}√{body}"))
    }
}

/// A fraction's numerator or denominator, in parentheses when it has parts.
fn fraction_part(text: String) -> String {
    if text.contains([' ', '/']) {
        format!("({text})")
    } else {
        text
    }
}

fn char_atom(c: char) -> Atom {
    match c {
        '-' => Atom::new("−", Class::Bin),
        '+' | '*' => Atom::new(c.to_string(), Class::Bin),
        '=' | '<' | '>' | ':' => Atom::new(c.to_string(), Class::Rel),
        ',' | ';' => Atom::new(c.to_string(), Class::Punct),
        '(' | '[' => Atom::new(c.to_string(), Class::Open),
        ')' | ']' => Atom::new(c.to_string(), Class::Close),
        '~' => Atom::new(" ", Class::Space),
        _ => Atom::ord(c.to_string()),
    }
}

fn attach_text(out: &mut Vec<Atom>, text: &str) {
    match out.last_mut() {
        Some(last) => {
            last.text = last.solid_text() + text;
            last.fraction = false;
        }
        None => out.push(Atom::ord(text)),
    }
}

/// `x` + `i` as a subscript: `xᵢ`; `x_(i,j)` when a character has no subscript form.
fn attach_script(out: &mut Vec<Atom>, script: &str, sup: bool) {
    let (map, marker): (fn(char) -> Option<char>, char) = if sup {
        (superscript, '^')
    } else {
        (subscript, '_')
    };
    if script.is_empty() {
        return;
    }
    let text = match to_script(script, map) {
        Some(text) => text,
        // Primes are already raised.
        None if sup && script.chars().all(|c| c == '′') => script.to_string(),
        None if script.chars().count() == 1 => format!("{marker}{script}"),
        None => format!("{marker}({script})"),
    };
    attach_text(out, &text);
}

fn to_script(text: &str, map: fn(char) -> Option<char>) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    text.chars().map(map).collect()
}

fn render_compact(atoms: &[Atom]) -> String {
    atoms.iter().map(|atom| atom.text.as_str()).collect()
}

/// Joins atoms with TeX-like spacing.
fn render(atoms: &[Atom]) -> String {
    let mut classes: Vec<Class> = atoms.iter().map(|atom| atom.class).collect();
    // A binary operator with nothing to its left is unary: `−x`, `(−1)`, `= −1`.
    let mut prev = None;
    for class in classes.iter_mut() {
        let unary = matches!(
            prev,
            None | Some(
                Class::Bin
                    | Class::Unary
                    | Class::Rel
                    | Class::Open
                    | Class::Punct
                    | Class::Op
                    | Class::Func
            )
        );
        if *class == Class::Bin && unary {
            *class = Class::Unary;
        }
        prev = Some(*class);
    }
    let mut text = String::new();
    for (i, atom) in atoms.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| classes.get(j)).copied();
        let next = classes.get(i + 1).copied();
        if let Some(prev) = prev {
            if spaced(prev, classes[i], &atom.text) {
                text.push(' ');
            }
        }
        let crowded = matches!(
            prev,
            Some(Class::Ord | Class::Close | Class::Func | Class::Op)
        ) || matches!(
            next,
            Some(Class::Ord | Class::Open | Class::Func | Class::Op)
        );
        if atom.fraction && crowded {
            text.push_str(&atom.solid_text());
        } else {
            text.push_str(&atom.text);
        }
    }
    text
}

fn spaced(prev: Class, next: Class, next_text: &str) -> bool {
    use Class::*;
    match (prev, next) {
        (Space, _) | (_, Space) | (Unary, _) => false,
        (Rel | Bin, _) | (_, Rel | Bin) => true,
        (Punct, _) => true,
        (_, Punct) => false,
        (Open, _) | (_, Close) => false,
        (Op, _) | (_, Op) => true,
        (Func, _) => !next_text.starts_with(['(', '[', '{', '|', '‖']),
        (Ord | Close, Func) => true,
        _ => false,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `aligned`: columns alternately right- and left-aligned, so `&=` lines up.
    Aligned,
    /// `matrix`, `cases`: every column left-aligned, two spaces apart.
    Grid,
}

fn layout(rows: &Rows, style: Layout) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| render(cell)).collect())
        .collect();
    if let [row] = cells.as_slice() {
        if let [cell] = row.as_slice() {
            return cell.clone();
        }
    }
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            cells
                .iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let separator = if style == Layout::Aligned { " " } else { "  " };
    let lines: Vec<String> = cells
        .iter()
        .map(|row| {
            let padded: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (cell, &width))| {
                    let pad = " ".repeat(width.saturating_sub(cell.width()));
                    if style == Layout::Aligned && c % 2 == 0 {
                        pad + cell
                    } else {
                        cell.clone() + &pad
                    }
                })
                .collect();
            padded.join(separator).trim_end().to_string()
        })
        .collect();
    lines.join("\n")
}

/// Commands that only change TeX's sizing or layout.
const IGNORED: &[&str] = &[
    "displaystyle",
    "textstyle",
    "scriptstyle",
    "limits",
    "nolimits",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "Biggl",
    "Biggr",
    "middle",
    "nonumber",
    "notag",
];

fn symbol(name: &str) -> Option<Atom> {
    use Class::*;
    let (text, class) = match name {
        "alpha" => ("α", Ord),
        "beta" => ("β", Ord),
        "gamma" => ("γ", Ord),
        "delta" => ("δ", Ord),
        "epsilon" | "varepsilon" => ("ε", Ord),
        "zeta" => ("ζ", Ord),
        "eta" => ("η", Ord),
        "theta" | "vartheta" => ("θ", Ord),
        "iota" => ("ι", Ord),
        "kappa" => ("κ", Ord),
        "lambda" => ("λ", Ord),
        "mu" => ("μ", Ord),
        "nu" => ("ν", Ord),
        "xi" => ("ξ", Ord),
        "pi" => ("π", Ord),
        "rho" | "varrho" => ("ρ", Ord),
        "sigma" => ("σ", Ord),
        "varsigma" => ("ς", Ord),
        "tau" => ("τ", Ord),
        "upsilon" => ("υ", Ord),
        "phi" | "varphi" => ("φ", Ord),
        "chi" => ("χ", Ord),
        "psi" => ("ψ", Ord),
        "omega" => ("ω", Ord),
        "Gamma" => ("Γ", Ord),
        "Delta" => ("Δ", Ord),
        "Theta" => ("Θ", Ord),
        "Lambda" => ("Λ", Ord),
        "Xi" => ("Ξ", Ord),
        "Pi" => ("Π", Ord),
        "Sigma" => ("Σ", Ord),
        "Upsilon" => ("Υ", Ord),
        "Phi" => ("Φ", Ord),
        "Psi" => ("Ψ", Ord),
        "Omega" => ("Ω", Ord),
        "partial" => ("∂", Ord),
        "nabla" => ("∇", Ord),
        "infty" => ("∞", Ord),
        "ell" => ("ℓ", Ord),
        "hbar" => ("ℏ", Ord),
        "emptyset" | "varnothing" => ("∅", Ord),
        "forall" => ("∀", Ord),
        "exists" => ("∃", Ord),
        "neg" | "lnot" => ("¬", Ord),
        "prime" => ("′", Ord),
        "top" => ("⊤", Ord),
        "bot" => ("⊥", Ord),
        "ldots" | "dots" | "dotsc" => ("…", Ord),
        "cdots" | "dotsb" => ("⋯", Ord),
        "vdots" => ("⋮", Ord),
        "ddots" => ("⋱", Ord),
        "|" | "Vert" | "lVert" | "rVert" => ("‖", Ord),
        "vert" | "lvert" | "rvert" => ("|", Ord),
        "mid" => ("|", Rel),
        "%" | "$" | "#" | "&" | "_" => (name, Ord),
        "{" | "lbrace" => ("{", Open),
        "}" | "rbrace" => ("}", Close),
        "langle" => ("⟨", Open),
        "rangle" => ("⟩", Close),
        "lfloor" => ("⌊", Open),
        "rfloor" => ("⌋", Close),
        "lceil" => ("⌈", Open),
        "rceil" => ("⌉", Close),
        "cdot" => ("·", Bin),
        "times" => ("×", Bin),
        "div" => ("÷", Bin),
        "pm" => ("±", Bin),
        "mp" => ("∓", Bin),
        "ast" => ("∗", Bin),
        "star" => ("⋆", Bin),
        "circ" => ("∘", Bin),
        "odot" => ("⊙", Bin),
        "otimes" => ("⊗", Bin),
        "oplus" => ("⊕", Bin),
        "cap" => ("∩", Bin),
        "cup" => ("∪", Bin),
        "land" | "wedge" => ("∧", Bin),
        "lor" | "vee" => ("∨", Bin),
        "setminus" => ("∖", Bin),
        "le" | "leq" => ("≤", Rel),
        "ge" | "geq" => ("≥", Rel),
        "ne" | "neq" => ("≠", Rel),
        "ll" => ("≪", Rel),
        "gg" => ("≫", Rel),
        "approx" => ("≈", Rel),
        "sim" => ("∼", Rel),
        "simeq" => ("≃", Rel),
        "equiv" => ("≡", Rel),
        "propto" => ("∝", Rel),
        "in" => ("∈", Rel),
        "notin" => ("∉", Rel),
        "subset" => ("⊂", Rel),
        "subseteq" => ("⊆", Rel),
        "supset" => ("⊃", Rel),
        "supseteq" => ("⊇", Rel),
        "leftarrow" | "gets" => ("←", Rel),
        "rightarrow" | "to" => ("→", Rel),
        "leftrightarrow" => ("↔", Rel),
        "Leftarrow" => ("⇐", Rel),
        "Rightarrow" | "implies" => ("⇒", Rel),
        "Leftrightarrow" | "iff" => ("⇔", Rel),
        "mapsto" => ("↦", Rel),
        "sum" => ("Σ", Op),
        "prod" => ("Π", Op),
        "int" => ("∫", Op),
        "oint" => ("∮", Op),
        "bigcup" => ("⋃", Op),
        "bigcap" => ("⋂", Op),
        "log" | "ln" | "lg" | "exp" | "max" | "min" | "sup" | "inf" | "lim" | "arg" | "det"
        | "sin" | "cos" | "tan" | "sinh" | "cosh" | "tanh" | "sgn" | "dim" | "ker" | "deg" => {
            (name, Func)
        }
        "argmax" | "argmin" => (name, Func),
        "quad" => ("  ", Space),
        "qquad" => ("    ", Space),
        "," | ":" | ";" | " " | ">" => (" ", Space),
        "!" => ("", Space),
        _ => return None,
    };
    Some(Atom::new(text, class))
}

/// The combining mark an accent command puts over its argument.
fn accent(name: &str) -> Option<char> {
    Some(match name {
        "hat" | "widehat" => '\u{302}',
        "bar" | "overline" => '\u{304}',
        "tilde" | "widetilde" => '\u{303}',
        "dot" => '\u{307}',
        "ddot" => '\u{308}',
        "vec" => '\u{20d7}',
        "check" => '\u{30c}',
        "acute" => '\u{301}',
        "grave" => '\u{300}',
        "breve" => '\u{306}',
        _ => return None,
    })
}

/// Puts `mark` over every character that is not a sub- or superscript:
/// `y_i` with a hat reads `ŷᵢ`. Precomposed letters are used where they exist,
/// since terminals draw them more reliably than combining marks.
fn apply_accent(base: &str, mark: char) -> String {
    let mut text = String::new();
    for c in base.chars() {
        let script = is_script_char(c);
        match precomposed(c, mark) {
            Some(composed) if !script => text.push(composed),
            _ => {
                text.push(c);
                if !script && !c.is_whitespace() {
                    text.push(mark);
                }
            }
        }
    }
    text
}

/// For each combining mark: letters with a precomposed form, and those forms.
const PRECOMPOSED: &[(char, (&str, &str))] = &[
    (
        '\u{302}',
        ("aeiouywcghjszAEIOUYWCGHJSZ", "âêîôûŷŵĉĝĥĵŝẑÂÊÎÔÛŶŴĈĜĤĴŜẐ"),
    ),
    ('\u{304}', ("aeiouygAEIOUYG", "āēīōūȳḡĀĒĪŌŪȲḠ")),
    ('\u{303}', ("aeinouyvANOEIUY", "ãẽĩñõũỹṽÃÑÕẼĨŨỸ")),
    ('\u{307}', ("xybcdefghmnprstwzXY", "ẋẏḃċḋėḟġḣṁṅṗṙṡṫẇżẊẎ")),
    ('\u{308}', ("aeiouyxAEIOUYX", "äëïöüÿẍÄËÏÖÜŸẌ")),
];

fn precomposed(base: char, mark: char) -> Option<char> {
    let (_, table) = PRECOMPOSED.iter().find(|(m, _)| *m == mark)?;
    lookup(*table, base)
}

fn is_script_char(c: char) -> bool {
    SUPERSCRIPTS.1.contains(c) || SUBSCRIPTS.1.contains(c)
}

/// Characters with a Unicode superscript form, and those forms, position by position.
const SUPERSCRIPTS: (&str, &str) = (
    "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW⊤βγδθφχ",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵀᵝᵞᵟᶿᵠᵡ",
);
const SUBSCRIPTS: (&str, &str) = (
    "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
);

fn lookup(table: (&str, &str), c: char) -> Option<char> {
    let position = table.0.chars().position(|from| from == c)?;
    table.1.chars().nth(position)
}

fn superscript(c: char) -> Option<char> {
    lookup(SUPERSCRIPTS, c)
}

fn subscript(c: char) -> Option<char> {
    lookup(SUBSCRIPTS, c)
}

fn double_struck(c: char) -> char {
    match c {
        'R' => 'ℝ',
        'N' => 'ℕ',
        'Z' => 'ℤ',
        'Q' => 'ℚ',
        'C' => 'ℂ',
        'P' => 'ℙ',
        'E' => '𝔼',
        '1' => '𝟙',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::to_unicode;

    /// Each case: TeX in, Unicode out.
    #[test]
    fn converts() {
        let cases: &[(&str, &str)] = &[
            // The example in LESSONS.md.
            (r"\frac{1}{m}\sum_{i=1}^{m}|y_i-\hat{y}_i|", "(1/m) Σᵢ₌₁ᵐ |yᵢ − ŷᵢ|"),
            // The seed notebook's formulas.
            (
                r"\text{MAE} = L_1(y, \hat{y}) = \frac{1}{m} \sum_{i=1}^m |y_i - \hat{y}_i|",
                "MAE = L₁(y, ŷ) = (1/m) Σᵢ₌₁ᵐ |yᵢ − ŷᵢ|",
            ),
            (
                r"\text{MSE} = \frac{1}{m} \sum_{i=1}^m (y_i - \hat{y}_i)^2",
                "MSE = (1/m) Σᵢ₌₁ᵐ (yᵢ − ŷᵢ)²",
            ),
            (
                r"\text{CE} = -\frac{1}{m} \sum_{i=1}^m (y_i \log(\hat{y}_i) + (1 - y_i) \log(1 - \hat{y}_i))",
                "CE = −(1/m) Σᵢ₌₁ᵐ (yᵢ log(ŷᵢ) + (1 − yᵢ) log(1 − ŷᵢ))",
            ),
            (
                "\\begin{aligned}\nx_{n+1} &= x_n - \\eta \\nabla f(x_n) \\\\\n&= x_n - \\eta \\frac{\\partial f(x_n)}{\\partial x_n}\n\\end{aligned}",
                "xₙ₊₁ = xₙ − η∇f(xₙ)\n     = xₙ − η(∂f(xₙ)/∂xₙ)",
            ),
            // Fractions: bare when alone, parts in parentheses when compound.
            (r"\frac{a}{b}", "a/b"),
            (r"y = \frac{a+b}{2}", "y = (a + b)/2"),
            (r"\frac{1}{2}x", "(1/2)x"),
            (r"\frac{\frac{1}{2}}{3}", "(1/2)/3"),
            (r"\frac{1}{2}^2", "(1/2)²"),
            // Scripts: Unicode when every character has a form, else spelled out.
            (r"x^{12}", "x¹²"),
            (r"e^{-x}", "e⁻ˣ"),
            (r"W^\top", "Wᵀ"),
            (r"w_{i,j}", "w_(i,j)"),
            (r"x^*", "x^*"),
            (r"a_{\theta}", "a_θ"),
            (r"f'(x)", "f′(x)"),
            (r"f^{\prime}(x)", "f′(x)"),
            (r"\sigma(z)^{(1)}", "σ(z)⁽¹⁾"),
            // Accents.
            (r"\bar{x}", "x̄"),
            (r"\bar{y}", "ȳ"),
            (r"\hat{y_i}", "ŷᵢ"),
            (r"\tilde{n}\vec{v}", "ñv⃗"),
            // Operators and relations.
            (r"x \leftarrow x - \eta \nabla f(x)", "x ← x − η∇f(x)"),
            (r"a \cdot b \times c", "a · b × c"),
            (r"f: \mathbb{R}^n \to \mathbb{R}", "f : ℝⁿ → ℝ"),
            (r"W \in \mathbb{R}^{m \times n}", "W ∈ ℝ^(m×n)"),
            (r"\lambda \le 1 \ge 0 \ne 2 \approx \infty", "λ ≤ 1 ≥ 0 ≠ 2 ≈ ∞"),
            (r"\prod_{j} p_j", "Πⱼ pⱼ"),
            (r"\exp(x) \ln x \max_x f(x)", "exp(x) ln x maxₓ f(x)"),
            (r"\min(a, b)", "min(a, b)"),
            (r"\|x\|_2 = \sqrt{x^2 + y^2}", "‖x‖₂ = √(x² + y²)"),
            (r"\sqrt{2}\sqrt x", "√2√x"),
            (r"\sqrt[3]{8}", "³√8"),
            (r"\left( \frac{a}{b} \right)", "(a/b)"),
            (r"\left. x \right|", "x|"),
            (r"-1", "−1"),
            (r"--x", "−−x"),
            (r"a = -b", "a = −b"),
            (r"(-x)", "(−x)"),
            (r"\mathrm{d}x \quad \text{for all } x", "dx  for all x"),
            (r"a\,b", "a b"),
            (r"\operatorname{softmax}(z)_i", "softmax(z)ᵢ"),
            (r"\{1, 2\}", "{1, 2}"),
            // Grids: columns left-aligned.
            (
                r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
                "1  x > 0\n0  otherwise",
            ),
            (r"\text{CE} = -\sum_{c=1}^{C} y_c \log p_c", "CE = −Σ_(c=1)^C y_c log p_c"),
            (r"-\log p_{\text{true}}", "−log pₜᵣᵤₑ"),
            (r"p_c = \frac{e^{z_c}}{\sum_{k} e^{z_k}}", "p_c = e^(z_c)/(Σₖ e^(zₖ))"),
            (r"\sigma(x) = \frac{1}{1 + e^{-x}}", "σ(x) = 1/(1 + e⁻ˣ)"),
            (r"\Delta w = -\eta \frac{\partial L}{\partial w}", "Δw = −η(∂L/∂w)"),
            (r"\exp\left(-\frac{x^2}{2}\right)", "exp(−x²/2)"),
            (r"\mathbf{W}^{(l)} \mathbf{a}^{(l-1)}", "W⁽ˡ⁾a⁽ˡ⁻¹⁾"),
            (r"\|v\|_p = \left(\sum_i |v_i|^p\right)^{1/p}", "‖v‖ₚ = (Σᵢ |vᵢ|ᵖ)^(1/p)"),
            (r"P(y=1 \mid x)", "P(y = 1 | x)"),
            (r"\tanh'(x) = 1 - \tanh^2(x)", "tanh′(x) = 1 − tanh²(x)"),
            (
                r"\text{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right)V",
                "softmax(QKᵀ/√dₖ)V",
            ),
            // Unknown commands degrade to their name.
            (r"\foo{x} + \bar", "foox + "),
            // Broken input never panics.
            (r"\frac{1}", "1/"),
            (r"x^", "x"),
            (r"}{x", "x"),
            (r"\", ""),
            (r"\begin{aligned} a &= b", "a = b"),
            (r"\sqrt[", "√"),
            ("", ""),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(input, expected)| {
                let got = to_unicode(input);
                (got != *expected)
                    .then(|| format!("{input:?}\n  got      {got:?}\n  expected {expected:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn script_and_accent_tables_line_up() {
        let accents = super::PRECOMPOSED.iter().map(|(_, table)| *table);
        for (from, to) in [super::SUPERSCRIPTS, super::SUBSCRIPTS]
            .into_iter()
            .chain(accents)
        {
            assert_eq!(from.chars().count(), to.chars().count(), "{from}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(input in r"(\\[a-z]{1,6}|\\.|[{}^_&|()\[\]a-z0-9 .=+-]){0,30}") {
            let _ = to_unicode(&input);
        }
    }

    #[test]
    fn deep_nesting_is_literal() {
        let input = "{".repeat(10_000) + "x";
        assert!(to_unicode(&input).ends_with("{x"));
    }
}
