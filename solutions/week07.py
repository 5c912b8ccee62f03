"""Week 7 (chapter 14: energy-based models and the autoencoder) reference solutions.

Every top-level definition used by an ``# INJECT SOLUTION:`` directive is injected into the master
notebook; the docstrings are what students see (Turkish). The module needs only numpy and torch,
the names the notebook's setup cell provides (``np``, ``torch``, ``nn``), plus the shared helper
module ``dlsp_utils`` (imported as ``du`` in the notebook) inside the experiment functions. Nothing
here trains at import time.
"""

import numpy as np
import torch
import torch.nn as nn


# --- Egzersiz 1 ------------------------------------------------------------------------------


def energy_1d_grad(y, data=(-2.0, 0.0, 2.0), width=0.35):
    """Ders kitabının 1-B enerjisinin türevi: dF/dy.

    Enerji (``du.energy_1d``):  F(y) = 1 − Σ_d exp(−(y − d)² / (2·width))

    ``y`` bir sayı ya da NumPy dizisi olabilir; türev eleman eleman alınır ve ``y`` ile aynı
    şekilde (shape) bir NumPy dizisi döner. İşarete dikkat: istenen, enerjinin **türevi**
    (gradyanı); iniş yönü (−türev) değil.
    """
    y = np.asarray(y, dtype=float)
    g = np.zeros_like(y)
    for d in data:
        g = g + (y - d) / width * np.exp(-((y - d) ** 2) / (2 * width))
    return g


def infer(y0, lr=0.05, steps=150, data=(-2.0, 0.0, 2.0), width=0.35):
    """Çıkarım = enerji minimizasyonu: ``y0``'dan başlayıp ``y ← y − lr · dF/dy`` ile iner.

    Türev için ``energy_1d_grad(y, data, width)`` kullan. Tam olarak ``steps`` adım at.
    ``y0`` bir sayı ya da dizi olabilir (her eleman ayrı bir başlangıç noktası; hepsini aynı anda,
    vektörel güncelle). ``y0``'ı yerinde değiştirme.

    Döndürür: ``y0`` ile aynı şekilde bir NumPy dizisi (bulunan ``ŷ``'ler).
    """
    y = np.array(y0, dtype=float, copy=True)
    for _ in range(int(steps)):
        y = y - lr * energy_1d_grad(y, data, width)
    return y


n_local_minima = 3
global_argmin_y = 0.0

q_w07_e1d = "C"


# --- Egzersiz 2 ------------------------------------------------------------------------------


class Autoencoder(nn.Module):
    """Küçük, tam bağlı bir autoencoder: in_dim → hidden → code_dim → hidden → in_dim.

    - ``self.encoder = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, code_dim))``
    - ``self.decoder = nn.Sequential(nn.Linear(code_dim, hidden), nn.ReLU(), nn.Linear(hidden, in_dim), nn.Sigmoid())``
    - ``forward(x)``: ``z = encoder(x)``, ``x_hat = decoder(z)``; ``(x_hat, z)`` ikilisini döndür.

    Piksel değerleri [0, 1] aralığında olduğu için çıktıda ``Sigmoid`` var.
    """

    def __init__(self, in_dim=64, hidden=32, code_dim=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, code_dim))
        self.decoder = nn.Sequential(nn.Linear(code_dim, hidden), nn.ReLU(), nn.Linear(hidden, in_dim), nn.Sigmoid())

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z


def train_autoencoder(model, X, epochs=400, lr=1e-2, batch_size=None, seed=0):
    """``model``'i (çıktısı ``(x_hat, z)`` olan bir autoencoder) yeniden kurma kaybıyla yerinde eğitir.

    - Kayıp: ``nn.MSELoss()`` (bütün piksellerin ve örneklerin ortalaması) ``x_hat`` ile ``X`` arasında.
    - Optimizer: ``torch.optim.Adam(model.parameters(), lr=lr)``.
    - ``batch_size=None``: tam-batch; her epoch'ta TEK adım (``zero_grad`` → ileri → kayıp →
      ``backward`` → ``step``). O epoch'un kaybı, adımdan **önce** ölçülen kayıptır.
    - ``batch_size`` bir sayıysa: her epoch'ta veriyi ``torch.Generator().manual_seed(seed)`` ile
      üretilmiş bir ``torch.randperm`` sırasıyla karıştır ve ``batch_size``'lık parçalarla adım at;
      o epoch'un kaybı, parçaların kayıplarının ortalamasıdır.
    - Veriyi modelin bulunduğu cihaza taşı (``next(model.parameters()).device``).

    Döndürür: uzunluğu ``epochs`` olan ``float`` listesi (epoch başına kayıp).
    """
    dev = next(model.parameters()).device
    X = torch.as_tensor(X, dtype=torch.float32).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    g = torch.Generator().manual_seed(int(seed))
    n = X.shape[0]
    model.train()
    losses = []
    for _ in range(int(epochs)):
        if batch_size is None:
            batches = [X]
        else:
            perm = torch.randperm(n, generator=g).to(dev)
            batches = [X[perm[i:i + int(batch_size)]] for i in range(0, n, int(batch_size))]
        epoch_losses = []
        for xb in batches:
            opt.zero_grad()
            x_hat, _ = model(xb)
            loss = loss_fn(x_hat, xb)
            loss.backward()
            opt.step()
            epoch_losses.append(loss.item())
        losses.append(float(np.mean(epoch_losses)))
    return losses


