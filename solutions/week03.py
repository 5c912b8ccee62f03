"""Week 3 (chapter 10) reference solutions.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
needs the names the notebook's setup cell provides (``np``, ``torch``, ``nn``, ``F``), so the
injected code runs unchanged in the notebook.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- Egzersiz 1 ------------------------------------------------------------------------------


def conv1d_manual(x, w, stride=1):
    """1-B "convolution" (aslında cross-correlation), açık döngülerle, torch kullanmadan.

    ``x`` (uzunluk ``n``) ve ``w`` (uzunluk ``k``) NumPy dizisi ya da liste olabilir. Kernel
    **ters çevrilmeden** kaydırılır (PyTorch'taki gibi): ``out[i] = Σ_j x[i·stride + j] · w[j]``.
    Dolgu (padding) yok: kernel yalnızca tamamen sinyalin içinde kaldığı konumlara konur.

    Döndürür: ``float`` NumPy dizisi, uzunluğu ``⌊(n − k) / stride⌋ + 1``.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    n, k = len(x), len(w)
    out_len = (n - k) // int(stride) + 1
    out = np.zeros(out_len)
    for i in range(out_len):
        start = i * int(stride)
        total = 0.0
        for j in range(k):
            total += x[start + j] * w[j]
        out[i] = total
    return out


def conv_out_len(n, k, s=1, p=0):
    """Convolution çıktısının uzunluğu (Python ``int``).

    Girdi uzunluğu ``n``, kernel ``k``, stride ``s``, her iki uca ``p`` kadar sıfır dolgu:
    ``o = ⌊(n + 2p − k) / s⌋ + 1``.
    """
    return (int(n) + 2 * int(p) - int(k)) // int(s) + 1


# --- Egzersiz 2 ------------------------------------------------------------------------------


def fc_params(H, W, C, n_out, bias=True):
    """``H × W × C`` girdiyi düzleştirip ``n_out`` çıktıya bağlayan tam-bağlı katmanın
    parametre sayısı (``int``): ağırlıklar ``H·W·C·n_out``, ``bias=True`` ise ``+ n_out``.
    """
    return int(H) * int(W) * int(C) * int(n_out) + (int(n_out) if bias else 0)


def conv2d_params(c_in, c_out, k, bias=True):
    """``nn.Conv2d(c_in, c_out, k)`` katmanının parametre sayısı (``int``).

    ``k`` bir tam sayı (kare kernel ``k × k``) ya da ``(kh, kw)`` ikilisi olabilir. Her çıkış
    kanalının kernel'i **bütün** giriş kanallarına bakar: ağırlıklar ``c_out · c_in · kh · kw``;
    ``bias=True`` ise her çıkış kanalına bir bias: ``+ c_out``. (Parametre sayısı görüntünün
    boyutuna bağlı değildir!)
    """
    kh, kw = (int(k), int(k)) if isinstance(k, (int, np.integer)) else (int(k[0]), int(k[1]))
    return int(c_out) * int(c_in) * kh * kw + (int(c_out) if bias else 0)


ratio_w03 = fc_params(32, 32, 3, 1024) / conv2d_params(3, 16, 3)

q_w03_e2c = {"A", "B", "C"}


# --- Egzersiz 3 ------------------------------------------------------------------------------


def shift_image(img, dy, dx):
    """Görüntüyü son iki boyutunda (yükseklik, genişlik) ``dy`` satır aşağı, ``dx`` sütun sağa
    kaydırır; boşalan yerler **sıfır** olur (``torch.roll`` gibi kenardan dolanmaz).

    ``img`` bir torch tensörü: şekli ``(H, W)``, ``(C, H, W)`` ya da ``(N, C, H, W)``.
    ``out[..., i, j] = img[..., i − dy, j − dx]`` (indeks görüntünün içindeyse), değilse 0.
    Negatif ``dy``/``dx`` yukarı/sola kaydırır; ``|dy| ≥ H`` ya da ``|dx| ≥ W`` ise sonuç
    tamamen sıfırdır. Sonuç ``img`` ile aynı şekil, tür ve cihazda yeni bir tensördür.
    """
    img = torch.as_tensor(img)
    out = torch.zeros_like(img)
    H, W = img.shape[-2], img.shape[-1]
    dy, dx = int(dy), int(dx)
    if abs(dy) >= H or abs(dx) >= W:
        return out
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \
        img[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out


def equivariance_error(layer, img, dy, dx, margin=3):
    """Eşdeğişkenlik (equivariance) hatası: ``layer(kaydır(img))`` ile ``kaydır(layer(img))``
    arasındaki en büyük mutlak fark, yalnızca iç bölgede.

    Kaydırma için kendi ``shift_image``'ını kullan. Farkın son iki boyutunda kenarlardan
    ``margin`` piksel at: ``fark[..., margin:H−margin, margin:W−margin]`` (``margin=0`` ise
    bütün görüntü). ``torch.no_grad()`` içinde hesapla. Döndürür: ``float``.
    """
    with torch.no_grad():
        a = layer(shift_image(img, dy, dx))
        b = shift_image(layer(img), dy, dx)
        d = a - b
        H, W = d.shape[-2], d.shape[-1]
        d = d[..., margin:H - margin, margin:W - margin]
        return float(d.abs().max())


def build_conv_pool_net(c_out=4, seed=0):
    """Öteleme-değişmez (invariant) küçük bir ağ (``nn.Sequential``):

    ``Conv2d(1, c_out, 3, padding=1, bias=False)`` → ``ReLU`` → ``AdaptiveMaxPool2d(1)``
    (bütün haritanın tek bir en büyük değeri: global max pooling) → ``Flatten``.
    Önce ``torch.manual_seed(seed)`` çağır; böylece aynı ``seed`` aynı ağırlıkları verir.
    Girdi ``(N, 1, H, W)``, çıktı ``(N, c_out)``.
    """
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, c_out, 3, padding=1, bias=False),
        nn.ReLU(),
        nn.AdaptiveMaxPool2d(1),
        nn.Flatten(),
    )


