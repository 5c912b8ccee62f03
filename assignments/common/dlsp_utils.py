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


# --- week 03 helpers --- (Hafta 3: nesne görüntüsü, pürüzsüz görüntüler, tablo ve ses verisi)


def make_object_image(H: int = 16, W: int = 16, top: int = 6, left: int = 6) -> torch.Tensor:
    """Siyah zemin üzerinde 3×3'lük bir artı (+) işareti: şekil ``[1, 1, H, W]`` (``float32``).

    Artının kapladığı 3×3 karenin sol üst köşesi ``(top, left)``'tedir; merkezi
    ``(top + 1, left + 1)``. Öteleme deneyleri (Hafta 3, Egzersiz 3) için.
    """
    img = torch.zeros(1, 1, int(H), int(W))
    t, l = int(top), int(left)
    img[0, 0, t + 1, l : l + 3] = 1.0
    img[0, 0, t : t + 3, l + 1] = 1.0
    return img


def make_smooth_images(n: int = 64, size: int = 28, sigma: float = 2.0, seed: int = 0) -> torch.Tensor:
    """"Doğal görüntü" benzeri pürüzsüz görüntüler: Gauss filtresiyle bulanıklaştırılmış beyaz gürültü.

    Komşu pikseller birbirine çok benzer (yerellik), istatistikler her konumda aynıdır
    (durağanlık). Şekil ``[n, size, size]`` (``float32``); bütün veri ortalaması 0, std'si 1
    olacak şekilde ölçeklenmiştir. Aralarında ``L`` piksel olan iki pikselin korelasyonu
    yaklaşık ``exp(-L² / (4σ²))``'dir.
    """
    import torch.nn.functional as F

    rng = np.random.default_rng(int(seed))
    r = int(math.ceil(3 * float(sigma)))
    t = np.arange(-r, r + 1, dtype=np.float64)
    g1 = np.exp(-(t**2) / (2 * float(sigma) ** 2))
    g1 /= g1.sum()
    kernel = torch.tensor(np.outer(g1, g1), dtype=torch.float64)[None, None]
    noise = torch.tensor(rng.standard_normal((int(n), 1, int(size) + 2 * r, int(size) + 2 * r)))
    out = F.conv2d(noise, kernel)[:, 0]
    out = (out - out.mean()) / out.std()
    return out.float()


def make_tabular(n: int = 256, d: int = 20, seed: int = 0) -> torch.Tensor:
    """Tablo verisi: ``n`` satır (örnek), ``d`` sütun (her biri farklı, bağımsız bir öznitelik).

    Sütunlar farklı dağılımlardan gelir (normal, üstel, düzgün, ikili...) ve her biri ayrı ayrı
    standartlaştırılmıştır (ortalama 0, std 1). Sütunların sırasının bir anlamı yoktur.
    Şekil ``[n, d]`` (``float32``).
    """
    rng = np.random.default_rng(int(seed))
    cols = []
    for j in range(int(d)):
        kind = j % 4
        if kind == 0:
            c = rng.normal(size=int(n))
        elif kind == 1:
            c = rng.exponential(size=int(n))
        elif kind == 2:
            c = rng.uniform(size=int(n))
        else:
            c = rng.integers(0, 2, size=int(n)).astype(float)
        cols.append((c - c.mean()) / (c.std() + 1e-12))
    return torch.tensor(np.stack(cols, axis=1), dtype=torch.float32)


def make_audio(n: int = 16, length: int = 1024, seed: int = 0, rate: int = 8000) -> torch.Tensor:
    """Ses dalgası benzeri 1-B sinyaller: birkaç düşük frekanslı sinüs + biraz gürültü.

    Her sinyal ``rate`` Hz örnekleme hızında, 100–600 Hz arası üç sinüsün toplamıdır. Şekil
    ``[n, length]`` (``float32``).
    """
    rng = np.random.default_rng(int(seed))
    t = np.arange(int(length)) / float(rate)
    out = np.zeros((int(n), int(length)))
    for i in range(int(n)):
        for _ in range(3):
            f = rng.uniform(100, 600)
            out[i] += rng.uniform(0.3, 1.0) * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
        out[i] += 0.05 * rng.standard_normal(int(length))
    return torch.tensor(out, dtype=torch.float32)


