"""Plausible wrong answers for week 11 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``math``,
``np``, ``torch``, ``nn``, ``F``, ``du`` and the other solution definitions already exist); the
question named by the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w11_e1a": [
        ("saf formül: büyük βx'te taşar", '''
def softplus_beta(x, beta):
    return torch.log(1 + torch.exp(beta * x)) / beta
'''),
        ("log1p terimi β'ya bölünmemiş", '''
def softplus_beta(x, beta):
    return torch.clamp(x, min=0) + torch.log1p(torch.exp(-torch.abs(beta * x)))
'''),
        ("β yok sayılmış (her zaman β = 1)", '''
def softplus_beta(x, beta):
    return F.softplus(x)
'''),
    ],
    "q_w11_e1b": [
        ("c'ye bölünmemiş", '''
def shape_change(act, c, x):
    return float((act(c * x) - act(x)).abs().max())
'''),
        ("max yerine ortalama", '''
def shape_change(act, c, x):
    return float((act(c * x) / c - act(x)).abs().mean())
'''),
    ],
    "q_w11_e1c": [
        ("ikinci katman c'ye bölünmemiş", '''
def rescale_gap(act, W1, W2, X, c):
    out = act(X @ W1.T) @ W2.T
    out_scaled = act(X @ (c * W1).T) @ W2.T
    return float((out_scaled - out).abs().max())
'''),
        ("ikinci katman c ile çarpılmış", '''
def rescale_gap(act, W1, W2, X, c):
    out = act(X @ W1.T) @ W2.T
    out_scaled = act(X @ (c * W1).T) @ (W2 * c).T
    return float((out_scaled - out).abs().max())
'''),
        ("max yerine ortalama", '''
def rescale_gap(act, W1, W2, X, c):
    out = act(X @ W1.T) @ W2.T
    out_scaled = act(X @ (c * W1).T) @ (W2 / c).T
    return float((out_scaled - out).abs().mean())
'''),
    ],
    "q_w11_e1d": [
        ("ELU de homojen sanılmış", '''
homogeneous = dict(homogeneous, elu=True)
'''),
        ("leaky ReLU homojen değil sanılmış", '''
homogeneous = dict(homogeneous, leaky_relu=False)
'''),
        ("sebep: ReLU daha ucuz", '''
q_w11_e1d = "A"
'''),
    ],
    "q_w11_e2a": [
        ("L1 için de ortalama", '''
def best_constant(y, loss):
    return float(np.mean(np.asarray(y, dtype=float)))
'''),
        ("medyan indeksinde bir-kayma (off-by-one)", '''
def best_constant(y, loss):
    y = np.sort(np.asarray(y, dtype=float))
    if loss == "mse":
        return float(y.mean())
    return float(y[len(y) // 2 + 1]) if len(y) > 2 else float(y[-1])
'''),
        ("MSE ve L1 karıştırılmış", '''
def best_constant(y, loss):
    y = np.asarray(y, dtype=float)
    return float(np.median(y)) if loss == "mse" else float(y.mean())
'''),
    ],
    "q_w11_e2b": [
        ("loss argümanı yok sayılmış (hep MSE)", '''
def fit_constant_image(sampler, loss, steps=600, lr=0.05, seed=0, batch=64):
    g = torch.Generator().manual_seed(int(seed))
    y = sampler(batch, g)
    img = torch.zeros(y.shape[1:], requires_grad=True)
    opt = torch.optim.Adam([img], lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=200, gamma=0.3)
    for step in range(int(steps)):
        if step > 0:
            y = sampler(batch, g)
        L = (img - y).pow(2).mean()
        opt.zero_grad(); L.backward(); opt.step(); sched.step()
    return img.detach()
'''),
        ("L1 yerine ortalama farkın mutlak değeri (|mean(img − y)|)", '''
def fit_constant_image(sampler, loss, steps=600, lr=0.05, seed=0, batch=64):
    g = torch.Generator().manual_seed(int(seed))
    y = sampler(batch, g)
    img = torch.zeros(y.shape[1:], requires_grad=True)
    opt = torch.optim.Adam([img], lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=200, gamma=0.3)
    for step in range(int(steps)):
        if step > 0:
            y = sampler(batch, g)
        diff = img - y
        L = diff.pow(2).mean() if loss == "mse" else diff.mean(0).abs().mean()
        opt.zero_grad(); L.backward(); opt.step(); sched.step()
    return img.detach()
'''),
        ("görüntü boyutu 8×8'e sabitlenmiş", '''
def fit_constant_image(sampler, loss, steps=600, lr=0.05, seed=0, batch=64):
    g = torch.Generator().manual_seed(int(seed))
    img = torch.zeros(8, 8, requires_grad=True)
    opt = torch.optim.Adam([img], lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=200, gamma=0.3)
    for step in range(int(steps)):
        y = sampler(batch, g)
        diff = img - y
        L = diff.pow(2).mean() if loss == "mse" else diff.abs().mean()
        opt.zero_grad(); L.backward(); opt.step(); sched.step()
    return img.detach()
'''),
    ],
    "q_w11_e2c": [
        ("MSE tahmini olası bir gelecek sanılmış", '''
mse_prediction_is_a_possible_future = True
'''),
        ("bulanıklık kapasite yetersizliğine bağlanmış", '''
q_w11_e2c = "A"
'''),
    ],
    "q_w11_e3a": [
        ("hinge'de ȳ doğru cevabı da içeren min ile seçilmiş", '''
def hinge_loss(E, y, m=1.0):
    E_y = E.gather(1, y[:, None]).squeeze(1)
    return F.relu(m + E_y - E.min(dim=1).values).mean()
'''),
        ("skor/enerji işareti ters (hinge)", '''
def hinge_loss(E, y, m=1.0):
    E_y = E.gather(1, y[:, None]).squeeze(1)
    wrong = E.masked_fill(F.one_hot(y, E.shape[1]).bool(), float("-inf"))
    return F.relu(m - E_y + wrong.max(dim=1).values).mean()
'''),
        ("perceptron'da min yerine ortalama", '''
def perceptron_loss(E, y):
    return (E.gather(1, y[:, None]).squeeze(1) - E.mean(dim=1)).mean()
'''),
        ("enerji kaybı ortalama yerine toplam", '''
def energy_loss(E, y):
    return E.gather(1, y[:, None]).sum()
'''),
    ],
    "q_w11_e3b": [
        ("gap'in işareti ters", '''
def collapse_report(net, X, y):
    with torch.no_grad():
        E = net(X)
    E_y = E.gather(1, y[:, None]).squeeze(1)
    E_bar = E.masked_fill(F.one_hot(y, E.shape[1]).bool(), float("inf")).min(dim=1).values
    return {"gap": float((E_y - E_bar).mean()),
            "spread": float((E.max(dim=1).values - E.min(dim=1).values).mean()),
            "acc": float((E.argmin(dim=1) == y).float().mean())}
'''),
        ("doğruluk argmin yerine argmax ile (skor gibi)", '''
def collapse_report(net, X, y):
    with torch.no_grad():
        E = net(X)
    E_y = E.gather(1, y[:, None]).squeeze(1)
    E_bar = E.masked_fill(F.one_hot(y, E.shape[1]).bool(), float("inf")).min(dim=1).values
    return {"gap": float((E_bar - E_y).mean()),
            "spread": float((E.max(dim=1).values - E.min(dim=1).values).mean()),
            "acc": float((E.argmax(dim=1) == y).float().mean())}
'''),
        ("spread yerine standart sapma", '''
def collapse_report(net, X, y):
    with torch.no_grad():
        E = net(X)
    E_y = E.gather(1, y[:, None]).squeeze(1)
    E_bar = E.masked_fill(F.one_hot(y, E.shape[1]).bool(), float("inf")).min(dim=1).values
    return {"gap": float((E_bar - E_y).mean()),
            "spread": float(E.std(dim=1).mean()),
            "acc": float((E.argmin(dim=1) == y).float().mean())}
'''),
    ],
    "q_w11_e3c": [
        ("hinge de sıfır sanılmış", '''
zero_loss_when_all_energies_equal = {"energy": True, "perceptron": True, "hinge": True}
'''),
        ("marj büyüyünce collapse'a daha açık sanılmış", '''
q_w11_e3c = "B"
'''),
    ],
    "q_w11_e4a": [
        ("satır başına değil, bütün batch için tek yazı-tura", '''
def sample_latent(mu, logvar, p_drop):
    drop = bool(torch.rand(()) < p_drop)
    dropped = torch.full((mu.shape[0],), drop, dtype=torch.bool)
    if drop:
        return torch.randn_like(mu), dropped
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu), dropped
'''),
        ("mu detach edilmiş (reparametrizasyon yok)", '''
def sample_latent(mu, logvar, p_drop):
    dropped = torch.rand(mu.shape[0]) < p_drop
    z_post = mu.detach() + torch.exp(0.5 * logvar.detach()) * torch.randn_like(mu)
    return torch.where(dropped[:, None], torch.randn_like(mu), z_post), dropped
'''),
        ("σ yerine logvar ile çarpılmış", '''
def sample_latent(mu, logvar, p_drop):
    dropped = torch.rand(mu.shape[0]) < p_drop
    z_post = mu + logvar * torch.randn_like(mu)
    return torch.where(dropped[:, None], torch.randn_like(mu), z_post), dropped
'''),
        ("dropped hesaplanmış ama z hep encoder'dan", '''
def sample_latent(mu, logvar, p_drop):
    dropped = torch.rand(mu.shape[0]) < p_drop
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu), dropped
'''),
    ],
    "q_w11_e4b": [
        ("sin(1.5) − sin(−1.5) ile normalize edilmemiş", '''
def action_sensitivity(pred, n=2000, seed=0, z_dim=2):
    g = torch.Generator().manual_seed(int(seed))
    s = torch.rand(n, 1, generator=g) * 2 - 1
    z = torch.randn(n, z_dim, generator=g)
    a = torch.full((n, 1), 0.5)
    with torch.no_grad():
        return float((pred(s, a, z) - pred(s, -a, z)).mean())
'''),
        ("s, U(−1, 1) yerine N(0, 1)'den", '''
def action_sensitivity(pred, n=2000, seed=0, z_dim=2):
    g = torch.Generator().manual_seed(int(seed))
    s = torch.randn(n, 1, generator=g)
    z = torch.randn(n, z_dim, generator=g)
    a = torch.full((n, 1), 0.5)
    with torch.no_grad():
        d = pred(s, a, z) - pred(s, -a, z)
    return float(d.mean()) / (math.sin(1.5) - math.sin(-1.5))
'''),
        ("eylem ±0.5 yerine ±1", '''
def action_sensitivity(pred, n=2000, seed=0, z_dim=2):
    g = torch.Generator().manual_seed(int(seed))
    s = torch.rand(n, 1, generator=g) * 2 - 1
    z = torch.randn(n, z_dim, generator=g)
    a = torch.full((n, 1), 1.0)
    with torch.no_grad():
        d = pred(s, a, z) - pred(s, -a, z)
    return float(d.mean()) / (math.sin(1.5) - math.sin(-1.5))
'''),
    ],
    "q_w11_e4c": [
        ("kestirme yanlış seçilmiş (bulanıklık)", '''
q_w11_e4c = "C"
'''),
        ("latent dropout KL'nin yerini tutar sanılmış", '''
latent_dropout_facts = dict(latent_dropout_facts, dropout_replaces_kl=True)
'''),
    ],
    "q_w11_e5a": [
        ("en büyük değer çıkarılmamış (taşma)", '''
def softmax_beta(z, beta, dim=-1):
    e = torch.exp(beta * torch.as_tensor(z))
    return e / e.sum(dim=dim, keepdim=True)
'''),
        ("dim yok sayılmış (hep son eksen)", '''
def softmax_beta(z, beta, dim=-1):
    zb = beta * torch.as_tensor(z)
    zb = zb - zb.amax(dim=-1, keepdim=True)
    e = torch.exp(zb)
    return e / e.sum(dim=-1, keepdim=True)
'''),
        ("β ile çarpmak yerine bölmek (sıcaklık gibi)", '''
def softmax_beta(z, beta, dim=-1):
    zb = torch.as_tensor(z) / max(beta, 1e-12)
    zb = zb - zb.amax(dim=dim, keepdim=True)
    e = torch.exp(zb)
    return e / e.sum(dim=dim, keepdim=True)
'''),
    ],
    "q_w11_e5b": [
        ("log 2 tabanında (bit)", '''
def entropy_curve(scores, betas):
    s = torch.as_tensor(scores, dtype=torch.float64)
    out = []
    for b in betas:
        p = softmax_beta(s, b)
        out.append(float(-torch.special.xlogy(p, p).sum() / math.log(2)))
    return np.array(out)
'''),
        ("p·log p ile (0·log 0 = nan)", '''
def entropy_curve(scores, betas):
    s = torch.as_tensor(scores, dtype=torch.float64)
    out = []
    for b in betas:
        p = softmax_beta(s, b)
        out.append(float(-(p * torch.log(p)).sum()))
    return np.array(out)
'''),
    ],
    "q_w11_e5c": [
        ("√d yerine d'ye bölünmüş", '''
def mean_attention_entropy(d, scaled, n_keys=16, trials=200, seed=0):
    g = torch.Generator().manual_seed(int(seed))
    q = torch.randn(trials, d, generator=g, dtype=torch.float64)
    K = torch.randn(trials, n_keys, d, generator=g, dtype=torch.float64)
    s = (K @ q[:, :, None]).squeeze(-1)
    if scaled:
        s = s / d
    p = torch.softmax(s, dim=-1)
    return float((-torch.special.xlogy(p, p).sum(dim=-1)).mean())
'''),
        ("scaled bayrağı ters", '''
def mean_attention_entropy(d, scaled, n_keys=16, trials=200, seed=0):
    g = torch.Generator().manual_seed(int(seed))
    q = torch.randn(trials, d, generator=g, dtype=torch.float64)
    K = torch.randn(trials, n_keys, d, generator=g, dtype=torch.float64)
    s = (K @ q[:, :, None]).squeeze(-1)
    if not scaled:
        s = s / math.sqrt(d)
    p = torch.softmax(s, dim=-1)
    return float((-torch.special.xlogy(p, p).sum(dim=-1)).mean())
'''),
        ("softmax yanlış eksende (anahtarlar yerine denemeler üzerinde)", '''
def mean_attention_entropy(d, scaled, n_keys=16, trials=200, seed=0):
    g = torch.Generator().manual_seed(int(seed))
    q = torch.randn(trials, d, generator=g, dtype=torch.float64)
    K = torch.randn(trials, n_keys, d, generator=g, dtype=torch.float64)
    s = (K @ q[:, :, None]).squeeze(-1)
    if scaled:
        s = s / math.sqrt(d)
    p = torch.softmax(s, dim=0)
    return float((-torch.special.xlogy(p, p).sum(dim=-1)).mean())
'''),
    ],
    "q_w11_e5d": [
        ("Transformer'ın sıra için tekrarlamaya ihtiyacı var sanılmış", '''
transformer_facts = dict(transformer_facts, needs_recurrence_for_order=True)
'''),
        ("self-attention'ın permütasyon-eşdeğişkenliği reddedilmiş", '''
transformer_facts = dict(transformer_facts, perm_equivariant=False)
'''),
    ],
}

# Issue 15: mistakes the first version of the tests let through.
WRONG_ANSWERS["q_w11_e2b"].append(("öğrenme oranı zamanlayıcısı (StepLR) yok", '''
def fit_constant_image(sampler, loss, steps=600, lr=0.05, seed=0, batch=64):
    g = torch.Generator().manual_seed(int(seed))
    y = sampler(batch, g)
    img = torch.zeros(y.shape[1:], requires_grad=True)
    opt = torch.optim.Adam([img], lr=lr)
    for step in range(int(steps)):
        if step > 0:
            y = sampler(batch, g)
        diff = img - y
        L = diff.pow(2).mean() if loss == "mse" else diff.abs().mean()
        opt.zero_grad()
        L.backward()
        opt.step()
    return img.detach()
'''))
WRONG_ANSWERS["q_w11_e4b"].append(("latent örneklenmemiş: z = 0", '''
def action_sensitivity(pred, n=2000, seed=0, z_dim=2):
    g = torch.Generator().manual_seed(int(seed))
    s = torch.rand(n, 1, generator=g) * 2 - 1
    z = torch.zeros(n, z_dim)
    a = torch.full((n, 1), 0.5)
    with torch.no_grad():
        d = pred(s, a, z) - pred(s, -a, z)
    return float(d.mean()) / (math.sin(1.5) - math.sin(-1.5))
'''))
