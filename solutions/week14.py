"""Week 14 (chapter 21) reference solutions: structured prediction, free energy, regularisation.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
needs the names the notebook's setup cell provides (``itertools``, ``math``, ``np``, ``torch``,
``nn``), so the injected code runs unchanged in the notebook.
"""

import itertools
import math

import numpy as np
import torch
import torch.nn as nn


# --- Egzersiz 1: faktör grafiği çıkarımı -------------------------------------------------------


def chain_energy(U, P, cfg):
    """Zincir biçimli faktör grafiğinde bir konfigürasyonun enerjisi.

    - ``U``: tekil (unary) enerjiler, şekli ``(T, S)``: ``U[t, s]`` = t'inci değişken s durumundayken
    - ``P``: geçiş (ikili faktör) enerjileri, şekli ``(S, S)``: ``P[i, j]`` = t'inci değişken i,
      (t+1)'inci değişken j durumundayken. ``P`` simetrik olmak zorunda DEĞİL.
    - ``cfg``: uzunluğu ``T`` olan durum dizisi (tamsayılar)

    Döndürür: ``E(cfg) = Σ_t U[t, cfg[t]] + Σ_{t<T-1} P[cfg[t], cfg[t+1]]`` (``float``).
    """
    U = np.asarray(U, dtype=float)
    P = np.asarray(P, dtype=float)
    cfg = [int(c) for c in cfg]
    e = sum(U[t, s] for t, s in enumerate(cfg))
    e += sum(P[cfg[t], cfg[t + 1]] for t in range(len(cfg) - 1))
    return float(e)


def brute_force_min(U, P):
    """Kaba kuvvet: bütün ``S**T`` konfigürasyonu tek tek dener.

    ``itertools.product(range(S), repeat=T)`` ile her konfigürasyonun enerjisini (``chain_energy``)
    hesapla, en küçüğünü tut. Eşitlik olursa ilk bulduğunu tutabilirsin.

    Döndürür: ``(cfg, E, n_configs)`` üçlüsü: en iyi konfigürasyon (tamsayı demeti ya da listesi),
    onun enerjisi (``float``) ve denenen konfigürasyon sayısı (``int``).
    """
    U = np.asarray(U, dtype=float)
    T, S = U.shape
    best_e, best_cfg, count = math.inf, None, 0
    for cfg in itertools.product(range(S), repeat=T):
        e = chain_energy(U, P, cfg)
        count += 1
        if e < best_e:
            best_e, best_cfg = e, cfg
    return tuple(int(c) for c in best_cfg), float(best_e), count


def viterbi(U, P):
    """Trellis'te en kısa yol (Viterbi, min-toplam dinamik programlama) ile en düşük enerjili
    konfigürasyon.

    ``cost[t, s]`` = t'inci adımda s durumunda biten en ucuz yolun enerjisi:

    - ``cost[0, s] = U[0, s]``
    - ``cost[t, j] = U[t, j] + min_i (cost[t-1, i] + P[i, j])``; hangi ``i``'den gelindiğini
      (geri-işaretçi, back-pointer) sakla.

    Sonda en ucuz son durumdan başlayıp geri-işaretçileri izleyerek yolu kur. Büyük ``T`` için
    (ör. ``T = 2000``) de hızlı çalışmalı: özyineleme (recursion) değil döngü kullan.

    Döndürür: ``(cfg, E)``: ``cfg`` uzunluğu ``T`` olan tamsayı listesi, ``E`` onun enerjisi
    (``float``).
    """
    U = np.asarray(U, dtype=float)
    P = np.asarray(P, dtype=float)
    T, S = U.shape
    cost = U[0].copy()
    back = np.zeros((T, S), dtype=np.int64)
    for t in range(1, T):
        cand = cost[:, None] + P  # cand[i, j]: i'den j'ye
        back[t] = np.argmin(cand, axis=0)
        cost = U[t] + cand[back[t], np.arange(S)]
    s = int(np.argmin(cost))
    best = float(cost[s])
    cfg = [s]
    for t in range(T - 1, 0, -1):
        s = int(back[t, s])
        cfg.append(s)
    return cfg[::-1], best


def eval_counts(T, S):
    """Değerlendirme sayıları: ``(kaba_kuvvet, dp)``.

    - kaba kuvvet: denenen tam konfigürasyon sayısı, ``S**T``
    - DP: Viterbi'nin baktığı geçiş (ikili tablo) sayısı; ``T-1`` geçişin her birinde ``S × S``
      ikili, yani ``(T - 1) * S**2``

    Döndürür: iki ``int``'lik demet.
    """
    T, S = int(T), int(S)
    return S**T, (T - 1) * S**2


