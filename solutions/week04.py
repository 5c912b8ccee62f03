"""Week 4 (chapter 11) reference solutions.

Every top-level definition without a leading underscore is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The injected code
uses only the names the notebook's setup cell provides (``np``, ``torch``, ``nn``, ``F``).

Definitions with a leading underscore are test-side helpers (trusted references); they are never
shown to students.
"""

import copy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- Egzersiz 1: convolution = Toeplitz -------------------------------------------------------


def toeplitz_matrix(w, n, stride=1, padding=0):
    """1-B convolution'ın (PyTorch'taki ``F.conv1d``'in) Toeplitz matrisi ``T``.

    - ``w``: kernel, uzunluğu ``k`` olan bir liste / NumPy dizisi / 1-B tensör
    - ``n``: girdi uzunluğu;  ``stride``: kaydırma adımı ``s``;  ``padding``: her iki kenara
      eklenen sıfır sayısı ``p``

    ``T``'nin şekli ``((n + 2p - k) // s + 1, n)`` olmalı ve her ``x`` (uzunluk ``n``) için
    ``T @ x == F.conv1d(x, w, stride=s, padding=p)`` sağlanmalı. ``i``'inci satırda kernel,
    *dolgulu* (padded) girdinin ``i*s``'inci konumundan başlar; dolgu sütunları sıfırlarla
    çarpıldığı için atılır, bu yüzden ``T``'nin tam ``n`` sütunu vardır.

    Döndürür: ``float64`` bir torch tensörü.
    """
    w = torch.as_tensor(np.asarray(w, dtype=np.float64)).flatten()
    k, n, s, p = w.numel(), int(n), int(stride), int(padding)
    n_pad = n + 2 * p
    rows = (n_pad - k) // s + 1
    T = torch.zeros(rows, n_pad, dtype=torch.float64)
    for i in range(rows):
        T[i, i * s : i * s + k] = w
    return T[:, p : p + n]


def count_zeros(w, n):
    """Kernel ``w`` ve girdi uzunluğu ``n`` için (stride 1, dolgu yok) Toeplitz matrisindeki sıfırlar.

    Döndürür: ``(sayısal_sıfırlar, yapısal_sıfırlar)`` ikilisi (iki ``int``).

    - *sayısal* sıfırlar: ``T``'de değeri 0 olan bütün elemanlar (``(T == 0).sum()``); kernel'in
      kendi içindeki sıfır ağırlıklar da buna girer.
    - *yapısal* sıfırlar: kernel bandının *dışında* kalan elemanlar, yani kernel'in değerleri ne
      olursa olsun sıfır olan konumlar. Her satırda ``n - k`` tane vardır.
    """
    T = toeplitz_matrix(w, n)
    k = len(np.asarray(w).ravel())
    numerical = int((T == 0).sum())
    structural = int(T.shape[0] * (int(n) - k))
    return numerical, structural


def conv_input_grad(w, n, g, stride=1, padding=0):
    """Convolution'ın geri geçişi: çıktıdaki gradyan ``g``'den girdideki gradyanı hesaplar.

    İleri geçiş ``y = T x`` ise (``T = toeplitz_matrix(w, n, stride, padding)``), girdinin
    gradyanı ``Tᵀ g``'dir: "ileride W, geride Wᵀ". ``g``'nin uzunluğu ``T``'nin satır sayısıdır.

    Döndürür: uzunluğu ``n`` olan 1-B ``float64`` tensör.
    """
    T = toeplitz_matrix(w, n, stride, padding)
    g = torch.as_tensor(np.asarray(g, dtype=np.float64))
    return T.T @ g


# --- Egzersiz 2: matris × vektörün iki görüşü -----------------------------------------------


def row_view(A, x):
    """Satır görüşü: ``Ax``'in ``i``'inci elemanı, ``A``'nın ``i``'inci satırı ile ``x``'in iç çarpımı.

    ``A``: NumPy dizisi ``(m, n)``;  ``x``: NumPy dizisi ``(n,)``. Satırlar üzerinde bir döngüyle
    hesapla. Döndürür: NumPy dizisi ``(m,)``.
    """
    A, x = np.asarray(A, dtype=float), np.asarray(x, dtype=float)
    return np.array([A[i] @ x for i in range(A.shape[0])])


