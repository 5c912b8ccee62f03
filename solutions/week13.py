"""Week 13 (chapter 20) reference solutions: GCN = attention, Laplacian, ChebNet, edge gates, chain CRF.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
uses the names the notebook's setup cell provides (``np``, ``itertools``), so the injected code runs
unchanged in the notebook. Graphs are dense NumPy adjacency matrices (symmetric, 0/1 unless said
otherwise); node features are the ROWS of ``X`` / ``H``.
"""

import itertools

import numpy as np


# --- Egzersiz 1: GCN = attention -----------------------------------------------------------------


def attention_aggregate(X, beta=1.0):
    """Hafta 12 self-attention'ı, bütün düğümler için aynı anda (parametresiz).

    - ``X``: ``(n, f)`` NumPy dizisi; her SATIR bir düğümün (kümenin bir elemanının) özniteliği
    - ``A_att = softmax(β · X Xᵀ)``, softmax her SATIRDA ayrı (satır toplamları 1); kararlı hesapla
    - ``H = A_att @ X``: her düğümün yeni temsili, bütün düğümlerin ağırlıklı ortalaması

    Döndürür: ``(A_att, H)``; şekiller ``(n, n)`` ve ``(n, f)``.
    """
    X = np.asarray(X, dtype=float)
    S = beta * (X @ X.T)
    S = S - S.max(axis=1, keepdims=True)
    E = np.exp(S)
    A_att = E / E.sum(axis=1, keepdims=True)
    return A_att, A_att @ X


def gcn_aggregate(A, X):
    """Vanilla GCN'in toplama adımı: ``D⁻¹ A X`` (komşuluk ortalaması).

    Attention katsayıları HESAPLANMAZ, adjacency'den VERİLİR: ``a_i = A[i] / d_i``.
    Komşusu olmayan (derecesi 0) düğümün satırı 0 olmalı (``nan`` değil). Döndürür: ``(n, f)``.
    """
    A = np.asarray(A, dtype=float)
    deg = A.sum(axis=1)
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    return inv[:, None] * (A @ np.asarray(X, dtype=float))


def masked_attention(X, A, beta=1.0):
    """Graf-maskeli attention (parametresiz bir GAT): skorlar ``β · x_i · x_j``, ama yalnızca
    ``A[i, j] ≠ 0`` olan ``j``'ler üzerinde softmax (diğer skorlar ``-inf``).

    - ``β = 0`` iken her düğüm komşularının düz ortalamasını alır (= ``gcn_aggregate``).
    - ``A`` her yerde 1 ise (tam-bağlı graf) sonuç ``attention_aggregate(X, β)``'nın ``H``'sidir:
      Transformer = tam-bağlı GCN.
    - Komşusu olmayan düğümün satırı 0 olmalı (``nan`` değil).

    Döndürür: ``H``, şekil ``(n, f)``.
    """
    X = np.asarray(X, dtype=float)
    mask = np.asarray(A) != 0
    S = np.where(mask, beta * (X @ X.T), -np.inf)
    row_max = np.where(mask.any(axis=1), S.max(axis=1), 0.0)
    E = np.where(mask, np.exp(S - row_max[:, None]), 0.0)
    Z = E.sum(axis=1, keepdims=True)
    coef = np.divide(E, Z, out=np.zeros_like(E), where=Z > 0)
    return coef @ X


def gcn_layer(A, X, U, W):
    """Bir GCN katmanı (notların §20.7 biçimi): ``h_i = ReLU( U x_i + (1/d_i) Σ_{j∈N(i)} W x_j )``.

    Matris biçiminde: ``ReLU( X Uᵀ + D⁻¹ A X Wᵀ )``. ``N(i)`` düğümün kendisini İÇERMEZ (A'nın
    köşegeni 0); kendi bilgisini ayrı ``U`` matrisi taşır (self-connection).

    - ``A``: ``(n, n)``, ``X``: ``(n, f_in)``, ``U`` ve ``W``: ``(f_out, f_in)``
    - Komşusuz düğümde toplam terimi 0'dır. Döndürür: ``(n, f_out)``.
    """
    X = np.asarray(X, dtype=float)
    return np.maximum(X @ np.asarray(U, dtype=float).T + gcn_aggregate(A, X) @ np.asarray(W, dtype=float).T, 0.0)


