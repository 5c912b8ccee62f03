"""Plausible wrong answers for week 7 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``du`` and the other solution definitions already exist); the question named by
the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w07_e1a": [
        ("türev yerine iniş yönü (−türev)", '''
def energy_1d_grad(y, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.asarray(y, dtype=float)
    return -sum((y - d) / width * np.exp(-(y - d) ** 2 / (2 * width)) for d in data)
'''),
        ("1/width çarpanı unutulmuş", '''
def energy_1d_grad(y, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.asarray(y, dtype=float)
    return sum((y - d) * np.exp(-(y - d) ** 2 / (2 * width)) for d in data)
'''),
        ("zincir kuralında 2 fazla: (y − d)/(2·width)", '''
def energy_1d_grad(y, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.asarray(y, dtype=float)
    return sum((y - d) / (2 * width) * np.exp(-(y - d) ** 2 / (2 * width)) for d in data)
'''),
    ],
    "q_w07_e1b": [
        ("gradient ascent (işaret hatası)", '''
def infer(y0, lr=0.05, steps=150, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.array(y0, dtype=float)
    for _ in range(steps):
        y = y + lr * energy_1d_grad(y, data, width)
    return y
'''),
        ("bir adım eksik", '''
def infer(y0, lr=0.05, steps=150, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.array(y0, dtype=float)
    for _ in range(steps - 1):
        y = y - lr * energy_1d_grad(y, data, width)
    return y
'''),
        ("y0 yerinde değiştirilmiş", '''
def infer(y0, lr=0.05, steps=150, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.asarray(y0, dtype=float)
    for _ in range(steps):
        y -= lr * energy_1d_grad(y, data, width)
    return y
'''),
        ("data ve width türeve iletilmemiş", '''
def infer(y0, lr=0.05, steps=150, data=(-2.0, 0.0, 2.0), width=0.35):
    y = np.array(y0, dtype=float)
    for _ in range(steps):
        y = y - lr * energy_1d_grad(y)
    return y
'''),
    ],
    "q_w07_e1c": [
        ("argmin tek nokta verdiği için 1 minimum", "n_local_minima = 1"),
        ("ilk yerel minimum global sanılmış", "global_argmin_y = -1.99316"),
    ],
    "q_w07_e1d": [
        ("A", 'q_w07_e1d = "A"'),
        ("D", 'q_w07_e1d = "D"'),
    ],
    "q_w07_e2a": [
        ("çıktıda sigmoid yok", '''
class Autoencoder(nn.Module):
    def __init__(self, in_dim=64, hidden=32, code_dim=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, code_dim))
        self.decoder = nn.Sequential(nn.Linear(code_dim, hidden), nn.ReLU(), nn.Linear(hidden, in_dim))

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z
'''),
        ("code katmanında ReLU", '''
class Autoencoder(nn.Module):
    def __init__(self, in_dim=64, hidden=32, code_dim=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, code_dim), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(code_dim, hidden), nn.ReLU(), nn.Linear(hidden, in_dim), nn.Sigmoid())

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z
'''),
        ("boyutlar sabit yazılmış (64, 32, 8)", '''
class Autoencoder(nn.Module):
    def __init__(self, in_dim=64, hidden=32, code_dim=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, code_dim))
        self.decoder = nn.Sequential(nn.Linear(code_dim, 32), nn.ReLU(), nn.Linear(32, 64), nn.Sigmoid())

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z
'''),
    ],
    "q_w07_e2b": [
        ("mini-batch: her epoch'ta tek adım (yalnızca ilk parça)", '''
def train_autoencoder(model, X, epochs=400, lr=1e-2, batch_size=None, seed=0):
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(int(seed))
    losses = []
    for _ in range(int(epochs)):
        xb = X if batch_size is None else X[torch.randperm(X.shape[0], generator=g)[:int(batch_size)]]
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb)[0], xb)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
        ("zero_grad unutulmuş", '''
def train_autoencoder(model, X, epochs=400, lr=1e-2, batch_size=None, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        batches = [X] if batch_size is None else [X[i] for i in torch.randperm(len(X), generator=g).split(batch_size)]
        ls = []
        for xb in batches:
            loss = nn.functional.mse_loss(model(xb)[0], xb)
            loss.backward()
            opt.step()
            ls.append(loss.item())
        losses.append(float(np.mean(ls)))
    return losses
'''),
        ("toplam kare hata (reduction='sum')", '''
def train_autoencoder(model, X, epochs=400, lr=1e-2, batch_size=None, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        batches = [X] if batch_size is None else [X[i] for i in torch.randperm(len(X), generator=g).split(batch_size)]
        ls = []
        for xb in batches:
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(xb)[0], xb, reduction="sum")
            loss.backward()
            opt.step()
            ls.append(loss.item())
        losses.append(float(np.mean(ls)))
    return losses
'''),
    ],
    "q_w07_e2c": [
        ("test_mse eğitim verisinde ölçülmüş", '''
def digits_experiment(code_dim, X_train, X_test, epochs=300, seed=0):
    torch.manual_seed(seed)
    model = Autoencoder(in_dim=X_train.shape[1], code_dim=code_dim)
    train_autoencoder(model, X_train, epochs=epochs, seed=seed)
    with torch.no_grad():
        x_hat, _ = model(X_train)
        _, z = model(X_test)
    return model, ((x_hat - X_train) ** 2).mean().item(), z
'''),
        ("code_dim modele iletilmemiş", '''
def digits_experiment(code_dim, X_train, X_test, epochs=300, seed=0):
    torch.manual_seed(seed)
    model = Autoencoder(in_dim=X_train.shape[1])
    train_autoencoder(model, X_train, epochs=epochs, seed=seed)
    with torch.no_grad():
        x_hat, z = model(X_test)
    return model, ((x_hat - X_test) ** 2).mean().item(), z
'''),
        ("hiç eğitilmemiş model", '''
def digits_experiment(code_dim, X_train, X_test, epochs=300, seed=0):
    torch.manual_seed(seed)
    model = Autoencoder(in_dim=X_train.shape[1], code_dim=code_dim)
    with torch.no_grad():
        x_hat, z = model(X_test)
    return model, ((x_hat - X_test) ** 2).mean().item(), z
'''),
    ],
    "q_w07_e3a": [
        ("piksellerin toplamı (ortalaması değil)", '''
def ae_energy(model, X):
    with torch.no_grad():
        return ((model(X)[0] - X) ** 2).sum(dim=1)
'''),
        ("bütün batch'in ortalaması (tek sayı)", '''
def ae_energy(model, X):
    with torch.no_grad():
        return ((model(X)[0] - X) ** 2).mean()
'''),
        ("model.eval() çağrılıp geri alınmamış", '''
def ae_energy(model, X):
    model.eval()
    with torch.no_grad():
        return ((model(X)[0] - X) ** 2).mean(dim=1)
'''),
        ("no_grad yok", '''
def ae_energy(model, X):
    return ((model(X)[0] - X) ** 2).mean(dim=1)
'''),
    ],
    "q_w07_e3b": [
        ("oran ters", '''
def off_manifold_report(model, X, seed=1):
    U = du.uniform_noise(len(X), X.shape[1], seed=seed)
    Er, En = ae_energy(model, X), ae_energy(model, U)
    return {"E_real": Er, "E_noise": En, "ratio": float(Er.mean() / En.mean()),
            "frac_noise_low": float((En < Er.quantile(0.95)).float().mean())}
'''),
        ("gürültü için normal dağılım ve sabit tohum", '''
def off_manifold_report(model, X, seed=1):
    U = torch.randn(len(X), X.shape[1], generator=torch.Generator().manual_seed(1))
    Er, En = ae_energy(model, X), ae_energy(model, U)
    return {"E_real": Er, "E_noise": En, "ratio": float(En.mean() / Er.mean()),
            "frac_noise_low": float((En < Er.quantile(0.95)).float().mean())}
'''),
        ("eşik olarak medyan", '''
def off_manifold_report(model, X, seed=1):
    U = du.uniform_noise(len(X), X.shape[1], seed=seed)
    Er, En = ae_energy(model, X), ae_energy(model, U)
    return {"E_real": Er, "E_noise": En, "ratio": float(En.mean() / Er.mean()),
            "frac_noise_low": float((En < Er.median()).float().mean())}
'''),
    ],
    "q_w07_e3c": [
        ("A", 'q_w07_e3c = "A"'),
        ("D", 'q_w07_e3c = "D"'),
    ],
    "q_w07_e4a": [
        ("çıktıda sigmoid", '''
class LinearAE(nn.Module):
    def __init__(self, code_dim, in_dim=64):
        super().__init__()
        self.encoder = nn.Linear(in_dim, code_dim)
        self.decoder = nn.Sequential(nn.Linear(code_dim, in_dim), nn.Sigmoid())

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z
'''),
        ("araya ReLU", '''
class LinearAE(nn.Module):
    def __init__(self, code_dim, in_dim=64):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_dim, code_dim), nn.ReLU())
        self.decoder = nn.Linear(code_dim, in_dim)

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z
'''),
        ("in_dim yok sayılmış (hep 64)", '''
class LinearAE(nn.Module):
    def __init__(self, code_dim, in_dim=64):
        super().__init__()
        self.encoder = nn.Linear(64, code_dim)
        self.decoder = nn.Linear(code_dim, 64)

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z
'''),
    ],
    "q_w07_e4b": [
        ("iki model de code 8", '''
def bottleneck_experiment(X_train, X_test, epochs=500, seed=0):
    U = du.uniform_noise(len(X_test), 64, seed=1)
    S = du.span_noise(X_train, n=len(X_test), k=40, scale=0.3, seed=1)
    out = {}
    for name in ("under", "over"):
        torch.manual_seed(seed)
        m = LinearAE(8)
        train_autoencoder(m, X_train, epochs=epochs, seed=seed)
        out[name] = {"model": m, "test_mse": float(ae_energy(m, X_test).mean()),
                     "noise_energy": float(ae_energy(m, U).mean()), "span_noise_energy": float(ae_energy(m, S).mean())}
    return out
'''),
        ("gürültü ile alt uzay gürültüsü karışmış", '''
def bottleneck_experiment(X_train, X_test, epochs=500, seed=0):
    U = du.uniform_noise(len(X_test), 64, seed=1)
    S = du.span_noise(X_train, n=len(X_test), k=40, scale=0.3, seed=1)
    out = {}
    for name, c in (("under", 8), ("over", 64)):
        torch.manual_seed(seed)
        m = LinearAE(c)
        train_autoencoder(m, X_train, epochs=epochs, seed=seed)
        out[name] = {"model": m, "test_mse": float(ae_energy(m, X_test).mean()),
                     "noise_energy": float(ae_energy(m, S).mean()), "span_noise_energy": float(ae_energy(m, U).mean())}
    return out
'''),
        ("çok az epoch (epochs parametresi yok sayılmış)", '''
def bottleneck_experiment(X_train, X_test, epochs=500, seed=0):
    U = du.uniform_noise(len(X_test), 64, seed=1)
    S = du.span_noise(X_train, n=len(X_test), k=40, scale=0.3, seed=1)
    out = {}
    for name, c in (("under", 8), ("over", 64)):
        torch.manual_seed(seed)
        m = LinearAE(c)
        train_autoencoder(m, X_train, epochs=50, seed=seed)
        out[name] = {"model": m, "test_mse": float(ae_energy(m, X_test).mean()),
                     "noise_energy": float(ae_energy(m, U).mean()), "span_noise_energy": float(ae_energy(m, S).mean())}
    return out
'''),
    ],
    "q_w07_e4c": [
        ("manifoldu daha iyi öğrenir", 'q_w07_e4c = "A"'),
        ("daha çok epoch da yardım eder sanılmış", 'q_w07_e4c_coklu = {"A", "B", "C", "D"}'),
    ],
    "q_w07_e5a": [
        ("işaret hatası: enerji yukarı itilmiş", '''
def push_down_only(energy_net, data, steps=300, lr=1e-2):
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = -energy_net(data).mean()
        loss.backward()
        opt.step()
        losses.append(-loss.item())
    return losses
'''),
        ("zero_grad unutulmuş", '''
def push_down_only(energy_net, data, steps=300, lr=1e-2):
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = energy_net(data).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
        ("bir kopya eğitilmiş (yerinde değil)", '''
def push_down_only(energy_net, data, steps=300, lr=1e-2):
    import copy
    net = copy.deepcopy(energy_net)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = net(data).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
        ("optimizer SGD (Adam yerine)", '''
def push_down_only(energy_net, data, steps=300, lr=1e-2):
    opt = torch.optim.SGD(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = energy_net(data).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
    ],
    "q_w07_e5b": [
        ("maxE_before eğitimden sonra ölçülmüş", '''
def collapse_demo(seed=0, data=(-2.0, 0.0, 2.0), steps=300):
    net = du.EnergyNet1D(seed=seed)
    push_down_only(net, torch.tensor(data), steps=steps)
    m = float(du.energies(net, du.ENERGY_GRID).max())
    return net, m, m
'''),
        ("en büyük yerine ortalama enerji", '''
def collapse_demo(seed=0, data=(-2.0, 0.0, 2.0), steps=300):
    net = du.EnergyNet1D(seed=seed)
    before = float(du.energies(net, du.ENERGY_GRID).mean())
    push_down_only(net, torch.tensor(data), steps=steps)
    return net, before, float(du.energies(net, du.ENERGY_GRID).mean())
'''),
    ],
    "q_w07_e5c": [
        ("iyi enerji şekli sanılmış", 'q_w07_e5c_cokus = "A"'),
        ("negatif aşağı itilir sanılmış", 'q_w07_e5c_negatif = "B"'),
        ("fark kaybı sınırlı sanılmış", "loss_diff_unbounded = False"),
    ],
}
