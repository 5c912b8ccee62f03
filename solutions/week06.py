"""Week 6 (chapter 13: sequences — RNN, LSTM, attention) reference solutions.

Every top-level definition used by an ``# INJECT SOLUTION:`` directive is injected into the master
notebook; the docstrings are what students see (Turkish). The module needs only numpy and torch,
the names the notebook's setup cell provides (``np``, ``torch``, ``nn``). Importing it is cheap:
nothing here trains at import time.
"""

import numpy as np
import torch
import torch.nn as nn


# --- Egzersiz 1 ------------------------------------------------------------------------------

# The book's matrices (notes §13.13, Egzersiz 1); the notebook defines the same names in a
# visible cell, so that the injected ``Z_seed = ...`` line runs there unchanged.
Wx = np.array([[0.5, -0.3], [0.2, 0.4]])
Wz = np.array([[0.1, 0.6], [-0.2, 0.3]])
b = np.array([0.0, 0.0])
X_seq = np.array([[1.0, 0.0], [0.5, 1.0], [-1.0, 0.5]])


def rnn_forward(X, Wx, Wz, b, z0=None):
    """Basit (vanilla) RNN hücresini bir dizi boyunca çalıştırır (NumPy).

    Her adımda: z_t = tanh(Wx · x_t + Wz · z_{t-1} + b)

    - ``X``: dizi, şekli ``(T, I)``; ``X[t]`` t'inci adımın girdisi
    - ``Wx``: girdi → gizli ağırlıkları, şekli ``(H, I)``
    - ``Wz``: gizli → gizli ağırlıkları, şekli ``(H, H)`` (her adımda AYNI matris)
    - ``b``: bias, şekli ``(H,)``
    - ``z0``: başlangıç gizli durumu, şekli ``(H,)``; ``None`` ise sıfır vektörü

    Döndürür: şekli ``(T, H)`` olan NumPy dizisi; ``t``'inci satır ``z_{t+1}``'dir (``z0`` dahil
    DEĞİL). Girdi dizilerini (``X``, ``z0``, ...) değiştirme.
    """
    X = np.asarray(X, dtype=float)
    Wx = np.asarray(Wx, dtype=float)
    Wz = np.asarray(Wz, dtype=float)
    b = np.asarray(b, dtype=float)
    H = Wz.shape[0]
    z = np.zeros(H) if z0 is None else np.array(z0, dtype=float)
    out = np.empty((X.shape[0], H))
    for t in range(X.shape[0]):
        z = np.tanh(Wx @ X[t] + Wz @ z + b)
        out[t] = z
    return out


Z_seed = rnn_forward(X_seq, Wx, Wz, b)

q_w06_e1c = "B"


# --- Egzersiz 2 ------------------------------------------------------------------------------


def grad_scale(lam, n):
    """Özdeğeri ``lam`` olan bir matristen ``n`` kez geçen gradyanın ölçeği: lam ** n.

    Döndürür: tek bir ``float``. ``n = 0`` için 1.0 (hiç çarpma yok).
    """
    return float(lam) ** int(n)


def bptt_jacobian_norm(W, n, z0=None, nonlinearity=None):
    """z_t = φ(W · z_{t-1}) yinelemesini ``n`` adım açar ve ∂z_n/∂z_0 Jacobian'ının normunu döndürür.

    - ``W``: ``(H, H)`` torch tensörü (``float64`` ile çalış: 1e-16 gibi değerler ``float32``'de
      bozulur)
    - ``n``: adım sayısı (``n = 0`` ise Jacobian birim matristir)
    - ``z0``: başlangıç durumu, ``(H,)`` tensör; ``None`` ise sıfır vektörü
    - ``nonlinearity``: ``None`` ise φ birim fonksiyondur (doğrusal zincir), ``"tanh"`` ise
      φ = ``torch.tanh``

    Jacobian'ı ``torch.autograd.functional.jacobian`` ile hesapla (ya da zincir kuralıyla elle:
    her adımın Jacobian'ı diag(φ'(W z_{t-1})) · W). İstenen norm **spektral norm**dur (ord=2, en
    büyük tekil değer): ``torch.linalg.matrix_norm(J, ord=2)``. Frobenius normu değil!

    Döndürür: tek bir ``float``.
    """
    W = torch.as_tensor(W, dtype=torch.float64)
    H = W.shape[0]
    z0 = torch.zeros(H, dtype=torch.float64) if z0 is None else torch.as_tensor(z0, dtype=torch.float64)
    if nonlinearity is None:
        phi = lambda v: v  # noqa: E731
    elif nonlinearity == "tanh":
        phi = torch.tanh
    else:
        phi = nonlinearity

    def unrolled(z):
        for _ in range(int(n)):
            z = phi(W @ z)
        return z

    J = torch.autograd.functional.jacobian(unrolled, z0)
    return float(torch.linalg.matrix_norm(J, ord=2).item())


regime = {
    0.5: "vanishing",
    0.9: "vanishing",
    1.0: "stable",
    1.1: "exploding",
    1.5: "exploding",
    -1.2: "exploding",
}

tanh_explodes = False

q_w06_e2e_patlama = "C"
q_w06_e2e_sonme = "A"


# --- Egzersiz 3 ------------------------------------------------------------------------------

gorevler = {
    "a_yorum_yildiz": "seq2vec",
    "b_goruntu_altyazi": "vec2seq",
    "c_ceviri": "seq2vec2seq",
    "d_etiketleme": "seq2seq",
}

extra_tasks = {
    "e1_spam": "seq2vec",
    "e2_melodi": "vec2seq",
    "e3_sonraki_karakter": "seq2seq",
    "e4_ozet": "seq2vec2seq",
    "e5_video_kare": "seq2seq",
    "e6_sicaklik": "seq2vec",
}