# --- week 12 helpers --- (Hafta 12: tek katmanlı attention dil modeli, aritmetik diziler, minik BERT)


class OneLayerAttnLM(nn.Module):
    """Tek katmanlı (tek başlı) attention dil modeli: token + öğrenilen konum embedding'i,
    self-attention (artık/residual bağlantıyla) ve çıktı katmanı.

    ``forward(x, mask=None)``: ``x`` şekli ``[B, T]`` token numaraları; ``mask`` ``[T, T]`` bir
    ``bool`` tensör (``True`` = bu skoru maskele, yani ``-inf`` yap) ya da ``None`` (maske yok).
    Döndürür: ``[B, T, V]`` logit'ler (t'inci konum, ``x_{t+1}``'i tahmin eder).
    """

    def __init__(self, V: int = 8, T: int = 8, d: int = 32):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(T, d)
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.out = nn.Linear(d, V)

    def forward(self, x, mask=None):
        T = x.shape[1]
        h = self.tok(x) + self.pos(torch.arange(T, device=x.device))
        s = self.q(h) @ self.k(h).transpose(1, 2) / math.sqrt(h.shape[-1])
        if mask is not None:
            s = s.masked_fill(torch.as_tensor(mask, dtype=torch.bool, device=x.device), float("-inf"))
        return self.out(h + torch.softmax(s, dim=-1) @ self.v(h))


