"""Correct answers for week 7 written differently from the reference (see assignments/AUTHORING.md,
"Tests of the tests"): each must keep full marks in its question and lose nothing elsewhere."""

RIGHT_ANSWERS = {
    "q_w07_e1a": [
        ("torch autograd ile (float64)", '''
def energy_1d_grad(y, data=(-2.0, 0.0, 2.0), width=0.35):
    yt = torch.tensor(np.asarray(y, dtype=float), requires_grad=True)
    F = 1 - sum(torch.exp(-(yt - d) ** 2 / (2 * width)) for d in data)
    F.sum().backward()
    return yt.grad.numpy()
'''),
    ],
    "q_w07_e1b": [
        ("while döngüsü, girdiyi kopyalayarak", '''
def infer(y0, lr=0.05, steps=150, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.array(y0, dtype=float)
    k = 0
    while k < steps:
        y = y - lr * energy_1d_grad(y, data, width)
        k += 1
    return y
'''),
    ],
    "q_w07_e2b": [
        ("tam-batch'te kayıp adımdan sonra, mini-batch'te kendi tohumuyla global üreteçten karıştırma (issue 15)", '''
def train_autoencoder(model, X, epochs=400, lr=1e-2, batch_size=None, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    torch.manual_seed(1000 + seed)
    history = []
    for _ in range(epochs):
        if batch_size is None:
            opt.zero_grad()
            nn.functional.mse_loss(model(X)[0], X).backward()
            opt.step()
            with torch.no_grad():
                history.append(nn.functional.mse_loss(model(X)[0], X).item())
        else:
            order = torch.randperm(len(X))
            parts = []
            for idx in order.split(batch_size):
                xb = X[idx]
                opt.zero_grad()
                loss = nn.functional.mse_loss(model(xb)[0], xb)
                loss.backward()
                opt.step()
                parts.append(loss.item())
            history.append(sum(parts) / len(parts))
    return history
'''),
        ("mini-batch: üreteç her epoch'ta aynı tohumla yeniden kurulmuş (yine çalışan bir eğitim)", '''
def train_autoencoder(model, X, epochs=400, lr=1e-2, batch_size=None, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        g = torch.Generator().manual_seed(seed)
        batches = [X] if batch_size is None else [X[i] for i in torch.randperm(len(X), generator=g).split(batch_size)]
        ls = []
        for xb in batches:
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(xb)[0], xb)
            loss.backward()
            opt.step()
            ls.append(loss.item())
        losses.append(float(np.mean(ls)))
    return losses
'''),
    ],
    "q_w07_e3a": [
        ("torch.no_grad içinde, F.mse_loss(reduction='none')", '''
def ae_energy(model, X):
    X = torch.as_tensor(X, dtype=torch.float32)
    with torch.no_grad():
        return nn.functional.mse_loss(model(X)[0], X, reduction="none").mean(dim=1)
'''),
    ],
    "q_w07_e5a": [
        ("kayıp adımdan sonra ölçülmüş (issue 15)", '''
def push_down_only(energy_net, data, steps=300, lr=1e-2):
    data = torch.as_tensor(data, dtype=torch.float32)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        energy_net(data).mean().backward()
        opt.step()
        with torch.no_grad():
            out.append(energy_net(data).mean().item())
    return out
'''),
    ],
    "q_w07_e1c": [
        ("float olarak", '''
n_local_minima = 3.0
global_argmin_y = 0
'''),
    ],
    "q_w07_e1d": [
        ("küçük harf", '''
q_w07_e1d = "c"
'''),
    ],
}