def digits_experiment(code_dim, X_train, X_test, epochs=300, seed=0):
    """Egzersiz 2'nin deneyi: bir ``Autoencoder`` kur, eğit ve test verisinde değerlendir.

    1. ``torch.manual_seed(seed)``, sonra ``model = Autoencoder(in_dim=X_train.shape[1], code_dim=code_dim)``
    2. ``train_autoencoder(model, X_train, epochs=epochs, seed=seed)`` (tam-batch, lr = 1e-2)
    3. ``torch.no_grad()`` altında test verisinden geçir: ``x_hat, z = model(X_test)``

    Döndürür: ``(model, test_mse, Z_test)``
    - ``test_mse``: test verisindeki yeniden kurma hatası, bütün piksellerin ve örneklerin
      ortalaması (``float``)
    - ``Z_test``: test örneklerinin kodları, şekli ``(len(X_test), code_dim)`` tensör
    """
    torch.manual_seed(int(seed))
    model = Autoencoder(in_dim=X_train.shape[1], code_dim=code_dim)
    train_autoencoder(model, X_train, epochs=epochs, seed=seed)
    dev = next(model.parameters()).device
    X_test = torch.as_tensor(X_test, dtype=torch.float32).to(dev)
    with torch.no_grad():
        x_hat, z = model(X_test)
        test_mse = ((x_hat - X_test) ** 2).mean().item()
    return model, float(test_mse), z.detach().cpu()


# --- Egzersiz 3 ------------------------------------------------------------------------------


def ae_energy(model, X):
    """Autoencoder'ın enerjisi = örnek başına yeniden kurma hatası.

    Her örnek ``x`` için ``E(x) = mean_j (x_j − x̂_j)²`` (piksellerin **ortalaması**, toplamı değil).
    ``torch.no_grad()`` altında hesapla; modelin parametrelerini ve ``model.training`` bayrağını
    değiştirme (``model.eval()`` çağırırsan sonunda eski hâline döndür).

    Döndürür: şekli ``(N,)`` olan tensör (``N = len(X)``).
    """
    was_training = model.training
    model.eval()
    try:
        dev = next(model.parameters()).device
        X = torch.as_tensor(X, dtype=torch.float32).to(dev)
        with torch.no_grad():
            x_hat, _ = model(X)
            return ((X - x_hat) ** 2).mean(dim=1).cpu()
    finally:
        model.train(was_training)


def off_manifold_report(model, X, seed=1):
    """Gerçek rakamlar ile düzgün (uniform) gürültünün enerjilerini karşılaştırır.

    - ``U = du.uniform_noise(len(X), X.shape[1], seed=seed)``: [0, 1] aralığında gürültü görüntüleri
    - ``E_real = ae_energy(model, X)``, ``E_noise = ae_energy(model, U)``

    Döndürür: şu anahtarları olan bir sözlük:
    - ``"E_real"``, ``"E_noise"``: şekli ``(N,)`` tensörler
    - ``"ratio"``: ``E_noise.mean() / E_real.mean()`` (``float``)
    - ``"frac_noise_low"``: enerjisi gerçek rakamların %95'lik diliminden
      (``E_real.quantile(0.95)``) küçük olan gürültü örneklerinin oranı (``float``)
    """
    import dlsp_utils as du

    U = du.uniform_noise(len(X), X.shape[1], seed=seed)
    E_real = ae_energy(model, X)
    E_noise = ae_energy(model, U)
    return {
        "E_real": E_real,
        "E_noise": E_noise,
        "ratio": float(E_noise.mean() / E_real.mean()),
        "frac_noise_low": float((E_noise < E_real.quantile(0.95)).float().mean()),
    }


q_w07_e3c = "B"


# --- Egzersiz 4 ------------------------------------------------------------------------------


