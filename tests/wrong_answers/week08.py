"""Plausible wrong answers for week 8 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``F``, ``du`` and the other solution definitions already exist); the question
named by the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w08_e1a": [
        ("negatif terimin işareti ters: relu(E_neg − margin)", '''
def contrastive_loss(E_pos, E_neg, margin=1.0):
    return (E_pos ** 2).mean() + (F.relu(E_neg - margin) ** 2).mean()
'''),
        ("hinge'in karesi alınmamış", '''
def contrastive_loss(E_pos, E_neg, margin=1.0):
    return (E_pos ** 2).mean() + F.relu(margin - E_neg).mean()
'''),
        ("ortalama yerine toplam", '''
def contrastive_loss(E_pos, E_neg, margin=1.0):
    return (E_pos ** 2).sum() + (F.relu(margin - E_neg) ** 2).sum()
'''),
        ("margin argümanı yok sayılmış (hep 1)", '''
def contrastive_loss(E_pos, E_neg, margin=1.0):
    return (E_pos ** 2).mean() + (F.relu(1.0 - E_neg) ** 2).mean()
'''),
    ],
    "q_w08_e1b": [
        ("negatifler unutulmuş: yalnızca aşağı bas", '''
def train_contrastive(energy_net, data, steps=300, n_neg=32, lr=1e-2, seed=0, margin=1.0):
    data = torch.as_tensor(data, dtype=torch.float32)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        opt.zero_grad()
        loss = (energy_net(data) ** 2).mean()
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("negatifler [0, 1]'den (torch.rand ölçeklenmemiş)", '''
def train_contrastive(energy_net, data, steps=300, n_neg=32, lr=1e-2, seed=0, margin=1.0):
    g = torch.Generator().manual_seed(seed)
    data = torch.as_tensor(data, dtype=torch.float32)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        neg = torch.rand(n_neg, generator=g)
        opt.zero_grad()
        loss = contrastive_loss(energy_net(data), energy_net(neg), margin)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("zero_grad unutulmuş", '''
def train_contrastive(energy_net, data, steps=300, n_neg=32, lr=1e-2, seed=0, margin=1.0):
    g = torch.Generator().manual_seed(seed)
    data = torch.as_tensor(data, dtype=torch.float32)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        neg = -4 + 8 * torch.rand(n_neg, generator=g)
        loss = contrastive_loss(energy_net(data), energy_net(neg), margin)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("negatifler genel üreteçten (seed/g kullanılmamış)", '''
def train_contrastive(energy_net, data, steps=300, n_neg=32, lr=1e-2, seed=0, margin=1.0):
    data = torch.as_tensor(data, dtype=torch.float32)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        neg = -4 + 8 * torch.rand(n_neg)
        opt.zero_grad()
        loss = contrastive_loss(energy_net(data), energy_net(neg), margin)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
    ],
    "q_w08_e1c": [
        ("gap'in işareti ters (veri − yoklama)", '''
def e1_experiment(seed=0):
    net_push = du.EnergyNet1D(seed=seed); push_down_only(net_push, du.DATA_1D)
    net_con = du.EnergyNet1D(seed=seed); train_contrastive(net_con, du.DATA_1D, seed=seed)
    gap = du.energies(net_con, du.DATA_1D).mean() - du.energies(net_con, du.PROBES).mean()
    return {"net_push": net_push, "net_contrastive": net_con, "frac_push_only": du.low_energy_fraction(net_push),
            "frac_contrastive": du.low_energy_fraction(net_con), "gap": float(gap)}
'''),
        ("iki ağ da yalnızca aşağı basılarak eğitilmiş", '''
def e1_experiment(seed=0):
    net_push = du.EnergyNet1D(seed=seed); push_down_only(net_push, du.DATA_1D)
    net_con = du.EnergyNet1D(seed=seed); push_down_only(net_con, du.DATA_1D)
    gap = du.energies(net_con, du.PROBES).mean() - du.energies(net_con, du.DATA_1D).mean()
    return {"net_push": net_push, "net_contrastive": net_con, "frac_push_only": du.low_energy_fraction(net_push),
            "frac_contrastive": du.low_energy_fraction(net_con), "gap": float(gap)}
'''),
        ("oranlar karıştırılmış (ikisi de push ağından)", '''
def e1_experiment(seed=0):
    net_push = du.EnergyNet1D(seed=seed); push_down_only(net_push, du.DATA_1D)
    net_con = du.EnergyNet1D(seed=seed); train_contrastive(net_con, du.DATA_1D, seed=seed)
    gap = du.energies(net_con, du.PROBES).mean() - du.energies(net_con, du.DATA_1D).mean()
    return {"net_push": net_push, "net_contrastive": net_con, "frac_push_only": du.low_energy_fraction(net_push),
            "frac_contrastive": du.low_energy_fraction(net_push), "gap": float(gap)}
'''),
    ],
    "q_w08_e1d": [
        ("A: negatifler yalnızca hız için", 'q_w08_e1_why = "A"\n'),
        ("D: büyük margin yeter", 'q_w08_e1_why = "D"\n'),
    ],
    "q_w08_e2a": [
        ("ders kitabındaki gibi sabit kırpma (rastgele konum yok)", '''
def augment(img, g, crop=6, jitter=0.2):
    C, H, W = img.shape
    out = F.interpolate(img[:, H - crop:, W - crop:].unsqueeze(0), size=(H, W), mode="bilinear",
                        align_corners=False).squeeze(0)
    s = 1.0 - jitter + 2.0 * jitter * float(torch.rand(1, generator=g))
    return (out * s).clamp(0.0, 1.0)
'''),
        ("randint'te bir eksik: son konum hiç seçilmiyor", '''
def augment(img, g, crop=6, jitter=0.2):
    C, H, W = img.shape
    i = int(torch.randint(0, max(H - crop, 1), (1,), generator=g))
    j = int(torch.randint(0, max(W - crop, 1), (1,), generator=g))
    out = F.interpolate(img[:, i:i + crop, j:j + crop].unsqueeze(0), size=(H, W), mode="bilinear",
                        align_corners=False).squeeze(0)
    s = 1.0 - jitter + 2.0 * jitter * float(torch.rand(1, generator=g))
    return (out * s).clamp(0.0, 1.0)
'''),
        ("yeniden boyutlandırma unutulmuş (crop×crop döner)", '''
def augment(img, g, crop=6, jitter=0.2):
    C, H, W = img.shape
    i = int(torch.randint(0, H - crop + 1, (1,), generator=g))
    j = int(torch.randint(0, W - crop + 1, (1,), generator=g))
    s = 1.0 - jitter + 2.0 * jitter * float(torch.rand(1, generator=g))
    return (img[:, i:i + crop, j:j + crop] * s).clamp(0.0, 1.0)
'''),
        ("parlaklık yalnızca artırılıyor: U(1, 1 + jitter)", '''
def augment(img, g, crop=6, jitter=0.2):
    C, H, W = img.shape
    i = int(torch.randint(0, H - crop + 1, (1,), generator=g))
    j = int(torch.randint(0, W - crop + 1, (1,), generator=g))
    out = F.interpolate(img[:, i:i + crop, j:j + crop].unsqueeze(0), size=(H, W), mode="bilinear",
                        align_corners=False).squeeze(0)
    s = 1.0 + jitter * float(torch.rand(1, generator=g))
    return (out * s).clamp(0.0, 1.0)
'''),
        ("piksel başına ayrı parlaklık gürültüsü", '''
def augment(img, g, crop=6, jitter=0.2):
    C, H, W = img.shape
    i = int(torch.randint(0, H - crop + 1, (1,), generator=g))
    j = int(torch.randint(0, W - crop + 1, (1,), generator=g))
    out = F.interpolate(img[:, i:i + crop, j:j + crop].unsqueeze(0), size=(H, W), mode="bilinear",
                        align_corners=False).squeeze(0)
    s = 1.0 - jitter + 2.0 * jitter * torch.rand(out.shape, generator=g)
    return (out * s).clamp(0.0, 1.0)
'''),
        ("konum genel üreteçten (g kullanılmamış)", '''
def augment(img, g, crop=6, jitter=0.2):
    C, H, W = img.shape
    i = int(torch.randint(0, H - crop + 1, (1,)))
    j = int(torch.randint(0, W - crop + 1, (1,)))
    out = F.interpolate(img[:, i:i + crop, j:j + crop].unsqueeze(0), size=(H, W), mode="bilinear",
                        align_corners=False).squeeze(0)
    s = 1.0 - jitter + 2.0 * jitter * float(torch.rand(1, generator=g))
    return (out * s).clamp(0.0, 1.0)
'''),
    ],
    "q_w08_e2b": [
        ("aynı görünüm iki kez kullanılmış (view_b = view_a)", '''
def make_pairs(images, g, crop=6, jitter=0.2):
    N = images.shape[0]
    view_a = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    view_neg = torch.stack([augment(images[(i + 1) % N], g, crop, jitter) for i in range(N)])
    return view_a, view_a.clone(), view_neg
'''),
        ("negatif aynı görüntüden", '''
def make_pairs(images, g, crop=6, jitter=0.2):
    N = images.shape[0]
    view_a = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    view_b = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    view_neg = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    return view_a, view_b, view_neg
'''),
        ("negatif (i − 1)'den (ters yönde kaydırılmış)", '''
def make_pairs(images, g, crop=6, jitter=0.2):
    N = images.shape[0]
    view_a = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    view_b = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    view_neg = torch.stack([augment(images[i - 1], g, crop, jitter) for i in range(N)])
    return view_a, view_b, view_neg
'''),
    ],
    "q_w08_e2c": [
        ("iki yönlü başlık: |kosinüs| > c", '''
def cap_fraction(d, c, n=100_000, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((int(n), int(d)))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return float(np.mean(np.abs(v[:, 0]) > c))
'''),
        ("vektörler normalize edilmemiş", '''
def cap_fraction(d, c, n=100_000, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((int(n), int(d)))
    return float(np.mean(v[:, 0] > c))
'''),
        ("küp içinde düzgün örnekleme (küre üzerinde düzgün değil)", '''
def cap_fraction(d, c, n=100_000, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.uniform(-1, 1, (int(n), int(d)))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return float(np.mean(v[:, 0] > c))
'''),
    ],
    "q_w08_e2d": [
        ("(i) B: pikseller aynı", 'q_w08_e2_views = "B"\n'),
        ("(ii) A: daha güçlü augmentation", 'q_w08_e2_negatives = "A"\n'),
        ("(iii) A: her vektör her vektöre yakın", 'q_w08_e2_dimension = "A"\n'),
    ],
    "q_w08_e3a": [
        ("tutulma/silinme karışmış: p olasılıkla TUTULUYOR", '''
def mask_corrupt(x, p, g):
    keep = (torch.rand(x.shape, generator=g) < p).to(device=x.device, dtype=x.dtype)
    return x * keep
'''),
        ("F.dropout gibi 1/(1 − p) ile ölçeklenmiş", '''
def mask_corrupt(x, p, g):
    keep = (torch.rand(x.shape, generator=g) >= p).to(device=x.device, dtype=x.dtype)
    return x * keep / (1 - p) if p < 1 else x * keep
'''),
        ("maske genel üreteçten (g kullanılmamış)", '''
def mask_corrupt(x, p, g):
    keep = (torch.rand(x.shape) >= p).to(device=x.device, dtype=x.dtype)
    return x * keep
'''),
        ("x yerinde değiştirilmiş", '''
def mask_corrupt(x, p, g):
    x[torch.rand(x.shape, generator=g) < p] = 0
    return x
'''),
    ],
    "q_w08_e3b": [
        ("hedef bozuk girdinin kendisi (DAE değil, bozuk veride AE)", '''
def train_dae(model, X, p=0.3, epochs=300, lr=1e-2, seed=0):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(int(epochs)):
        Xc = mask_corrupt(X, p, g)
        opt.zero_grad()
        loss = F.mse_loss(model(Xc), Xc)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("bozma unutulmuş (temiz girdiyle sıradan AE)", '''
def train_dae(model, X, p=0.3, epochs=300, lr=1e-2, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(int(epochs)):
        opt.zero_grad()
        loss = F.mse_loss(model(X), X)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("zero_grad unutulmuş", '''
def train_dae(model, X, p=0.3, epochs=300, lr=1e-2, seed=0):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(int(epochs)):
        Xc = mask_corrupt(X, p, g)
        loss = F.mse_loss(model(Xc), X)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
    ],
    "q_w08_e3c": [
        ("E_corrupt temiz hedefe göre hesaplanmış (= mse_dae)", '''
@torch.no_grad()
def dae_report(dae, ae, X_test, p=0.3, seed=7):
    X = X_test
    Xc = mask_corrupt(X, p, torch.Generator().manual_seed(seed))
    return {"mse_corrupt": F.mse_loss(Xc, X).item(), "mse_dae": F.mse_loss(dae(Xc), X).item(),
            "mse_ae": F.mse_loss(ae(Xc), X).item(), "E_clean": F.mse_loss(dae(X), X).item(),
            "E_corrupt": F.mse_loss(dae(Xc), X).item()}
'''),
        ("sıradan AE temiz girdide değerlendirilmiş", '''
@torch.no_grad()
def dae_report(dae, ae, X_test, p=0.3, seed=7):
    X = X_test
    Xc = mask_corrupt(X, p, torch.Generator().manual_seed(seed))
    return {"mse_corrupt": F.mse_loss(Xc, X).item(), "mse_dae": F.mse_loss(dae(Xc), X).item(),
            "mse_ae": F.mse_loss(ae(X), X).item(), "E_clean": F.mse_loss(dae(X), X).item(),
            "E_corrupt": F.mse_loss(dae(Xc), Xc).item()}
'''),
        ("p ve seed argümanları yok sayılmış", '''
@torch.no_grad()
def dae_report(dae, ae, X_test, p=0.3, seed=7):
    X = X_test
    Xc = mask_corrupt(X, 0.3, torch.Generator().manual_seed(7))
    return {"mse_corrupt": F.mse_loss(Xc, X).item(), "mse_dae": F.mse_loss(dae(Xc), X).item(),
            "mse_ae": F.mse_loss(ae(Xc), X).item(), "E_clean": F.mse_loss(dae(X), X).item(),
            "E_corrupt": F.mse_loss(dae(Xc), Xc).item()}
'''),
    ],
    "q_w08_e3d": [
        ("(i) A: başka görüntülerden negatifler", 'q_w08_e3_contrastive = "A"\n'),
        ("(ii) D: BERT ilgisiz", 'q_w08_e3_bert = "D"\n'),
    ],
    "q_w08_e4a": [
        ("σ = exp(logvar) (0.5 unutulmuş)", '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(logvar) * eps
'''),
        ("logvar doğrudan σ gibi kullanılmış", '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + logvar * eps
'''),
        ("verilen eps yok sayılmış", '''
def reparameterize(mu, logvar, eps=None):
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
'''),
    ],
    "q_w08_e4b": [
        ("KL ortalama (toplam değil)", '''
def kl_normal(mu, logvar):
    return -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
'''),
        ("KL'de logvar, log σ sanılmış", '''
def kl_normal(mu, logvar):
    return -0.5 * torch.sum(1 + 2 * logvar - mu.pow(2) - torch.exp(2 * logvar))
'''),
        ("BCE ortalama ile (reduction='mean')", '''
def vae_loss(recon, x, mu, logvar):
    return F.binary_cross_entropy(recon, x) + kl_normal(mu, logvar)
'''),
        ("KL'nin işareti ters", '''
def vae_loss(recon, x, mu, logvar):
    return F.binary_cross_entropy(recon, x, reduction="sum") - kl_normal(mu, logvar)
'''),
    ],
    "q_w08_e4c": [
        ("decode'da sigmoid unutulmuş", '''
class VAE(nn.Module):
    def __init__(self, d=64, h=64, z_dim=4):
        super().__init__()
        self.d, self.z_dim = d, z_dim
        self.enc = nn.Linear(d, h); self.fc_mu = nn.Linear(h, z_dim); self.fc_logvar = nn.Linear(h, z_dim)
        self.dec1 = nn.Linear(z_dim, h); self.dec2 = nn.Linear(h, d)
    def encode(self, x):
        h = torch.relu(self.enc(x)); return self.fc_mu(h), self.fc_logvar(h)
    def decode(self, z):
        return self.dec2(torch.relu(self.dec1(z)))
    def forward(self, x):
        mu, logvar = self.encode(x)
        return self.decode(reparameterize(mu, logvar)), mu, logvar
'''),
        ("forward örneklemiyor: decode(mu) (sıradan AE)", '''
class VAE(nn.Module):
    def __init__(self, d=64, h=64, z_dim=4):
        super().__init__()
        self.d, self.z_dim = d, z_dim
        self.enc = nn.Linear(d, h); self.fc_mu = nn.Linear(h, z_dim); self.fc_logvar = nn.Linear(h, z_dim)
        self.dec1 = nn.Linear(z_dim, h); self.dec2 = nn.Linear(h, d)
    def encode(self, x):
        h = torch.relu(self.enc(x)); return self.fc_mu(h), self.fc_logvar(h)
    def decode(self, z):
        return torch.sigmoid(self.dec2(torch.relu(self.dec1(z))))
    def forward(self, x):
        mu, logvar = self.encode(x)
        return self.decode(mu), mu, logvar
'''),
        ("train_vae: KL terimi unutulmuş (yalnızca BCE)", '''
def train_vae(model, X, epochs=300, lr=1e-2, seed=0):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(int(epochs)):
        opt.zero_grad()
        recon, mu, logvar = model(X)
        loss = F.binary_cross_entropy(recon, X, reduction="sum") / X.shape[0]
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("train_vae: örnek başına değil, toplam kayıp döndürülüyor", '''
def train_vae(model, X, epochs=300, lr=1e-2, seed=0):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(int(epochs)):
        opt.zero_grad()
        recon, mu, logvar = model(X)
        loss = vae_loss(recon, X, mu, logvar)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
    ],
    "q_w08_e4d": [
        ("z düzgün dağılımdan (torch.rand)", '''
@torch.no_grad()
def sample_prior(model, n, g):
    z = torch.rand(int(n), model.z_dim, generator=g)
    return model.decode(z)
'''),
        ("g yok sayılmış (genel üreteç)", '''
@torch.no_grad()
def sample_prior(model, n, g):
    z = torch.randn(int(n), model.z_dim)
    return model.decode(z)
'''),
        ("toplam varyansta E[σ²] unutulmuş", '''
@torch.no_grad()
def latent_stats(model, X):
    mu, logvar = model.encode(X)
    return mu.mean(0), mu.var(0, unbiased=False)
'''),
        ("exp(logvar) yerine logvar", '''
@torch.no_grad()
def latent_stats(model, X):
    mu, logvar = model.encode(X)
    return mu.mean(0), mu.var(0, unbiased=False) + logvar.mean(0)
'''),
    ],
    "q_w08_e4e": [
        ("(i) A: hız", 'q_w08_e4_reparam = "A"\n'),
        ("(ii) D: MSE olabilirlik değil", 'q_w08_e4_ae_sampling = "D"\n'),
    ],
    "q_w08_e5a": [
        ("sahte terimde log D(G(z)) (1 − D yerine)", '''
def gan_value(d_real, d_fake, eps=1e-7):
    d_real = np.clip(np.asarray(d_real, dtype=float), eps, 1 - eps)
    d_fake = np.clip(np.asarray(d_fake, dtype=float), eps, 1 - eps)
    return float(np.mean(np.log(d_real)) + np.mean(np.log(d_fake)))
'''),
        ("ortalama yerine toplam", '''
def gan_value(d_real, d_fake, eps=1e-7):
    d_real = np.clip(np.asarray(d_real, dtype=float), eps, 1 - eps)
    d_fake = np.clip(np.asarray(d_fake, dtype=float), eps, 1 - eps)
    return float(np.sum(np.log(d_real)) + np.sum(np.log(1 - d_fake)))
'''),
        ("kırpma yok", '''
def gan_value(d_real, d_fake, eps=1e-7):
    d_real = np.asarray(d_real, dtype=float); d_fake = np.asarray(d_fake, dtype=float)
    return float(np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake)))
'''),
    ],
    "q_w08_e5b": [
        ("pay ve payda karışmış: p_g / (p_data + p_g)", '''
def optimal_discriminator(p_data, p_g):
    p_data = np.asarray(p_data, dtype=float); p_g = np.asarray(p_g, dtype=float)
    return p_g / (p_data + p_g)
'''),
        ("oran: p_data / p_g", '''
def optimal_discriminator(p_data, p_g):
    p_data = np.asarray(p_data, dtype=float); p_g = np.asarray(p_g, dtype=float)
    return p_data / np.maximum(p_g, 1e-12)
'''),
    ],
    "q_w08_e5c": [
        ("enerji kare alınmadan (norm)", '''
def transition_energy(s, a, s_next, f):
    return torch.linalg.norm(s_next - f(s, a), dim=-1)
'''),
        ("enerji boyutlar üzerinden ortalama", '''
def transition_energy(s, a, s_next, f):
    return ((s_next - f(s, a)) ** 2).mean(dim=-1)
'''),
        ("plan: argmax", '''
def plan_one_step(s, candidates, f, goal):
    K = candidates.shape[0]
    cost = ((f(s.unsqueeze(0).expand(K, -1), candidates) - goal) ** 2).sum(dim=-1)
    return int(torch.argmax(cost))
'''),
        ("plan: hedef yerine şimdiki duruma en yakın", '''
def plan_one_step(s, candidates, f, goal):
    K = candidates.shape[0]
    cost = ((f(s.unsqueeze(0).expand(K, -1), candidates) - s) ** 2).sum(dim=-1)
    return int(torch.argmin(cost))
'''),
    ],
    "q_w08_e5d": [
        ("cost_network VAE sanılmış", '''
q_w08_e5_map = {"recon_plus_kl": "VAE", "min_max_game": "GAN", "has_encoder": "VAE",
                "cost_network": "VAE", "likelihood_bound": "VAE"}
'''),
        ("likelihood_bound GAN sanılmış", '''
q_w08_e5_map = {"recon_plus_kl": "VAE", "min_max_game": "GAN", "has_encoder": "VAE",
                "cost_network": "GAN", "likelihood_bound": "GAN"}
'''),
        ("düşük enerji = olanaksız gelecek", 'q_w08_e5_world = "B"\n'),
    ],
}

# Issue 15: mistakes the first version of the tests let through.
WRONG_ANSWERS["q_w08_e1b"].append(("negatifler genel üreteçten (torch.manual_seed(seed) + torch.rand)", '''
def train_contrastive(energy_net, data, steps=300, n_neg=32, lr=1e-2, seed=0, margin=1.0):
    torch.manual_seed(seed)
    dev = next(energy_net.parameters()).device
    data = torch.as_tensor(data, dtype=torch.float32).reshape(-1).to(dev)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        neg = (-4 + 8 * torch.rand(int(n_neg))).to(dev)
        opt.zero_grad()
        loss = contrastive_loss(energy_net(data), energy_net(neg), margin)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''))
