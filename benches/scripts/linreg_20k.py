import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.rand(100, 1) * 10
y = 2 * X + 1 + torch.randn(100, 1) * 0.5
model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(20000):
    pred = model(X)
    loss = loss_fn(pred, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 5000 == 0:
        print(f"epoch {epoch:3d} loss {loss.item():.4f}")
print(f"w = {model.weight.item():.3f}, b = {model.bias.item():.3f}")
print(len(list(model.parameters())))
