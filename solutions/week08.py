"""Week 8 (chapter 15) reference solutions: contrastive push down / push up, positive pairs,
denoising autoencoder, VAE, and the week-9 preview (GAN value, world-model energy).

Every top-level definition used by an ``# INJECT SOLUTION:`` directive is injected into the
master notebook; the docstrings are what students see (Turkish). The notebook's setup cell
provides ``np``, ``torch``, ``nn``, ``F`` and ``du`` (dlsp_utils), the same names imported here.
``push_down_only`` and ``DigitsAE`` are *provided* code in the notebook (not graded); they are
repeated here so that the reference functions also run on the grader's side.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import dlsp_utils as du


# --- provided in the notebook (not graded) -----------------------------------------------------


def push_down_only(energy_net, data, steps=300, lr=1e-2):
    """Hafta 7'deki deney: YALNIZCA veride enerjiyi düşür (kayıp = ortalama E(veri)); negatif yok."""
    dev = next(energy_net.parameters()).device
    data = torch.as_tensor(data, dtype=torch.float32).reshape(-1).to(dev)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        opt.zero_grad()
        loss = energy_net(data).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


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


# --- Egzersiz 1 ----------------------------------------------------------------------------------


def contrastive_loss(E_pos, E_neg, margin=1.0):
    """Kare-kare (square-square) karşıtsal kayıp.

    ``L = ortalama(E_pos²) + ortalama(relu(margin − E_neg)²)``

    - ``E_pos``: veri (pozitif) noktalarının enerjileri, 1-B tensör: aşağı bastırılır (push down).
    - ``E_neg``: negatif noktaların enerjileri, 1-B tensör (uzunluğu ``E_pos``'tan farklı olabilir):
      enerjisi ``margin``'in altında kalan her negatif yukarı itilir (push up); ``margin``'i
      aşmış negatifler kayba katkı yapmaz.

    Döndürür: tek sayılık (0-boyutlu) bir tensör; ``backward()`` çağrılabilmeli.
    """
    return (E_pos ** 2).mean() + (F.relu(margin - E_neg) ** 2).mean()


def train_contrastive(energy_net, data, steps=300, n_neg=32, lr=1e-2, seed=0, margin=1.0):
    """``energy_net``'i karşıtsal olarak (yerinde) eğitir; her adımın kaybını liste olarak döndürür.

    - Optimizer: ``torch.optim.Adam(energy_net.parameters(), lr=lr)``.
    - Negatifler: ``g = torch.Generator().manual_seed(seed)`` üreteciyle, her adımda YENİ
      ``n_neg`` nokta, ``[-4, 4]`` aralığında düzgün dağılımlı: ``-4 + 8 * torch.rand(n_neg, generator=g)``.
    - Her adım: gradyanları sıfırla → ``contrastive_loss(energy_net(data), energy_net(negatifler), margin)``
      → ``backward`` → ``step``.
    - ``data``: veri noktaları (ör. ``(-2.0, 0.0, 2.0)``); ``float32`` tensöre çevir. Tensörleri
      modelin cihazına taşı (``next(energy_net.parameters()).device``).

    Döndürür: uzunluğu ``steps`` olan ``float`` listesi (her adımdaki kayıp, ``loss.item()``).
    """
    dev = next(energy_net.parameters()).device
    g = torch.Generator().manual_seed(int(seed))
    data = torch.as_tensor(data, dtype=torch.float32).reshape(-1).to(dev)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        neg = (-4.0 + 8.0 * torch.rand(int(n_neg), generator=g)).to(dev)
        opt.zero_grad()
        loss = contrastive_loss(energy_net(data), energy_net(neg), margin)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def e1_experiment(seed=0):
    """Egzersiz 1'in iki deneyi, aynı başlangıç ağırlıklarıyla.

    1. ``net_push = du.EnergyNet1D(seed=seed)``; ``push_down_only(net_push, du.DATA_1D)`` (yalnızca aşağı bas).
    2. ``net_contrastive = du.EnergyNet1D(seed=seed)``; ``train_contrastive(net_contrastive, du.DATA_1D, seed=seed)``.
    3. Ölçümler (``du.low_energy_fraction`` ve ``du.energies`` yardımcılarıyla):
       - ``frac_push_only``, ``frac_contrastive``: iki ağın ``du.low_energy_fraction`` değeri,
       - ``gap``: karşıtsal ağda ortalama E(``du.PROBES``) − ortalama E(``du.DATA_1D``).

    Döndürür: şu anahtarları olan bir sözlük: ``"net_push"``, ``"net_contrastive"`` (eğitilmiş
    ağlar), ``"frac_push_only"``, ``"frac_contrastive"``, ``"gap"`` (üçü de ``float``).
    """
    net_push = du.EnergyNet1D(seed=seed)
    push_down_only(net_push, du.DATA_1D)
    net_contrastive = du.EnergyNet1D(seed=seed)
    train_contrastive(net_contrastive, du.DATA_1D, seed=seed)
    gap = du.energies(net_contrastive, du.PROBES).mean() - du.energies(net_contrastive, du.DATA_1D).mean()
    return {
        "net_push": net_push,
        "net_contrastive": net_contrastive,
        "frac_push_only": du.low_energy_fraction(net_push),
        "frac_contrastive": du.low_energy_fraction(net_contrastive),
        "gap": float(gap),
    }


