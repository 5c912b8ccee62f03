"""Week 9 (chapter 16) reference solutions: capacity = low-energy volume, sparse coding (soft and
group soft-thresholding, ISTA), a GAN with a "cost network", mode collapse metrics, and the
week-10 preview (rotation pretext task).

Every top-level definition used by an ``# INJECT SOLUTION:`` directive is injected into the
master notebook; the docstrings are what students see (Turkish). The notebook's setup cell
provides ``np``, ``torch``, ``nn``, ``F`` and ``du`` (dlsp_utils), the same names imported here.
``DigitsAE``, ``train_ae``, ``z_code`` and ``train_ring_gan`` are *provided* code in the notebook
(not graded); they are repeated here so that the reference functions also run on the grader's
side.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import dlsp_utils as du


# --- provided in the notebook (not graded) -----------------------------------------------------


class DigitsAE(nn.Module):
    """Rakamlar için küçük autoencoder: 64 → hidden → code → hidden → 64 (ReLU; kodda aktivasyon yok, çıkışta sigmoid)."""

    def __init__(self, hidden=64, code=16, seed=0):
        super().__init__()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(seed))
            self.enc = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, code))
            self.dec = nn.Sequential(nn.Linear(code, hidden), nn.ReLU(), nn.Linear(hidden, 64), nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x))


def train_ae(model, X, epochs=200, lr=1e-2):
    """Tam-batch autoencoder eğitimi (MSE, Adam); kayıpları döndürür (Hafta 7–8'deki gibi)."""
    X = torch.as_tensor(X, dtype=torch.float32).to(next(model.parameters()).device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(int(epochs)):
        opt.zero_grad()
        loss = F.mse_loss(model(X), X)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


z_code = np.random.default_rng(0).normal(0, 1, 24)   # ders kitabının 24 birimlik "ham kodu"


def train_ring_gan(cost_loss_fn, generator_loss_fn, seed=0, k_cost=5, steps=300, batch=128, lr=1e-3):
    """Hazır GAN eğiticisi (8 Gauss'luk halka): her üretici adımına ``k_cost`` cost-network adımı.

    Kayıp fonksiyonları argüman olarak verilir (Soru 3a–3b'deki ``cost_loss``, ``generator_loss``).
    Döndürür: eğitilmiş üretici ``G`` (girdi: ``(n, 8)`` gürültü, çıktı: ``(n, 2)`` nokta).
    """
    G, C = du.mlp(8, 64, 2, seed=seed), du.mlp(2, 64, 1, seed=seed + 1000)
    sampler = du.ring_sampler()
    g = torch.Generator().manual_seed(seed)
    opt_c = torch.optim.Adam(C.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    for _ in range(int(steps)):
        for _ in range(int(k_cost)):
            real = sampler(batch, g)
            fake = G(torch.randn(batch, 8, generator=g)).detach()
            opt_c.zero_grad()
            cost_loss_fn(C(real).squeeze(-1), C(fake).squeeze(-1)).backward()
            opt_c.step()
        opt_g.zero_grad()
        generator_loss_fn(C(G(torch.randn(batch, 8, generator=g))).squeeze(-1)).backward()
        opt_g.step()
    return G


# --- Egzersiz 1 ----------------------------------------------------------------------------------


def capacity_sweep(X_train, X_test, X_perturbed, codes=(32, 8, 2), epochs=200, seed=0, threshold=0.05):
    """Kod boyutunu küçült: kurma kalitesi ve "düşük enerjili bölge" nasıl değişir?

    Her ``code`` için:

    1. ``model = DigitsAE(code=code, seed=seed)``; ``train_ae(model, X_train, epochs=epochs)``.
    2. Enerji = örnek başına kurma hatası: ``E(x) = ((model(x) − x)²).mean(dim=1)`` (``no_grad``).
    3. Ölç:
       - ``"test_mse"``: ``X_test``'te ortalama enerji,
       - ``"low_frac_perturbed"``: ``X_perturbed``'in (gürültülü rakamlar) ``E < threshold`` olan oranı,
       - ``"low_frac_data"``: ``X_test``'in ``E < threshold`` olan oranı.

    Döndürür: ``{code: {"model": model, "test_mse": ..., "low_frac_perturbed": ...,
    "low_frac_data": ...}}`` (sayılar ``float``).
    """
    results = {}
    for code in codes:
        model = DigitsAE(code=code, seed=seed)
        train_ae(model, X_train, epochs=epochs)
        with torch.no_grad():
            e_test = ((model(X_test) - X_test) ** 2).mean(dim=1)
            e_pert = ((model(X_perturbed) - X_perturbed) ** 2).mean(dim=1)
        results[code] = {
            "model": model,
            "test_mse": e_test.mean().item(),
            "low_frac_perturbed": (e_pert < threshold).float().mean().item(),
            "low_frac_data": (e_test < threshold).float().mean().item(),
        }
    return results


q_w09_e1_trend = "B"
q_w09_e1_why_not_2 = "A"


# --- Egzersiz 2 ----------------------------------------------------------------------------------


def soft_threshold(z, lam):
    """Yumuşak eşikleme (L1'in yakınsal operatörü): ``sign(z) · max(|z| − lam, 0)``, eleman eleman.

    ``z``: NumPy dizisi; döndürür: aynı şekilde NumPy dizisi.
    """
    z = np.asarray(z, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)


def group_soft_threshold(z, lam, group_size):
    """Grup yumuşak eşikleme: ``z``'yi ardışık ``group_size``'lık gruplara böl; her grup ``z_g`` için

    ``z_g · max(0, 1 − lam / ‖z_g‖₂)`` (normu ``lam``'dan küçük grup TÜMDEN sıfırlanır, büyük olan
    yönü korunarak kısaltılır). ``‖z_g‖ = 0`` ise grup sıfır kalır. ``len(z)``, ``group_size``'ın katıdır.
    Döndürür: ``z`` ile aynı şekilde NumPy dizisi.
    """
    z = np.asarray(z, dtype=float)
    groups = z.reshape(-1, int(group_size))
    norms = np.linalg.norm(groups, axis=1, keepdims=True)
    scale = np.maximum(0.0, 1.0 - lam / np.maximum(norms, 1e-12))
    return (groups * scale).reshape(z.shape)


def ista(D, x, lam, steps=500):
    """ISTA ile seyrek kod: ``½‖x − D c‖² + lam · ‖c‖₁``'i en küçük yapan ``c``.

    ``L = ‖D‖₂²`` (en büyük tekil değerin karesi: ``np.linalg.norm(D, 2) ** 2``), ``c = 0``'dan başla,
    ``steps`` kez: ``c ← soft_threshold(c + Dᵀ(x − D c) / L, lam / L)``.
    ``D``: ``(m, k)`` sözlük, ``x``: ``(m,)``. Döndürür: ``(k,)`` NumPy dizisi.
    """
    D = np.asarray(D, dtype=float)
    x = np.asarray(x, dtype=float)
    L = np.linalg.norm(D, 2) ** 2
    c = np.zeros(D.shape[1])
    for _ in range(int(steps)):
        c = soft_threshold(c + D.T @ (x - D @ c) / L, lam / L)
    return c


active_counts = {lam: int(np.count_nonzero(soft_threshold(z_code, lam))) for lam in (0.0, 0.5, 1.0, 1.5)}

q_w09_e2_group = "B"


# --- Egzersiz 3 ----------------------------------------------------------------------------------


def cost_loss(E_real, E_fake):
    """Cost network'ün (enerji ağının) kaybı: gerçeğe DÜŞÜK, sahteye YÜKSEK enerji.

    ``mean(softplus(E_real)) + mean(softplus(−E_fake))``. (Bu, logit = −enerji alınmış ikili
    çapraz entropidir: ``D = sigmoid(−E)``; ``softplus(E) = −log D``.) ``F.softplus`` büyük
    değerlerde de kararlıdır; ``log(1 + exp(·))``'i elle yazma. Döndürür: 0-boyutlu tensör.
    """
    return F.softplus(E_real).mean() + F.softplus(-E_fake).mean()


def generator_loss(E_fake):
    """Üreticinin kaybı (doymayan / non-saturating biçim): sahtelerin enerjisini DÜŞÜR.

    ``mean(softplus(E_fake))`` (= ``−log D(G(z))``). Döndürür: 0-boyutlu tensör.
    """
    return F.softplus(E_fake).mean()


def train_gan(G, C, real_sampler, steps, mode="joint", seed=0, lr=1e-3, batch=64, z_dim=8):
    """GAN'ı (yerinde) eğitir; her adımın cost-network kaybını liste olarak döndürür.

    - ``g = torch.Generator().manual_seed(seed)``; iki Adam: ``lr=lr, betas=(0.5, 0.999)``, biri
      ``C``, biri ``G`` için (bu çağrıda yeni oluşturulur).
    - Her adımda: ``real = real_sampler(batch, g)``, ``z = torch.randn(batch, z_dim, generator=g)``.
      1. Cost adımı: ``cost_loss(C(real).squeeze(-1), C(G(z).detach()).squeeze(-1))``; ``C``'yi güncelle.
      2. Yalnızca ``mode == "joint"`` ise üretici adımı: ``generator_loss(C(G(z)).squeeze(-1))``;
         ``G``'yi güncelle. ``mode == "cost_only"`` iken ``G`` DEĞİŞMEMELİ.
    - Her güncellemeden önce ilgili optimizer'ın ``zero_grad``'ı.

    Döndürür: uzunluğu ``steps`` olan ``float`` listesi (cost kaybı).
    """
    g = torch.Generator().manual_seed(int(seed))
    opt_c = torch.optim.Adam(C.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    losses = []
    for _ in range(int(steps)):
        real = real_sampler(batch, g)
        z = torch.randn(batch, z_dim, generator=g)
        opt_c.zero_grad()
        loss_c = cost_loss(C(real).squeeze(-1), C(G(z).detach()).squeeze(-1))
        loss_c.backward()
        opt_c.step()
        losses.append(loss_c.item())
        if mode == "joint":
            opt_g.zero_grad()
            generator_loss(C(G(z)).squeeze(-1)).backward()
            opt_g.step()
    return losses


def gan_experiment(seed=0, cost_steps=100, joint_steps=400):
    """Egzersiz 3'ün deneyi: cost network gerçeğe düşük, sahteye yüksek enerji veriyor mu?

    1. ``G = du.mlp(8, 32, 2, seed=seed)``, ``C = du.mlp(2, 32, 1, seed=seed + 100)``,
       ``sampler = du.gaussian_sampler()`` (gerçek veri: N((1, 0), 0.1²I)).
    2. ``gap_init, dist_init = du.gan_stats(G, C, sampler)``.
    3. ``train_gan(G, C, sampler, cost_steps, mode="cost_only", seed=seed)`` →
       ``gap_cost_only, _ = du.gan_stats(G, C, sampler)``.
    4. ``train_gan(G, C, sampler, joint_steps, mode="joint", seed=seed + 1)`` →
       ``gap_joint, dist_final = du.gan_stats(G, C, sampler)``.

    Döndürür: ``"G"``, ``"C"``, ``"gap_init"``, ``"gap_cost_only"``, ``"gap_joint"``,
    ``"dist_init"``, ``"dist_final"`` anahtarlı sözlük (sayılar ``float``).
    """
    G, C = du.mlp(8, 32, 2, seed=seed), du.mlp(2, 32, 1, seed=seed + 100)
    sampler = du.gaussian_sampler()
    gap_init, dist_init = du.gan_stats(G, C, sampler)
    train_gan(G, C, sampler, cost_steps, mode="cost_only", seed=seed)
    gap_cost_only, _ = du.gan_stats(G, C, sampler)
    train_gan(G, C, sampler, joint_steps, mode="joint", seed=seed + 1)
    gap_joint, dist_final = du.gan_stats(G, C, sampler)
    return {"G": G, "C": C, "gap_init": gap_init, "gap_cost_only": gap_cost_only, "gap_joint": gap_joint,
            "dist_init": dist_init, "dist_final": dist_final}


q_w09_e3_frozen = "A"
q_w09_e3_equilibrium = "C"


# --- Egzersiz 4 ----------------------------------------------------------------------------------


def diversity(samples):
    """Çeşitlilik ölçüsü (ders kitabındaki gibi): boyut başına standart sapmaların ortalaması.

    ``samples``: ``(n, d)`` tensör. Döndürür: ``float`` (``samples.std(dim=0).mean()``).
    """
    return torch.as_tensor(samples).std(dim=0).mean().item()


def mode_coverage(samples, centers, sigma, thr=3.0, min_frac=0.02):
    """Kaç mod kapsanıyor, örneklerin ne kadarı "iyi"?

    - Her örneği EN YAKIN merkeze ata (``torch.cdist``).
    - Örnek, en yakın merkeze uzaklığı ``thr · sigma``'dan küçükse "iyi"dir.
    - Bir mod, ``samples``'ın TAMAMININ en az ``min_frac`` oranı kadar iyi örnek o moda atanmışsa
      "kapsanmış" sayılır.

    ``samples``: ``(n, 2)``, ``centers``: ``(K, 2)`` tensör. Döndürür:
    ``(kapsanan_mod_sayısı, iyi_örnek_oranı)``: bir ``int`` ve bir ``float``.
    """
    samples, centers = torch.as_tensor(samples, dtype=torch.float32), torch.as_tensor(centers, dtype=torch.float32)
    dmin, idx = torch.cdist(samples, centers).min(dim=1)
    good = dmin < thr * sigma
    counts = torch.bincount(idx[good], minlength=centers.shape[0])
    return int((counts >= min_frac * samples.shape[0]).sum()), good.float().mean().item()


@torch.no_grad()
def collapse_report(G, z, sigma=0.05):
    """Eğitilmiş bir üreticinin örneklerini ölçer: ``samples = G(z)``; halka merkezleri ``du.ring_centers()``.

    Döndürür: ``(kapsanan_mod, iyi_oran, çeşitlilik)``: ``mode_coverage(samples, du.ring_centers(), sigma)``'nın
    iki değeri ve ``diversity(samples)``.
    """
    samples = G(z)
    modes, good = mode_coverage(samples, du.ring_centers(), sigma)
    return modes, good, diversity(samples)


q_w09_e4_collapse = "B"


# --- Egzersiz 5 ----------------------------------------------------------------------------------


def make_rotation_task(img, g):
    """Döndürme pretext görevi: ``k ∈ {0, 1, 2, 3}`` seç, görüntüyü ``k · 90°`` döndür.

    ``k = int(torch.randint(0, 4, (1,), generator=g))``; ``rotated = torch.rot90(img, k, dims=(-2, -1))``
    (torch'un yönü: saat yönünün tersine). ``img``: ``(H, W)`` ya da ``(C, H, W)``.
    Döndürür: ``(rotated, k)``; ``k`` bir Python ``int``'i (bedava etiket!).
    """
    k = int(torch.randint(0, 4, (1,), generator=g))
    return torch.rot90(img, k, dims=(-2, -1)), k


def undo_rotation(rotated, k):
    """Döndürmeyi geri al: ``torch.rot90(rotated, -k, dims=(-2, -1))``."""
    return torch.rot90(rotated, -k, dims=(-2, -1))


q_w09_e5_free_label = "A"
q_w09_e5_why_valuable = "C"
q_w09_e5_ambiguous = "B"
