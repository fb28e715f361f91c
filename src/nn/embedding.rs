//! `nn.Embedding`: a lookup table of `num_embeddings` rows.

use crate::tensor::random::Generator;
use crate::tensor::{DType, Result, Tensor};

#[derive(Clone, Debug)]
pub struct Embedding {
    pub weight: Tensor,
    pub num_embeddings: usize,
    pub embedding_dim: usize,
    /// Already made non-negative, as `nn.Embedding` stores it.
    pub padding_idx: Option<usize>,
}

impl Embedding {
    /// `nn.Embedding(num, dim, padding_idx)`: the weight drawn from N(0, 1)
    /// (`normal_`, as `torch.randn` draws), with the padding row then zeroed.
    pub fn new(
        gen: &mut Generator,
        num_embeddings: usize,
        embedding_dim: usize,
        padding_idx: Option<usize>,
    ) -> Result<Embedding> {
        let shape = [num_embeddings, embedding_dim];
        let mut values = Tensor::normal(gen, &shape, 0.0, 1.0, DType::F32)?.to_vec::<f32>()?;
        if let Some(row) = padding_idx {
            let start = row * embedding_dim;
            if let Some(padding) = values.get_mut(start..start + embedding_dim) {
                padding.fill(0.0);
            }
        }
        Ok(Embedding {
            weight: Tensor::from_vec(values, &shape)?.to_parameter(true)?,
            num_embeddings,
            embedding_dim,
            padding_idx,
        })
    }

    pub fn forward(&self, indices: &Tensor) -> Result<Tensor> {
        Tensor::embedding(&self.weight, indices, self.padding_idx)
    }

    /// `Embedding(10, 3)` / `Embedding(10, 3, padding_idx=0)`.
    pub fn repr(&self) -> String {
        let padding = self
            .padding_idx
            .map_or(String::new(), |p| format!(", padding_idx={p}"));
        format!(
            "Embedding({}, {}{padding})",
            self.num_embeddings, self.embedding_dim
        )
    }
}