q_w08_e1_why = "B"


# --- Egzersiz 2 ----------------------------------------------------------------------------------


def augment(img, g, crop=6, jitter=0.2):
    """Bir görüntünün rastgele bir "görünümü" (view): rastgele kırpma + parlaklık değişimi.

    - ``img``: şekli ``(C, H, W)`` olan tensör, değerler ``[0, 1]``.
    - ``g``: ``torch.Generator``; BÜTÜN rastgelelik buradan gelsin (aynı tohum → aynı sonuç).
    1. ``crop × crop`` boyutlu bir pencere seç; sol-üst köşesi ``i ∈ {0, …, H − crop}``,
       ``j ∈ {0, …, W − crop}`` arasından düzgün dağılımla (``torch.randint(..., generator=g)``).
    2. Pencereyi ``F.interpolate(..., size=(H, W), mode="bilinear", align_corners=False)`` ile
       yeniden ``H × W`` boyutuna büyüt (``interpolate`` bir batch boyutu ister: ``unsqueeze(0)``).
    3. Parlaklık: tek bir ``s ~ U(1 − jitter, 1 + jitter)`` sayısıyla çarp.
    4. ``[0, 1]`` aralığına kırp (``clamp``).

    Döndürür: şekli ``(C, H, W)`` olan tensör.
    """
    C, H, W = img.shape
    i = int(torch.randint(0, H - crop + 1, (1,), generator=g))
    j = int(torch.randint(0, W - crop + 1, (1,), generator=g))
    patch = img[:, i:i + crop, j:j + crop]
    out = F.interpolate(patch.unsqueeze(0), size=(H, W), mode="bilinear", align_corners=False).squeeze(0)
    s = 1.0 - jitter + 2.0 * jitter * float(torch.rand(1, generator=g))
    return (out * s).clamp(0.0, 1.0)


def make_pairs(images, g, crop=6, jitter=0.2):
    """Bir görüntü grubundan pozitif ve negatif çiftler üretir.

    ``images``: şekli ``(N, C, H, W)``. Her ``i`` için:

    - ``view_a[i]`` ve ``view_b[i]``: ``images[i]``'nin İKİ AYRI ``augment`` çağrısıyla üretilmiş
      iki görünümü (pozitif çift),
    - ``view_neg[i]``: BAŞKA bir görüntünün, ``images[(i + 1) % N]``'nin bir görünümü (negatif).

    Bütün ``augment`` çağrılarına aynı ``g``, ``crop`` ve ``jitter``'ı ver.
    Döndürür: ``(view_a, view_b, view_neg)``, her biri şekli ``(N, C, H, W)`` olan tensör.
    """
    N = images.shape[0]
    view_a = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    view_b = torch.stack([augment(images[i], g, crop, jitter) for i in range(N)])
    view_neg = torch.stack([augment(images[(i + 1) % N], g, crop, jitter) for i in range(N)])
    return view_a, view_b, view_neg


def cap_fraction(d, c, n=100_000, seed=0):
    """Monte Carlo: ℝᵈ'de düzgün dağılımlı rastgele bir birim vektörün sabit bir "çapa" (anchor)
    vektörüyle kosinüs benzerliğinin ``c``'den BÜYÜK olma olasılığı.

    Rastgele bir negatifin bir veri noktasının "yakınına" (kosinüsü > c) düşme oranı budur.

    - ``np.random.default_rng(seed)`` ile ``n`` tane ``d``-boyutlu standart normal vektör üret
      ve her birini normuna böl (küre üzerinde düzgün dağılım böyle elde edilir).
    - Çapa: birinci eksen ``e₁ = (1, 0, …, 0)``.
    Döndürür: ``float`` (oran, ``[0, 1]``).
    """
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((int(n), int(d)))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return float(np.mean(v[:, 0] > c))


