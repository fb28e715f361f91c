//! Syntax tree of the snippet language. Every node carries its source span.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use super::span::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    /// `a = b = value`: one or more targets.
    Assign {
        targets: Vec<Expr>,
        value: Expr,
    },
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    /// `elif` chains are nested `If`s in `orelse`.
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Break,
    Continue,
    Pass,
    FunctionDef(Arc<FunctionDef>),
    ClassDef(Arc<ClassDef>),
    Return(Option<Expr>),
    With {
        items: Vec<WithItem>,
        body: Vec<Stmt>,
    },
    /// `import a.b as c, d`
    Import(Vec<Alias>),
    /// `from module import a as b, c`
    ImportFrom {
        module: String,
        names: Vec<Alias>,
    },
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    Del(Vec<Expr>),
    Global(Vec<String>),
    Nonlocal(Vec<String>),
    Try(Box<Try>),
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Try {
    pub body: Vec<Stmt>,
    pub handlers: Vec<ExceptHandler>,
    pub orelse: Vec<Stmt>,
    pub finalbody: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExceptHandler {
    /// `None` for a bare `except:`.
    pub class: Option<Expr>,
    pub name: Option<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// `class Name(bases, **keywords): body`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef {
    pub name: String,
    pub bases: Vec<Expr>,
    pub keywords: Vec<Keyword>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// Dotted name, e.g. `torch.nn.functional`.
    pub name: String,
    pub asname: Option<String>,
    pub span: Span,
}

/// A `def` or a `lambda`.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    pub name: String,
    pub params: Vec<Param>,
    pub body: FunctionBody,
    /// Names local to the function: parameters and names it assigns, minus `global`/`nonlocal` ones.
    pub locals: Vec<String>,
    /// Names declared `global`.
    pub globals: Vec<String>,
    /// The body contains `yield`: calling the function makes a generator.
    pub is_generator: bool,
    pub decorators: Vec<Expr>,
    pub span: Span,
    /// Where the locals live at run time, filled in by `compile::resolve`.
    pub frame: FrameLayout,
    pub names: DefNames,
}

/// The names a `def` gives its functions, kept from its last run: they follow from the
/// enclosing code's qualified-name prefix, which is checked on every run.
#[derive(Debug, Default)]
pub struct DefNames(Mutex<Option<QualNames>>);

#[derive(Debug, Clone)]
pub struct QualNames {
    /// The enclosing code's prefix they were made for (`Outer.`, `f.<locals>.`, or empty).
    outer: Arc<str>,
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    /// The prefix of functions and classes defined inside (`qualname.<locals>.`).
    pub inner_prefix: Arc<str>,
}

impl DefNames {
    pub fn under(&self, outer: &Arc<str>, name: &str) -> QualNames {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(names) = kept.as_ref().filter(|n| n.outer == *outer) {
            return names.clone();
        }
        let qualname: Arc<str> = format!("{outer}{name}").into();
        let names = QualNames {
            outer: outer.clone(),
            name: name.into(),
            inner_prefix: format!("{qualname}.<locals>.").into(),
            qualname,
        };
        *kept = Some(names.clone());
        names
    }
}

impl Clone for DefNames {
    fn clone(&self) -> DefNames {
        DefNames::default()
    }
}

impl PartialEq for DefNames {
    fn eq(&self, _: &DefNames) -> bool {
        true
    }
}

/// A function's frame: the locals no nested scope refers to get slots; the others (captured
/// by a nested function, lambda, comprehension or class body) live in the call's shared scope.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrameLayout {
    pub slots: Vec<String>,
    /// Each parameter's slot, `None` when it is captured.
    pub param_slots: Vec<Option<usize>>,
    /// Every parameter is a plain positional one with a slot, so a call with one positional
    /// argument per parameter can evaluate them straight into their slots.
    pub positional: bool,
}

impl FrameLayout {
    pub fn slot_of(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|n| n == name)
    }
}

