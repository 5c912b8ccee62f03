"""Week 2 (chapter 9) reference solutions.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
needs the names the notebook's setup cell provides (``np``, ``torch``, ``nn``, ``F``), so the
injected code runs unchanged in the notebook.
"""

import copy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- Egzersiz 1 ------------------------------------------------------------------------------


def softmax(z):
    """Sayısal olarak kararlı softmax (NumPy).

    - ``z`` 1-B ise (şekil ``(K,)``): ``K`` olasılık döndür (toplamları 1).
    - ``z`` 2-B ise (şekil ``(B, K)``, her satır bir örneğin logit'leri): softmax'i **her satıra
      ayrı ayrı** uygula; sonuç ``(B, K)``, her satırın toplamı 1.

    Taşmayı (overflow) önlemek için önce her satırın en büyük değerini çıkar:
    ``softmax(z) = exp(z - max) / sum(exp(z - max))``. Tam sayı (int) girdi de kabul edilmeli.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(z, c):
    """Tek bir örneğin cross-entropy kaybı: ``-log softmax(z)[c]`` (NumPy, ``float`` döndürür).

    - ``z``: logit vektörü, şekil ``(K,)``;  ``c``: doğru sınıfın numarası (``0 ≤ c < K``).

    ``log(softmax(z)[c])``'yi doğrudan hesaplamak, doğru sınıfın olasılığı çok küçükken
    ``log(0) = -inf`` verir. Bunun yerine log-sum-exp biçimini kullan:
    ``-log softmax(z)[c] = -(z[c] - m) + log(sum(exp(z - m)))``, burada ``m = max(z)``.
    """
    z = np.asarray(z, dtype=float)
    m = z.max()
    return float(-(z[int(c)] - m) + np.log(np.exp(z - m).sum()))


def cross_entropy_batch(Z, y):
    """Bir grup (batch) örneğin **ortalama** cross-entropy kaybı (NumPy, ``float`` döndürür).

    - ``Z``: logit'ler, şekil ``(B, K)``;  ``y``: doğru sınıflar, şekil ``(B,)`` (tam sayılar).

    ``torch.nn.functional.cross_entropy`` ile aynı tanım: örnek başına kayıpların (satır satır
    ``-log softmax(Z[i])[y[i]]``) **ortalaması**. Kararlı (log-sum-exp) biçimi kullan.
    """
    Z = np.asarray(Z, dtype=float)
    y = np.asarray(y).astype(int)
    m = Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z - m).sum(axis=1)) + m[:, 0]
    return float(np.mean(lse - Z[np.arange(Z.shape[0]), y]))


# --- Egzersiz 2 ------------------------------------------------------------------------------


def build_spiral_net():
    """Hafta 1'in spiral ağı: ``Linear(2, 100)`` → ``ReLU`` → ``Linear(100, 5)`` (``nn.Sequential``).

    Çıktı 5 logit'tir (5 spiral kolu); softmax koyma, ``CrossEntropyLoss`` onu kendisi yapar.
    Modeli CPU'da döndür.
    """
    return nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 5))


def train_spiral(model, X, y, epochs=1000, lr=1.0):
    """``model``'i tam-batch (full-batch) SGD + ``nn.CrossEntropyLoss`` ile **yerinde** eğitir.

    Optimizer: ``torch.optim.SGD(model.parameters(), lr=lr)`` (momentum yok). Her epoch'ta bütün
    ``X`` ile tam olarak bir adım: ileri geçiş → kayıp → ``zero_grad`` → ``backward`` → ``step``.

    - ``X``: ``float32`` tensör ``(n, 2)``;  ``y``: ``int64`` tensör ``(n,)``.
    - Veriyi modelin cihazına taşı: ``dev = next(model.parameters()).device``.

    Döndürür: uzunluğu ``epochs`` olan ``float`` listesi; i'inci eleman i'inci adımdan *önce*
    hesaplanan kayıp (``loss.item()``), yani ilk eleman eğitilmemiş modelin kaybıdır.
    """
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    y = torch.as_tensor(y, dtype=torch.long).to(dev)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(int(epochs)):
        y_pred = model(X)
        loss = criterion(y_pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def build_linear_net():
    """Aynı ağın aktivasyonsuz hâli: ``Linear(2, 100)`` → ``Linear(100, 5)`` (``nn.Sequential``).

    Arada hiçbir aktivasyon yok; bu yüzden bütün ağ tek bir afin dönüşüme (doğrusal softmax
    sınıflandırıcısına) çöker (Hafta 1, Egzersiz 2).
    """
    return nn.Sequential(nn.Linear(2, 100), nn.Linear(100, 5))


q_w02_e2c = "B"


# --- Egzersiz 3 ------------------------------------------------------------------------------


def accumulated_grad(model, X, y, k):
    """Gradyan birikimini göster: ``k`` kez ``backward`` çağır, arada **sıfırlama**.

    1. Önce gradyanları bir kez sıfırla: ``model.zero_grad()``.
    2. ``k`` kez: ``loss = F.cross_entropy(model(X), y)``; ``loss.backward()`` (``step`` yok,
       ``zero_grad`` yok).
    3. İlk katmanın (``model[0]``, bir ``nn.Linear``) ağırlık gradyanının bir kopyasını döndür:
       ``model[0].weight.grad.detach().clone()``.

    PyTorch gradyanları toplar; sonuç tek bir gradyanın tam ``k`` katı olmalı.
    """
    model.zero_grad()
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    y = torch.as_tensor(y, dtype=torch.long).to(dev)
    for _ in range(int(k)):
        loss = F.cross_entropy(model(X), y)
        loss.backward()
    return model[0].weight.grad.detach().clone()


def train_full_batch(model, X, y, epochs, lr, zero_grad=True):
    """Tam-batch SGD (``lr``, momentum yok) + cross-entropy; ``zero_grad=False`` iken gradyanlar
    hiç sıfırlanmaz.

    Her epoch'ta bir adım: (``zero_grad`` ise ``optimizer.zero_grad()``) → ileri geçiş → kayıp
    → ``backward`` → ``step``. ``model`` yerinde eğitilir; veri modelin cihazına taşınır.

    Döndürür: uzunluğu ``epochs`` olan ``float`` listesi, her adımdan *önce* ölçülen kayıp.
    """
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    y = torch.as_tensor(y, dtype=torch.long).to(dev)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(int(epochs)):
        if zero_grad:
            optimizer.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def train_minibatch(model, X, y, epochs, lr, batch_size, seed, zero_grad=True):
    """Mini-batch SGD (``lr``, momentum yok) + cross-entropy; ``zero_grad=False`` iken gradyanlar
    hiç sıfırlanmaz.

    Karıştırma tam olarak şöyle olmalı (testler aynı sırayı bekler):
    ``g = torch.Generator().manual_seed(seed)`` bir kez oluşturulur; her epoch'un başında
    ``perm = torch.randperm(n, generator=g)``; batch'ler sırayla ``perm[i : i + batch_size]``
    (``i = 0, batch_size, 2·batch_size, ...``; sonuncusu daha kısa olabilir). Her batch için bir
    adım: (``zero_grad`` ise ``optimizer.zero_grad()``) → kayıp → ``backward`` → ``step``.

    Döndürür: uzunluğu ``epochs`` olan ``float`` listesi; her epoch'un **sonunda**, bütün veri
    üzerinde (``torch.no_grad()`` içinde) ölçülen kayıp.
    """
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    y = torch.as_tensor(y, dtype=torch.long).to(dev)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(int(seed))
    n = X.shape[0]
    losses = []
    for _ in range(int(epochs)):
        perm = torch.randperm(n, generator=g).to(dev)
        for i in range(0, n, int(batch_size)):
            idx = perm[i:i + int(batch_size)]
            if zero_grad:
                optimizer.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            losses.append(F.cross_entropy(model(X), y).item())
    return losses


q_w02_e3d = "C"


# --- Egzersiz 4 ------------------------------------------------------------------------------


def mse_onehot_loss(logits, y, num_classes):
    """Sınıflandırma için MSE: softmax olasılıkları ile one-hot hedefler arasındaki ortalama kare hata.

    - ``logits``: ``(B, K)`` tensör;  ``y``: ``(B,)`` ``int64`` sınıflar;  ``num_classes = K``.
    - Olasılıklar: ``torch.softmax(logits, dim=1)``; hedef: ``F.one_hot(y, num_classes)``
      (``long`` döner: ``logits`` ile aynı float türüne çevir).
    - Ortalama, **bütün B·K eleman** üzerinden (``F.mse_loss``'un varsayılanı).

    Döndürür: tek elemanlı (skaler) bir tensör; ``backward`` çağrılabilmeli.
    """
    p = torch.softmax(logits, dim=1)
    target = F.one_hot(y, num_classes).to(p.dtype)
    return F.mse_loss(p, target)


def compare_losses(X, y, epochs=300, lr=1.0, seed=0):
    """Aynı başlangıçtan iki ağ eğit: biri cross-entropy, biri MSE (``mse_onehot_loss``) ile.

    1. ``torch.manual_seed(seed)``, hemen ardından ``model_ce = build_spiral_net()``;
       ``model_mse = copy.deepcopy(model_ce)`` (iki ağ tıpatıp aynı başlar).
    2. İkisini de tam-batch SGD (``lr``, momentum yok) ile ``epochs`` adım eğit (her adımda:
       ``zero_grad`` → ileri geçiş → kayıp → ``backward`` → ``step``). ``model_ce`` için kayıp
       ``F.cross_entropy(logits, y)``, ``model_mse`` için ``mse_onehot_loss(logits, y, 5)``.

    Döndürür: ``{"ce": (losses_ce, model_ce), "mse": (losses_mse, model_mse)}``; kayıp listeleri
    her adımdan *önce* ölçülen kendi kayıplarıdır (``float``), modeller eğitilmiş ağlardır.
    """
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.long)
    torch.manual_seed(seed)
    model_ce = build_spiral_net()
    model_mse = copy.deepcopy(model_ce)

    def run(model, loss_fn):
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        losses = []
        for _ in range(int(epochs)):
            opt.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    losses_ce = run(model_ce, F.cross_entropy)
    losses_mse = run(model_mse, lambda logits, t: mse_onehot_loss(logits, t, 5))
    return {"ce": (losses_ce, model_ce), "mse": (losses_mse, model_mse)}


def logit_grads(z, c):
    """Tek bir örneğin iki kaybının logit'lere göre gradyanı: ``(g_ce, g_mse)``.

    - ``z``: logit vektörü, şekil ``(K,)`` (tensör);  ``c``: doğru sınıf (``int``).
    - ``g_ce = ∂ CE / ∂z`` burada ``CE = F.cross_entropy(z[None], [c])``.
    - ``g_mse = ∂ MSE / ∂z`` burada ``MSE = mse_onehot_loss(z[None], [c], K)``.

    ``autograd`` kullanabilirsin (``z``'nin ``requires_grad=True`` olan bir kopyasını al). İkisi de
    şekli ``(K,)`` olan tensör döner.
    """
    z = torch.as_tensor(z).detach()
    if not torch.is_floating_point(z):
        z = z.double()
    K = z.shape[0]
    target = torch.tensor([int(c)])
    zc = z.clone().requires_grad_(True)
    F.cross_entropy(zc[None], target).backward()
    zm = z.clone().requires_grad_(True)
    mse_onehot_loss(zm[None], target, K).backward()
    return zc.grad.detach(), zm.grad.detach()


q_w02_e4d = "A"


# --- Egzersiz 5 ------------------------------------------------------------------------------


def flatten_dim(H, W, C):
    """``H × W`` boyutlu, ``C`` kanallı bir görüntü düzleştirilince kaç sayı olur? (``int``)"""
    return int(H) * int(W) * int(C)


def fc_first_layer_params(H, W, C, n_hidden, bias=True):
    """Düzleştirilmiş ``H × W × C`` görüntüyü ``n_hidden`` nörona bağlayan ilk ``nn.Linear``
    katmanının parametre sayısı (Python ``int``).

    Ağırlıklar: ``(H·W·C) · n_hidden``; ``bias=True`` ise her nöronun bir bias'ı da var
    (``+ n_hidden``).
    """
    n_in = int(H) * int(W) * int(C)
    return n_in * int(n_hidden) + (int(n_hidden) if bias else 0)


q_w02_e5b = {"B", "D"}


def permute_first_layer(model, perm):
    """Pikselleri ``perm`` ile karıştırılmış girdide aynı çıktıyı veren yeni bir model döndürür.

    ``model`` ilk elemanı ``nn.Linear`` olan bir ``nn.Sequential``; ``perm`` ``0..d-1``'in bir
    permütasyonu (``LongTensor``). Öyle bir ``new`` model döndür ki her ``x`` için
    ``new(x[:, perm]) == model(x)`` olsun. İpucu: yalnızca ilk katmanın ağırlığının **sütunları**
    yer değiştirir; ``x[:, perm]``'in ``j``'inci sütunu, ``x``'in ``perm[j]``'inci sütunudur.

    ``model``'i değiştirme: ``copy.deepcopy(model)`` ile bir kopya alıp onu düzenle.
    """
    new = copy.deepcopy(model)
    perm = torch.as_tensor(perm, dtype=torch.long).to(new[0].weight.device)
    with torch.no_grad():
        new[0].weight.copy_(model[0].weight[:, perm])
    return new
