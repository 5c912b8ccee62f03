"""DLSP20 (Türkçe) ödev defterleri için ortak yardımcılar.

Bu dosya her haftanın defteriyle birlikte gelir; defterin başındaki kurulum hücresi onu
``import dlsp_utils as du`` ile yükler. İçinde veri üreticileri (spiral, iki-hilal, beyaz bulut),
tohum (seed) ayarı, küçük eğitim döngüleri ve çizim yardımcıları var.

Hiçbir şey indirmez: bütün veriler yerelde üretilir. Yalnızca numpy, torch ve scikit-learn
kullanır; matplotlib yalnızca çizim fonksiyonlarının içinde yüklenir.
"""

from __future__ import annotations

import math
import random

import numpy as np
import torch
import torch.nn as nn

__all__ = [
    "setup",
    "set_seed",
    "device",
    "make_spiral",
    "make_moons_t",
    "white_cloud",
    "train_full_batch",
    "train_minibatch",
    "accuracy",
    "plot_decision_boundary",
    "plot_losses",
]


# ---------------------------------------------------------------------------------------------
# Kurulum
# ---------------------------------------------------------------------------------------------


def setup(seed: int = 0) -> None:
    """Defteri hazırlar: torch'u tek iş parçacığına (thread) sabitler ve tohumları ayarlar.

    Küçük ağlarda tek thread hem daha hızlı hem de tekrarlanabilirdir (aynı tohum, aynı sonuç).
    """
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        # torch'ta paralel bir iş başladıktan sonra bu ayar bir daha değiştirilemez; sorun değil.
        pass
    set_seed(seed)


def set_seed(s: int) -> None:
    """torch, numpy ve Python'un ``random`` modülünün tohumlarını ``s`` yapar."""
    s = int(s)
    random.seed(s)
    np.random.seed(s % (2**32))
    torch.manual_seed(s)


def device() -> torch.device:
    """CUDA (GPU) varsa ``torch.device("cuda")``, yoksa ``torch.device("cpu")`` döndürür."""
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


# ---------------------------------------------------------------------------------------------
# Veri üreticileri
# ---------------------------------------------------------------------------------------------


def make_spiral(
    n_per_class: int = 200, k: int = 5, seed: int = 0, noise: float = 0.2
) -> tuple[torch.Tensor, torch.Tensor]:
    """Canziani'nin spiral verisi: ``k`` kollu, her kolda ``n_per_class`` nokta.

    Döndürür: ``X`` (``float32``, şekil ``[n_per_class*k, 2]``) ve ``y`` (``int64``, sınıf
    numaraları ``0..k-1``). Rastgelelik yalnızca ``seed``'den gelir (genel tohumdan bağımsız).
    """
    rng = np.random.default_rng(seed)
    n = int(n_per_class)
    X = np.zeros((n * k, 2), dtype=np.float64)
    y = np.zeros(n * k, dtype=np.int64)
    t = np.linspace(0.0, 1.0, n)
    for c in range(k):
        inner = np.linspace(2 * math.pi / k * c, 2 * math.pi / k * (2 + c), n)
        inner = inner + rng.standard_normal(n) * noise
        X[c * n : (c + 1) * n] = t[:, None] * np.stack([np.sin(inner), np.cos(inner)], axis=1)
        y[c * n : (c + 1) * n] = c
    return torch.from_numpy(X).float(), torch.from_numpy(y)


