"""Week 10 (chapter 17) reference solutions: rotation pretext task and linear probes, nearest
neighbours in feature space, PIRL (jigsaw invariance with an InfoNCE loss), the pre-/post-2020 map
of self-supervised methods, and the week-11 preview (margin loss, cross-entropy as push down /
push up).

Every top-level definition used by an ``# INJECT SOLUTION:`` directive is injected into the
master notebook; the docstrings are what students see (Turkish). The notebook's setup cell
provides ``np``, ``torch``, ``nn``, ``F`` and ``du`` (dlsp_utils), the same names imported here.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import dlsp_utils as du


# --- Egzersiz 1 ----------------------------------------------------------------------------------


def make_rotation_batch(images, g):
    """Bir grup görüntünün her birini rastgele ``k · 90°`` döndürür (bedava etiketler).

    ``images``: ``(B, C, H, W)`` (kare), ``g``: ``torch.Generator``.
    ``ks = torch.randint(0, 4, (B,), generator=g)``; ``rotated[i] = torch.rot90(images[i], ks[i], dims=(-2, -1))``.
    Döndürür: ``(rotated, ks)``; ``ks`` ``int64`` tensör, şekli ``(B,)``.
    """
    ks = torch.randint(0, 4, (images.shape[0],), generator=g)
    rotated = torch.stack([torch.rot90(img, int(k), dims=(-2, -1)) for img, k in zip(images, ks)])
    return rotated, ks.to(images.device)


def train_rotation_pretext(encoder, head, images, steps=300, batch_size=256, lr=3e-3, seed=0):
    """Döndürme pretext görevi: etiketsiz görüntülerden dönme açısını (4 sınıf) tahmin etmeyi öğren.

    - ``g = torch.Generator().manual_seed(seed)``; tek bir Adam, ``encoder`` ve ``head``'in bütün
      parametreleri için (``lr=lr``).
    - Her adımda: ``idx = torch.randint(0, len(images), (batch_size,), generator=g)``;
      ``x, k = make_rotation_batch(images[idx], g)``; ``loss = F.cross_entropy(head(encoder(x)), k)``;
      ``zero_grad`` → ``backward`` → ``step``.
    - ``images``: ``(n, 1, 8, 8)``. Veriyi modelin cihazına taşı.

    Döndürür: uzunluğu ``steps`` olan kayıp listesi (``float``).
    """
    dev = next(encoder.parameters()).device
    images = torch.as_tensor(images, dtype=torch.float32)
    g = torch.Generator().manual_seed(int(seed))
    opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=lr)
    encoder.train()
    head.train()
    losses = []
    for _ in range(int(steps)):
        idx = torch.randint(0, images.shape[0], (int(batch_size),), generator=g)
        x, k = make_rotation_batch(images[idx], g)
        opt.zero_grad()
        loss = F.cross_entropy(head(encoder(x.to(dev))), k.to(dev))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def linear_probe(feature_fn, X_lab, y_lab, X_test, y_test):
    """Donmuş özniteliklerle doğrusal sınıflandırıcı ("linear probe"); test doğruluğunu döndürür.

    1. ``torch.no_grad()`` altında ``F_lab = feature_fn(X_lab)`` ve ``F_test = feature_fn(X_test)``;
       NumPy'a çevir (``.detach().cpu().numpy()``). ``feature_fn`` EĞİTİLMEZ (donmuş).
    2. ``sklearn.preprocessing.StandardScaler``'ı ``F_lab``'a uydur, iki kümeyi de dönüştür.
    3. ``sklearn.linear_model.LogisticRegression(max_iter=3000)``'ü etiketli kümeyle eğit.
    Döndürür: test doğruluğu (``float``).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    with torch.no_grad():
        f_lab = torch.as_tensor(feature_fn(X_lab)).detach().cpu().numpy()
        f_test = torch.as_tensor(feature_fn(X_test)).detach().cpu().numpy()
    scaler = StandardScaler().fit(f_lab)
    clf = LogisticRegression(max_iter=3000).fit(scaler.transform(f_lab), np.asarray(y_lab))
    return float(clf.score(scaler.transform(f_test), np.asarray(y_test)))


q_w10_e1_free = "A"
q_w10_e1_scale = "B"


# --- Egzersiz 2 ----------------------------------------------------------------------------------


