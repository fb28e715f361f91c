//! PyTorch's default tensor printing, a port of torch/_tensor_str.py
//! (`_Formatter`, `_tensor_str`, `_vector_str`, `get_summarized_data`,
//! `_str_intern`, `_add_suffixes`) with `torch.set_printoptions`.

use std::cell::Cell;

use crate::pyfmt::{format_fixed, format_sci};

use super::dtype::{default_float, DType};

const PREFIX: &str = "tensor(";

/// PyTorch's `PRINT_OPTS` (`torch.set_printoptions`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrintOptions {
    pub precision: usize,
    /// Elements above which a tensor is summarized; `inf` never.
    pub threshold: f64,
    pub edgeitems: usize,
    pub linewidth: usize,
    /// `None`: chosen from the values, as `_Formatter` does.
    pub sci_mode: Option<bool>,
}

impl Default for PrintOptions {
    fn default() -> PrintOptions {
        PrintOptions {
            precision: 4,
            threshold: 1000.0,
            edgeitems: 3,
            linewidth: 80,
            sci_mode: None,
        }
    }
}

thread_local! {
    /// Per thread, as the default dtype is (see `dtype::default_float`).
    static OPTIONS: Cell<PrintOptions> = Cell::new(PrintOptions::default());
}

pub fn print_options() -> PrintOptions {
    OPTIONS.with(Cell::get)
}

pub fn set_print_options(o: PrintOptions) {
    OPTIONS.with(|c| c.set(o));
}