def make_moons_t(n: int = 400, noise: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn'ün ``make_moons`` verisi (iki hilal), torch tensörü olarak.

    Döndürür: ``X`` (``float32``, ``[n, 2]``) ve ``y`` (``int64``, 0 ya da 1).
    """
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=int(n), noise=float(noise), random_state=int(seed))
    return torch.from_numpy(X).float(), torch.from_numpy(y).long()


def white_cloud(n: int = 1000, seed: int = 0, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Tam olarak "beyaz" 2-B nokta bulutu: ortalaması tam 0, kovaryansı tam birim matris.

    Önce standart normal ``n`` nokta üretilir, sonra ortalama çıkarılır ve bulut, (``n-1`` ile
    normalize edilmiş) kovaryansın Cholesky çarpanının tersiyle çarpılır. Böylece rastgelelikten
    gelen küçük sapmalar yok olur: ``Y = X @ A.T`` bulutunun ana eksenleri tam olarak ``A``'nın
    tekil değerleri olur. Şekil ``[n, 2]``.
    """
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((int(n), 2))
    Z = Z - Z.mean(axis=0)
    L = np.linalg.cholesky(np.cov(Z, rowvar=False))
    Z = Z @ np.linalg.inv(L).T
    return torch.from_numpy(Z).to(dtype)


# ---------------------------------------------------------------------------------------------
# Eğitim yardımcıları
# ---------------------------------------------------------------------------------------------


def _model_device(model: nn.Module) -> torch.device:
    p = next(iter(model.parameters()), None)
    return p.device if p is not None else torch.device("cpu")


def train_full_batch(
    model: nn.Module,
    X,
    y,
    opt: torch.optim.Optimizer,
    epochs: int,
    loss_fn=None,
    zero_grad: bool = True,
) -> list[float]:
    """Tam-batch eğitim: her epoch'ta bütün veriyle bir ileri geçiş + bir optimizasyon adımı.

    Veri modelin bulunduğu cihaza (CPU/GPU) taşınır. ``loss_fn`` verilmezse
    ``nn.CrossEntropyLoss()`` kullanılır. ``zero_grad=False`` gradyanların birikmesini gösterir.
    Döndürür: her epoch'ta adımdan *önce* ölçülen kayıp değerleri (``float`` listesi).
    """
    loss_fn = nn.CrossEntropyLoss() if loss_fn is None else loss_fn
    dev = _model_device(model)
    X = torch.as_tensor(X).to(dev)
    y = torch.as_tensor(y).to(dev)
    model.train()
    losses: list[float] = []
    for _ in range(int(epochs)):
        if zero_grad:
            opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    return losses


def train_minibatch(
    model: nn.Module,
    X,
    y,
    opt: torch.optim.Optimizer,
    epochs: int,
    batch_size: int,
    seed: int = 0,
    zero_grad: bool = True,
    loss_fn=None,
) -> list[float]:
    """Mini-batch eğitim: her epoch'ta veri ``seed``'e bağlı bir sırayla karıştırılıp
    ``batch_size``'lık parçalarla eğitilir.

    Döndürür: her adımda (mini-batch'te) adımdan *önce* ölçülen kayıp değerleri.
    """
    loss_fn = nn.CrossEntropyLoss() if loss_fn is None else loss_fn
    dev = _model_device(model)
    X = torch.as_tensor(X).to(dev)
    y = torch.as_tensor(y).to(dev)
    g = torch.Generator().manual_seed(int(seed))
    n = X.shape[0]
    model.train()
    losses: list[float] = []
    for _ in range(int(epochs)):
        perm = torch.randperm(n, generator=g).to(dev)
        for start in range(0, n, int(batch_size)):
            idx = perm[start : start + int(batch_size)]
            if zero_grad:
                opt.zero_grad()
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(float(loss.item()))
    return losses


@torch.no_grad()
def accuracy(model: nn.Module, X, y) -> float:
    """Sınıflandırma doğruluğu: ``argmax`` tahmininin ``y``'ye eşit olduğu örneklerin oranı."""
    dev = _model_device(model)
    was_training = model.training
    model.eval()
    try:
        pred = model(torch.as_tensor(X).to(dev)).argmax(dim=1).cpu()
    finally:
        model.train(was_training)
    return float((pred == torch.as_tensor(y).cpu()).float().mean().item())


# ---------------------------------------------------------------------------------------------
# Çizim (matplotlib yalnızca burada yüklenir; ekransız "Agg" ortamında da çalışır)
# ---------------------------------------------------------------------------------------------


@torch.no_grad()
def plot_decision_boundary(model: nn.Module, X, y, ax=None, lims=None, n: int = 200, title=None):
    """2-B girdili bir sınıflandırıcının karar bölgelerini ve veri noktalarını çizer.

    ``lims=(xmin, xmax, ymin, ymax)`` verilmezse verinin sınırlarından biraz geniş tutulur.
    Döndürür: çizimin yapıldığı matplotlib ``Axes`` nesnesi.
    """
    import matplotlib.pyplot as plt

    Xn = torch.as_tensor(X).detach().cpu().double().numpy()
    yn = torch.as_tensor(y).detach().cpu().numpy()
    if lims is None:
        pad = 0.5
        lims = (Xn[:, 0].min() - pad, Xn[:, 0].max() + pad, Xn[:, 1].min() - pad, Xn[:, 1].max() + pad)
    xs = np.linspace(lims[0], lims[1], int(n))
    ys = np.linspace(lims[2], lims[3], int(n))
    xx, yy = np.meshgrid(xs, ys)
    grid = torch.from_numpy(np.stack([xx.ravel(), yy.ravel()], axis=1)).float()
    dev = _model_device(model)
    was_training = model.training
    model.eval()
    try:
        pred = model(grid.to(dev)).argmax(dim=1).cpu().numpy().reshape(xx.shape)
    finally:
        model.train(was_training)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.contourf(xx, yy, pred, alpha=0.3, cmap="Spectral", levels=np.arange(int(pred.max()) + 2) - 0.5)
    ax.scatter(Xn[:, 0], Xn[:, 1], c=yn, s=8, cmap="Spectral", edgecolors="k", linewidths=0.2)
    ax.set_xlim(lims[0], lims[1])
    ax.set_ylim(lims[2], lims[3])
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_losses(curves: dict, ax=None, logy: bool = False):
    """``{"ad": kayıp_listesi, ...}`` sözlüğündeki kayıp eğrilerini aynı eksende çizer."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    for name, values in curves.items():
        ax.plot(np.asarray([float(v) for v in values]), label=str(name))
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("adım / epoch")
    ax.set_ylabel("kayıp")
    ax.legend()
    return ax


# --- week 08 helpers --- (Hafta 8–10: digits verisi, 1-B enerji araçları; Hafta 9–10 da kullanır)


def digits_split(test_size: float = 0.25, seed: int = 0):
    """scikit-learn'ün 8×8 rakam görüntüleri (MNIST'in küçük, yerel kardeşi), eğitim/test olarak.

    Pikseller 16'ya bölünür (değerler ``[0, 1]``); bölme sınıf oranlarını korur (stratified).
    Döndürür: ``Xtr, Xte, ytr, yte``; ``X``'ler ``float32`` ``[n, 64]``, ``y``'ler ``int64``.
    Varsayılan ayarlarla 1347 eğitim, 450 test örneği.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    d = load_digits()
    X = (d.data / 16.0).astype(np.float32)
    Xtr, Xte, ytr, yte = train_test_split(X, d.target, test_size=test_size, random_state=int(seed),
                                          stratify=d.target)
    return (torch.from_numpy(Xtr), torch.from_numpy(Xte),
            torch.from_numpy(ytr.astype(np.int64)), torch.from_numpy(yte.astype(np.int64)))