def train_next_token(mask, seed: int = 0, steps: int = 300, V: int = 8, T: int = 8, batch: int = 64,
                     lr: float = 1e-2) -> OneLayerAttnLM:
    """``OneLayerAttnLM``'i düzgün (uniform) rastgele token dizilerinde "sonraki token'ı tahmin et"
    göreviyle eğitir (Adam). Her adımda ``T + 1`` uzunlukta diziler çekilir; girdi ilk ``T`` token,
    hedef bir kaydırılmış dizi (``x_{t+1}``). ``mask``: ``[T, T]`` ``bool`` (``True`` = maskele) ya
    da ``None``. Token'lar bağımsız ve düzgün olduğundan dürüst bir model en iyi ``log V`` kayba
    ulaşabilir. Döndürür: eğitilmiş model (CPU'da).
    """
    g = torch.Generator().manual_seed(int(seed))
    torch.manual_seed(int(seed))
    model = OneLayerAttnLM(V, T)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(int(steps)):
        x = torch.randint(0, V, (batch, T + 1), generator=g)
        logits = model(x[:, :-1], mask)
        loss = nn.functional.cross_entropy(logits.reshape(-1, V), x[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@torch.no_grad()
def next_token_losses(model: OneLayerAttnLM, mask, n: int = 2000, seed: int = 0) -> torch.Tensor:
    """Yeni rastgele dizilerde, her konum için ayrı ortalama cross-entropy kaybı (şekil ``[T]``)."""
    V, T = model.tok.num_embeddings, model.pos.num_embeddings
    g = torch.Generator().manual_seed(int(seed))
    x = torch.randint(0, V, (int(n), T + 1), generator=g)
    logits = model(x[:, :-1], mask)
    loss = nn.functional.cross_entropy(logits.reshape(-1, V), x[:, 1:].reshape(-1), reduction="none")
    return loss.reshape(int(n), T).mean(dim=0)


MLM_VOCAB, MLM_LEN, MLM_MASK_ID = 16, 12, 16


def arithmetic_sequences(n: int, V: int = MLM_VOCAB, T: int = MLM_LEN, generator=None) -> torch.Tensor:
    """Yapay bir "dil": mod ``V`` aritmetik diziler (rastgele başlangıç, adım 1, 2 ya da 3).

    Örnek (V = 16): ``[5, 7, 9, 11, 13, 15, 1, 3, ...]``. Şekil ``[n, T]``, ``int64``. Bir token,
    komşularından (iki yanındaki bağlamdan) kesin olarak çıkarılabilir; bağlamsız (unigram) tahmin
    ise ancak ``1/V`` doğruluk verir.
    """
    start = torch.randint(0, V, (int(n), 1), generator=generator)
    step = torch.randint(1, 4, (int(n), 1), generator=generator)
    return (start + step * torch.arange(T)) % V


class TinyEncoder(nn.Module):
    """Minik BERT: token + öğrenilen konum embedding'i, ``nn.TransformerEncoder`` (1 katman,
    d = 32, 4 başlık, dropout yok) ve her konum için ``V`` sınıflı çıktı.

    - ``tok``: ``nn.Embedding(V + 1, d)`` (son numara ``[MASK]`` token'ı, ``MLM_MASK_ID = 16``)
    - ``encode(x) -> [B, T, d]``: bağlamlı temsiller;  ``forward(x) -> [B, T, V]``: logit'ler
    """

    def __init__(self, V: int = MLM_VOCAB, T: int = MLM_LEN, d: int = 32, heads: int = 4, ff: int = 64,
                 layers: int = 1):
        super().__init__()
        self.tok = nn.Embedding(V + 1, d)
        self.pos = nn.Embedding(T, d)
        layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d, V)

    def encode(self, x):
        return self.enc(self.tok(x) + self.pos(torch.arange(x.shape[1], device=x.device)))

    def forward(self, x):
        return self.out(self.encode(x))


def train_mlm(mask_fn, loss_fn, steps: int = 400, seed: int = 0, p: float = 0.15, batch: int = 64,
              lr: float = 3e-3) -> TinyEncoder:
    """``TinyEncoder``'ı aritmetik dizilerde masked-LM (BERT) göreviyle eğitir (Adam).

    Her adımda: ``x = arithmetic_sequences(batch)``, ``x_corrupt, labels = mask_fn(x, p, MLM_MASK_ID)``,
    ``loss = loss_fn(model(x_corrupt), labels)``. Hiç maskelenmemiş bir dizide kayıp tanımsız
    olmasın diye, öyle satırlarda rastgele bir konum ayrıca maskelenir. Döndürür: eğitilmiş model.
    """
    g = torch.Generator().manual_seed(int(seed))
    torch.manual_seed(int(seed))
    model = TinyEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(int(steps)):
        x = arithmetic_sequences(batch, generator=g)
        x_corrupt, labels = mask_fn(x, p, MLM_MASK_ID)
        x_corrupt, labels = x_corrupt.clone(), labels.clone()
        empty = (labels == -100).all(dim=1).nonzero().flatten()
        if len(empty):
            j = torch.randint(0, x.shape[1], (len(empty),), generator=g)
            labels[empty, j] = x[empty, j]
            x_corrupt[empty, j] = MLM_MASK_ID
        loss = loss_fn(model(x_corrupt), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


# --- week 15 helpers --- (Hafta 15: "çizilmiş gizli alan" verisi, omurga, Lightning taklidi)


class RenderedDomain:
    """Transfer deneyleri için sentetik "görüntü" alanı (ImageNet/CIFAR yerine, indirme yok).

    Her örneğin 4 **içerik** gizli değişkeni ``z ~ U(-1, 1)^4`` (sınıfı bunlar belirler) ve 8
    **rahatsız edici** (nuisance) gizli değişkeni ``u ~ U(-1, 1)^8`` vardır (ışık, konum gibi;
    sınıfla ilgisiz). Sabit, rastgele 2 katmanlı bir tanh "çizici" (renderer) ``[z, u]``'yu 64
    boyutlu bir "görüntüye" çevirir, üstüne 0.05 gürültü eklenir.

    - kaynak görev (ön-eğitim): ``z``'nin 4 rastgele yarı-uzayından 16 sınıf;
    - hedef görev: 3 sınıf, ``z``'nin 3 yeni yöndeki izdüşümlerinin ``argmax``'ı;
    - "röntgen" benzeri alan uyuşmazlığı: aynı görev, **başka** ``renderer_seed`` ile çizilmiş.

    Görevler ``renderer_seed``'den bağımsızdır (iki alanda aynı sınıflar), yalnızca çizim değişir.
    Bütün örnekleyiciler yalnızca verilen ``seed``'i kullanır (genel tohuma dokunmaz).
    """

    def __init__(self, renderer_seed: int = 0, n_content: int = 4, n_nuisance: int = 8, d: int = 64,
                 hidden: int = 128, noise: float = 0.05, task_seed: int = 0):
        rng = np.random.default_rng(int(renderer_seed))
        k = n_content + n_nuisance
        self.W1 = rng.normal(size=(k, hidden)) * (1.5 / math.sqrt(k))
        self.b1 = rng.normal(size=hidden) * 0.3
        self.W2 = rng.normal(size=(hidden, d)) * (1.5 / math.sqrt(hidden))
        trng = np.random.default_rng(10_000 + int(task_seed))
        self.src_dirs = trng.normal(size=(4, n_content))
        self.tgt_dirs = trng.normal(size=(3, n_content))
        self.n_content, self.n_nuisance, self.noise, self.d = n_content, n_nuisance, float(noise), d

    def _latents(self, n: int, rng):
        return rng.uniform(-1, 1, size=(n, self.n_content)), rng.uniform(-1, 1, size=(n, self.n_nuisance))

    def _render(self, z, u, rng) -> torch.Tensor:
        h = np.tanh(np.concatenate([z, u], axis=1) @ self.W1 + self.b1)
        x = np.tanh(h @ self.W2) + self.noise * rng.normal(size=(len(z), self.d))
        return torch.tensor(x, dtype=torch.float32)

    def sample_source(self, n: int, seed: int = 0):
        """Ön-eğitim (kaynak) verisi: ``X`` ``float32 [n, 64]``, ``y`` ``int64`` (16 sınıf)."""
        rng = np.random.default_rng(int(seed))
        z, u = self._latents(int(n), rng)
        bits = (z @ self.src_dirs.T > 0).astype(np.int64)
        y = (bits * (2 ** np.arange(bits.shape[1]))).sum(axis=1)
        return self._render(z, u, rng), torch.tensor(y)

    def sample_target(self, n: int, seed: int = 0):
        """Hedef görev verisi: ``X`` ``float32 [n, 64]``, ``y`` ``int64`` (3 sınıf: 0, 1, 2)."""
        rng = np.random.default_rng(int(seed))
        z, u = self._latents(int(n), rng)
        return self._render(z, u, rng), torch.tensor((z @ self.tgt_dirs.T).argmax(axis=1))

    def sample_views(self, n: int, seed: int = 0):
        """Öz-denetimli öğrenme için etiketsiz görünüm çiftleri ``(x1, x2)``, ikisi de ``[n, 64]``.

        İki görünüm aynı içerik ``z``'yi, **bağımsız** rahatsız edici ``u``'larla çizer (görüntüde
        kırpma/renk oynatmanın karşılığı). Etiket yok.
        """
        rng = np.random.default_rng(int(seed))
        z, u1 = self._latents(int(n), rng)
        u2 = rng.uniform(-1, 1, size=u1.shape)
        return self._render(z, u1, rng), self._render(z, u2, rng)


def make_rendered_domain(renderer_seed: int = 0) -> RenderedDomain:
    """``RenderedDomain(renderer_seed)`` kısayolu."""
    return RenderedDomain(renderer_seed)


def mlp_backbone(seed: int = 0) -> nn.Sequential:
    """Haftanın omurgası (backbone): ``Linear(64, 128), ReLU, Linear(128, 64), ReLU``.

    ``torch.manual_seed(seed)`` ile başlatılır; çıktısı 64 boyutlu öznitelikler.
    """
    torch.manual_seed(int(seed))
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())


def pretrain_supervised(domain: RenderedDomain, n: int = 2000, epochs: int = 10, seed: int = 0,
                        batch_size: int = 128, lr: float = 1e-3) -> nn.Sequential:
    """Denetimli ön-eğitim (ImageNet'te ResNet eğitmenin küçük karşılığı): omurga + 16 sınıflı kafa,
    kaynak görevde Adam + çapraz entropi ile eğitilir. Kafa atılır, eğitilmiş omurga döner."""
    X, y = domain.sample_source(n, seed=500 + int(seed))
    backbone = mlp_backbone(seed)
    model = nn.Sequential(backbone, nn.Linear(64, 16))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(int(seed))
    model.train()
    for _ in range(int(epochs)):
        for idx in torch.randperm(X.shape[0], generator=g).split(int(batch_size)):
            opt.zero_grad()
            nn.functional.cross_entropy(model(X[idx]), y[idx]).backward()
            opt.step()
    backbone.eval()
    return backbone


def few_label_subset(y, n_per_class: int, seed: int = 0) -> np.ndarray:
    """Her sınıftan tam ``n_per_class`` örnek seçen indeksler (``seed``'e bağlı, tekrarlanabilir).

    Bütün çözümler aynı etiketli alt kümeyi görsün diye bu fonksiyonu kullan.
    """
    y = np.asarray(torch.as_tensor(y).cpu())
    rng = np.random.default_rng(int(seed))
    return np.concatenate([rng.choice(np.flatnonzero(y == c), int(n_per_class), replace=False)
                           for c in np.unique(y)])


def train_scratch(Xl, yl, Xte, yte, epochs: int = 100, lr: float = 1e-2, seed: int = 0) -> float:
    """Karşılaştırma için "sıfırdan eğitim": rastgele başlatılmış omurga + kafa, yalnızca az
    etiketli veriyle tam-batch Adam. Döndürür: test doğruluğu (``float``)."""
    k = int(torch.as_tensor(yl).max()) + 1
    model = nn.Sequential(mlp_backbone(seed), nn.Linear(64, k))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    Xl, yl = torch.as_tensor(Xl, dtype=torch.float32), torch.as_tensor(yl, dtype=torch.long)
    for _ in range(int(epochs)):
        opt.zero_grad()
        nn.functional.cross_entropy(model(Xl), yl).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(torch.as_tensor(Xte, dtype=torch.float32)).argmax(dim=1)
    return float((pred == torch.as_tensor(yte)).float().mean())


def get_lightning():
    """PyTorch Lightning kuruluysa modülünü (``lightning.pytorch`` ya da ``pytorch_lightning``),
    değilse ``None`` döndürür. (Ders ortamında kurulu değil; o zaman aşağıdaki taklit kullanılır.)"""
    try:
        import lightning.pytorch as pl

        return pl
    except ImportError:
        pass
    try:
        import pytorch_lightning as pl

        return pl
    except ImportError:
        return None


class MiniLightningModule(nn.Module):
    """Lightning kurulu değilken ``LightningModule``'ün küçük bir taklidi (aynı arayüz).

    Alt sınıf ``training_step(batch, batch_idx)`` ve ``configure_optimizers()`` yazar;
    ``self.log(ad, değer)`` değeri ``self.logged`` sözlüğüne kaydeder.
    """

    def __init__(self):
        super().__init__()
        self.logged = {}

    def log(self, name, value, **kwargs):
        self.logged[str(name)] = float(value.detach()) if torch.is_tensor(value) else float(value)

    def training_step(self, batch, batch_idx):  # pragma: no cover - alt sınıf yazar
        raise NotImplementedError("training_step yazılmadı")

    def configure_optimizers(self):  # pragma: no cover - alt sınıf yazar
        raise NotImplementedError("configure_optimizers yazılmadı")


class MiniTrainer:
    """Lightning ``Trainer``'ının küçük taklidi: epoch/batch döngüsü, ``zero_grad``, ``backward``,
    ``optimizer.step`` ve kayıt (log) işini senin yerine yapar.

    ``fit(model, loader)``: ``configure_optimizers()`` (optimizer ya da ``{"optimizer": ...}``
    sözlüğü), sonra her epoch ve batch için ``training_step`` → ``zero_grad`` → ``backward`` →
    ``step``. ``fast_dev_run=True`` ise tek bir batch çalıştırıp durur (hızlı hata ayıklama).
    ``global_step``: atılan optimizer adımı sayısı; ``callback_metrics``: son kaydedilen değerler.
    """

    def __init__(self, max_epochs: int = 1, fast_dev_run: bool = False, **kwargs):
        self.max_epochs, self.fast_dev_run = int(max_epochs), bool(fast_dev_run)
        self.global_step = 0
        self.callback_metrics = {}

    def fit(self, model, train_dataloaders):
        opt = model.configure_optimizers()
        if isinstance(opt, dict):
            opt = opt["optimizer"]
        if isinstance(opt, (list, tuple)):
            opt = opt[0]
        model.train()
        for _ in range(1 if self.fast_dev_run else self.max_epochs):
            for batch_idx, batch in enumerate(train_dataloaders):
                loss = model.training_step(batch, batch_idx)
                if isinstance(loss, dict):
                    loss = loss["loss"]
                opt.zero_grad()
                loss.backward()
                opt.step()
                self.global_step += 1
                self.callback_metrics = dict(getattr(model, "logged", {}))
                if self.fast_dev_run:
                    return self
        return self


def lightning_base():
    """Öğrencinin ``LitClassifier``'ının üst sınıfı: Lightning varsa ``LightningModule``, yoksa
    ``MiniLightningModule`` (Lightning yalnızca bu fonksiyon çağrılınca yüklenir)."""
    pl = get_lightning()
    return pl.LightningModule if pl is not None else MiniLightningModule


def make_trainer(max_epochs: int = 10, fast_dev_run: bool = False):
    """Sessiz, CPU'da, deterministik bir eğitici: Lightning varsa ``pl.Trainer``, yoksa ``MiniTrainer``."""
    pl = get_lightning()
    if pl is None:
        return MiniTrainer(max_epochs=max_epochs, fast_dev_run=fast_dev_run)
    return pl.Trainer(max_epochs=int(max_epochs), fast_dev_run=bool(fast_dev_run), accelerator="cpu",
                      devices=1, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                      enable_model_summary=False, deterministic=True)


def make_xor_data(n: int = 512, seed: int = 0):
    """2-B XOR verisi: ``x ~ U(-1, 1)²``, sınıf ``(x₀ > 0) XOR (x₁ > 0)``.
    Döndürür: ``X`` ``float32 [n, 2]``, ``y`` ``int64 [n]``. Doğrusal ayrılamaz."""
    g = torch.Generator().manual_seed(int(seed))
    X = torch.rand(int(n), 2, generator=g) * 2 - 1
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).long()
    return X, y