/// A tensor's elements, contiguous and row-major.
#[derive(Clone, Copy, Debug)]
pub enum Elements<'a> {
    Bool(&'a [bool]),
    I64(&'a [i64]),
    F32(&'a [f32]),
    F64(&'a [f64]),
}

impl Elements<'_> {
    /// The dtype these elements are stored as (printing may show a tensor of
    /// a narrower dtype through them: int32 as I64, float16 as F32).
    pub fn dtype(self) -> DType {
        match self {
            Elements::Bool(_) => DType::Bool,
            Elements::I64(_) => DType::I64,
            Elements::F32(_) => DType::F32,
            Elements::F64(_) => DType::F64,
        }
    }

    /// Element `i` as the Python float `tolist()` gives, for float dtypes.
    fn float(self, i: usize) -> Option<f64> {
        match self {
            Elements::F32(v) => v.get(i).map(|&x| f64::from(x)),
            Elements::F64(v) => v.get(i).copied(),
            Elements::Bool(_) | Elements::I64(_) => None,
        }
    }

    /// [`tensor_repr`] of these elements, for a tensor of `dtype`.
    pub fn repr(self, shape: &[usize], dtype: DType, suffixes: &Suffixes) -> String {
        tensor_repr(shape, self, dtype, suffixes)
    }

    /// `str()` of element `i` for bool and int dtypes.
    fn text(self, i: usize) -> String {
        match self {
            Elements::Bool(v) => match v.get(i) {
                Some(true) => "True".to_string(),
                _ => "False".to_string(),
            },
            Elements::I64(v) => v.get(i).copied().unwrap_or_default().to_string(),
            Elements::F32(_) | Elements::F64(_) => String::new(),
        }
    }
}

/// What follows the data in `tensor(...)`, besides the dtype.
#[derive(Clone, Debug, Default)]
pub struct Suffixes {
    /// Shown when not on the CPU, e.g. `"cuda:0"`.
    pub device: Option<String>,
    /// The autograd node's name, e.g. `"AddBackward0"`.
    pub grad_fn: Option<String>,
    /// Shown (as `requires_grad=True`) only when there is no `grad_fn`.
    pub requires_grad: bool,
}

/// The text `print(t)` shows for a tensor of `dtype` with elements `data`,
/// e.g. `tensor([1., 2.], dtype=torch.float64, requires_grad=True)`.
pub fn tensor_repr(
    shape: &[usize],
    data: Elements<'_>,
    dtype: DType,
    suffixes: &Suffixes,
) -> String {
    let opts = print_options();
    let numel: usize = shape.iter().product();
    let mut extra = Vec::new();
    if let Some(device) = &suffixes.device {
        extra.push(format!("device='{device}'"));
    }
    let body = if numel == 0 {
        // NumPy-style: the shape is explicit unless it is (0,).
        if shape.len() != 1 {
            extra.push(format!("size={}", tuple_repr(shape)));
        }
        if dtype != default_float() {
            extra.push(format!("dtype={dtype}"));
        }
        "[]".to_string()
    } else {
        if opts.edgeitems == 0 {
            extra.push(format!("size={}", tuple_repr(shape)));
        }
        if dtype != default_float() && !matches!(dtype, DType::I64 | DType::Bool) {
            extra.push(format!("dtype={dtype}"));
        }
        Printer::new(shape, data, opts).render(shape, 0, PREFIX.len())
    };
    if let Some(name) = &suffixes.grad_fn {
        extra.push(format!("grad_fn=<{name}>"));
    } else if suffixes.requires_grad {
        extra.push("requires_grad=True".to_string());
    }
    add_suffixes(
        format!("{PREFIX}{body}"),
        &extra,
        PREFIX.len(),
        opts.linewidth,
    )
}

/// `str(t.shape)`, e.g. `torch.Size([2, 3])`.
pub fn size_repr(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("torch.Size([{}])", dims.join(", "))
}

/// Python's `str(tuple(shape))`: `(0, 3)`, `(0,)`, `()`.
fn tuple_repr(shape: &[usize]) -> String {
    match shape {
        [single] => format!("({single},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// `_add_suffixes`: each suffix goes after `, ` or, when the last line would
/// pass the line width, on a new line indented like the data.
fn add_suffixes(mut text: String, suffixes: &[String], indent: usize, linewidth: usize) -> String {
    // Python's `len(s) - s.rfind("\n") + 1`, where rfind gives -1 when absent.
    let mut last_line_len = match text.rfind('\n') {
        Some(newline) => text.len() - newline + 1,
        None => text.len() + 2,
    };
    for suffix in suffixes {
        if last_line_len + suffix.len() + 2 > linewidth {
            text.push_str(",\n");
            text.push_str(&" ".repeat(indent));
            last_line_len = indent + suffix.len();
        } else {
            text.push_str(", ");
            last_line_len += suffix.len() + 2;
        }
        text.push_str(suffix);
    }
    text.push(')');
    text
}

/// Indices along a dimension of size `n` that are printed, `None` standing
/// for the `...` of a summarized dimension (summarized with no edge items,
/// a vector is all `...`).
fn shown_indices(n: usize, summarize: Option<usize>) -> Vec<Option<usize>> {
    match summarize {
        Some(0) => vec![None],
        Some(edge) if n > 2 * edge => (0..edge)
            .map(Some)
            .chain([None])
            .chain((n - edge..n).map(Some))
            .collect(),
        _ => (0..n).map(Some).collect(),
    }
}

/// Flat indices of the elements shown (`get_summarized_data`), row-major.
fn shown_elements(shape: &[usize], offset: usize, summarize: Option<usize>, out: &mut Vec<usize>) {
    match shape {
        [] => out.push(offset),
        [n, rest @ ..] => {
            let stride: usize = rest.iter().product();
            for i in shown_indices(*n, summarize).into_iter().flatten() {
                shown_elements(rest, offset + i * stride, summarize, out);
            }
        }
    }
}

/// How float elements are written (`_Formatter`'s modes).
#[derive(Clone, Copy, Debug, PartialEq)]
enum FloatMode {
    /// All finite values are integers: `{:.0f}` plus a `.`.
    Integral,
    /// `{:.4e}`.
    Scientific,
    /// `{:.4f}`.
    Fixed,
}

/// `_Formatter`: one column width and one float mode for the whole tensor.
struct Formatter {
    /// `None` for bool and int tensors.
    float_mode: Option<FloatMode>,
    width: usize,
    precision: usize,
}

impl Formatter {
    /// Chooses the mode and width from the elements that will be shown.
    fn new(data: Elements<'_>, shown: &[usize], opts: PrintOptions) -> Formatter {
        if !data.dtype().is_float() {
            let width = shown.iter().map(|&i| data.text(i).len()).max();
            return Formatter {
                float_mode: None,
                width: width.unwrap_or(0).max(1),
                precision: opts.precision,
            };
        }
        let values: Vec<f64> = shown
            .iter()
            .filter_map(|&i| data.float(i))
            .filter(|x| x.is_finite() && *x != 0.0)
            .collect();
        let mut formatter = Formatter {
            float_mode: Some(FloatMode::Integral),
            width: 1,
            precision: opts.precision,
        };
        if values.is_empty() {
            return formatter;
        }
        let min = values.iter().fold(f64::INFINITY, |m, x| m.min(x.abs()));
        let max = values.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let integral = values.iter().all(|x| *x == x.ceil());
        let sci = opts
            .sci_mode
            .unwrap_or(max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4);
        let mode = if sci {
            FloatMode::Scientific
        } else if integral {
            FloatMode::Integral
        } else {
            FloatMode::Fixed
        };
        formatter.float_mode = Some(mode);
        formatter.width = values
            .iter()
            .map(|&x| formatter.float_text(mode, x).len())
            .max()
            .unwrap_or(1);
        formatter
    }

    /// A float in the chosen mode, unpadded; integral mode adds its `.`
    /// only to finite values.
    fn float_text(&self, mode: FloatMode, x: f64) -> String {
        match mode {
            FloatMode::Scientific => format_sci(x, self.precision),
            FloatMode::Fixed => format_fixed(x, self.precision),
            FloatMode::Integral if x.is_finite() => format_fixed(x, 0) + ".",
            FloatMode::Integral => format_fixed(x, 0),
        }
    }

    /// Element `i`, right-aligned to the column width.
    fn format(&self, data: Elements<'_>, i: usize) -> String {
        let text = match (self.float_mode, data.float(i)) {
            (Some(mode), Some(x)) => self.float_text(mode, x),
            _ => data.text(i),
        };
        format!("{text:>width$}", width = self.width)
    }
}

/// Renders nested brackets (`_tensor_str_with_formatter`, `_vector_str`).
struct Printer<'a> {
    data: Elements<'a>,
    /// The edge items of a summarized tensor; `None` when it shows whole.
    summarize: Option<usize>,
    linewidth: usize,
    formatter: Formatter,
}

impl<'a> Printer<'a> {
    fn new(shape: &[usize], data: Elements<'a>, opts: PrintOptions) -> Printer<'a> {
        let summarize =
            (shape.iter().product::<usize>() as f64 > opts.threshold).then_some(opts.edgeitems);
        let mut shown = Vec::new();
        shown_elements(shape, 0, summarize, &mut shown);
        Printer {
            data,
            summarize,
            linewidth: opts.linewidth,
            formatter: Formatter::new(data, &shown, opts),
        }
    }

    /// The sub-tensor of `shape` starting at flat index `offset`, its
    /// brackets opening at column `indent`.
    fn render(&self, shape: &[usize], offset: usize, indent: usize) -> String {
        match shape {
            [] => self.formatter.format(self.data, offset),
            [n] => self.vector(*n, offset, indent),
            [n, rest @ ..] => {
                let stride: usize = rest.iter().product();
                let slices: Vec<String> = shown_indices(*n, self.summarize)
                    .into_iter()
                    .map(|i| match i {
                        Some(i) => self.render(rest, offset + i * stride, indent + 1),
                        None => "...".to_string(),
                    })
                    .collect();
                // Sub-tensors of dimension d are separated by d - 1 blank lines.
                let separator = format!(",{}{}", "\n".repeat(rest.len()), " ".repeat(indent + 1));
                format!("[{}]", slices.join(&separator))
            }
        }
    }

    /// One dimension: as many elements per line as fit in the line width.
    fn vector(&self, n: usize, offset: usize, indent: usize) -> String {
        let element_len = self.formatter.width + 2;
        let per_line = (self.linewidth.saturating_sub(indent) / element_len).max(1);
        let items: Vec<String> = shown_indices(n, self.summarize)
            .into_iter()
            .map(|i| match i {
                Some(i) => self.formatter.format(self.data, offset + i),
                None if self.summarize == Some(0) => "...".to_string(),
                None => " ...".to_string(),
            })
            .collect();
        let lines: Vec<String> = items.chunks(per_line).map(|line| line.join(", ")).collect();
        format!(
            "[{}]",
            lines.join(&format!(",\n{}", " ".repeat(indent + 1)))
        )
    }
}

#[cfg(test)]
mod tests;