def as_images(X) -> torch.Tensor:
    """``[n, 64]`` rakam vektörlerini ``[n, 1, 8, 8]`` görüntülere çevirir."""
    return torch.as_tensor(X).reshape(-1, 1, 8, 8)


def show_digits(X, n: int = 16, ncols: int = 8, title=None, axes=None):
    """İlk ``n`` rakamı (``[n, 64]`` ya da ``[n, 1, 8, 8]``) gri tonlamalı bir ızgarada çizer."""
    import matplotlib.pyplot as plt

    imgs = torch.as_tensor(X).detach().cpu().float().reshape(-1, 8, 8)[: int(n)].numpy()
    nrows = max(1, math.ceil(len(imgs) / ncols))
    if axes is None:
        fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * 0.9, nrows * 0.9 + (0.3 if title else 0)))
        if title is not None:
            fig.suptitle(title)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes:
        ax.axis("off")
    for ax, im in zip(axes, imgs):
        ax.imshow(im, cmap="gray_r", vmin=0.0, vmax=1.0)
    return axes


DATA_1D = (-2.0, 0.0, 2.0)              # 1-B "veri noktaları" (ders kitabındaki gibi)
ENERGY_GRID = torch.linspace(-4.0, 4.0, 161)
PROBES = (-3.0, -1.0, 1.0, 3.0)          # verinin arasında/dışında yoklama noktaları