def column_terms(A, x):
    """Sütun görüşünün terimleri: ``j``'inci satırı ``x[j] * A[:, j]`` olan ``(n, m)`` dizisi.

    ``A``: ``(m, n)``;  ``x``: ``(n,)``. Her satır, ``A``'nın bir sütununun ``x``'in ilgili
    katsayısıyla ölçeklenmiş hâlidir. Döndürür: NumPy dizisi, şekli ``(n, m)`` (``A``'nın sütun
    sayısı × satır sayısı).
    """
    A, x = np.asarray(A, dtype=float), np.asarray(x, dtype=float)
    return np.stack([x[j] * A[:, j] for j in range(A.shape[1])])


def column_view(A, x):
    """Sütun görüşü: ``Ax = Σⱼ xⱼ aⱼ``, yani ``column_terms``'ün satırlarının toplamı.

    Döndürür: NumPy dizisi ``(m,)``.
    """
    return column_terms(A, x).sum(axis=0)


# --- Egzersiz 3: learning rate süpürmesi ------------------------------------------------------


def gd_quadratic(eta, steps=50, w0=10.0, a=1.0, c=3.0):
    """``L(w) = a·(w - c)²`` üzerinde gradient descent; ``steps`` adım sonraki ``w``'yu döndürür.

    Gradyan ``L'(w) = 2a(w - c)``, güncelleme ``w ← w - eta·L'(w)``. ``w0``'dan başla ve tam
    ``steps`` adım at. Döndürür: ``float``.
    """
    w = float(w0)
    for _ in range(int(steps)):
        w = w - eta * 2 * a * (w - c)
    return w


def classify_lr(eta, a=1.0):
    """``L(w) = a·(w - c)²`` üzerinde öğrenme oranı ``eta`` (> 0) ile gradient descent'in davranışı.

    Her adımda ``w - c`` değeri ``r = 1 - 2·a·eta`` ile çarpılır. Döndürür:

    - ``"converge"``  ``|r| < 1`` ise (yakınsar),
    - ``"oscillate"`` ``|r| = 1`` ise (sonsuza dek iki değer arasında gidip gelir),
    - ``"diverge"``   ``|r| > 1`` ise (ıraksar).

    Eşitliği kayan nokta hatasına karşı ``abs(abs(r) - 1) < 1e-12`` ile kontrol et.
    """
    r = abs(1 - 2 * a * eta)
    if abs(r - 1) < 1e-12:
        return "oscillate"
    return "converge" if r < 1 else "diverge"


def max_stable_lr(a):
    """``L(w) = a·(w - c)²`` için yakınsamanın sınırı: ``eta`` bu değerin *altındaysa* yakınsar.

    Döndürür: ``float`` (bu değerin kendisinde GD salınır).
    """
    return 1.0 / a


def fastest_lr(a):
    """``L(w) = a·(w - c)²`` için en hızlı öğrenme oranı: tek adımda tam minimuma gider (``r = 0``).

    Döndürür: ``float``.
    """
    return 1.0 / (2.0 * a)


def max_stable_lr_matrix(H):
    """``L(θ) = ½ θᵀ H θ`` (``H`` simetrik, pozitif tanımlı) için GD'nin kararlılık sınırı ``2 / λ_max(H)``.

    ``H``: NumPy dizisi ya da torch tensörü, şekli ``(d, d)``. Gradyan ``Hθ`` olduğundan her öz
    yönde ``θ`` her adımda ``(1 - eta·λ)`` ile çarpılır; en dik yön (en büyük öz değer) sınırı
    belirler. Döndürür: ``float``.
    """
    H = np.asarray(H, dtype=float)
    return float(2.0 / np.linalg.eigvalsh(H).max())


q_w04_e3d = "B"


# --- Egzersiz 4: optimizer karşılaştırması ----------------------------------------------------


