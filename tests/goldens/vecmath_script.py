import torch
import torch.nn.functional as F

x = torch.arange(40) * 0.3 - 6.0
print(x.sigmoid().tolist())
print(torch.log1p(x.abs()).tolist())
logits = (torch.arange(24) * 0.37 - 3.0).reshape(4, 6)
print(logits.softmax(dim=1).tolist())
print(logits.log_softmax(dim=-1).tolist())
print(logits.log_softmax(dim=0).tolist())
print(F.cross_entropy(logits, torch.tensor([0, 5, 2, 3])).item())
print(torch.logsumexp(logits, dim=1).tolist())
