"""Week 11 (chapter 18) reference solutions: activation scale, losses as energy shaping, PPUU.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
uses the names the notebook's setup cell provides (``math``, ``np``, ``torch``, ``nn``, ``F``), so
the injected code runs unchanged in the notebook.
"""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- Egzersiz 1: aktivasyon ölçeği ------------------------------------------------------------


def softplus_beta(x, beta):
    """β-ölçekli softplus: softplus_β(x) = (1/β) · log(1 + e^(βx)), sayısal olarak KARARLI biçimde.

    Saf formül ``torch.log(1 + torch.exp(beta * x)) / beta``, büyük ``βx`` için taşar (``inf``).
    Kararlı eşdeğeri: ``max(x, 0) + log1p(exp(-|βx|)) / β``.

    - ``x``: torch tensörü (her şekil; ``float32`` ya da ``float64``), ``beta > 0``
    - Döndürür: ``x`` ile aynı şekilde ve dtype'ta bir tensör; hiçbir girdi için ``inf``/``nan`` yok.
    """
    x = torch.as_tensor(x)
    return torch.clamp(x, min=0) + torch.log1p(torch.exp(-torch.abs(beta * x))) / beta


def shape_change(act, c, x):
    """Bir aktivasyonun giriş ölçeğine ne kadar duyarlı olduğu: max |act(c·x)/c − act(x)|.

    - ``act``: tensör alıp tensör döndüren bir fonksiyon (``torch.relu``, ``F.softplus`` ...)
    - ``c``: pozitif ölçek (sayı);  ``x``: 1-B torch tensörü
    - Döndürür: ``float``. Pozitif homojen bir fonksiyonda (ReLU) bu 0'dır.
    """
    x = torch.as_tensor(x)
    return float((act(c * x) / c - act(x)).abs().max())


def rescale_gap(act, W1, W2, X, c):
    """İki katmanlı (bias'sız) ağda ağırlık ölçeğini katmanlar arasında taşımanın etkisi.

    Ağ: ``f(X) = act(X @ W1.T) @ W2.T``. İlk katmanın ağırlığını ``c`` ile çarpıp ikincininkini
    ``c``'ye bölünce elde edilen ağ ``g(X) = act(X @ (c·W1).T) @ (W2 / c).T`` olur.
    Döndürür: ``max |g(X) − f(X)|`` (``float``).

    - ``W1``: ``(h, d)``, ``W2``: ``(m, h)``, ``X``: ``(n, d)`` torch tensörleri;  ``c > 0``
    """
    out = act(X @ W1.T) @ W2.T
    out_scaled = act(X @ (c * W1).T) @ (W2 / c).T
    return float((out_scaled - out).abs().max())


homogeneous = {
    "relu": True,
    "leaky_relu": True,
    "softplus": False,
    "sigmoid": False,
    "tanh": False,
    "elu": False,
    "hardtanh": False,
}

q_w11_e1d = "B"


# --- Egzersiz 2: MSE vs L1 -----------------------------------------------------------------------


def best_constant(y, loss):
    """Verilen gözlemler için kaybı en küçük yapan SABİT tahmin ``t`` (``float``).

    - ``loss == "mse"``: ``Σ (y_i − t)²``'yi minimize eden ``t`` (ortalama)
    - ``loss == "l1"``: ``Σ |y_i − t|``'yi minimize eden ``t`` (bir medyan; çift sayıda gözlemde
      ortadaki iki değer arasındaki her nokta minimumdur, herhangi birini döndürebilirsin)
    - ``y``: 1-B sayı dizisi (liste ya da NumPy dizisi)
    """
    y = np.asarray(y, dtype=float)
    if loss == "mse":
        return float(y.mean())
    if loss == "l1":
        return float(np.median(y))
    raise ValueError(f"bilinmeyen kayıp: {loss}")


def fit_constant_image(sampler, loss, steps=600, lr=0.05, seed=0, batch=64):
    """TEK bir görüntüyü, örneklenen "geleceklere" gradient descent ile uydurur.

    - ``sampler(n, generator)``: ``[n, H, W]`` şeklinde ``n`` gelecek görüntüsü döndüren fonksiyon
      (örn. ``du.sample_bar_futures`` ile kurulan). ``generator = torch.Generator().manual_seed(seed)``
      oluştur ve her çağrıda onu ver.
    - Öğrenilen görüntü ``[H, W]`` şeklinde, sıfırlarla başlayan bir tensördür (``requires_grad``).
    - Her adımda: ``batch`` gelecek örnekle; kayıp ``loss == "mse"`` ise ``(img − y)²``'nin,
      ``"l1"`` ise ``|img − y|``'nin (batch ve pikseller üzerinde) ortalaması; ``zero_grad``,
      ``backward``, ``step``.
    - Optimizer: ``torch.optim.Adam([img], lr=lr)``; öğrenme oranı her 200 adımda 0.3 ile çarpılır
      (``torch.optim.lr_scheduler.StepLR(opt, step_size=200, gamma=0.3)``, her adımda ``sched.step()``).
      (Sabit öğrenme oranıyla L1, minimumun etrafında ±lr kadar salınır.)
    - Tam olarak ``steps`` adım at. Döndürür: öğrenilen görüntü (``[H, W]``, gradyansız tensör).
    """
    g = torch.Generator().manual_seed(int(seed))
    y = sampler(batch, g)
    img = torch.zeros(y.shape[1:], requires_grad=True)
    opt = torch.optim.Adam([img], lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=200, gamma=0.3)
    for step in range(int(steps)):
        if step > 0:
            y = sampler(batch, g)
        diff = img - y
        L = diff.pow(2).mean() if loss == "mse" else diff.abs().mean()
        opt.zero_grad()
        L.backward()
        opt.step()
        sched.step()
    return img.detach()