def invariance_error(model, img, dy, dx):
    """Değişmezlik (invariance) hatası: ``model(kaydır(img))`` ile ``model(img)`` arasındaki en
    büyük mutlak fark (``float``). Kaydırma için kendi ``shift_image``'ını kullan;
    ``torch.no_grad()`` içinde hesapla.
    """
    with torch.no_grad():
        return float((model(shift_image(img, dy, dx)) - model(img)).abs().max())


answers_w03_e3 = {
    "conv": "eşdeğişken",
    "conv+global_maxpool": "değişmez",
    "conv+maxpool2x2": "yaklaşık değişmez",
    "fc": "hiçbiri",
}


# --- Egzersiz 4 ------------------------------------------------------------------------------


properties = {
    "image": {"locality": True, "stationarity": True, "conv": True},
    "tabular": {"locality": False, "stationarity": False, "conv": False},
    "audio": {"locality": True, "stationarity": True, "conv": True},
}


def lag_correlation(batch, lag):
    """Aralarında ``lag`` adım olan elemanların (son eksen boyunca) Pearson korelasyonu.

    ``batch`` bir tensör (ya da dizi), şekli ``(..., L)``; ``lag ≥ 1``. Bütün çiftleri tek bir
    havuzda topla: ``a = batch[..., :-lag]`` ve ``b = batch[..., lag:]`` düzleştirilir (aynı
    sırada), sonra ``corr = Σ (a − ā)(b − b̄) / sqrt(Σ (a − ā)² · Σ (b − b̄)²)``.
    ``float64`` ile hesapla. Döndürür: ``float``.
    """
    x = torch.as_tensor(batch).to(torch.float64)
    a = x[..., :-lag].reshape(-1)
    b = x[..., lag:].reshape(-1)
    a = a - a.mean()
    b = b - b.mean()
    return float((a * b).sum() / torch.sqrt((a * a).sum() * (b * b).sum()))


q_w03_e4c = "C"


# --- Egzersiz 5 ------------------------------------------------------------------------------


def toeplitz_matrix(w, n):
    """Uzunluğu ``n`` olan sinyaldeki (dolgusuz, stride 1) 1-B convolution'ın matrisi.

    ``w`` uzunluğu ``k`` olan kernel (tensör ya da liste). Şekli ``(n − k + 1, n)`` olan bir
    ``T`` döndür: ``T[i, i : i + k] = w``, geri kalanı 0. Böylece ``T @ x``, ``x``'in ``w`` ile
    cross-correlation'ıdır (``F.conv1d`` ile aynı). ``w`` float değilse ``float32``'ye çevir.
    """
    w = torch.as_tensor(w)
    if not torch.is_floating_point(w):
        w = w.float()
    k = w.shape[0]
    T = torch.zeros(n - k + 1, n, dtype=w.dtype)
    for i in range(n - k + 1):
        T[i, i:i + k] = w
    return T


def conv_as_linear(w, n):
    """Aynı convolution'ı yapan, bias'sız bir ``nn.Linear(n, n − k + 1)`` döndürür.

    Ağırlığı ``toeplitz_matrix(w, n)`` olsun (``with torch.no_grad():`` içinde ``copy_``).
    ``bias=False``.
    """
    T = toeplitz_matrix(w, n)
    layer = nn.Linear(n, T.shape[0], bias=False)
    with torch.no_grad():
        layer.weight.copy_(T)
    return layer


q_w03_e5c = {"A", "B", "C"}