impl FunctionDef {
    /// The statements of a `def` (empty for a lambda).
    pub fn body_block(&self) -> &[Stmt] {
        match &self.body {
            FunctionBody::Block(body) => body,
            FunctionBody::Lambda(_) => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FunctionBody {
    Block(Vec<Stmt>),
    Lambda(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub default: Option<Expr>,
    pub kind: ParamKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Before a `/`.
    PositionalOnly,
    Normal,
    /// `*args`
    VarArgs,
    /// After `*` or `*args`.
    KeywordOnly,
    /// `**kwargs`
    VarKeywords,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// The names an assignment to this target binds (through tuples, lists and `*name`).
    pub fn target_names(&self, names: &mut Vec<String>) {
        match &self.kind {
            ExprKind::Name(n) => names.push(n.clone()),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|t| t.target_names(names));
            }
            ExprKind::Starred(inner) => inner.target_names(names),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    None,
    Bool(bool),
    Int(i64),
    BigInt(std::sync::Arc<num_bigint::BigInt>),
    Float(f64),
    /// Shared, so evaluating the literal clones a pointer rather than the text.
    Str(std::sync::Arc<str>),
    Ellipsis,
    FString(Vec<FStringPart>),
    Name(String),
    /// A function local no nested scope refers to, or a comprehension's target, resolved by
    /// `compile` to its frame slot.
    Local {
        slot: usize,
        name: String,
    },
    /// A name that can only be a global or a builtin (resolved by `compile`): at module
    /// level, or inside a function that neither binds it nor is nested in one that does.
    Global(GlobalName),
    /// Inside a function, a name that lives in a call's shared scope because a nested
    /// scope refers to it: one of the function's own locals, or a name an enclosing
    /// function binds (resolved by `compile`).
    Scoped(ScopedName),
    Attribute {
        value: Box<Expr>,
        attr: AttrName,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        keywords: Vec<Keyword>,
    },
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    /// Only inside a subscript: `lower:upper:step`.
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// `{k: v, **other}`: a `None` key unpacks the value.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `*xs` in a call, a display or an assignment target.
    Starred(Box<Expr>),
    ListComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    GeneratorExp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    SetComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    DictComp {
        key: Box<Expr>,
        value: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    Yield(Option<Box<Expr>>),
    YieldFrom(Box<Expr>),
    /// `name := value`
    NamedExpr {
        name: String,
        value: Box<Expr>,
    },
    Lambda(Arc<FunctionDef>),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        left: Box<Expr>,
        op: BinOp,
        right: Box<Expr>,
    },
    /// `and` / `or`, short-circuiting.
    BoolOp {
        op: BoolOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `a < b <= c`: chained comparisons.
    Compare {
        left: Box<Expr>,
        ops: Vec<(CmpOp, Expr)>,
    },
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum FStringPart {
    Literal(String),
    Field {
        expr: Box<Expr>,
        conversion: Option<char>,
        spec: Vec<FStringPart>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// `None` for `**mapping`.
    pub name: Option<String>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    /// Set by `compile` on the first generator of a comprehension that runs in its
    /// enclosing frame, its targets in that frame's slots `start..end`.
    pub frame: Option<std::ops::Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
    Not,
    Invert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    MatMul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    In,
    NotIn,
    Is,
    IsNot,
}

impl BinOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::MatMul => "@",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }

    pub fn from_symbol(s: &str) -> Option<BinOp> {
        ALL_BINOPS.iter().copied().find(|op| op.symbol() == s)
    }
}

const ALL_BINOPS: [BinOp; 13] = [
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::MatMul,
    BinOp::Div,
    BinOp::FloorDiv,
    BinOp::Mod,
    BinOp::Pow,
    BinOp::LShift,
    BinOp::RShift,
    BinOp::BitAnd,
    BinOp::BitOr,
    BinOp::BitXor,
];

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Not => "not",
            UnaryOp::Invert => "~",
        }
    }
}

/// A global name, with where the evaluator found it last.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalName {
    pub name: String,
    pub cache: NameCache,
}

impl GlobalName {
    pub fn new(name: &str) -> GlobalName {
        GlobalName {
            name: name.to_string(),
            cache: NameCache::default(),
        }
    }
}

/// A name in a call's shared scope (`ExprKind::Scoped`), with the index it was found at
/// there last.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopedName {
    pub name: String,
    pub scope: ScopeRef,
    pub cache: IndexCache,
}