mse_prediction_is_a_possible_future = False

q_w11_e2c = "C"


# --- Egzersiz 3: EBM kayıpları ------------------------------------------------------------------


def energy_loss(E, y):
    """(a) Enerji kaybı: yalnızca doğru cevabın enerjisini aşağı iter.

    - ``E``: ``(B, K)`` tensör, ``E[i, k]`` = i'inci örnekte k'inci aday cevabın ENERJİSİ (düşük = iyi)
    - ``y``: ``(B,)`` ``int64`` tensör, doğru cevabın indeksi
    - Döndürür: batch ortalaması, ``mean_i E[i, y_i]`` (skaler tensör; autograd ile türevlenebilir)
    """
    return E.gather(1, y[:, None]).squeeze(1).mean()


def perceptron_loss(E, y):
    """(b) Perceptron kaybı: ``mean_i ( E[i, y_i] − min_k E[i, k] )`` (marjsız).

    Doğru cevap zaten en düşük enerjiliyse kayıp 0'dır; değilse doğru cevabı aşağı, en düşük
    enerjili cevabı yukarı iter. Döndürür: skaler tensör (türevlenebilir).
    """
    return (E.gather(1, y[:, None]).squeeze(1) - E.min(dim=1).values).mean()


def hinge_loss(E, y, m=1.0):
    """(c) Hinge kaybı (marj ``m``): ``mean_i max(0, m + E[i, y_i] − E[i, ȳ_i])``.

    ``ȳ_i`` = "en çok suç işleyen yanlış cevap": doğru cevap (``y_i``) DIŞINDAKİ adaylar arasında
    enerjisi en düşük olanı. Döndürür: skaler tensör (türevlenebilir).
    """
    E_y = E.gather(1, y[:, None]).squeeze(1)
    wrong = E.masked_fill(F.one_hot(y, E.shape[1]).bool(), float("inf"))
    return F.relu(m + E_y - wrong.min(dim=1).values).mean()


def collapse_report(net, X, y):
    """Eğitilmiş bir enerji ağının çöküp çökmediğini ölçer (gradyansız).

    ``E = net(X)`` (şekil ``(n, K)``, düşük = iyi). Döndürür: üç ``float``'lu bir sözlük:

    - ``"gap"``: ``mean_i ( E[i, ȳ_i] − E[i, y_i] )``; ``ȳ_i`` doğru cevap dışındaki en düşük enerjili aday
    - ``"spread"``: ``mean_i ( max_k E[i, k] − min_k E[i, k] )`` (çökmüş ağda ≈ 0)
    - ``"acc"``: en düşük enerjili adayın doğru cevap olduğu örneklerin oranı (``argmin``)
    """
    with torch.no_grad():
        E = net(X)
    E_y = E.gather(1, y[:, None]).squeeze(1)
    E_bar = E.masked_fill(F.one_hot(y, E.shape[1]).bool(), float("inf")).min(dim=1).values
    return {
        "gap": float((E_bar - E_y).mean()),
        "spread": float((E.max(dim=1).values - E.min(dim=1).values).mean()),
        "acc": float((E.argmin(dim=1) == y).float().mean()),
    }


zero_loss_when_all_energies_equal = {"energy": True, "perceptron": True, "hinge": False}

q_w11_e3c = "D"


# --- Egzersiz 4: PPUU latent dropout ------------------------------------------------------------


def sample_latent(mu, logvar, p_drop):
    """Latent dropout ile latent örnekleme.

    - ``mu``, ``logvar``: encoder çıktıları, şekil ``(n, z_dim)``
    - Her SATIR (örnek) için ayrı bir yazı-tura: ``p_drop`` olasılıkla o satır "düşürülür".
    - Düşürülmeyen satırlar: reparametrizasyon, ``z = mu + exp(0.5·logvar) · ε``, ``ε ~ N(0, I)``
      (böylece gradyan ``mu``'ya ve ``logvar``'a akar).
    - Düşürülen satırlar: prior'dan örnek, ``z ~ N(0, I)`` (encoder'dan hiçbir bilgi taşımaz).
    - Rastgelelik için torch'un genel üretecini kullan (``torch.rand``, ``torch.randn_like``).

    Döndürür: ``(z, dropped)``; ``z`` şekli ``(n, z_dim)``, ``dropped`` şekli ``(n,)`` olan
    ``bool`` tensör (True = o satır prior'dan geldi).
    """
    dropped = torch.rand(mu.shape[0], device=mu.device) < p_drop
    z_post = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    z_prior = torch.randn_like(mu)
    return torch.where(dropped[:, None], z_prior, z_post), dropped