def make_loader(X, y, batch_size: int = 64, seed: int = 0):
    """Karıştırmalı, tekrarlanabilir bir ``DataLoader`` (``num_workers=0``)."""
    from torch.utils.data import DataLoader, TensorDataset

    g = torch.Generator().manual_seed(int(seed))
    return DataLoader(TensorDataset(torch.as_tensor(X), torch.as_tensor(y)), batch_size=int(batch_size),
                      shuffle=True, generator=g, num_workers=0)


# --- week 09 helpers --- (Hafta 9: gürültülü rakamlar, 2-B GAN verisi ve küçük ağlar)


def perturb(X, sigma: float = 0.25, seed: int = 5) -> torch.Tensor:
    """Rakamlara Gauss gürültüsü ekler ve ``[0, 1]``'e kırpar: ``clamp(X + N(0, sigma²), 0, 1)``.

    Veriye yakın ama veri manifoldunda olmayan yoklama noktaları. Genel tohumu değiştirmez.
    """
    X = torch.as_tensor(X, dtype=torch.float32)
    noise = torch.randn(X.shape, generator=torch.Generator().manual_seed(int(seed)))
    return (X + float(sigma) * noise).clamp(0.0, 1.0)


def gaussian_sampler(mean=(1.0, 0.0), std: float = 0.1):
    """Gerçek veri örnekleyicisi: ``sampler(n, g)`` → ``N(mean, std²·I)``'dan ``(n, 2)`` ``float32`` nokta."""
    m = torch.tensor(mean, dtype=torch.float32)

    def sampler(n: int, g: torch.Generator) -> torch.Tensor:
        return m + float(std) * torch.randn(int(n), m.shape[0], generator=g)

    return sampler