def energy_1d(y, data=DATA_1D, width: float = 0.35):
    """Ders kitabının elle kurulmuş 1-B enerjisi: 1 − Σ exp(−(y − d)² / (2·width)) (NumPy)."""
    y = np.asarray(y, float)
    F = np.ones_like(y)
    for d in data:
        F = F - np.exp(-((y - d) ** 2) / (2 * width))
    return F


class EnergyNet1D(nn.Module):
    """Öğrenilebilir 1-B enerji: MLP 1 → 64 → 64 → 1 (tanh), enerji = |çıktı| ≥ 0.

    ``seed`` aynıysa başlangıç ağırlıkları aynıdır (genel tohumu değiştirmez). Girdi: şekli
    ``(n,)`` ya da ``(n, 1)`` olan tensör; çıktı: şekli ``(n,)`` enerjiler.
    """

    def __init__(self, hidden: int = 64, seed: int = 0) -> None:
        super().__init__()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(seed))
            self.net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                                     nn.Linear(hidden, 1))

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        y = torch.as_tensor(y, dtype=torch.float32).to(_model_device(self)).reshape(-1, 1)
        return self.net(y).abs().squeeze(-1)


@torch.no_grad()
def energies(energy_fn, y) -> np.ndarray:
    """``energy_fn``'i (bir ``nn.Module`` ya da fonksiyon) ``y`` noktalarında değerlendirir; NumPy dizisi döndürür."""
    y = torch.as_tensor(y, dtype=torch.float32)
    if isinstance(energy_fn, nn.Module):
        y = y.to(_model_device(energy_fn))
    out = energy_fn(y)
    return torch.as_tensor(out).detach().cpu().double().reshape(-1).numpy()


def low_energy_fraction(energy_fn, data=DATA_1D, grid=ENERGY_GRID, margin: float = 1.0) -> float:
    """Izgaranın "düşük enerjili" kısmı: E(y) < ortalama E(veri) + margin/2 olan noktaların oranı.

    Yalnızca verinin çevresi düşükse küçük (iyi şekillenmiş enerji), her yer düşükse 1.0 (çöküş).
    """
    e_data = energies(energy_fn, data).mean()
    e_grid = energies(energy_fn, grid)
    return float((e_grid < e_data + margin / 2).mean())


