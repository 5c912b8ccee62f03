"""Week 1 (chapter 8) reference solutions.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
needs numpy and torch, exactly the names the notebook's setup cell provides (``np``, ``torch``,
``nn``), so the injected code runs unchanged in the notebook.
"""

import numpy as np
import torch
import torch.nn as nn


# --- Egzersiz 1 ------------------------------------------------------------------------------


def sigmoid(z):
    """Sigmoid aktivasyonu: σ(z) = 1 / (1 + e^(-z)).

    ``z`` bir sayı ya da NumPy dizisi olabilir; işlem eleman eleman yapılır ve aynı şekilde
    (shape) bir sonuç döner. Örnek: ``sigmoid(0.0) == 0.5``.
    """
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def perceptron(x, w, b, g=sigmoid):
    """Tek bir perceptron'un ileri geçişi: ŷ = g(x·w + b).

    - ``x``: tek örnek için şekli ``(d,)``, bir grup (batch) örnek için ``(n, d)`` olan NumPy dizisi
    - ``w``: ağırlıklar, şekli ``(d,)``
    - ``b``: bias (tek sayı)
    - ``g``: aktivasyon fonksiyonu (varsayılan: yukarıdaki ``sigmoid``); verilen ``g`` kullanılmalı

    Döndürür: ``x`` tek örnekse tek bir sayı, ``(n, d)`` ise şekli ``(n,)`` olan dizi.
    """
    z = np.dot(np.asarray(x, dtype=float), np.asarray(w, dtype=float)) + b
    return g(z)


def perceptron_torch(x, w, b):
    """Aynı perceptron'u PyTorch ile kurar: ``nn.Linear(d, 1)`` + ``torch.sigmoid``.

    ``nn.Linear(d, 1)`` oluştur, ağırlığını ``w`` ile (``weight``'in şekli ``(1, d)``!) ve
    bias'ını ``b`` ile doldur (``torch.no_grad()`` içinde), sonra girdiyi katmandan ve sigmoid'den
    geçir.

    - ``x``: NumPy dizisi, şekli ``(d,)`` ya da ``(n, d)``
    - ``w``: NumPy dizisi, şekli ``(d,)``;  ``b``: tek sayı

    Döndürür: ``(çıktı, katman)`` ikilisi. ``çıktı`` NumPy dizisidir: ``x`` ``(n, d)`` ise şekli
    ``(n,)``, ``x`` tek örnekse tek sayı (şekil ``()``). ``katman`` kullandığın ``nn.Linear``'dır.
    """
    x_t = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    w_t = torch.as_tensor(np.asarray(w), dtype=torch.float32)
    layer = nn.Linear(w_t.shape[0], 1)
    with torch.no_grad():
        layer.weight.copy_(w_t.reshape(1, -1))
        layer.bias.fill_(float(b))
    with torch.no_grad():
        out = torch.sigmoid(layer(x_t)).squeeze(-1)
    return out.cpu().numpy(), layer


# --- Egzersiz 2 ------------------------------------------------------------------------------


def collapse(l1, l2):
    """Art arda iki ``nn.Linear`` katmanını (araya aktivasyon koymadan) TEK bir ``nn.Linear``'a çökertir.

    ``l2(l1(x))`` ile ``collapse(l1, l2)(x)`` her ``x`` için aynı olmalı. Yeni katmanın
    ağırlığı ``W2 @ W1``, bias'ı ``W2 @ b1 + b2`` olur. Bias'ı olmayan (``bias=None``) katmanın
    bias'ını 0 say; iki katmanın da bias'ı yoksa sonuç da bias'sız olabilir (``bias=False``).

    ``l1`` ve ``l2`` değiştirilmemeli: yeni bir ``nn.Linear`` oluşturup döndür.
    """
    W1, W2 = l1.weight.detach(), l2.weight.detach()
    has_bias = l1.bias is not None or l2.bias is not None
    out = nn.Linear(l1.in_features, l2.out_features, bias=has_bias)
    out = out.to(device=W1.device, dtype=W1.dtype)
    with torch.no_grad():
        out.weight.copy_(W2 @ W1)
        if has_bias:
            b = torch.zeros(l2.out_features, dtype=W1.dtype, device=W1.device)
            if l1.bias is not None:
                b = b + W2 @ l1.bias.detach()
            if l2.bias is not None:
                b = b + l2.bias.detach()
            out.bias.copy_(b)
    return out


q_w01_e2b = "B"


# --- Egzersiz 3 ------------------------------------------------------------------------------


def transform(X, A):
    """Nokta bulutunu ``A`` matrisiyle dönüştürür.

    Noktalar satırlardadır: ``X``'in şekli ``(n, 2)``. Her nokta için ``y = A x`` istiyoruz; satır
    düzeninde bu ``Y = X @ A.T`` demektir. ``A`` ``(m, 2)`` şeklinde olabilir; sonuç ``(n, m)``.
    ``X`` ve ``A`` torch tensörleridir; sonuç da torch tensörü olmalı.
    """
    return X @ A.T


def singular_values(A):
    """``A`` matrisinin tekil değerleri (singular values): 1-B tensör, büyükten küçüğe sıralı.

    ``torch.linalg.svd`` kullan (``U, S, Vh = torch.linalg.svd(A)``).
    """
    A = torch.as_tensor(A)
    _, S, _ = torch.linalg.svd(A)
    return S