/// Which shared scope holds a `ScopedName`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScopeRef {
    /// The running function's own.
    Own,
    /// `enclosing[index]` of the function's enclosing scopes (outermost first), when there
    /// are `of` of them, as `compile` counted; another count sends the name down the
    /// dynamic path.
    Enclosing { index: u32, of: u32 },
}

/// 1 + the index a name had in a map, or 0; checked against the name before use, so a
/// stale entry only costs the hash lookup it would have saved. Atomic and ignored by `==`,
/// as `NameCache`.
#[derive(Debug, Default)]
pub struct IndexCache(pub AtomicU64);

impl Clone for IndexCache {
    fn clone(&self) -> IndexCache {
        IndexCache(AtomicU64::new(self.0.load(Relaxed)))
    }
}

impl PartialEq for IndexCache {
    fn eq(&self, _: &IndexCache) -> bool {
        true
    }
}

/// The name after a dot, with the inline cache its reads and writes on instances keep.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrName {
    pub name: String,
    pub cache: AttrCache,
}

impl AttrName {
    pub fn new(name: String) -> AttrName {
        AttrName {
            name,
            cache: AttrCache::default(),
        }
    }
}

impl std::fmt::Display for AttrName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// An inline cache, as CPython's `LOAD_ATTR_INSTANCE_VALUE` keeps: the class an instance
/// had (its address) and the class dicts' version then, which together prove that nothing
/// along its MRO intercepts the name (a property, a `__setattr__`), and the index at which
/// the name was in the instance's dict. Checked before use (`interp::instance_attrs`), so
/// a stale entry only costs the lookups it would have saved; atomics and `==` as for
/// `NameCache`.
#[derive(Debug, Default)]
pub struct AttrCache {
    pub class: AtomicUsize,
    pub version: AtomicU64,
    /// 1 + the index in the instance dict, or 0.
    pub index: AtomicU64,
}

impl Clone for AttrCache {
    fn clone(&self) -> AttrCache {
        AttrCache {
            class: AtomicUsize::new(self.class.load(Relaxed)),
            version: AtomicU64::new(self.version.load(Relaxed)),
            index: AtomicU64::new(self.index.load(Relaxed)),
        }
    }
}

impl PartialEq for AttrCache {
    fn eq(&self, _: &AttrCache) -> bool {
        true
    }
}

/// An inline cache, as CPython's `LOAD_GLOBAL` keeps: the index the name had in the
/// globals' map, or in the builtins' map together with the globals' key version (which
/// proves the globals still lack it). Each entry is checked before use (`interp::globals`),
/// so a stale one only costs the hash lookup it would have saved. Atomics, since a
/// generator runs its body on a thread of its own; `==` ignores the cache.
#[derive(Debug, Default)]
pub struct NameCache {
    /// 1 + the index in the globals, or 0.
    pub global: AtomicU64,
    /// The globals' key version when `global` was last checked against the name: while it
    /// holds, the name is still at that index, with no need to compare it.
    pub global_keys: AtomicU64,
    /// 1 + the index in the builtins, or 0.
    pub builtin: AtomicU64,
    /// The globals' key version when `builtin` was stored.
    pub version: AtomicU64,
}

impl Clone for NameCache {
    fn clone(&self) -> NameCache {
        NameCache {
            global: AtomicU64::new(self.global.load(Relaxed)),
            global_keys: AtomicU64::new(self.global_keys.load(Relaxed)),
            builtin: AtomicU64::new(self.builtin.load(Relaxed)),
            version: AtomicU64::new(self.version.load(Relaxed)),
        }
    }
}

impl PartialEq for NameCache {
    fn eq(&self, _: &NameCache) -> bool {
        true
    }
}