q_w13_e1e = "C"


# --- Egzersiz 2: Laplacian ve pürüzsüzlük --------------------------------------------------------


def normalized_laplacian(A):
    """Simetrik normalize Laplacian: ``Δ = I − D^{-1/2} A D^{-1/2}``.

    ``A`` simetrik, her düğümün en az bir komşusu var. Döndürür: ``(n, n)`` NumPy dizisi.
    """
    A = np.asarray(A, dtype=float)
    s = 1.0 / np.sqrt(A.sum(axis=1))
    return np.eye(len(A)) - s[:, None] * A * s[None, :]


def dirichlet_energy(A, h):
    """Bir graf sinyalinin "pürüzlülüğü": ``hᵀ Δ h`` (``Δ``: normalize Laplacian).

    Eşdeğer kenar biçimi: her (yönsüz) kenar için bir kez ``(h_i/√d_i − h_j/√d_j)²`` toplamı:
    komşular benzerse küçük, zıtsa büyük. ``h``: ``(n,)``. Döndürür: ``float``.
    """
    h = np.asarray(h, dtype=float)
    return float(h @ normalized_laplacian(A) @ h)


def zero_energy_signal(A):
    """Enerjisi SIFIR olan (en pürüzsüz) sıfırdan farklı bir sinyal.

    Normalize Laplacian'da bu sabit sinyal DEĞİL, ``D^{1/2} 1`` yani ``√d_i``'dir (bağlı bir
    grafta). Herhangi bir sıfırdan farklı katı da kabul edilir. Döndürür: ``(n,)``.
    """
    return np.sqrt(np.asarray(A, dtype=float).sum(axis=1))


def smoothest_roughest(A):
    """``Δ``'nın en küçük ve en büyük özdeğerlerine ait özvektörler: ``(v_min, v_max)``.

    Graf Fourier modlarının en pürüzsüzü ve en salınanı. ``np.linalg.eigh`` özdeğerleri artan
    sırada verir; özvektörler SÜTUNLARDADIR. Döndürür: iki ``(n,)`` dizi.
    """
    _, vecs = np.linalg.eigh(normalized_laplacian(A))
    return vecs[:, 0], vecs[:, -1]


constant_energy_path5 = float(3 - 2 * np.sqrt(2))

q_w13_e2e = "B"


# --- Egzersiz 3: K-hop yerelleştirme ve ChebNet -------------------------------------------------


def khop_support(A, source, k):
    """``Δᵏ e_s``'nin sıfırdan farklı (``|·| > 1e-12``) girdileri: ``(n,)`` ``bool`` dizisi.

    ``e_s`` yalnızca ``source`` düğümünde 1 olan "ısı kaynağı"; ``Δ`` normalize Laplacian.
    ``k = 0`` için yalnızca kaynağın kendisi.
    """
    L = normalized_laplacian(A)
    v = np.zeros(len(L))
    v[source] = 1.0
    for _ in range(k):
        v = L @ v
    return np.abs(v) > 1e-12


def cheb_filter(apply_L, x, w):
    """Laplacian polinomu filtresi: ``Σ_{k=0}^{K} w_k Lᵏ x`` (``K = len(w) − 1``).

    ``L``'yi GÖRMÜYORSUN: yalnızca ``apply_L(v) = L @ v`` çağrısı var. Özyinelemeyi kullan:
    ``x_0 = x``, ``x_k = apply_L(x_{k−1})``; sonuç ``Σ w_k x_k``. ``apply_L`` TAM OLARAK ``K`` kez
    çağrılmalı (seyrek bir grafta maliyet ``O(K·|E|)``; özayrışım yok, ``Lᵏ`` matrisi yok).
    ``x``: ``(n,)`` ya da ``(n, f)``. Döndürür: ``x`` ile aynı şekilde dizi.
    """
    xk = np.asarray(x, dtype=float)
    out = w[0] * xk
    for wk in w[1:]:
        xk = apply_L(xk)
        out = out + wk * xk
    return out


q_w13_e3c = "D"


# --- Egzersiz 4: anizotropi kapısı ---------------------------------------------------------------