def ring_centers(k: int = 8, r: float = 2.0) -> torch.Tensor:
    """Yarıçapı ``r`` olan çember üzerinde eşit aralıklı ``k`` merkez, şekil ``(k, 2)``."""
    a = 2 * math.pi * torch.arange(int(k), dtype=torch.float64) / int(k)
    return (float(r) * torch.stack([torch.cos(a), torch.sin(a)], dim=1)).float()


def ring_sampler(k: int = 8, r: float = 2.0, sigma: float = 0.05):
    """8 Gauss'luk halka: ``sampler(n, g)`` → her nokta rastgele bir merkezin çevresinde ``N(0, sigma²)``."""
    centers = ring_centers(k, r)

    def sampler(n: int, g: torch.Generator) -> torch.Tensor:
        idx = torch.randint(0, centers.shape[0], (int(n),), generator=g)
        return centers[idx] + float(sigma) * torch.randn(int(n), 2, generator=g)

    return sampler


def mlp(n_in: int, hidden: int, n_out: int, seed: int = 0) -> nn.Sequential:
    """İki gizli katmanlı küçük MLP: ``n_in → hidden → hidden → n_out`` (ReLU).

    ``seed`` aynıysa başlangıç ağırlıkları aynıdır (genel tohumu değiştirmez).
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        return nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                             nn.Linear(hidden, n_out))


@torch.no_grad()
def gan_stats(G: nn.Module, C: nn.Module, real_sampler, center=(1.0, 0.0), n: int = 500, seed: int = 999,
              z_dim: int = 8) -> tuple[float, float]:
    """Sabit değerlendirme kümelerinde (tohum ``seed``) GAN ölçümleri.

    Döndürür: ``(gap, dist)``: ``gap = ortalama C(sahte) − ortalama C(gerçek)`` (cost = enerji;
    pozitifse gerçek verinin enerjisi daha düşük) ve ``dist`` = sahte örneklerin ``center``'a
    ortalama uzaklığı.
    """
    g = torch.Generator().manual_seed(int(seed))
    z = torch.randn(int(n), int(z_dim), generator=g)
    real = real_sampler(int(n), g)
    dev = _model_device(G)
    fake = G(z.to(dev))
    gap = C(fake.to(_model_device(C))).mean() - C(real.to(_model_device(C))).mean()
    dist = (fake.cpu() - torch.tensor(center, dtype=fake.dtype)).norm(dim=1).mean()
    return float(gap.item()), float(dist.item())


def plot_samples_2d(sets: dict, ax=None, centers=None, lims=(-3, 3)):
    """``{"ad": (n, 2) tensör, ...}`` nokta kümelerini aynı eksende çizer (GAN örnekleri için)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    for name, pts in sets.items():
        p = torch.as_tensor(pts).detach().cpu().float().numpy()
        ax.scatter(p[:, 0], p[:, 1], s=4, alpha=0.5, label=str(name))
    if centers is not None:
        c = torch.as_tensor(centers).numpy()
        ax.scatter(c[:, 0], c[:, 1], marker="x", color="k", s=40, label="modlar")
    ax.set_xlim(*lims)
    ax.set_ylim(*lims)
    ax.set_aspect("equal")
    ax.legend(fontsize=7)
    return ax


