# torch.utils.data: datasets, samplers and the DataLoader.
from torch.utils.data.dataset import Dataset, TensorDataset, Subset, random_split
from torch.utils.data.sampler import Sampler, SequentialSampler, RandomSampler, BatchSampler
from torch.utils.data.dataloader import DataLoader, default_collate, default_convert