def plot_energy_1d(curves: dict, data=DATA_1D, grid=ENERGY_GRID, ax=None):
    """``{"ad": energy_fn, ...}`` enerji eğrilerini ızgarada çizer; veri noktalarını işaretler."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    g = torch.as_tensor(grid).double().numpy()
    for name, fn in curves.items():
        ax.plot(g, energies(fn, grid), label=str(name))
    for d in data:
        ax.axvline(float(d), color="k", lw=0.6, ls=":")
    ax.set_xlabel("y")
    ax.set_ylabel("E(y)")
    ax.legend()
    return ax


# --- week 14 helpers --- (Hafta 14: seyrek regresyon verisi, digits tensörleri, transfer ağı)


def make_sparse_regression(n: int = 200, p: int = 50, k: int = 5, noise: float = 0.5, seed: int = 0):
    """Seyrek doğrusal regresyon verisi: ``y = X w* + gürültü``; ``w*``'nin yalnızca ``k`` bileşeni 0'dan farklı.

    ``X``'in sütunları standartlaştırılmıştır (ortalama 0, standart sapma 1). Sıfır olmayan
    bileşenlerin büyüklüğü 1 ile 3 arasında, işaretleri rastgeledir.
    Döndürür: ``X`` ``(n, p)``, ``y`` ``(n,)``, ``w_true`` ``(p,)`` (hepsi ``float64`` NumPy dizisi).
    """
    rng = np.random.default_rng(int(seed))
    X = rng.standard_normal((int(n), int(p)))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    w = np.zeros(int(p))
    support = rng.choice(int(p), size=int(k), replace=False)
    w[support] = rng.choice([-1.0, 1.0], size=int(k)) * rng.uniform(1.0, 3.0, size=int(k))
    y = X @ w + float(noise) * rng.standard_normal(int(n))
    return X, y, w


def load_digits_tensors():
    """scikit-learn'ün ``load_digits`` verisi (1797 örnek, 8×8 = 64 piksel), torch tensörü olarak.

    Pikseller 16'ya bölünüp ``[0, 1]`` aralığına getirilir. Döndürür: ``X`` (``float32``,
    ``[1797, 64]``) ve ``y`` (``int64``, rakamlar 0–9). İndirme yok: veri scikit-learn ile gelir.
    """
    from sklearn.datasets import load_digits

    d = load_digits()
    return torch.tensor(d.data / 16.0, dtype=torch.float32), torch.tensor(d.target, dtype=torch.long)


class TransferNet(nn.Module):
    """Transfer öğrenme için küçük ağ: ``backbone`` (omurga, 64→128→64) + ``head`` (kafa, 64→10).

    ``backbone = Sequential(Linear(64, 128), ReLU, Linear(128, 64), ReLU)``,
    ``head = Linear(64, 10)``. İleri geçiş: ``head(backbone(x))``. BatchNorm yok (dondurmayı
    karıştırmasın diye).
    """

    def __init__(self, d_in: int = 64, d_hidden: int = 128, d_feat: int = 64, n_classes: int = 10):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(d_in, d_hidden), nn.ReLU(), nn.Linear(d_hidden, d_feat), nn.ReLU())
        self.head = nn.Linear(d_feat, n_classes)

    def forward(self, x):
        return self.head(self.backbone(x))


# --- week 06 helpers --- (Hafta 6: iki geçerli cevaplı 1-B regresyon verisi)


def circle_data(n: int = 512, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Birim çemberden (x² + y² = 1) veri: her ``x`` için iki geçerli cevap vardır, ``±√(1 − x²)``.

    ``x ~ U(−0.9, 0.9)``; her noktanın işareti (üst ya da alt şık) rastgele seçilir.
    Döndürür: ``x`` ve ``y``, ikisi de ``float32``, şekil ``[n, 1]``. Rastgelelik yalnızca ``seed``'den gelir.
    """
    rng = np.random.default_rng(int(seed))
    x = rng.uniform(-0.9, 0.9, size=int(n))
    y = rng.choice([-1.0, 1.0], size=int(n)) * np.sqrt(1.0 - x**2)
    return (torch.tensor(x, dtype=torch.float32).reshape(-1, 1), torch.tensor(y, dtype=torch.float32).reshape(-1, 1))


# --- week 02 helpers --- (Hafta 2+: torch.optim'in önbellek klasörü yazılabilir olsun)


def ensure_writable_torch_cache() -> str:
    """torch'un derleme önbelleği (``TORCHINDUCTOR_CACHE_DIR``) yazılabilir bir klasörde olsun.

    ``torch.optim`` bir optimizer ilk kez oluşturulduğunda ``torch._dynamo``'yu yükler; o da bu
    önbellek klasörünü oluşturmaya çalışır. Klasör yazılamıyorsa (bazı not ortamlarında ``/tmp``
    salt okunurdur) optimizer oluşturulamaz (``PermissionError``). Bu fonksiyon, ayarlı klasör
    yazılamıyorsa yazılabilir geçici bir klasör seçer; sorun yoksa hiçbir şeyi değiştirmez.
    Döndürür: kullanılan klasör (ayar yoksa boş metin: torch kendi varsayılanını kullanır).
    """
    import os
    import tempfile

    current = os.environ.get("TORCHINDUCTOR_CACHE_DIR", "")
    if not current:
        return ""
    try:
        os.makedirs(current, exist_ok=True)
        if os.access(current, os.W_OK | os.X_OK):
            return current
    except OSError:
        pass
    path = tempfile.mkdtemp(prefix="torchinductor-")
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = path
    return path