def squash(A, s_min):
    """2×2 ``A`` matrisinin küçük tekil değerini ``s_min`` yapar, geri kalanını korur.

    ``A = U · diag(S) · Vh`` ayrışımındaki ``U`` ve ``Vh`` aynen kalır; yalnızca ``S[1]`` yerine
    ``s_min`` konur: ``A' = U · diag(S[0], s_min) · Vh``. (Dikkat: ``torch.linalg.svd`` ``V``'yi
    değil ``Vh = Vᵀ``'yi döndürür.) Döndürür: ``A`` ile aynı şekilde (2×2) bir tensör.
    """
    A = torch.as_tensor(A)
    U, S, Vh = torch.linalg.svd(A)
    S2 = S.clone()
    S2[-1] = s_min
    return U @ torch.diag(S2) @ Vh


def principal_stds(Y):
    """Nokta bulutu ``Y``'nin (şekil ``(n, d)``) ana eksenleri boyunca standart sapmaları.

    Önce bulutu merkezle (her sütundan ortalamasını çıkar), sonra merkezlenmiş verinin tekil
    değerlerini ``sqrt(n - 1)``'e böl. Döndürür: 1-B tensör, büyükten küçüğe sıralı (``d`` değer).
    """
    Y = torch.as_tensor(Y)
    Yc = Y - Y.mean(dim=0, keepdim=True)
    return torch.linalg.svdvals(Yc) / (Y.shape[0] - 1) ** 0.5


# --- Egzersiz 4 ------------------------------------------------------------------------------


def build_net(activation, hidden=32):
    """İki-hilal (moons) sınıflandırıcısı: 2 → hidden → hidden → 2 katmanlı bir ``nn.Sequential``.

    Üç ``nn.Linear`` katmanı: ``Linear(2, hidden)``, ``Linear(hidden, hidden)``,
    ``Linear(hidden, 2)``. ``activation=True`` ise her iki ara katmandan sonra bir ``nn.ReLU()``
    gelir (Linear, ReLU, Linear, ReLU, Linear); ``False`` ise hiç aktivasyon yoktur (yalnızca üç
    Linear). Çıktı 2 sayıdır (iki sınıfın "logit"leri). Modeli CPU'da döndür.
    """
    layers = [nn.Linear(2, hidden)]
    if activation:
        layers.append(nn.ReLU())
    layers.append(nn.Linear(hidden, hidden))
    if activation:
        layers.append(nn.ReLU())
    layers.append(nn.Linear(hidden, 2))
    return nn.Sequential(*layers)


def train_classifier(model, X, y, epochs=300, lr=1e-2):
    """``model``'i tam-batch (full-batch) Adam + ``nn.CrossEntropyLoss`` ile eğitir (yerinde).

    Her epoch'ta tam olarak bir adım: gradyanları sıfırla, bütün ``X`` ile ileri geçiş, kayıp,
    geri yayılım, ``optimizer.step()``. Optimizer: ``torch.optim.Adam(model.parameters(), lr=lr)``.

    - ``X``: ``float32`` tensör ``(n, 2)``;  ``y``: ``int64`` tensör ``(n,)`` (sınıflar 0/1)
    - Veriyi modelin bulunduğu cihaza taşı (``next(model.parameters()).device``).

    Döndürür: uzunluğu ``epochs`` olan ``float`` listesi; i'inci eleman i'inci adımdan *önce*
    hesaplanan kayıp (``loss.item()``).
    """
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    y = torch.as_tensor(y, dtype=torch.long).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    losses = []
    for _ in range(int(epochs)):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


q_w01_e4c = "B"


# --- Egzersiz 5 ------------------------------------------------------------------------------


def gd(eta, steps=50, w0=10.0):
    """L(w) = (w - 3)² üzerinde elle gradient descent; son ``w``'yu (``float``) döndürür.

    ``w0``'dan başla; her adımda gradyan ``2(w - 3)``, güncelleme ``w ← w - eta·gradyan``.
    Tam olarak ``steps`` adım at.
    """
    w = float(w0)
    for _ in range(int(steps)):
        grad = 2 * (w - 3)
        w = w - eta * grad
    return w


def gd_path(eta, steps=50, w0=10.0):
    """``gd`` ile aynı güncelleme, ama bütün yolu döndürür: ``[w0, w1, ..., w_steps]``.

    Listenin uzunluğu ``steps + 1``'dir (başlangıç noktası ``w0`` dahil); son eleman ``gd``'nin
    sonucuna eşittir.
    """
    w = float(w0)
    path = [w]
    for _ in range(int(steps)):
        w = w - eta * 2 * (w - 3)
        path.append(w)
    return path


def neuron_grads(x, y, w, b):
    """Minik ağ x → nöron → ŷ → L için gradyanlar, zincir kuralıyla ELLE (autograd yok).

    Tanımlar: z = w·x + b,  ŷ = σ(z) (sigmoid),  L = (ŷ - y)².
    Döndürür: ``(dL/dw, dL/db)`` ikilisi (iki ``float``).
    """
    z = w * x + b
    y_hat = 1.0 / (1.0 + np.exp(-z))
    dL_dyhat = 2.0 * (y_hat - y)
    dyhat_dz = y_hat * (1.0 - y_hat)
    dL_dz = dL_dyhat * dyhat_dz
    return float(dL_dz * x), float(dL_dz)


converged_etas = {0.1, 0.5, 0.9}