def run_heavy_ball(grad_fn, theta0, lr, beta=0.9, steps=60):
    """Heavy-ball momentum'u elle: ``p ← β·p + ∇L(θ)``,  ``θ ← θ - η·p`` (başlangıçta ``p = 0``).

    - ``grad_fn``: bir tensör ``θ`` alıp ``∇L(θ)``'yı (aynı şekilde bir tensör) döndüren fonksiyon
    - ``theta0``: başlangıç noktası, 1-B tensör ``(d,)`` (dtype'ını koru: testler ``float64`` verir)
    - ``lr`` = η, ``beta`` = β, ``steps``: adım sayısı

    ``torch.optim`` kullanma. Döndürür: bütün yol, şekli ``(steps + 1, d)`` olan tensör
    (ilk satır ``theta0``).
    """
    theta = torch.as_tensor(theta0).clone()
    p = torch.zeros_like(theta)
    path = [theta.clone()]
    for _ in range(int(steps)):
        g = grad_fn(theta)
        p = beta * p + g
        theta = theta - lr * p
        path.append(theta.clone())
    return torch.stack(path)


def run_adam(grad_fn, theta0, lr, betas=(0.9, 0.999), eps=1e-8, steps=60):
    """Adam'ı elle (``torch.optim.Adam`` ile aynı formül), ``t = 1, 2, …, steps`` için:

    ``m ← β₁m + (1-β₁)g``,  ``v ← β₂v + (1-β₂)g²``,  ``m̂ = m / (1-β₁ᵗ)``,  ``v̂ = v / (1-β₂ᵗ)``,
    ``θ ← θ - η·m̂ / (√v̂ + ε)``  (``ε`` karekökün **dışında**; başlangıçta ``m = v = 0``).

    Parametreler ``run_heavy_ball``'daki gibi; ``betas = (β₁, β₂)``. ``torch.optim`` kullanma.
    Döndürür: şekli ``(steps + 1, d)`` olan tensör (ilk satır ``theta0``).
    """
    b1, b2 = betas
    theta = torch.as_tensor(theta0).clone()
    m = torch.zeros_like(theta)
    v = torch.zeros_like(theta)
    path = [theta.clone()]
    for t in range(1, int(steps) + 1):
        g = grad_fn(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        theta = theta - lr * m_hat / (v_hat.sqrt() + eps)
        path.append(theta.clone())
    return torch.stack(path)


def make_spiral_net(seed=0):
    """Spiral ağı: ``torch.manual_seed(seed)``, sonra
    ``nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 5))`` döndür.

    (Tohum aynıysa başlangıç ağırlıkları da aynıdır; testler bunu kullanır.)
    """
    torch.manual_seed(int(seed))
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 5))