# --- week 10 helpers --- (Hafta 10: küçük evrişimli kodlayıcı, döndürülmüş rakamlar, etiketli alt küme)


class SmallConvEncoder(nn.Module):
    """8×8 tek kanallı görüntüler için küçük evrişimli kodlayıcı.

    ``Conv(1→16, 3, pad 1) → ReLU → Conv(16→32, 3, stride 2, pad 1) → ReLU → Flatten (512) →
    Linear(512→feat) → ReLU``. Girdi: ``(n, 1, 8, 8)`` ya da ``(n, 64)``; çıktı: ``(n, feat)``.
    ``conv_features(x)`` düzleştirme katmanının çıktısını (512 boyut) verir. ``seed`` aynıysa
    başlangıç ağırlıkları aynıdır (genel tohumu değiştirmez).
    """

    def __init__(self, feat: int = 64, seed: int = 0) -> None:
        super().__init__()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(seed))
            self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten())
            self.fc = nn.Sequential(nn.Linear(512, int(feat)), nn.ReLU())

    def conv_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(torch.as_tensor(x).reshape(-1, 1, 8, 8))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv_features(x))


def rotate_all(images) -> tuple[torch.Tensor, torch.Tensor]:
    """Her görüntünün dört dönmesi (0°, 90°, 180°, 270°; ``torch.rot90``, saat yönünün tersine).

    ``images``: ``(n, C, H, W)`` (kare). Döndürür: ``(4n, C, H, W)`` görüntüler ve ``(4n,)``
    etiketler (``k``), sıralama ``k = 0`` için n görüntü, sonra ``k = 1`` … .
    """
    images = torch.as_tensor(images)
    rots = [torch.rot90(images, k, dims=(-2, -1)) for k in range(4)]
    labels = torch.arange(4).repeat_interleave(images.shape[0])
    return torch.cat(rots), labels