def action_sensitivity(pred, n=2000, seed=0, z_dim=2):
    """Bir tahmincinin eyleme (direksiyona) ne kadar tepki verdiği.

    ``pred(s, a, z)`` üç tensör alır (şekiller ``(n, 1)``, ``(n, 1)``, ``(n, z_dim)``) ve
    ``(n, 1)`` tahmin döndürür. ``g = torch.Generator().manual_seed(seed)`` ile önce
    ``s ~ U(−1, 1)`` (şekil ``(n, 1)``), sonra PRIOR'dan ``z ~ N(0, I)`` (şekil ``(n, z_dim)``) örnekle.
    Döndürür (``float``)::

        mean[ pred(s, +0.5, z) − pred(s, −0.5, z) ] / ( sin(1.5) − sin(−1.5) )

    Gerçek dünyada ``s' = s + sin(3a) + ε`` olduğundan eylemi doğru kullanan bir model ≈ 1,
    eylemi yok sayan bir model ≈ 0 verir. Gradyan gerekmez (``torch.no_grad()``).
    """
    g = torch.Generator().manual_seed(int(seed))
    s = torch.rand(n, 1, generator=g) * 2 - 1
    z = torch.randn(n, z_dim, generator=g)
    a = torch.full((n, 1), 0.5)
    with torch.no_grad():
        d = pred(s, a, z) - pred(s, -a, z)
    return float(d.mean()) / (math.sin(1.5) - math.sin(-1.5))


q_w11_e4c = "A"

latent_dropout_facts = {
    "z_carries_steering": True,
    "action_always_present": True,
    "dropout_replaces_kl": False,
}


# --- Egzersiz 5: softmax sıcaklığı → attention --------------------------------------------------


def softmax_beta(z, beta, dim=-1):
    """Ters sıcaklıklı softmax: ``softmax(β·z)``, ``dim`` ekseni boyunca, sayısal olarak kararlı.

    Üstel almadan önce (``β·z``'nin) en büyük değerini çıkar: ``z = [1000, 0]`` için bile
    ``nan`` çıkmamalı. ``β = 0`` düzgün (uniform) dağılım verir.
    - ``z``: torch tensörü;  ``beta ≥ 0``;  ``dim``: normalize edilecek eksen
    - Döndürür: ``z`` ile aynı şekilde, ``dim`` boyunca toplamı 1 olan tensör
    """
    zb = beta * torch.as_tensor(z)
    zb = zb - zb.amax(dim=dim, keepdim=True)
    e = torch.exp(zb)
    return e / e.sum(dim=dim, keepdim=True)


def entropy_curve(scores, betas):
    """Her ``β`` için ``softmax_beta(scores, β)`` dağılımının entropisi (nat, doğal logaritma).

    ``H(p) = −Σ p_k log p_k``; ``0 · log 0 = 0`` kabul edilir (``torch.special.xlogy(p, p)``
    bunu doğru yapar; ``p * log(p)`` ise ``nan`` üretir). Hesabı ``float64``'te yap.
    - ``scores``: 1-B tensör (K skor);  ``betas``: sayı listesi
    - Döndürür: uzunluğu ``len(betas)`` olan NumPy dizisi
    """
    s = torch.as_tensor(scores, dtype=torch.float64)
    out = []
    for b in betas:
        p = softmax_beta(s, b)
        out.append(float(-torch.special.xlogy(p, p).sum()))
    return np.array(out)


def mean_attention_entropy(d, scaled, n_keys=16, trials=200, seed=0):
    """Rastgele sorgu/anahtarlarla attention dağılımının ortalama entropisi (nat).

    ``g = torch.Generator().manual_seed(seed)``; her denemede (``trials`` tane) bir sorgu
    ``q ~ N(0, I_d)`` ve ``n_keys`` anahtar ``k_j ~ N(0, I_d)`` örnekle (önce bütün sorgular
    ``(trials, d)``, sonra bütün anahtarlar ``(trials, n_keys, d)``). Skorlar ``k_j · q``;
    ``scaled=True`` ise ``√d``'ye bölünür. Attention = skorlar üzerinde softmax; entropisini al,
    denemeler üzerinden ortala. Döndürür: ``float``. (``float64`` kullan.)
    """
    g = torch.Generator().manual_seed(int(seed))
    q = torch.randn(trials, d, generator=g, dtype=torch.float64)
    K = torch.randn(trials, n_keys, d, generator=g, dtype=torch.float64)
    s = (K @ q[:, :, None]).squeeze(-1)
    if scaled:
        s = s / math.sqrt(d)
    p = torch.softmax(s, dim=-1)
    return float((-torch.special.xlogy(p, p).sum(dim=-1)).mean())


transformer_facts = {
    "parallel": True,
    "perm_equivariant": True,
    "rnn_bottleneck": True,
    "needs_recurrence_for_order": False,
}
