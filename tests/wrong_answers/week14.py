"""Plausible wrong answers for week 14 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``math``, ``itertools`` and the other solution definitions already exist); the
question named by the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w14_e1a": [
        ("geçiş enerjisi transpoze okunmuş (P[j, i])", '''
def chain_energy(U, P, cfg):
    U, P = np.asarray(U, dtype=float), np.asarray(P, dtype=float)
    e = sum(U[t, s] for t, s in enumerate(cfg))
    e += sum(P[cfg[t + 1], cfg[t]] for t in range(len(cfg) - 1))
    return float(e)
'''),
        ("geçiş terimleri unutulmuş (yalnızca tekil enerjiler)", '''
def chain_energy(U, P, cfg):
    U = np.asarray(U, dtype=float)
    return float(sum(U[t, s] for t, s in enumerate(cfg)))
'''),
        ("kaba kuvvette sayaç ve en iyi enerji karışmış (son konfigürasyon döndürülüyor)", '''
def brute_force_min(U, P):
    U = np.asarray(U, dtype=float)
    T, S = U.shape
    count = 0
    for cfg in itertools.product(range(S), repeat=T):
        e = chain_energy(U, P, cfg)
        count += 1
    return tuple(cfg), float(e), count
'''),
        ("konfigürasyon sayısı T**S", '''
def brute_force_min(U, P):
    U = np.asarray(U, dtype=float)
    T, S = U.shape
    best = min(itertools.product(range(S), repeat=T), key=lambda c: chain_energy(U, P, c))
    return tuple(best), chain_energy(U, P, best), T ** S
'''),
    ],
    "q_w14_e1b": [
        ("P transpoze kullanılmış (P[j, i])", '''
def viterbi(U, P):
    U, P = np.asarray(U, dtype=float), np.asarray(P, dtype=float)
    T, S = U.shape
    cost = U[0].copy()
    back = np.zeros((T, S), dtype=np.int64)
    for t in range(1, T):
        cand = cost[:, None] + P.T
        back[t] = np.argmin(cand, axis=0)
        cost = U[t] + cand[back[t], np.arange(S)]
    s = int(np.argmin(cost)); best = float(cost[s]); cfg = [s]
    for t in range(T - 1, 0, -1):
        s = int(back[t, s]); cfg.append(s)
    return cfg[::-1], best
'''),
        ("açgözlü (greedy): her adımda yerel en ucuz durum", '''
def viterbi(U, P):
    U, P = np.asarray(U, dtype=float), np.asarray(P, dtype=float)
    T, S = U.shape
    cfg = [int(np.argmin(U[0]))]
    for t in range(1, T):
        cfg.append(int(np.argmin(U[t] + P[cfg[-1]])))
    return cfg, chain_energy(U, P, cfg)
'''),
        ("geri-işaretçide kayma (back[t-1] kullanılmış)", '''
def viterbi(U, P):
    U, P = np.asarray(U, dtype=float), np.asarray(P, dtype=float)
    T, S = U.shape
    cost = U[0].copy()
    back = np.zeros((T, S), dtype=np.int64)
    for t in range(1, T):
        cand = cost[:, None] + P
        back[t] = np.argmin(cand, axis=0)
        cost = U[t] + cand[back[t], np.arange(S)]
    s = int(np.argmin(cost)); best = float(cost[s]); cfg = [s]
    for t in range(T - 1, 0, -1):
        s = int(back[t - 1, s]); cfg.append(s)
    return cfg[::-1], best
'''),
        ("kaba kuvvetle çözülmüş (büyük T'de bitmez)", '''
def viterbi(U, P):
    cfg, E, _ = brute_force_min(U, P)
    return list(cfg), E
'''),
    ],
    "q_w14_e1c": [
        ("DP sayımında kare unutulmuş: (T − 1)·S", '''
def eval_counts(T, S):
    return S ** T, (T - 1) * S

def crossover_T(S):
    T = 2
    while not S ** T > (T - 1) * S:
        T += 1
    return T
'''),
        ("eşitsizlik >= ile (kesinlikle büyük değil)", '''
def crossover_T(S):
    T = 2
    while not S ** T >= (T - 1) * S ** 2:
        T += 1
    return T
'''),
        ("kaba kuvvet T**S", '''
def eval_counts(T, S):
    return T ** S, (T - 1) * S ** 2
'''),
    ],
    "q_w14_e1d": [
        ("dışbükeylik", 'q_w14_e1d = "A"'),
        ("DP bütün konfigürasyonları dener", 'q_w14_e1d = "C"'),
    ],
    "q_w14_e2a": [
        ("perceptron'da min yalnızca yanlış cevaplar üzerinde", '''
def perceptron_loss(E, y):
    E = torch.as_tensor(E); y = torch.as_tensor(y, dtype=torch.long)
    e_true = E.gather(1, y[:, None]).squeeze(1)
    return (e_true - E.scatter(1, y[:, None], math.inf).min(dim=1).values).mean()
'''),
        ("hinge'de doğru cevap maskelenmemiş", '''
def hinge_loss(E, y, m=1.0):
    E = torch.as_tensor(E); y = torch.as_tensor(y, dtype=torch.long)
    e_true = E.gather(1, y[:, None]).squeeze(1)
    return torch.relu(m + e_true - E.min(dim=1).values).mean()
'''),
        ("hinge'de işaret ters (m - E[y] + E[ȳ])", '''
def hinge_loss(E, y, m=1.0):
    E = torch.as_tensor(E); y = torch.as_tensor(y, dtype=torch.long)
    e_true = E.gather(1, y[:, None]).squeeze(1)
    e_bar = E.scatter(1, y[:, None], math.inf).min(dim=1).values
    return torch.relu(m - e_true + e_bar).mean()
'''),
        ("NLL'de 1/β unutulmuş", '''
def nll_loss(E, y, beta=1.0):
    E = torch.as_tensor(E); y = torch.as_tensor(y, dtype=torch.long)
    return (E.gather(1, y[:, None]).squeeze(1) + torch.logsumexp(-beta * E, dim=1)).mean()
'''),
        ("NLL logsumexp yerine log(sum(exp)) (taşma)", '''
def nll_loss(E, y, beta=1.0):
    E = torch.as_tensor(E); y = torch.as_tensor(y, dtype=torch.long)
    e_true = E.gather(1, y[:, None]).squeeze(1)
    return (e_true + torch.log(torch.exp(-beta * E).sum(dim=1)) / beta).mean()
'''),
        ("ortalama yerine toplam", '''
def perceptron_loss(E, y):
    E = torch.as_tensor(E); y = torch.as_tensor(y, dtype=torch.long)
    return (E.gather(1, y[:, None]).squeeze(1) - E.min(dim=1).values).sum()
'''),
    ],
    "q_w14_e2b": [
        ("NLL'de 1/β unutulmuş (log K)", '''
def collapse_values(K, m, beta):
    return 0.0, float(m), math.log(K)
'''),
        ("hinge de çöküşü kabul ediyor sanılmış", '''
def collapse_values(K, m, beta):
    return 0.0, 0.0, math.log(K) / beta
'''),
        ("NLL sıfır sanılmış", '''
def collapse_values(K, m, beta):
    return 0.0, float(m), 0.0
'''),
    ],
    "q_w14_e2c": [
        ("perceptron ve NLL", 'q_w14_e2c = "B"'),
        ("üçü de", 'q_w14_e2c = "C"'),
    ],
    "q_w14_e3a": [
        ("log2 ile (bit)", '''
def gaussian_entropy(sigma):
    return 0.5 * np.log2(2 * np.pi * np.e * np.asarray(sigma, dtype=float) ** 2)
'''),
        ("e unutulmuş", '''
def gaussian_entropy(sigma):
    return 0.5 * np.log(2 * np.pi * np.asarray(sigma, dtype=float) ** 2)
'''),
        ("σ² yerine σ", '''
def gaussian_entropy(sigma):
    return 0.5 * np.log(2 * np.pi * np.e * np.asarray(sigma, dtype=float))
'''),
    ],
    "q_w14_e3b": [
        ("entropi terimi eklenmiş (işaret)", '''
def free_energy(sigma, T, mu=0.0):
    sigma = np.asarray(sigma, dtype=float)
    return 0.5 * (mu ** 2 + sigma ** 2) + T * gaussian_entropy(sigma)
'''),
        ("μ² terimi unutulmuş", '''
def free_energy(sigma, T, mu=0.0):
    sigma = np.asarray(sigma, dtype=float)
    return 0.5 * sigma ** 2 - T * gaussian_entropy(sigma)
'''),
        ("<E> = σ² (½ unutulmuş)", '''
def free_energy(sigma, T, mu=0.0):
    sigma = np.asarray(sigma, dtype=float)
    return (np.asarray(mu) ** 2 + sigma ** 2) - T * gaussian_entropy(sigma)
'''),
    ],
    "q_w14_e3c": [
        ("σ* = T", '''
def optimal_sigma(T):
    return float(T)
'''),
        ("σ* = 1/√T", '''
def optimal_sigma(T):
    return float(1 / np.sqrt(T))
'''),
        ("ızgarada arama (notlardaki 5 noktalı ızgara)", '''
def optimal_sigma(T):
    grid = np.array([0.3, 0.7, 1.0, 1.5, 2.5])
    return float(grid[np.argmin(free_energy(grid, T))])
'''),
    ],
    "q_w14_e3d": [
        ("örnekleme yok: kapalı form döndürülüyor", '''
def free_energy_mc(sigma, T, n, seed, mu=0.0):
    return float(free_energy(sigma, T, mu))
'''),
        ("seed kullanılmamış (genel rastgele üreteç)", '''
def free_energy_mc(sigma, T, n, seed, mu=0.0):
    z = mu + sigma * torch.randn(int(n), dtype=torch.float64)
    return float((0.5 * z ** 2).mean()) - T * float(gaussian_entropy(sigma))
'''),
        ("z = μ + σ² ε (varyans standart sapma yerine)", '''
def free_energy_mc(sigma, T, n, seed, mu=0.0):
    g = torch.Generator().manual_seed(int(seed))
    z = mu + sigma ** 2 * torch.randn(int(n), generator=g, dtype=torch.float64)
    return float((0.5 * z ** 2).mean()) - T * float(gaussian_entropy(sigma))
'''),
        ("n yok sayılmış (hep 1000 örnek)", '''
def free_energy_mc(sigma, T, n, seed, mu=0.0):
    g = torch.Generator().manual_seed(int(seed))
    z = mu + sigma * torch.randn(1000, generator=g, dtype=torch.float64)
    return float((0.5 * z ** 2).mean()) - T * float(gaussian_entropy(sigma))
'''),
    ],
    "q_w14_e3e": [
        ("KL'de -1 unutulmuş", '''
def kl_to_standard_normal(mu, sigma):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    return 0.5 * (mu ** 2 + sigma ** 2) - np.log(sigma)
'''),
        ("KL'de log σ yerine log σ²", '''
def kl_to_standard_normal(mu, sigma):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    return 0.5 * (mu ** 2 + sigma ** 2 - 1) - np.log(sigma ** 2)
'''),
        ("gerçek serbest enerjide T çarpanı unutulmuş", '''
def exact_free_energy(T):
    return float(-0.5 * np.log(2 * np.pi * T))
'''),
    ],
    "q_w14_e3f": [
        ("T = β", 'q_w14_e3f = "B"'),
        ("büyük T küçük σ", 'q_w14_e3f = "A"'),
    ],
    "q_w14_e4a": [
        ("işaret unutulmuş", '''
def prox_l1(w, t):
    return np.maximum(np.abs(np.asarray(w, dtype=float)) - t, 0.0)
'''),
        ("sert eşikleme (hard threshold)", '''
def prox_l1(w, t):
    w = np.asarray(w, dtype=float)
    return w * (np.abs(w) > t)
'''),
        ("L2'de çarpım w(1 - t)", '''
def prox_l2(w, t):
    return np.asarray(w, dtype=float) * (1 - t)
'''),
    ],
    "q_w14_e4b": [
        ("L2 cezası λ‖w‖² (½ unutulmuş, eşik 2λ/L)", '''
def fit_linear(X, y, reg, lam, steps=500):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    L = float(np.linalg.eigvalsh(X.T @ X / n).max())
    prox = {"l1": prox_l1, "l2": lambda w, t: prox_l2(w, 2 * t)}[reg]
    w = np.zeros(p)
    for _ in range(int(steps)):
        w = prox(w - X.T @ (X @ w - y) / n / L, lam / L)
    return w
'''),
        ("eşik λ/L yerine λ", '''
def fit_linear(X, y, reg, lam, steps=500):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    L = float(np.linalg.eigvalsh(X.T @ X / n).max())
    prox = {"l1": prox_l1, "l2": prox_l2}[reg]
    w = np.zeros(p)
    for _ in range(int(steps)):
        w = prox(w - X.T @ (X @ w - y) / n / L, lam)
    return w
'''),
        ("düzenleme hiç uygulanmamış (en küçük kareler)", '''
def fit_linear(X, y, reg, lam, steps=500):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.lstsq(X, y, rcond=None)[0]
'''),
        ("L1 için düz alt-gradyan inişi (yakınsamıyor, sıfır yok)", '''
def fit_linear(X, y, reg, lam, steps=500):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    L = float(np.linalg.eigvalsh(X.T @ X / n).max())
    w = np.zeros(p)
    for _ in range(int(steps)):
        g = X.T @ (X @ w - y) / n + (lam * np.sign(w) if reg == "l1" else lam * w)
        w = w - g / L
    return w
'''),
    ],
    "q_w14_e4c": [
        ("L1 dalı unutulmuş (düzenleme yok)", '''
def train_digits_mlp(X, y, reg, lam=5e-3, epochs=20, lr=0.05, batch_size=128, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32); y = torch.as_tensor(y, dtype=torch.long)
    torch.manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    g = torch.Generator().manual_seed(int(seed)); n = X.shape[0]; W1 = model[0].weight
    for _ in range(int(epochs)):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, int(batch_size)):
            idx = perm[s:s + int(batch_size)]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            if reg == "l2":
                loss = loss + 0.5 * lam * (W1 ** 2).sum()
            loss.backward(); opt.step()
    return model
'''),
        ("L2 dalı unutulmuş", '''
def train_digits_mlp(X, y, reg, lam=5e-3, epochs=20, lr=0.05, batch_size=128, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32); y = torch.as_tensor(y, dtype=torch.long)
    torch.manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    g = torch.Generator().manual_seed(int(seed)); n = X.shape[0]; W1 = model[0].weight
    for _ in range(int(epochs)):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, int(batch_size)):
            idx = perm[s:s + int(batch_size)]
            opt.zero_grad()
            nn.functional.cross_entropy(model(X[idx]), y[idx]).backward(); opt.step()
            if reg == "l1":
                with torch.no_grad():
                    W1.copy_(torch.sign(W1) * torch.clamp(W1.abs() - lr * lam, min=0.0))
    return model
'''),
        ("L1 cezası ters işaretle kayba eklenmiş (ağırlıkları sıfırdan iter)", '''
def train_digits_mlp(X, y, reg, lam=5e-3, epochs=20, lr=0.05, batch_size=128, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32); y = torch.as_tensor(y, dtype=torch.long)
    torch.manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    g = torch.Generator().manual_seed(int(seed)); n = X.shape[0]; W1 = model[0].weight
    for _ in range(int(epochs)):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, int(batch_size)):
            idx = perm[s:s + int(batch_size)]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            if reg == "l1":
                loss = loss - lam * W1.abs().sum()
            if reg == "l2":
                loss = loss + 0.5 * lam * (W1 ** 2).sum()
            loss.backward(); opt.step()
    return model
'''),
        ("zero_grad unutulmuş", '''
def train_digits_mlp(X, y, reg, lam=5e-3, epochs=20, lr=0.05, batch_size=128, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32); y = torch.as_tensor(y, dtype=torch.long)
    torch.manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    g = torch.Generator().manual_seed(int(seed)); n = X.shape[0]; W1 = model[0].weight
    for _ in range(int(epochs)):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, int(batch_size)):
            idx = perm[s:s + int(batch_size)]
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            if reg == "l2":
                loss = loss + 0.5 * lam * (W1 ** 2).sum()
            loss.backward(); opt.step()
            if reg == "l1":
                with torch.no_grad():
                    W1.copy_(torch.sign(W1) * torch.clamp(W1.abs() - lr * lam, min=0.0))
    return model
'''),
    ],
    "q_w14_e4d": [
        ("L1 gradyanı orantılı sanılmış", 'q_w14_e4d = "A"'),
        ("L1 ve L2 yer değiştirmiş", 'q_w14_e4d = "D"'),
    ],
    "q_w14_e5a": [
        ("modüle requires_grad özelliği atanmış (parametrelere dokunulmamış)", '''
def freeze_backbone(model):
    model.backbone.requires_grad = False
    return model
'''),
        ("eval() ile dondurulduğu sanılmış", '''
def freeze_backbone(model):
    model.backbone.eval()
    return model
'''),
        ("eleman yerine tensör sayısı", '''
def count_trainable(model):
    return sum(1 for p in model.parameters() if p.requires_grad)
'''),
        ("requires_grad'a bakılmamış", '''
def count_trainable(model):
    return sum(p.numel() for p in model.parameters())
'''),
    ],
    "q_w14_e5b": [
        ("iki öğrenme oranı yer değiştirmiş", '''
def make_finetune_optimizer(model, lr_head, lr_backbone, weight_decay=0.01):
    return torch.optim.AdamW([{"params": model.backbone.parameters(), "lr": lr_head},
                              {"params": model.head.parameters(), "lr": lr_backbone}], weight_decay=weight_decay)
'''),
        ("weight_decay verilmemiş (AdamW varsayılanı)", '''
def make_finetune_optimizer(model, lr_head, lr_backbone, weight_decay=0.01):
    return torch.optim.AdamW([{"params": model.backbone.parameters(), "lr": lr_backbone},
                              {"params": model.head.parameters(), "lr": lr_head}])
'''),
        ("Adam + tek grup", '''
def make_finetune_optimizer(model, lr_head, lr_backbone, weight_decay=0.01):
    return torch.optim.Adam(model.parameters(), lr=lr_head, weight_decay=weight_decay)
'''),
        ("kafa iki kez eklenmiş (ikinci grup bütün model)", '''
def make_finetune_optimizer(model, lr_head, lr_backbone, weight_decay=0.01):
    return torch.optim.AdamW([{"params": model.backbone.parameters(), "lr": lr_backbone},
                              {"params": model.parameters(), "lr": lr_head}], weight_decay=weight_decay)
'''),
    ],
    "q_w14_e5c": [
        ("global en küçük kayıp (durduktan sonrakiler de görülüyor)", '''
def early_stopping_epoch(val_losses, patience):
    losses = [float(v) for v in val_losses]
    best = int(np.argmin(losses))
    for t in range(len(losses)):
        if t - int(np.argmin(losses[: t + 1])) >= patience:
            return t, best
    return len(losses) - 1, best
'''),
        ("eşit kayıp da iyileşme sayılmış (<=)", '''
def early_stopping_epoch(val_losses, patience):
    best, best_t = math.inf, -1
    for t, v in enumerate(val_losses):
        if v <= best:
            best, best_t = v, t
        elif t - best_t >= patience:
            return t, best_t
    return len(val_losses) - 1, best_t
'''),
        ("bir epoch geç durma (> patience)", '''
def early_stopping_epoch(val_losses, patience):
    best, best_t = math.inf, -1
    for t, v in enumerate(val_losses):
        if v < best:
            best, best_t = v, t
        elif t - best_t > patience:
            return t, best_t
    return len(val_losses) - 1, best_t
'''),
    ],
    "q_w14_e5d": [
        ("rejimler ters", '''
regime_choice = {"100": "finetune", "50000": "freeze"}
'''),
        ("öğrenme oranını büyütmek de önlem sanılmış", '''
few_label_safeguards = {"A", "B", "C", "D", "E"}
'''),
        ("daha düşük backbone öğrenme oranı unutulmuş", '''
few_label_safeguards = {"A", "B", "C"}
'''),
    ],
}

# Issue 15: mistakes the first version of the tests let through.
WRONG_ANSWERS["q_w14_e4c"].append(("L1: yakınsal adım yerine kayba λ‖W1‖₁ cezası", '''
def train_digits_mlp(X, y, reg, lam=5e-3, epochs=20, lr=0.05, batch_size=128, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.long)
    torch.manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    g = torch.Generator().manual_seed(int(seed))
    W1 = model[0].weight
    for _ in range(int(epochs)):
        perm = torch.randperm(X.shape[0], generator=g)
        for start in range(0, X.shape[0], int(batch_size)):
            idx = perm[start:start + int(batch_size)]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
            if reg == "l2":
                loss = loss + 0.5 * lam * (W1 ** 2).sum()
            elif reg == "l1":
                loss = loss + lam * W1.abs().sum()
            loss.backward()
            opt.step()
    return model
'''))