class LinearAE(nn.Module):
    """Doğrusal autoencoder: tek bir ``nn.Linear`` encoder ve tek bir ``nn.Linear`` decoder.

    - ``self.encoder = nn.Linear(in_dim, code_dim)``, ``self.decoder = nn.Linear(code_dim, in_dim)``
    - Hiçbir aktivasyon yok (çıktıda sigmoid de yok).
    - ``forward(x)``: ``(x_hat, z)`` ikilisi, ``z = encoder(x)``, ``x_hat = decoder(z)``.
    """

    def __init__(self, code_dim, in_dim=64):
        super().__init__()
        self.encoder = nn.Linear(in_dim, code_dim)
        self.decoder = nn.Linear(code_dim, in_dim)

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z


def bottleneck_experiment(X_train, X_test, epochs=500, seed=0):
    """Darboğazlı (code 8) ve darboğazsız (code 64 = girdi boyutu) iki ``LinearAE``'yi eğitip karşılaştırır.

    Her ``code_dim`` ∈ {8, 64} için: ``torch.manual_seed(seed)``, ``model = LinearAE(code_dim)``,
    ``train_autoencoder(model, X_train, epochs=epochs, seed=seed)``. Sonra ölç:

    - ``"test_mse"``: ``ae_energy(model, X_test).mean()``
    - ``"noise_energy"``: ``ae_energy(model, U).mean()``, ``U = du.uniform_noise(len(X_test), 64, seed=1)``
    - ``"span_noise_energy"``: ``ae_energy(model, S).mean()``,
      ``S = du.span_noise(X_train, n=len(X_test), k=40, scale=0.3, seed=1)``

    Döndürür: ``{"under": {...}, "over": {...}}``; her iç sözlükte ``"model"`` (eğitilmiş model) ve
    yukarıdaki üç ``float`` var. ``"under"`` code 8, ``"over"`` code 64.
    """
    import dlsp_utils as du

    U = du.uniform_noise(len(X_test), X_train.shape[1], seed=1)
    S = du.span_noise(X_train, n=len(X_test), k=40, scale=0.3, seed=1)
    out = {}
    for name, code_dim in (("under", 8), ("over", 64)):
        torch.manual_seed(int(seed))
        model = LinearAE(code_dim, in_dim=X_train.shape[1])
        train_autoencoder(model, X_train, epochs=epochs, seed=seed)
        out[name] = {
            "model": model,
            "test_mse": float(ae_energy(model, X_test).mean()),
            "noise_energy": float(ae_energy(model, U).mean()),
            "span_noise_energy": float(ae_energy(model, S).mean()),
        }
    return out


q_w07_e4c = "B"
q_w07_e4c_coklu = {"A", "B", "C"}


# --- Egzersiz 5 ------------------------------------------------------------------------------


def push_down_only(energy_net, data, steps=300, lr=1e-2):
    """Yalnızca veride enerjiyi düşürür ("push down"): kayıp = veri noktalarındaki enerjilerin ortalaması.

    - ``energy_net``: enerji ağı (ör. ``du.EnergyNet1D``); ``energy_net(y)`` şekli ``(n,)`` olan
      enerjiler döndürür. Yerinde eğitilir.
    - ``data``: veri noktaları, şekli ``(n,)`` olan tensör.
    - Optimizer: ``torch.optim.Adam(energy_net.parameters(), lr=lr)``; tam olarak ``steps`` adım
      (``zero_grad`` → kayıp → ``backward`` → ``step``).

    Döndürür: uzunluğu ``steps`` olan ``float`` listesi; i'inci eleman i'inci adımdan **önce**
    ölçülen kayıp.
    """
    dev = next(energy_net.parameters()).device
    data = torch.as_tensor(data, dtype=torch.float32).to(dev)
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        opt.zero_grad()
        loss = energy_net(data).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def collapse_demo(seed=0, data=(-2.0, 0.0, 2.0), steps=300):
    """Push-down-only eğitiminin enerji manzarasına etkisi.

    1. ``net = du.EnergyNet1D(seed=seed)``
    2. ``maxE_before``: ``net``'in ``du.ENERGY_GRID`` ızgarasındaki en büyük enerjisi (eğitimden önce)
    3. ``push_down_only(net, torch.tensor(data), steps=steps)``
    4. ``maxE_after``: aynı ızgarada eğitimden sonraki en büyük enerji

    (Izgarada enerji için ``du.energies(net, du.ENERGY_GRID)`` kullanabilirsin.)
    Döndürür: ``(net, maxE_before, maxE_after)``; son ikisi ``float``.
    """
    import dlsp_utils as du

    net = du.EnergyNet1D(seed=seed)
    before = float(du.energies(net, du.ENERGY_GRID).max())
    push_down_only(net, torch.tensor(data, dtype=torch.float32), steps=steps)
    after = float(du.energies(net, du.ENERGY_GRID).max())
    return net, before, after


q_w07_e5c_cokus = "B"
q_w07_e5c_negatif = "A"
loss_diff_unbounded = True