negatives_needed = {d: 1.0 / cap_fraction(d, 0.5) for d in (2, 3, 8, 16, 32)}

q_w08_e2_views = "A"
q_w08_e2_negatives = "C"
q_w08_e2_dimension = "B"


# --- Egzersiz 3 ----------------------------------------------------------------------------------


def mask_corrupt(x, p, g):
    """Maskeleyerek bozma: ``x``'in her elemanı, BAĞIMSIZ olarak ``p`` olasılıkla 0 yapılır.

    - ``x``: herhangi şekilli ``float`` tensör; ``p``: silinme olasılığı (0 ≤ p ≤ 1).
    - ``g``: ``torch.Generator`` (CPU); maske ondan üretilir: ``torch.rand(x.shape, generator=g)``.
    - Silinmeyen elemanlar AYNEN kalır (yeniden ölçekleme yok; ``F.dropout`` gibi değil).
    - Maskeyi ``x``'in cihazına taşı.

    Döndürür: ``x`` ile aynı şekilde yeni bir tensör.
    """
    keep = (torch.rand(x.shape, generator=g) >= p).to(device=x.device, dtype=x.dtype)
    return x * keep


def train_dae(model, X, p=0.3, epochs=300, lr=1e-2, seed=0):
    """Gürültü gideren autoencoder'ı (DAE) tam-batch eğitir (yerinde); kayıp listesini döndürür.

    - ``g = torch.Generator().manual_seed(seed)``; optimizer ``torch.optim.Adam(model.parameters(), lr=lr)``.
    - Her epoch'ta YENİ bir maske: ``Xc = mask_corrupt(X, p, g)``.
    - Kayıp: ``F.mse_loss(model(Xc), X)``: bozuk girdiden TEMİZ hedefi kur.
    - Her epoch'ta bir adım (``zero_grad`` → kayıp → ``backward`` → ``step``).
    - ``X``'i modelin cihazına taşı. (``p = 0`` iken bu, sıradan bir autoencoder eğitimidir.)

    Döndürür: uzunluğu ``epochs`` olan ``float`` listesi.
    """
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    g = torch.Generator().manual_seed(int(seed))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(int(epochs)):
        Xc = mask_corrupt(X, p, g)
        opt.zero_grad()
        loss = F.mse_loss(model(Xc), X)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def dae_report(dae, ae, X_test, p=0.3, seed=7):
    """DAE'yi sıradan AE ile test verisinde karşılaştırır.

    ``Xc = mask_corrupt(X_test, p, torch.Generator().manual_seed(seed))``. ``X_test`` ve iki modelin
    çıktılarını aynı cihazda hesapla. Enerji = kurma hatası, ``mean((model(x) − x)²)``.

    Döndürür: şu anahtarları olan ``float`` sözlüğü:

    - ``"mse_corrupt"``: ``mean((Xc − X_test)²)`` (hiçbir şey yapmasaydık),
    - ``"mse_dae"``: ``mean((dae(Xc) − X_test)²)``,
    - ``"mse_ae"``: ``mean((ae(Xc) − X_test)²)`` (temiz veriyle eğitilmiş AE, bozuk girdide),
    - ``"E_clean"``: DAE'nin temiz test verisindeki enerjisi, ``mean((dae(X_test) − X_test)²)``,
    - ``"E_corrupt"``: DAE'nin bozuk verideki enerjisi, ``mean((dae(Xc) − Xc)²)``.
    """
    dev = next(dae.parameters()).device
    X = torch.as_tensor(X_test, dtype=torch.float32).to(dev)
    Xc = mask_corrupt(X, p, torch.Generator().manual_seed(int(seed)))
    dae.eval()
    ae.eval()
    return {
        "mse_corrupt": F.mse_loss(Xc, X).item(),
        "mse_dae": F.mse_loss(dae(Xc), X).item(),
        "mse_ae": F.mse_loss(ae(Xc), X).item(),
        "E_clean": F.mse_loss(dae(X), X).item(),
        "E_corrupt": F.mse_loss(dae(Xc), Xc).item(),
    }