def crossover_T(S):
    """``T ≥ 2`` için kaba kuvvetin DP'den *kesinlikle* pahalı olduğu en küçük ``T``:
    ``S**T > (T - 1) * S**2`` eşitsizliğini sağlayan en küçük ``T`` (``int``)."""
    S = int(S)
    T = 2
    while not S**T > (T - 1) * S**2:
        T += 1
    return T


q_w14_e1d = "B"


# --- Egzersiz 2: perceptron çöküşü -------------------------------------------------------------


def perceptron_loss(E, y):
    """Perceptron kaybı (grup ortalaması): ``E[y] - min_k E[k]``.

    - ``E``: enerjiler, şekli ``(n, K)`` olan torch tensörü (n örnek, K olası cevap)
    - ``y``: doğru cevapların indeksleri, şekli ``(n,)`` (``int64``)

    ``min`` bütün cevaplar üzerindedir (doğru cevap dahil): en iyi cevap doğru cevapsa kayıp 0'dır.
    Döndürür: 0-boyutlu (skaler) torch tensörü; ``E``'ye göre türevlenebilir olmalı (``.item()``
    yapma).
    """
    E = torch.as_tensor(E)
    y = torch.as_tensor(y, dtype=torch.long)
    e_true = E.gather(1, y[:, None]).squeeze(1)
    return (e_true - E.min(dim=1).values).mean()


def hinge_loss(E, y, m=1.0):
    """Marjlı hinge kaybı (grup ortalaması): ``max(0, m + E[y] - E[ȳ])``.

    ``ȳ`` "en çok suç işleyen" YANLIŞ cevaptır: doğru cevap dışındaki cevaplar arasında enerjisi en
    düşük olan. Notlardaki gösterimle ``gap = E(ȳ) - E(doğru)`` ve kayıp ``max(0, m - gap)``.

    Girdiler ``perceptron_loss`` ile aynı (``K ≥ 2``); ``m`` marj. Döndürür: türevlenebilir skaler
    torch tensörü.
    """
    E = torch.as_tensor(E)
    y = torch.as_tensor(y, dtype=torch.long)
    e_true = E.gather(1, y[:, None]).squeeze(1)
    wrong = E.scatter(1, y[:, None], math.inf)
    e_bar = wrong.min(dim=1).values
    return torch.relu(m + e_true - e_bar).mean()


def nll_loss(E, y, beta=1.0):
    """NLL kaybı (grup ortalaması): ``E[y] + (1/β) · log Σ_k exp(-β E[k])``.

    Büyük enerjilerde taşma (overflow) olmaması için ``torch.logsumexp`` kullan. ``β = 1`` iken bu,
    ``-E`` logit'leriyle çapraz entropidir (``F.cross_entropy(-E, y)``). Döndürür: türevlenebilir
    skaler torch tensörü.
    """
    E = torch.as_tensor(E)
    y = torch.as_tensor(y, dtype=torch.long)
    e_true = E.gather(1, y[:, None]).squeeze(1)
    return (e_true + torch.logsumexp(-beta * E, dim=1) / beta).mean()


def collapse_values(K, m, beta):
    """"Bütün enerjiler eşit" (çökmüş) çözümde üç kaybın değeri.

    ``K`` cevabın hepsinin enerjisi aynıyken (ör. hepsi 0) perceptron, hinge (marj ``m``) ve NLL
    (``beta``) kayıplarını hesapla (tek bir örnek yeter).

    Döndürür: ``(perceptron, hinge, nll)``: üç ``float``.
    """
    E = torch.zeros(1, int(K), dtype=torch.float64)
    y = torch.zeros(1, dtype=torch.long)
    return (float(perceptron_loss(E, y)), float(hinge_loss(E, y, m)), float(nll_loss(E, y, beta)))


q_w14_e2c = "A"


# --- Egzersiz 3: serbest enerji = VAE ----------------------------------------------------------


def gaussian_entropy(sigma):
    """``N(μ, σ²)`` dağılımının (diferansiyel) entropisi, doğal logaritmayla (nat):
    ``H = ½ · log(2 π e σ²)``. ``sigma`` sayı ya da NumPy dizisi olabilir (eleman eleman)."""
    sigma = np.asarray(sigma, dtype=float)
    return 0.5 * np.log(2 * np.pi * np.e * sigma**2)


def free_energy(sigma, T, mu=0.0):
    """Varyasyonel serbest enerji ``F = ⟨E⟩_q - T · H(q)``; ``q = N(μ, σ²)``, ``E(z) = ½ z²``.

    ``⟨E⟩_q = ½ (μ² + σ²)`` (kapalı form). ``sigma`` ve ``mu`` sayı ya da NumPy dizisi olabilir.
    """
    sigma = np.asarray(sigma, dtype=float)
    mu = np.asarray(mu, dtype=float)
    return 0.5 * (mu**2 + sigma**2) - T * gaussian_entropy(sigma)