def compare_optimizers(X, y, epochs=1000, seed=0):
    """Aynı başlangıç ağırlıklarından üç optimizer'ı adil biçimde karşılaştırır.

    1. ``base = make_spiral_net(seed)``; her optimizer için ``copy.deepcopy(base)`` ile **ayrı**
       bir kopya al (üçü de aynı ağırlıklardan başlasın, hiçbiri diğerinin ağırlığını paylaşmasın).
    2. Optimizer'lar: ``"sgd"``: ``SGD(lr=0.1)``, ``"momentum"``: ``SGD(lr=0.1, momentum=0.9)``,
       ``"adam"``: ``Adam(lr=1e-3)``.
    3. Her biriyle ``epochs`` epoch tam-batch eğitim (``F.cross_entropy``): her epoch'ta
       ``zero_grad`` → ileri geçiş → kayıp → ``backward`` → ``step``.

    ``X`` (``float32``, ``(N, 2)``) ve ``y`` (``int64``, ``(N,)``) argüman olarak gelir; defterdeki
    başka değişkenleri kullanma. Döndürür: ``(curves, models)`` ikilisi:
    ``curves = {"sgd": [...], "momentum": [...], "adam": [...]}`` (her biri ``epochs`` uzunlukta
    ``float`` listesi; i'inci eleman i'inci adımdan *önceki* kayıp) ve aynı anahtarlarla eğitilmiş
    üç model.
    """
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.long)
    base = make_spiral_net(seed)
    makers = {
        "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
        "momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
        "adam": lambda ps: torch.optim.Adam(ps, lr=1e-3),
    }
    curves, models = {}, {}
    for name, make in makers.items():
        net = copy.deepcopy(base)
        opt = make(net.parameters())
        losses = []
        for _ in range(int(epochs)):
            opt.zero_grad()
            loss = F.cross_entropy(net(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        curves[name], models[name] = losses, net
    return curves, models


def steps_to(losses, thr=0.8):
    """Kaybın ilk kez ``thr``'nin *altına* indiği adım: ``losses[i] < thr`` olan en küçük ``i``.

    (``losses[i]``, ``i`` adım atıldıktan sonraki kayıptır.) Hiç inmiyorsa ``float("inf")`` döndür.
    """
    for i, value in enumerate(losses):
        if value < thr:
            return i
    return float("inf")


def zigzag_count(traj, H):
    """Bir yolun (``traj``, şekli ``(T + 1, d)``) ``H``'nin en dik öz yönündeki zikzak sayısı.

    ``H``'nin en büyük öz değerine ait öz vektörü ``v`` bul (``torch.linalg.eigh`` öz değerleri
    *küçükten büyüğe* sıralar). Her noktanın ``v`` üzerindeki izdüşümü ``traj @ v``; ardışık iki
    izdüşümün çarpımı negatifse (işaret değişmişse) bu bir zikzaktır. Döndürür: ``int``.
    """
    traj = torch.as_tensor(np.asarray(traj, dtype=np.float64))
    H = torch.as_tensor(np.asarray(H, dtype=np.float64))
    v = torch.linalg.eigh(H).eigenvectors[:, -1]
    proj = traj @ v
    return int(((proj[1:] * proj[:-1]) < 0).sum())


q_w04_e4e = "B"
q_w04_e4e_why = "C"


# --- Egzersiz 5: conv2d + autograd ----------------------------------------------------------


SOBEL_X = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def apply_kernel(img, kernel):
    """2-B görüntü ``img`` (``(H, W)``) ile ``kernel``'in (``(kh, kw)``) ``F.conv2d`` çıktısı.

    ``F.conv2d`` girdiyi ``(batch, kanal, H, W)``, kernel'i ``(çıkış, giriş, kh, kw)`` şeklinde
    ister: boyut ekle, uygula, sonra fazla boyutları at. Dolgu yok, stride 1.
    Döndürür: ``(H - kh + 1, W - kw + 1)`` şeklinde tensör.
    """
    img = torch.as_tensor(img)
    if not img.is_floating_point():
        img = img.float()
    kernel = torch.as_tensor(kernel, dtype=img.dtype, device=img.device)
    return F.conv2d(img[None, None], kernel[None, None])[0, 0]


def autograd_derivative(f, x0):
    """``f``'nin ``x0`` noktasındaki türevi, **autograd** ile.

    ``x0``'dan ``requires_grad=True`` olan bir tensör oluştur (``float64`` önerilir), ``f``'yi
    uygula, ``.backward()`` çağır ve ``.grad``'ı ``float`` olarak döndür. Sonlu farklar
    (``(f(x+h) - f(x)) / h``) kullanma. Fonksiyon iki kez çağrıldığında aynı sonucu vermeli.
    """
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    y = f(x)
    y.backward()
    return float(x.grad)


q_w04_e5c = "A"


# --- Test-side helpers (never injected) --------------------------------------------------------


def _rotated_hessian(kappa, angle_deg):
    """``R diag(1, kappa) Rᵀ`` (float64 tensor)."""
    t = np.deg2rad(angle_deg)
    R = torch.tensor([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]], dtype=torch.float64)
    return R @ torch.diag(torch.tensor([1.0, float(kappa)], dtype=torch.float64)) @ R.T


def _optim_path(H, theta0, steps, make_opt):
    """Trajectory of a torch.optim optimiser on ½θᵀHθ (reference for hand-written optimisers)."""
    H = torch.as_tensor(H, dtype=torch.float64)
    p = torch.nn.Parameter(torch.as_tensor(theta0, dtype=torch.float64).clone())
    opt = make_opt([p])
    path = [p.detach().clone()]
    for _ in range(int(steps)):
        opt.zero_grad()
        p.grad = H @ p.detach()
        opt.step()
        path.append(p.detach().clone())
    return torch.stack(path)