def edge_gate(E, A, eps=1e-6):
    """Residual Gated GCN'in kenar kapısı: ``η_ij = A_ij σ(E_ij) / (Σ_k A_ik σ(E_ik) + eps)``.

    - ``E``: ``(n, n)`` kenar öznitelikleri (yalnızca ``A_ij ≠ 0`` olan girdiler önemli)
    - ``σ`` sigmoid (softmax DEĞİL); ``i``'nci satır, ``i``'nin komşuları üzerinde normalize edilir
    Döndürür: ``(n, n)`` dizi; graf dışındaki girdiler 0, komşusu olan her satırın toplamı ≈ 1.
    """
    A = np.asarray(A, dtype=float)
    G = A / (1.0 + np.exp(-np.asarray(E, dtype=float)))
    return G / (G.sum(axis=1, keepdims=True) + eps)


def gated_aggregate(A, H, E):
    """Anizotropik toplama: ``η H`` (``η = edge_gate(E, A)``, varsayılan ``eps``).

    Her düğüm komşularının özniteliklerini kapı ağırlıklarıyla toplar. Döndürür: ``(n, f)``.
    """
    return edge_gate(E, A) @ np.asarray(H, dtype=float)


def two_camps(h, e):
    """Merkez düğüm ve komşuları: izotropik ortalama vs anizotropik kapılı toplam.

    - ``h``: komşuların (skaler) öznitelikleri ``(d,)``;  ``e``: merkezden her komşuya kenar skoru
    - ``iso = mean(h)`` (``η = 1/d``);  ``aniso = Σ_j η_j h_j``, ``η_j = σ(e_j) / Σ_k σ(e_k)`` (eps yok)

    Döndürür: ``(iso, aniso)`` (iki ``float``).
    """
    h = np.asarray(h, dtype=float)
    s = 1.0 / (1.0 + np.exp(-np.asarray(e, dtype=float)))
    return float(h.mean()), float((s / s.sum()) @ h)


q_w13_e4d = "A"


# --- Egzersiz 5: zincir graf ve yapılandırılmış tahmin ------------------------------------------


def chain_adjacency(T):
    """``T`` token'lık bir dizinin zincir grafı: ``A[t, t+1] = A[t+1, t] = 1``, geri kalan 0.

    Döndürür: ``(T, T)`` NumPy dizisi (``T = 1`` için ``[[0]]``).
    """
    return np.eye(T, k=1) + np.eye(T, k=-1)


def labeling_energy(U, P, y):
    """Bir etiketlemenin (zincir CRF / faktör grafı) enerjisi.

    ``E(y) = Σ_t U[t, y_t] + Σ_{t=0}^{T−2} P[y_t, y_{t+1}]``

    - ``U``: ``(T, C)`` tekli (unary) enerjiler: token ``t``'ye etiket ``c`` vermenin maliyeti
    - ``P``: ``(C, C)`` ikili (pairwise) enerjiler: ``P[a, b]`` = etiket ``a``'dan SONRA ``b`` gelmesinin
      maliyeti (simetrik olmak zorunda değil!)
    - ``y``: ``T`` uzunluğunda etiket dizisi (0'dan başlayan tamsayılar)
    Döndürür: ``float``.
    """
    U, P = np.asarray(U, dtype=float), np.asarray(P, dtype=float)
    y = [int(v) for v in y]
    return float(sum(U[t, c] for t, c in enumerate(y)) + sum(P[a, b] for a, b in zip(y[:-1], y[1:])))


def best_labeling_bruteforce(U, P):
    """Enerjiyi en küçük yapan etiketleme, bütün ``C^T`` etiketlemeyi deneyerek (``T ≤ 8``).

    Çıkarım = enerji minimizasyonu. ``itertools.product(range(C), repeat=T)`` işine yarar.
    Döndürür: ``(y_best, E_best)``; ``y_best`` tamsayı listesi, ``E_best`` ``float``.
    """
    U = np.asarray(U, dtype=float)
    T, C = U.shape
    best = min(itertools.product(range(C), repeat=T), key=lambda y: labeling_energy(U, P, y))
    return list(best), labeling_energy(U, P, best)


crf_roles = {"unary": "B", "pairwise": "D", "inference": "A"}
