"""Plausible wrong answers for week 9 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``F``, ``du`` and the other solution definitions already exist); the question
named by the key must then lose hidden points.
"""

_SWEEP_HEAD = '''
def capacity_sweep(X_train, X_test, X_perturbed, codes=(32, 8, 2), epochs=200, seed=0, threshold=0.05):
    results = {}
    for code in codes:
'''

WRONG_ANSWERS = {
    "q_w09_e1a": [
        ("enerji pikseller üzerinden toplam (ortalama değil)", _SWEEP_HEAD + '''
        model = DigitsAE(code=code, seed=seed)
        train_ae(model, X_train, epochs=epochs)
        with torch.no_grad():
            e_test = ((model(X_test) - X_test) ** 2).sum(dim=1)
            e_pert = ((model(X_perturbed) - X_perturbed) ** 2).sum(dim=1)
        results[code] = {"model": model, "test_mse": e_test.mean().item(),
                         "low_frac_perturbed": (e_pert < threshold).float().mean().item(),
                         "low_frac_data": (e_test < threshold).float().mean().item()}
    return results
'''),
        ("gürültülü ve gerçek oranlar karışmış", _SWEEP_HEAD + '''
        model = DigitsAE(code=code, seed=seed)
        train_ae(model, X_train, epochs=epochs)
        with torch.no_grad():
            e_test = ((model(X_test) - X_test) ** 2).mean(dim=1)
            e_pert = ((model(X_perturbed) - X_perturbed) ** 2).mean(dim=1)
        results[code] = {"model": model, "test_mse": e_test.mean().item(),
                         "low_frac_perturbed": (e_test < threshold).float().mean().item(),
                         "low_frac_data": (e_pert < threshold).float().mean().item()}
    return results
'''),
        ("seed ve threshold yok sayılmış", _SWEEP_HEAD + '''
        model = DigitsAE(code=code)
        train_ae(model, X_train, epochs=epochs)
        with torch.no_grad():
            e_test = ((model(X_test) - X_test) ** 2).mean(dim=1)
            e_pert = ((model(X_perturbed) - X_perturbed) ** 2).mean(dim=1)
        results[code] = {"model": model, "test_mse": e_test.mean().item(),
                         "low_frac_perturbed": (e_pert < 0.05).float().mean().item(),
                         "low_frac_data": (e_test < 0.05).float().mean().item()}
    return results
'''),
        ("hep aynı kod boyutu (code parametresi DigitsAE'ye verilmemiş)", _SWEEP_HEAD + '''
        model = DigitsAE(seed=seed)
        train_ae(model, X_train, epochs=epochs)
        with torch.no_grad():
            e_test = ((model(X_test) - X_test) ** 2).mean(dim=1)
            e_pert = ((model(X_perturbed) - X_perturbed) ** 2).mean(dim=1)
        results[code] = {"model": model, "test_mse": e_test.mean().item(),
                         "low_frac_perturbed": (e_pert < threshold).float().mean().item(),
                         "low_frac_data": (e_test < threshold).float().mean().item()}
    return results
'''),
    ],
    "q_w09_e1b": [
        ("(i) A: artar", 'q_w09_e1_trend = "A"\n'),
        ("(ii) D: her zaman çöker", 'q_w09_e1_why_not_2 = "D"\n'),
    ],
    "q_w09_e2a": [
        ("işaret kaybolmuş: max(|z| − lam, 0)", '''
def soft_threshold(z, lam):
    return np.maximum(np.abs(np.asarray(z, dtype=float)) - lam, 0.0)
'''),
        ("sert eşikleme: z · [|z| > lam]", '''
def soft_threshold(z, lam):
    z = np.asarray(z, dtype=float)
    return z * (np.abs(z) > lam)
'''),
        ("max(·, 0) unutulmuş: z − lam·sign(z)", '''
def soft_threshold(z, lam):
    z = np.asarray(z, dtype=float)
    return z - lam * np.sign(z)
'''),
    ],
    "q_w09_e2b": [
        ("grup normu yerine L1 normu", '''
def group_soft_threshold(z, lam, group_size):
    z = np.asarray(z, dtype=float)
    G = z.reshape(-1, group_size)
    norms = np.abs(G).sum(axis=1, keepdims=True)
    return (G * np.maximum(0.0, 1.0 - lam / np.maximum(norms, 1e-12))).reshape(z.shape)
'''),
        ("gruplar yok sayılmış (eleman eleman yumuşak eşikleme)", '''
def group_soft_threshold(z, lam, group_size):
    z = np.asarray(z, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)
'''),
        ("ardışık değil, aralıklı gruplar (reshape(group_size, -1))", '''
def group_soft_threshold(z, lam, group_size):
    z = np.asarray(z, dtype=float)
    G = z.reshape(group_size, -1).T
    norms = np.linalg.norm(G, axis=1, keepdims=True)
    return (G * np.maximum(0.0, 1.0 - lam / np.maximum(norms, 1e-12))).T.reshape(z.shape)
'''),
        ("sıfır normlu grupta 0'a bölme (NaN)", '''
def group_soft_threshold(z, lam, group_size):
    z = np.asarray(z, dtype=float)
    G = z.reshape(-1, group_size)
    norms = np.linalg.norm(G, axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (G * np.maximum(0.0, 1.0 - lam / norms)).reshape(z.shape)
'''),
    ],
    "q_w09_e2c": [
        ("eşik lam / L yerine lam", '''
def ista(D, x, lam, steps=500):
    D = np.asarray(D, dtype=float); x = np.asarray(x, dtype=float)
    L = np.linalg.norm(D, 2) ** 2
    c = np.zeros(D.shape[1])
    for _ in range(int(steps)):
        c = soft_threshold(c + D.T @ (x - D @ c) / L, lam)
    return c
'''),
        ("adım boyu 1/‖D‖_F² (çok küçük, yakınsamıyor)", '''
def ista(D, x, lam, steps=500):
    D = np.asarray(D, dtype=float); x = np.asarray(x, dtype=float)
    L = np.linalg.norm(D) ** 2 * 20
    c = np.zeros(D.shape[1])
    for _ in range(int(steps)):
        c = soft_threshold(c + D.T @ (x - D @ c) / L, lam / L)
    return c
'''),
        ("gradyan adımı yok sayılmış: yalnızca Dᵀx'in eşiklenmesi", '''
def ista(D, x, lam, steps=500):
    D = np.asarray(D, dtype=float); x = np.asarray(x, dtype=float)
    L = np.linalg.norm(D, 2) ** 2
    return soft_threshold(D.T @ x / L, lam / L)
'''),
    ],
    "q_w09_e2d": [
        ("sayımlar eşik sonrası değil, |z| > lam/2 ile", '''
active_counts = {lam: int(np.count_nonzero(np.abs(z_code) > lam / 2)) for lam in (0.0, 0.5, 1.0, 1.5)}
'''),
        ("A: bağımsız sıfırlama", 'q_w09_e2_group = "A"\n'),
    ],
    "q_w09_e3a": [
        ("işaretler ters: gerçek yukarı, sahte aşağı", '''
def cost_loss(E_real, E_fake):
    return F.softplus(-E_real).mean() + F.softplus(E_fake).mean()
'''),
        ("sınırsız fark kaybı (ders kitabındaki E_real − E_fake)", '''
def cost_loss(E_real, E_fake):
    return E_real.mean() - E_fake.mean()
'''),
        ("softplus elle: log(1 + exp) (taşar)", '''
def cost_loss(E_real, E_fake):
    return torch.log(1 + torch.exp(E_real)).mean() + torch.log(1 + torch.exp(-E_fake)).mean()
'''),
    ],
    "q_w09_e3b": [
        ("doyan (saturating) biçim: log(1 − D)", '''
def generator_loss(E_fake):
    return -F.softplus(-E_fake).mean()
'''),
        ("ham enerji ortalaması (sınırsız)", '''
def generator_loss(E_fake):
    return E_fake.mean()
'''),
        ("ortalama yerine toplam", '''
def generator_loss(E_fake):
    return F.softplus(E_fake).sum()
'''),
    ],
    "q_w09_e3c": [
        ("cost_only modunda da üretici güncelleniyor", '''
def train_gan(G, C, real_sampler, steps, mode="joint", seed=0, lr=1e-3, batch=64, z_dim=8):
    g = torch.Generator().manual_seed(int(seed))
    opt_c = torch.optim.Adam(C.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    losses = []
    for _ in range(int(steps)):
        real = real_sampler(batch, g); z = torch.randn(batch, z_dim, generator=g)
        opt_c.zero_grad()
        loss_c = cost_loss(C(real).squeeze(-1), C(G(z).detach()).squeeze(-1))
        loss_c.backward(); opt_c.step(); losses.append(loss_c.item())
        opt_g.zero_grad()
        generator_loss(C(G(z)).squeeze(-1)).backward(); opt_g.step()
    return losses
'''),
        ("cost adımında gerçek ve sahte yer değiştirmiş", '''
def train_gan(G, C, real_sampler, steps, mode="joint", seed=0, lr=1e-3, batch=64, z_dim=8):
    g = torch.Generator().manual_seed(int(seed))
    opt_c = torch.optim.Adam(C.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    losses = []
    for _ in range(int(steps)):
        real = real_sampler(batch, g); z = torch.randn(batch, z_dim, generator=g)
        opt_c.zero_grad()
        loss_c = cost_loss(C(G(z).detach()).squeeze(-1), C(real).squeeze(-1))
        loss_c.backward(); opt_c.step(); losses.append(loss_c.item())
        if mode == "joint":
            opt_g.zero_grad()
            generator_loss(C(G(z)).squeeze(-1)).backward(); opt_g.step()
    return losses
'''),
        ("cost network'ün zero_grad'ı unutulmuş", '''
def train_gan(G, C, real_sampler, steps, mode="joint", seed=0, lr=1e-3, batch=64, z_dim=8):
    g = torch.Generator().manual_seed(int(seed))
    opt_c = torch.optim.Adam(C.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    losses = []
    for _ in range(int(steps)):
        real = real_sampler(batch, g); z = torch.randn(batch, z_dim, generator=g)
        loss_c = cost_loss(C(real).squeeze(-1), C(G(z).detach()).squeeze(-1))
        loss_c.backward(); opt_c.step(); losses.append(loss_c.item())
        if mode == "joint":
            opt_g.zero_grad()
            generator_loss(C(G(z)).squeeze(-1)).backward(); opt_g.step()
    return losses
'''),
        ("gan_experiment: gap_joint, ortak eğitimden önce ölçülmüş", '''
def gan_experiment(seed=0, cost_steps=100, joint_steps=400):
    G, C = du.mlp(8, 32, 2, seed=seed), du.mlp(2, 32, 1, seed=seed + 100)
    sampler = du.gaussian_sampler()
    gap_init, dist_init = du.gan_stats(G, C, sampler)
    train_gan(G, C, sampler, cost_steps, mode="cost_only", seed=seed)
    gap_cost_only, dist_mid = du.gan_stats(G, C, sampler)
    train_gan(G, C, sampler, joint_steps, mode="joint", seed=seed + 1)
    return {"G": G, "C": C, "gap_init": gap_init, "gap_cost_only": gap_cost_only, "gap_joint": gap_cost_only,
            "dist_init": dist_init, "dist_final": dist_mid}
'''),
    ],
    "q_w09_e3d": [
        ("(i) B: ters", 'q_w09_e3_frozen = "B"\n'),
        ("(ii) A: cost network bozuldu", 'q_w09_e3_equilibrium = "A"\n'),
    ],
    "q_w09_e4a": [
        ("örnek başına std (yanlış eksen)", '''
def diversity(samples):
    return torch.as_tensor(samples).std(dim=1).mean().item()
'''),
        ("varyans (std değil)", '''
def diversity(samples):
    return torch.as_tensor(samples).var(dim=0).mean().item()
'''),
        ("düzleştirilmiş tek std", '''
def diversity(samples):
    return torch.as_tensor(samples).std().item()
'''),
    ],
    "q_w09_e4b": [
        ("min_frac iyi örneklerin sayısına göre", '''
def mode_coverage(samples, centers, sigma, thr=3.0, min_frac=0.02):
    samples, centers = torch.as_tensor(samples, dtype=torch.float32), torch.as_tensor(centers, dtype=torch.float32)
    dmin, idx = torch.cdist(samples, centers).min(dim=1)
    good = dmin < thr * sigma
    counts = torch.bincount(idx[good], minlength=centers.shape[0])
    return int((counts >= min_frac * int(good.sum())).sum()), good.float().mean().item()
'''),
        ("iyi olmayan örnekler de modlara sayılmış", '''
def mode_coverage(samples, centers, sigma, thr=3.0, min_frac=0.02):
    samples, centers = torch.as_tensor(samples, dtype=torch.float32), torch.as_tensor(centers, dtype=torch.float32)
    dmin, idx = torch.cdist(samples, centers).min(dim=1)
    good = dmin < thr * sigma
    counts = torch.bincount(idx, minlength=centers.shape[0])
    return int((counts >= min_frac * samples.shape[0]).sum()), good.float().mean().item()
'''),
        ("thr yok sayılmış (hep 3σ)", '''
def mode_coverage(samples, centers, sigma, thr=3.0, min_frac=0.02):
    samples, centers = torch.as_tensor(samples, dtype=torch.float32), torch.as_tensor(centers, dtype=torch.float32)
    dmin, idx = torch.cdist(samples, centers).min(dim=1)
    good = dmin < 3.0 * sigma
    counts = torch.bincount(idx[good], minlength=centers.shape[0])
    return int((counts >= min_frac * samples.shape[0]).sum()), good.float().mean().item()
'''),
        ("kare uzaklık thr·σ ile karşılaştırılmış", '''
def mode_coverage(samples, centers, sigma, thr=3.0, min_frac=0.02):
    samples, centers = torch.as_tensor(samples, dtype=torch.float32), torch.as_tensor(centers, dtype=torch.float32)
    dmin, idx = (torch.cdist(samples, centers) ** 2).min(dim=1)
    good = dmin < thr * sigma
    counts = torch.bincount(idx[good], minlength=centers.shape[0])
    return int((counts >= min_frac * samples.shape[0]).sum()), good.float().mean().item()
'''),
    ],
    "q_w09_e4c": [
        ("sigma argümanı yok sayılmış", '''
@torch.no_grad()
def collapse_report(G, z, sigma=0.05):
    samples = G(z)
    modes, good = mode_coverage(samples, du.ring_centers(), 0.05)
    return modes, good, diversity(samples)
'''),
        ("ölçüm gerçek halka üzerinde yapılmış (G kullanılmamış)", '''
@torch.no_grad()
def collapse_report(G, z, sigma=0.05):
    samples = du.ring_sampler()(len(z), torch.Generator().manual_seed(0))
    modes, good = mode_coverage(samples, du.ring_centers(), sigma)
    return modes, good, diversity(samples)
'''),
    ],
    "q_w09_e4d": [
        ("A: cost network sabitlendi", 'q_w09_e4_collapse = "A"\n'),
        ("C: verinin az modu var", 'q_w09_e4_collapse = "C"\n'),
    ],
    "q_w09_e5a": [
        ("saat yönünde döndürme (rot90(img, −k))", '''
def make_rotation_task(img, g):
    k = int(torch.randint(0, 4, (1,), generator=g))
    return torch.rot90(img, -k, dims=(-2, -1)), k
'''),
        ("randint(0, 3): 270° hiç seçilmiyor", '''
def make_rotation_task(img, g):
    k = int(torch.randint(0, 3, (1,), generator=g))
    return torch.rot90(img, k, dims=(-2, -1)), k
'''),
        ("genel üreteç (g kullanılmamış)", '''
def make_rotation_task(img, g):
    k = int(torch.randint(0, 4, (1,)))
    return torch.rot90(img, k, dims=(-2, -1)), k
'''),
        ("ilk iki eksende döndürme (dims=(0, 1))", '''
def make_rotation_task(img, g):
    k = int(torch.randint(0, 4, (1,), generator=g))
    return torch.rot90(img, k, dims=(0, 1)), k
'''),
    ],
    "q_w09_e5b": [
        ("aynı yönde bir kez daha döndürülmüş", '''
def undo_rotation(rotated, k):
    return torch.rot90(rotated, k, dims=(-2, -1))
'''),
        ("ilk iki eksende geri döndürme", '''
def undo_rotation(rotated, k):
    return torch.rot90(rotated, -k, dims=(0, 1))
'''),
    ],
    "q_w09_e5c": [
        ("(i) B: insanlar etiketledi", 'q_w09_e5_free_label = "B"\n'),
        ("(ii) A: etikete hiç gerek yok", 'q_w09_e5_why_valuable = "A"\n'),
        ("(iii) A: 7", 'q_w09_e5_ambiguous = "A"\n'),
    ],
}