def nearest_neighbors(query_feat, bank_feats, k=5, exclude=None):
    """Kosinüs benzerliğiyle en yakın ``k`` komşunun indeksleri, benzerliği büyükten küçüğe.

    Sorguyu ve bankanın her satırını normuna böl (sıfır vektörlere karşı paydaya ``1e-9`` ekle),
    benzerlik = iç çarpım. ``exclude`` bir indeks ise (sorgu bankanın içindeyse kendisi) o indeks
    sonuçta yer almasın. ``query_feat``: ``(d,)``, ``bank_feats``: ``(N, d)`` NumPy dizileri.
    Döndürür: ``int`` dizisi, şekli ``(k,)``.
    """
    q = np.asarray(query_feat, dtype=float)
    B = np.asarray(bank_feats, dtype=float)
    q = q / (np.linalg.norm(q) + 1e-9)
    B = B / (np.linalg.norm(B, axis=1, keepdims=True) + 1e-9)
    sims = B @ q
    if exclude is not None:
        sims[int(exclude)] = -np.inf
    return np.argsort(-sims, kind="stable")[: int(k)]


def knn_precision(features, labels, k=5):
    """Öznitelik uzayında k-NN kesinliği: her örneğin (kendisi hariç) kosinüs benzerliğine göre
    en yakın ``k`` komşusundan kaçının etiketi kendi etiketiyle aynı? Bütün örneklerin ortalaması.

    ``features``: ``(N, d)``, ``labels``: ``(N,)`` (NumPy ya da tensör). Döndürür: ``float``.
    """
    Fm = np.asarray(features, dtype=float)
    y = np.asarray(labels)
    Fm = Fm / (np.linalg.norm(Fm, axis=1, keepdims=True) + 1e-9)
    S = Fm @ Fm.T
    np.fill_diagonal(S, -np.inf)
    nn_idx = np.argsort(-S, axis=1, kind="stable")[:, : int(k)]
    return float((y[nn_idx] == y[:, None]).mean())


q_w10_e2_semantic = "B"


# --- Egzersiz 3 ----------------------------------------------------------------------------------


def pirl_loss(z_orig, z_transformed, z_negatives, tau=0.1):
    """PIRL'in karşıtsal (InfoNCE tarzı) kaybı: orijinal ↔ dönüştürülmüş = pozitif, diğerleri negatif.

    1. Üç kümeyi de satır satır normalize et (``F.normalize(·, dim=-1)``).
    2. ``pos = (z_o · z_p).sum(-1, keepdim=True) / tau`` (``(B, 1)``), ``neg = z_o @ z_nᵀ / tau`` (``(B, N)``).
    3. ``logits = [pos | neg]`` (``(B, 1 + N)``); hedef her satırda 0 (pozitif ilk sütunda);
       ``F.cross_entropy(logits, hedef)``.

    ``z_orig``, ``z_transformed``: ``(B, d)``; ``z_negatives``: ``(N, d)`` (bütün satırlar için aynı
    negatifler). Döndürür: 0-boyutlu tensör.
    """
    z_o = F.normalize(z_orig, dim=-1)
    z_p = F.normalize(z_transformed, dim=-1)
    z_n = F.normalize(z_negatives, dim=-1)
    pos = (z_o * z_p).sum(-1, keepdim=True) / tau
    neg = z_o @ z_n.t() / tau
    logits = torch.cat([pos, neg], dim=1)
    target = torch.zeros(z_o.shape[0], dtype=torch.long, device=z_o.device)
    return F.cross_entropy(logits, target)


def jigsaw(imgs, perm, grid=2):
    """Yama karıştırma: görüntüyü ``grid × grid`` yamaya böl (satır satır numaralı: 0 sol-üst,
    1 onun sağı, …) ve çıktının ``j``'inci yamasına girdinin ``perm[j]``'inci yamasını koy.

    ``imgs``: ``(B, C, H, W)`` (``H`` ve ``W``, ``grid``'e bölünür); ``perm``: ``grid²`` uzunluklu
    ``LongTensor``. Döndürür: aynı şekilde tensör. Örnek: ``torch.arange(64).view(1, 1, 8, 8)`` ve
    ``perm = [1, 0, 3, 2]`` → ilk satır ``[4, 5, 6, 7, 0, 1, 2, 3]``.
    """
    B, C, H, W = imgs.shape
    ph, pw = H // grid, W // grid
    patches = imgs.reshape(B, C, grid, ph, grid, pw).permute(0, 2, 4, 1, 3, 5).reshape(B, grid * grid, C, ph, pw)
    patches = patches[:, torch.as_tensor(perm, dtype=torch.long)]
    return patches.reshape(B, grid, grid, C, ph, pw).permute(0, 3, 1, 4, 2, 5).reshape(B, C, H, W)