q_w08_e3_contrastive = "B"
q_w08_e3_bert = "A"


# --- Egzersiz 4 ----------------------------------------------------------------------------------


def reparameterize(mu, logvar, eps=None):
    """Yeniden parametreleme hilesi: ``z = mu + sigma * eps``, ``sigma = exp(0.5 * logvar)``.

    ``logvar`` = log σ² (varyansın logaritması; standart sapmanın değil!). ``eps`` verilmezse
    ``torch.randn_like(mu)`` ile ``N(0, I)``'dan çekilir. Döndürür: ``mu`` ile aynı şekilde tensör.
    """
    sigma = torch.exp(0.5 * logvar)
    if eps is None:
        eps = torch.randn_like(sigma)
    return mu + sigma * eps


def kl_normal(mu, logvar):
    """KL( N(mu, σ²) ‖ N(0, I) ), bütün boyutlar VE bütün örnekler üzerinden TOPLAM.

    ``KL = −½ · Σ (1 + logvar − mu² − exp(logvar))``. Döndürür: 0-boyutlu tensör.
    """
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def vae_loss(recon, x, mu, logvar):
    """VAE kaybı = kurma terimi + KL terimi (ikisi de TOPLAM, ders kitabındaki gibi).

    Kurma terimi: ``F.binary_cross_entropy(recon, x, reduction="sum")`` (``x`` ve ``recon``
    ``[0, 1]`` aralığında). Döndürür: 0-boyutlu tensör.
    """
    bce = F.binary_cross_entropy(recon, x, reduction="sum")
    return bce + kl_normal(mu, logvar)


class VAE(nn.Module):
    """Değişimsel autoencoder (ders kitabındaki VAE'nin düzeltilmiş hâli).

    Katmanlar (adlarıyla): ``enc = Linear(d, h)``, ``fc_mu = Linear(h, z_dim)``,
    ``fc_logvar = Linear(h, z_dim)``, ``dec1 = Linear(z_dim, h)``, ``dec2 = Linear(h, d)``.
    ``self.z_dim`` özniteliğini sakla (``sample_prior`` onu okur).
    """

    def __init__(self, d=64, h=64, z_dim=4):
        super().__init__()
        self.d, self.z_dim = d, z_dim
        self.enc = nn.Linear(d, h)
        self.fc_mu = nn.Linear(h, z_dim)
        self.fc_logvar = nn.Linear(h, z_dim)
        self.dec1 = nn.Linear(z_dim, h)
        self.dec2 = nn.Linear(h, d)

    def encode(self, x):
        """``h = relu(enc(x))``; döndürür: ``(fc_mu(h), fc_logvar(h))``."""
        h = torch.relu(self.enc(x))
        return self.fc_mu(h), self.fc_logvar(h)

    def decode(self, z):
        """Döndürür: ``sigmoid(dec2(relu(dec1(z))))`` (değerler ``[0, 1]``)."""
        return torch.sigmoid(self.dec2(torch.relu(self.dec1(z))))

    def forward(self, x):
        """``encode`` → ``reparameterize`` → ``decode``; döndürür: ``(recon, mu, logvar)``."""
        mu, logvar = self.encode(x)
        z = reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def train_vae(model, X, epochs=300, lr=1e-2, seed=0):
    """VAE'yi tam-batch eğitir (yerinde); ÖRNEK BAŞINA kaybın listesini döndürür.

    - Başta ``torch.manual_seed(seed)`` (``reparameterize`` içindeki ``eps`` bu tohumdan gelir).
    - Optimizer: ``torch.optim.Adam(model.parameters(), lr=lr)``.
    - Her epoch'ta bir adım: ``recon, mu, logvar = model(X)``;
      ``loss = vae_loss(recon, X, mu, logvar) / len(X)`` (örnek başına); ``zero_grad`` →
      ``backward`` → ``step``.
    - ``X``'i modelin cihazına taşı.

    Döndürür: uzunluğu ``epochs`` olan ``float`` listesi (örnek başına kayıp).
    """
    torch.manual_seed(int(seed))
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(int(epochs)):
        opt.zero_grad()
        recon, mu, logvar = model(X)
        loss = vae_loss(recon, X, mu, logvar) / X.shape[0]
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def sample_prior(model, n, g):
    """Önselden (prior) yeni örnekler: ``z ~ N(0, I)``, şekli ``(n, model.z_dim)``, sonra ``model.decode(z)``.

    ``z``'yi ``torch.randn(..., generator=g)`` ile üret (``g`` bir CPU ``torch.Generator``), modelin
    cihazına taşı. Döndürür: ``model.decode(z)`` (şekli ``(n, d)``).
    """
    z = torch.randn(int(n), model.z_dim, generator=g).to(next(model.parameters()).device)
    return model.decode(z)