def optimal_sigma(T):
    """``μ = 0`` iken ``free_energy(σ, T)``'yi en küçük yapan ``σ`` (``float``, ``σ > 0``).

    Türevi sıfıra eşitleyerek kapalı formu bulabilir ya da sayısal olarak arayabilirsin."""
    return float(np.sqrt(T))


def free_energy_mc(sigma, T, n, seed, mu=0.0):
    """``F``'nin Monte-Carlo tahmini: ``⟨E⟩_q``'yu ``n`` örnekle tahmin et, entropiyi kapalı formdan al.

    Yeniden parametrelendirme (reparameterisation): ``ε ~ N(0, 1)``, ``z = μ + σ ε``. Örnekleri
    kendi üretecinden çek: ``g = torch.Generator().manual_seed(seed)``,
    ``eps = torch.randn(n, generator=g, dtype=torch.float64)``. Sonra
    ``F ≈ mean(½ z²) - T · H(σ)``.

    Döndürür: ``float``. Aynı ``seed`` aynı sonucu vermeli; farklı ``seed``'ler (özellikle küçük
    ``n``'de) farklı sonuçlar.
    """
    g = torch.Generator().manual_seed(int(seed))
    eps = torch.randn(int(n), generator=g, dtype=torch.float64)
    z = mu + sigma * eps
    avg_e = float((0.5 * z**2).mean())
    return avg_e - T * float(gaussian_entropy(sigma))


def kl_to_standard_normal(mu, sigma):
    """``KL(N(μ, σ²) ‖ N(0, 1)) = ½ (μ² + σ² - 1) - log σ`` (VAE'nin KL terimi).
    ``mu`` ve ``sigma`` sayı ya da NumPy dizisi olabilir."""
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    return 0.5 * (mu**2 + sigma**2 - 1.0) - np.log(sigma)


def exact_free_energy(T):
    """Gerçek serbest enerji ``F* = -T · log ∫ exp(-E(z)/T) dz``, ``E(z) = ½ z²`` için (``float``).

    İpucu: ``∫ exp(-z²/(2T)) dz = sqrt(2 π T)`` (Gauss integrali)."""
    return float(-0.5 * T * np.log(2 * np.pi * T))


q_w14_e3f = "C"


# --- Egzersiz 4: L1 ve L2 ------------------------------------------------------------------------


def prox_l1(w, t):
    """L1'in yakınsal (proximal) adımı = yumuşak eşikleme (soft-threshold):
    ``sign(w) · max(|w| - t, 0)``. Mutlak değeri ``t``'den küçük bileşenler TAM 0 olur.
    ``w`` NumPy dizisi; sonuç aynı şekilde NumPy dizisi."""
    w = np.asarray(w, dtype=float)
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def prox_l2(w, t):
    """L2'nin (``½‖w‖²`` cezasının) yakınsal adımı: ``w / (1 + t)``: her bileşen aynı oranda küçülür,
    hiçbiri 0 olmaz. ``w`` NumPy dizisi; sonuç aynı şekilde NumPy dizisi."""
    w = np.asarray(w, dtype=float)
    return w / (1.0 + t)