# --- Egzersiz 4 ------------------------------------------------------------------------------


def rnn_num_params(input_size, hidden_size, num_layers=1, bidirectional=False, cell="rnn"):
    """PyTorch'un ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` katmanındaki eğitilebilir parametre sayısı.

    Formülü kendin kur (modülü oluşturup saymak yok; kontrol için ``named_parameters()``'a
    bakabilirsin). İpuçları:

    - ``cell``: ``"rnn"``, ``"lstm"`` ya da ``"gru"``; her birinin kaç afin dönüşümü ("kapı")
      vardır? (RNN 1, LSTM 4, GRU 3)
    - PyTorch her katmanda **iki** bias vektörü tutar: ``bias_ih`` ve ``bias_hh``.
    - Çok katmanlıda (``num_layers > 1``) ilk katmanın girdisi ``input_size``, sonrakilerin
      girdisi bir önceki katmanın çıktısıdır (çift yönlüde iki yönün birleşimi!).
    - ``bidirectional=True`` ise her katmanda iki yön (ileri ve geri) vardır.

    Döndürür: ``int``.
    """
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[str(cell).lower()]
    D = 2 if bidirectional else 1
    H = int(hidden_size)
    total = 0
    for layer in range(int(num_layers)):
        I = int(input_size) if layer == 0 else D * H  # noqa: E741
        total += D * (gates * H * (I + H) + 2 * gates * H)
    return int(total)


def rnn_shapes(batch, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False):
    """``batch_first=True`` ile kurulmuş bir ``nn.RNN``'in çıktı şekilleri (hesapla, modül kurma).

    ``out, h_n = rnn(x)`` için, ``x``'in şekli ``(batch, seq_len, input_size)`` iken:

    Döndürür: ``{"out": (...), "h_n": (...)}`` sözlüğü; değerler tamsayı demetleri (tuple).
    Dikkat: ``batch_first=True`` yalnızca ``x`` ve ``out``'u etkiler; ``h_n``'in şekli yine
    ``(katman·yön, batch, hidden)`` düzenindedir.
    """
    D = 2 if bidirectional else 1
    return {
        "out": (int(batch), int(seq_len), D * int(hidden_size)),
        "h_n": (D * int(num_layers), int(batch), int(hidden_size)),
    }


ratio_lstm_rnn = 4

q_w06_e4c = "A"


# --- Egzersiz 5 ------------------------------------------------------------------------------


def local_minima(y, F):
    """Izgara üzerindeki kesin (strict) iç yerel minimumların ``y`` değerleri.

    ``i`` indisi (``1 <= i <= len(F) - 2``) ancak ``F[i] < F[i-1]`` VE ``F[i] < F[i+1]`` ise bir
    yerel minimumdur (iki uç nokta hiçbir zaman sayılmaz; eşitlik minimum sayılmaz).

    Döndürür: bu indislerdeki ``y`` değerlerinden oluşan, küçükten büyüğe sıralı 1-B NumPy dizisi
    (minimum yoksa boş dizi).
    """
    y = np.asarray(y, dtype=float)
    F = np.asarray(F, dtype=float)
    idx = [i for i in range(1, len(F) - 1) if F[i] < F[i - 1] and F[i] < F[i + 1]]
    return y[np.array(idx, dtype=int)]


def fit_single_output(x, y, steps=500, seed=0):
    """Tek çıktılı bir MLP'yi (x → y) MSE ile eğitir ve eğitilmiş modeli döndürür.

    - Mimari: ``nn.Sequential(Linear(1, 32), Tanh(), Linear(32, 32), Tanh(), Linear(32, 1))``;
      oluşturmadan hemen önce ``torch.manual_seed(seed)`` çağır.
    - Eğitim: tam-batch, ``torch.optim.Adam(lr=1e-2)``, ``nn.MSELoss()``, tam olarak ``steps``
      adım (her adımda ``zero_grad`` → ileri geçiş → kayıp → ``backward`` → ``step``).
    - ``x``, ``y``: şekli ``(N, 1)`` olan ``float32`` tensörler.

    Yalnızca argümanlarını kullan. Döndürür: eğitilmiş ``nn.Module`` (CPU'da).
    """
    torch.manual_seed(int(seed))
    model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
    x = torch.as_tensor(x, dtype=torch.float32).reshape(-1, 1)
    y = torch.as_tensor(y, dtype=torch.float32).reshape(-1, 1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.MSELoss()
    for _ in range(int(steps)):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return model


def ebm_infer(x, y0, lr=0.1, steps=200):
    """EBM çıkarımı: E(x, y) = (x² + y² − 1)² enerjisini ``y`` üzerinde gradient descent ile küçültür.

    Her adımda ``y ← y − lr · ∂E/∂y`` (türevi elle ya da autograd ile alabilirsin); tam olarak
    ``steps`` adım. ``x`` sabittir, yalnızca ``y`` güncellenir.

    - ``x``, ``y0``: aynı şekilde ``float`` tensörler (her eleman ayrı bir problem)
    - ``y0``'ı yerinde değiştirme.

    Döndürür: ``y0`` ile aynı şekilde bir tensör (bulunan ``ŷ``).
    """
    x = torch.as_tensor(x, dtype=torch.float64)
    y = torch.as_tensor(y0, dtype=torch.float64).clone()
    for _ in range(int(steps)):
        grad = 4.0 * y * (x ** 2 + y ** 2 - 1.0)
        y = y - lr * grad
    return y


q_w06_e5d_ortalama = "B"
q_w06_e5d_cikarim = "C"