def train_pirl(encoder, images, steps=300, batch_size=128, tau=0.1, lr=3e-3, seed=0):
    """PIRL tarzı eğitim: temsil, yama karıştırmaya DEĞİŞMEZ olsun; grup içindeki öteki görüntüler negatif.

    - ``g = torch.Generator().manual_seed(seed)``; ``torch.optim.Adam(encoder.parameters(), lr=lr)``.
    - Her adımda: ``idx = torch.randint(0, len(images), (batch_size,), generator=g)``, ``x = images[idx]``
      (``(B, 1, 8, 8)``); ``perm = torch.randperm(4, generator=g)``; ``x_t = jigsaw(x, perm)``.
    - ``z_o = encoder(x.flatten(1))``, ``z_t = encoder(x_t.flatten(1))``; ikisini normalize et;
      ``S = z_o @ z_tᵀ / tau`` (``(B, B)``): köşegen pozitif çiftler, köşegen dışı negatifler;
      ``loss = F.cross_entropy(S, torch.arange(B))``.
    - ``zero_grad`` → ``backward`` → ``step``. Döndürür: uzunluğu ``steps`` olan kayıp listesi.
    """
    dev = next(encoder.parameters()).device
    images = torch.as_tensor(images, dtype=torch.float32)
    g = torch.Generator().manual_seed(int(seed))
    opt = torch.optim.Adam(encoder.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        idx = torch.randint(0, images.shape[0], (int(batch_size),), generator=g)
        x = images[idx]
        perm = torch.randperm(4, generator=g)
        x_t = jigsaw(x, perm)
        z_o = F.normalize(encoder(x.flatten(1).to(dev)), dim=-1)
        z_t = F.normalize(encoder(x_t.flatten(1).to(dev)), dim=-1)
        logits = z_o @ z_t.t() / tau
        opt.zero_grad()
        loss = F.cross_entropy(logits, torch.arange(logits.shape[0], device=dev))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


q_w10_e3_pairs = "B"


# --- Egzersiz 4 ----------------------------------------------------------------------------------


in_course = {
    "MoCo": True,
    "PIRL": True,
    "ClusterFit": True,
    "BYOL": False,
    "VICReg": False,
    "MAE": False,
    "JEPA": False,
    "Barlow Twins": False,
}

evolved_from = {
    "BYOL": "many_negatives_problem",
    "VICReg": "limit_low_energy_volume",
    "MAE": "denoising_autoencoder",
    "JEPA": "ebm_world_model_noncontrastive",
}


# --- Egzersiz 5 ----------------------------------------------------------------------------------


def margin_loss(E_pos, E_neg, m=1.0):
    """Marj (hinge) kaybı: ``ortalama(relu(E_pos − E_neg + m))``.

    Pozitifin enerjisi negatifinkinden en az ``m`` düşükse çift kayba katkı yapmaz; değilse pozitif
    aşağı, negatif yukarı itilir. ``E_pos``, ``E_neg``: aynı şekilli tensörler. Döndürür: 0-boyutlu tensör.
    """
    return F.relu(E_pos - E_neg + m).mean()


def ce_energy_grad(E, c):
    """Enerji diliyle çapraz entropi: ``L = E_c + log Σ_j exp(−E_j)`` (logit = −enerji), ``∂L/∂E``'yi döndür.

    Kapalı form: ``p = softmax(−E)``; ``∂L/∂E_j = −p_j`` (``j ≠ c``), ``∂L/∂E_c = 1 − p_c``.
    ``E``: 1-B tensör (``K`` sınıfın enerjileri), ``c``: doğru sınıf. Döndürür: şekli ``(K,)`` tensör.
    """
    p = torch.softmax(-E, dim=0)
    grad = -p
    grad[c] = grad[c] + 1.0
    return grad


loss_role = {
    "cross_entropy": "both",
    "mse_regression": "push_down_correct",
    "contrastive": "both",
    "reconstruction": "push_down_correct",
    "margin": "both",
}

q_w10_e5_zero = "B"