# --- week 11 helpers --- (Hafta 11: çubuk-gelecek görüntüleri, enerji bulutları, PPUU oyuncak dünyası)


def sample_bar_futures(n: int, p: float = 0.6, generator=None) -> torch.Tensor:
    """``n`` tane 8×8 "gelecek" görüntüsü: her biri ``p`` olasılıkla 2. sütunda, yoksa 5. sütunda
    dikey bir çubuk (değer 1, geri kalan 0). Şekil ``[n, 8, 8]``, ``float32``.

    Aynı geçmişten iki farklı gelecek: MSE bunların ortalamasını (bulanık), L1 medyanını (keskin)
    öğrenir. ``generator`` bir ``torch.Generator`` (tekrarlanabilirlik için) ya da ``None``.
    """
    u = torch.rand(int(n), generator=generator)
    imgs = torch.zeros(int(n), 8, 8)
    left = u < float(p)
    imgs[left, :, 2] = 1.0
    imgs[~left, :, 5] = 1.0
    return imgs


BLOB_CENTERS = ((0.0, 2.0), (-1.8, -1.0), (1.8, -1.0))


def make_energy_blobs(n: int = 600, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Üç Gauss bulutu (3 sınıf, her sınıftan eşit sayıda nokta, std 0.5).

    Döndürür: ``X`` (``float32``, ``[n, 2]``) ve ``y`` (``int64``, ``0..2``). Rastgelelik yalnızca
    ``seed``'den gelir.
    """
    g = torch.Generator().manual_seed(int(seed))
    centers = torch.tensor(BLOB_CENTERS)
    y = torch.arange(int(n)) % 3
    X = centers[y] + 0.5 * torch.randn(int(n), 2, generator=g)
    return X, y


class BlobEnergyNet(nn.Module):
    """2 → 32 → 3 MLP; çıktı her aday cevabın (sınıfın) ENERJİSİDİR: düşük = iyi.

    Son katmanın çıktısı softplus'tan geçer, yani enerjiler hep ≥ 0 (sınırsız enerjilerde
    "enerji kaybı" çökmek yerine −∞'a kaçardı). ``head`` son katmandır (ağırlık ölçeği için).
    """

    def __init__(self, hidden: int = 32, k: int = 3):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, hidden), nn.ReLU())
        self.head = nn.Linear(hidden, k)

    def forward(self, x):
        return nn.functional.softplus(self.head(self.body(x)))


def train_blob_energy(loss_fn, m=None, steps: int = 300, seed: int = 0, n: int = 600, lr: float = 1e-2):
    """``BlobEnergyNet``'i ``make_energy_blobs(n, seed)`` verisinde tam-batch Adam ile eğitir.

    Her adımda ``E = net(X)`` (şekil ``[n, 3]``) hesaplanır ve kayıp ``loss_fn(E, y)`` (``m`` verilirse
    ``loss_fn(E, y, m)``) olur. Döndürür: eğitilmiş ağ (CPU'da).
    """
    X, y = make_energy_blobs(n, seed)
    torch.manual_seed(int(seed))
    net = BlobEnergyNet()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    for _ in range(int(steps)):
        E = net(X)
        loss = loss_fn(E, y) if m is None else loss_fn(E, y, m)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net


def ppuu_world(n: int, generator=None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """PPUU'nun 1-B oyuncak dünyası: ``s' = s + sin(3a) + ε``.

    ``s`` (konum) ve ``a`` (eylem, direksiyon) ``U(-1, 1)``; ``ε`` = ±0.5 (diğer araçlar: eşit
    olasılıkla iki gelecek). Döndürür: ``s, a, s_next``; her biri ``[n, 1]``, ``float32``.
    """
    s = torch.rand(int(n), 1, generator=generator) * 2 - 1
    a = torch.rand(int(n), 1, generator=generator) * 2 - 1
    eps = (torch.randint(0, 2, (int(n), 1), generator=generator).float() * 2 - 1) * 0.5
    return s, a, s + torch.sin(3 * a) + eps


class PPUUToy(nn.Module):
    """Koşullu tahminci + (geleceği gören) variational encoder.

    - ``encode(s, s_next) -> (mu, logvar)``: her biri ``[n, z_dim]``
    - ``predict(s, a, z) -> s_next_hat``: ``[n, 1]`` (MLP 64-64)
    """

    def __init__(self, z_dim: int = 2, hidden: int = 64):
        super().__init__()
        self.z_dim = int(z_dim)
        self.encoder = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2 * self.z_dim))
        self.predictor = nn.Sequential(nn.Linear(2 + self.z_dim, hidden), nn.ReLU(),
                                       nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def encode(self, s, s_next):
        h = self.encoder(torch.cat([s, s_next], dim=1))
        return h[:, : self.z_dim], h[:, self.z_dim :]

    def predict(self, s, a, z):
        return self.predictor(torch.cat([s, a, z], dim=1))


def train_ppuu(sample_latent_fn, p_drop: float, seed: int = 0, steps: int = 300, batch: int = 256,
               lr: float = 3e-3, kl_w: float = 1e-3) -> PPUUToy:
    """``PPUUToy``'u ``ppuu_world`` verisinde eğitir; kayıp = MSE + ``kl_w`` · KL(q(z|s,s') ‖ N(0, I)).

    Her adımda latent ``z, _ = sample_latent_fn(mu, logvar, p_drop)`` ile örneklenir (latent
    dropout burada devreye girer). KL ağırlığı küçük tutulur (1e-3): büyük bir KL ağırlığı
    (≈1) latent'i zaten bilgisiz bırakıp sızıntıyı kendiliğinden keserdi. Döndürür: eğitilmiş model.
    """
    g = torch.Generator().manual_seed(int(seed))
    torch.manual_seed(int(seed))
    model = PPUUToy()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(int(steps)):
        s, a, s_next = ppuu_world(batch, g)
        mu, logvar = model.encode(s, s_next)
        z, _ = sample_latent_fn(mu, logvar, p_drop)
        pred = model.predict(s, a, z)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=1).mean()
        loss = nn.functional.mse_loss(pred, s_next) + kl_w * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


# --- week 07 helpers --- (Hafta 7: manifold dışı yoklama verileri)


def uniform_noise(n: int, d: int = 64, seed: int = 1) -> torch.Tensor:
    """[0, 1] aralığında düzgün (uniform) gürültü "görüntüleri": ``float32``, şekil ``[n, d]``.

    ``torch.rand(n, d, generator=torch.Generator().manual_seed(seed))`` ile aynıdır; genel tohumu
    değiştirmez.
    """
    return torch.rand(int(n), int(d), generator=torch.Generator().manual_seed(int(seed)))


def span_noise(X_train, n: int = 450, k: int = 40, scale: float = 0.3, seed: int = 1) -> torch.Tensor:
    """Verinin kapsadığı alt uzayda gürültü: eğitim verisinin ortalaması + ilk ``k`` ana bileşen
    (PCA) yönünde ``N(0, scale²)`` adımlar.

    Bu noktalar veri **manifoldunda değildir** ama verinin doğrusal alt uzayındadır (her zaman 0
    olan pikseller yine 0 kalır). Döndürür: ``float32`` tensör, şekil ``[n, d]``.
    """
    X = torch.as_tensor(X_train).detach().cpu().double().numpy()
    mean = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    V = Vt[: int(k)]
    # her yönün işaretini sabitle (en büyük bileşen pozitif), böylece sonuç her yerde aynı olur
    signs = np.sign(V[np.arange(V.shape[0]), np.abs(V).argmax(axis=1)])
    V = V * signs[:, None]
    rng = np.random.default_rng(int(seed))
    S = mean + (float(scale) * rng.standard_normal((int(n), V.shape[0]))) @ V
    return torch.tensor(S, dtype=torch.float32)