@torch.no_grad()
def latent_stats(model, X):
    """Kodlayıcının "toplam" (aggregate) latent dağılımının boyut başına ortalaması ve varyansı.

    ``mu, logvar = model.encode(X)``. Her latent boyut için:

    - ``agg_mean = ortalama(mu)`` (örnekler üzerinden),
    - ``agg_var = Var(mu) + ortalama(exp(logvar))`` (toplam varyans yasası: kodların yayılımı +
      her kodun kendi belirsizliği). ``Var`` için ``unbiased=False`` kullan.

    Döndürür: ``(agg_mean, agg_var)``, ikisi de şekli ``(z_dim,)`` olan tensör.
    """
    X = torch.as_tensor(X, dtype=torch.float32).to(next(model.parameters()).device)
    mu, logvar = model.encode(X)
    return mu.mean(0), mu.var(0, unbiased=False) + logvar.exp().mean(0)


q_w08_e4_reparam = "C"
q_w08_e4_ae_sampling = "B"


# --- Egzersiz 5 ----------------------------------------------------------------------------------


def gan_value(d_real, d_fake, eps=1e-7):
    """GAN'ın min-max değer fonksiyonu: ``V = ortalama(log D(x)) + ortalama(log(1 − D(G(z))))``.

    ``d_real``, ``d_fake``: olasılıklar (NumPy dizisi ya da sayı; ``D`` = "gerçek" olasılığı).
    ``log(0)``'dan kaçınmak için önce ikisini de ``[eps, 1 − eps]`` aralığına kırp (``np.clip``).
    Döndürür: ``float``.
    """
    d_real = np.clip(np.asarray(d_real, dtype=float), eps, 1 - eps)
    d_fake = np.clip(np.asarray(d_fake, dtype=float), eps, 1 - eps)
    return float(np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake)))


def optimal_discriminator(p_data, p_g):
    """Sabit bir üretici için en iyi ayırıcı: ``D*(x) = p_data(x) / (p_data(x) + p_g(x))``.

    ``p_data``, ``p_g``: aynı noktalarda değerlendirilmiş (pozitif) yoğunluklar, NumPy dizileri.
    Döndürür: aynı şekilde NumPy dizisi.
    """
    p_data = np.asarray(p_data, dtype=float)
    p_g = np.asarray(p_g, dtype=float)
    return p_data / (p_data + p_g)


def transition_energy(s, a, s_next, f):
    """Dünya modelinin geçiş enerjisi: ``F(s, a, s') = ‖s' − f(s, a)‖²``, ÖRNEK BAŞINA.

    ``s``: ``(n, ds)``, ``a``: ``(n, da)``, ``s_next``: ``(n, ds)`` tensörler; ``f(s, a)`` bir
    sonraki durumun tahminini (``(n, ds)``) döndüren fonksiyon. Döndürür: şekli ``(n,)`` tensör.
    """
    return ((s_next - f(s, a)) ** 2).sum(dim=-1)


def plan_one_step(s, candidates, f, goal):
    """Tek adımlık planlama: ``‖f(s, a) − goal‖²``'yi en küçük yapan aday eylemin İNDEKSİ.

    ``s``: şekli ``(ds,)`` durum; ``candidates``: şekli ``(K, da)`` aday eylemler; ``goal``: ``(ds,)``.
    ``f`` bir grup (batch) girdiyle çalışır: ``f(S, A)``, ``S`` ``(K, ds)``, ``A`` ``(K, da)``.
    Döndürür: Python ``int``.
    """
    K = candidates.shape[0]
    pred = f(s.unsqueeze(0).expand(K, -1), candidates)
    cost = ((pred - goal) ** 2).sum(dim=-1)
    return int(torch.argmin(cost))


q_w08_e5_map = {
    "recon_plus_kl": "VAE",
    "min_max_game": "GAN",
    "has_encoder": "VAE",
    "cost_network": "GAN",
    "likelihood_bound": "VAE",
}
q_w08_e5_world = "A"