def labeled_subset(y, n_per_class: int = 10, seed: int = 0) -> torch.Tensor:
    """Her sınıftan ``n_per_class`` örneğin indeksleri (az etiketli "downstream" senaryosu için).

    Genel tohumu değiştirmez; sıralı bir ``int64`` indeks tensörü döndürür.
    """
    y = torch.as_tensor(y)
    g = torch.Generator().manual_seed(int(seed))
    idx = []
    for c in torch.unique(y).tolist():
        members = torch.nonzero(y == c).squeeze(1)
        idx.append(members[torch.randperm(len(members), generator=g)[: int(n_per_class)]])
    return torch.sort(torch.cat(idx)).values


@torch.no_grad()
def cosine_sims(z_a, z_b) -> tuple[float, float]:
    """İki temsil kümesinin kosinüs benzerlikleri: ``(ortalama pozitif, ortalama negatif)``.

    ``z_a[i]`` ile ``z_b[i]`` pozitif çift (köşegen), ``i ≠ j`` çiftleri negatif (köşegen dışı).
    """
    a = nn.functional.normalize(torch.as_tensor(z_a).float(), dim=1)
    b = nn.functional.normalize(torch.as_tensor(z_b).float(), dim=1)
    S = a @ b.T
    n = S.shape[0]
    pos = S.diagonal().mean()
    neg = (S.sum() - S.diagonal().sum()) / (n * n - n)
    return float(pos.item()), float(neg.item())