def fit_linear(X, y, reg, lam, steps=500):
    """Düzenlenmiş doğrusal regresyon (kesişim/bias YOK); amaç fonksiyonu:

    - ``reg == "l1"``: ``(1/2n) ‖y - X w‖² + λ ‖w‖₁``  (Lasso)
    - ``reg == "l2"``: ``(1/2n) ‖y - X w‖² + (λ/2) ‖w‖²``  (Ridge)

    İstediğin yöntemi kullan; önerilen ISTA (yakınsal gradyan): adım ``1/L``, ``L`` =
    ``XᵀX/n`` matrisinin en büyük özdeğeri (``np.linalg.eigvalsh``); her adımda
    ``w ← prox(w - (1/L) · Xᵀ(Xw - y)/n,  λ/L)`` (L1 için ``prox_l1``, L2 için ``prox_l2``).
    ``w = 0``'dan başla ve ``steps`` adım at.

    - ``X``: NumPy dizisi ``(n, p)``;  ``y``: ``(n,)``
    Döndürür: ``w``, şekli ``(p,)`` olan NumPy dizisi.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    L = float(np.linalg.eigvalsh(X.T @ X / n).max())
    prox = {"l1": prox_l1, "l2": prox_l2}[reg]
    w = np.zeros(p)
    for _ in range(int(steps)):
        grad = X.T @ (X @ w - y) / n
        w = prox(w - grad / L, lam / L)
    return w


def train_digits_mlp(X, y, reg, lam=5e-3, epochs=20, lr=0.05, batch_size=128, seed=0):
    """``load_digits`` üzerinde küçük bir MLP'yi L1, L2 ya da düzenlemesiz eğitir; modeli döndürür.

    - Model: ``torch.manual_seed(seed)`` yap, sonra
      ``nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))`` kur.
    - Optimizer: ``torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)``; kayıp
      ``nn.CrossEntropyLoss()``.
    - Mini-batch: her epoch'ta ``torch.randperm(n, generator=g)`` ile karıştır
      (``g = torch.Generator().manual_seed(seed)``), ``batch_size``'lık parçalarla ilerle.
    - Düzenleme yalnızca İLK katmanın ağırlık matrisine (``model[0].weight``, şekli ``(32, 64)``):
        * ``reg == "l2"``: kayba ``(lam / 2) · ‖W₁‖²`` ekle (ceza terimi);
        * ``reg == "l1"``: her ``optimizer.step()``'ten SONRA ``W₁``'e yakınsal adımı uygula
          (yumuşak eşikleme, eşik ``lr · lam``; ``torch.no_grad()`` içinde);
        * ``reg == "none"``: düzenleme yok.
    - ``X``: ``float32`` tensör ``(n, 64)``, ``y``: ``int64`` tensör ``(n,)``. Yalnızca
      argümanlarını kullan.

    Döndürür: eğitilmiş model (CPU'da).
    """
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.long)
    torch.manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(int(seed))
    n = X.shape[0]
    W1 = model[0].weight
    for _ in range(int(epochs)):
        perm = torch.randperm(n, generator=g)
        for start in range(0, n, int(batch_size)):
            idx = perm[start:start + int(batch_size)]
            opt.zero_grad()
            loss = loss_fn(model(X[idx]), y[idx])
            if reg == "l2":
                loss = loss + 0.5 * lam * (W1**2).sum()
            loss.backward()
            opt.step()
            if reg == "l1":
                with torch.no_grad():
                    W1.copy_(torch.sign(W1) * torch.clamp(W1.abs() - lr * lam, min=0.0))
    return model


q_w14_e4d = "B"


# --- Egzersiz 5: Hafta 15 habercisi (transfer) ----------------------------------------------------


def freeze_backbone(model):
    """``model.backbone``'un bütün parametrelerini dondurur (``requires_grad = False``);
    ``model.head`` eğitilebilir kalır. Modeli yerinde değiştirir ve aynı modeli döndürür."""
    for p in model.backbone.parameters():
        p.requires_grad_(False)
    return model


def count_trainable(model):
    """Eğitilebilir (``requires_grad`` olan) parametrelerin toplam eleman sayısı (``int``).
    Her ``nn.Module`` için çalışmalı (yalnızca ``TransferNet`` için değil)."""
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))


def make_finetune_optimizer(model, lr_head, lr_backbone, weight_decay=0.01):
    """İnce ayar (fine-tune) için iki parametre gruplu ``torch.optim.AdamW``.

    - 1. grup: ``model.backbone.parameters()``, öğrenme oranı ``lr_backbone`` (küçük)
    - 2. grup: ``model.head.parameters()``, öğrenme oranı ``lr_head``
    - iki grupta da ``weight_decay`` (L2 tipi düzenleme)

    Her parametre tam olarak bir grupta olmalı. Döndürür: optimizer.
    """
    return torch.optim.AdamW(
        [{"params": list(model.backbone.parameters()), "lr": lr_backbone},
         {"params": list(model.head.parameters()), "lr": lr_head}],
        weight_decay=weight_decay,
    )


def early_stopping_epoch(val_losses, patience):
    """Erken durdurma (early stopping) kuralı.

    Epoch'lar 0'dan numaralanır. En iyi (en küçük) doğrulama kaybını izle; bir epoch yalnızca
    kaybı şimdiye kadarkinden KESİNLİKLE küçükse iyileşmedir. En iyi epoch'tan sonra art arda
    ``patience`` epoch iyileşme olmazsa eğitim o epoch'ta durur (``t - best == patience`` olduğu ilk
    ``t``). Hiç durmazsa son epoch'a kadar gider.

    Döndürür: ``(stop_epoch, best_epoch)``: eğitimin durduğu (son çalıştırılan) epoch ve geri
    yüklenecek ağırlıkların epoch'u (durana kadar görülen en iyi). İki ``int``.
    """
    losses = [float(v) for v in val_losses]
    best, best_t = math.inf, -1
    for t, v in enumerate(losses):
        if v < best:
            best, best_t = v, t
        elif t - best_t >= patience:
            return t, best_t
    return len(losses) - 1, best_t


regime_choice = {"100": "freeze", "50000": "finetune"}

few_label_safeguards = {"A", "B", "C", "D"}
