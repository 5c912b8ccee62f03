"""Plausible wrong answers for week 13 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``itertools`` and the other solution definitions already exist); the question named by the key
must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w13_e1a": [
        ("softmax sütunlar üzerinde", '''
def attention_aggregate(X, beta=1.0):
    X = np.asarray(X, dtype=float)
    S = beta * (X @ X.T)
    E = np.exp(S - S.max(axis=0, keepdims=True))
    A_att = E / E.sum(axis=0, keepdims=True)
    return A_att, A_att @ X
'''),
        ("β uygulanmamış", '''
def attention_aggregate(X, beta=1.0):
    X = np.asarray(X, dtype=float)
    S = X @ X.T
    E = np.exp(S - S.max(axis=1, keepdims=True))
    A_att = E / E.sum(axis=1, keepdims=True)
    return A_att, A_att @ X
'''),
        ("en büyük değer çıkarılmamış (taşma)", '''
def attention_aggregate(X, beta=1.0):
    X = np.asarray(X, dtype=float)
    E = np.exp(beta * (X @ X.T))
    A_att = E / E.sum(axis=1, keepdims=True)
    return A_att, A_att @ X
'''),
    ],
    "q_w13_e1b": [
        ("dereceye bölünmemiş (A X)", '''
def gcn_aggregate(A, X):
    return np.asarray(A, dtype=float) @ np.asarray(X, dtype=float)
'''),
        ("komşusuz düğümde sıfıra bölme (nan)", '''
def gcn_aggregate(A, X):
    A = np.asarray(A, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (A @ np.asarray(X, dtype=float)) / A.sum(axis=1, keepdims=True)
'''),
        ("simetrik normalizasyon D^(-1/2) A D^(-1/2)", '''
def gcn_aggregate(A, X):
    A = np.asarray(A, dtype=float)
    deg = A.sum(axis=1)
    s = np.divide(1.0, np.sqrt(deg), out=np.zeros_like(deg), where=deg > 0)
    return (s[:, None] * A * s[None, :]) @ np.asarray(X, dtype=float)
'''),
    ],
    "q_w13_e1c": [
        ("maske yok (bütün düğümler üzerinde softmax)", '''
def masked_attention(X, A, beta=1.0):
    return attention_aggregate(X, beta)[1]
'''),
        ("softmax'ten sonra maskelenmiş ama yeniden normalize edilmemiş", '''
def masked_attention(X, A, beta=1.0):
    A_att, _ = attention_aggregate(X, beta)
    return (A_att * (np.asarray(A) != 0)) @ np.asarray(X, dtype=float)
'''),
        ("komşusuz düğümde nan", '''
def masked_attention(X, A, beta=1.0):
    X = np.asarray(X, dtype=float)
    mask = np.asarray(A) != 0
    S = np.where(mask, beta * (X @ X.T), -np.inf)
    with np.errstate(invalid="ignore"):
        E = np.exp(S - S.max(axis=1, keepdims=True))
        return (E / E.sum(axis=1, keepdims=True)) @ X
'''),
    ],
    "q_w13_e1d": [
        ("ReLU unutulmuş", '''
def gcn_layer(A, X, U, W):
    X = np.asarray(X, dtype=float)
    return X @ np.asarray(U).T + gcn_aggregate(A, X) @ np.asarray(W).T
'''),
        ("self-connection (U) unutulmuş", '''
def gcn_layer(A, X, U, W):
    X = np.asarray(X, dtype=float)
    return np.maximum(gcn_aggregate(A, X) @ np.asarray(W).T, 0.0)
'''),
        ("U ve W yer değiştirmiş", '''
def gcn_layer(A, X, U, W):
    X = np.asarray(X, dtype=float)
    return np.maximum(X @ np.asarray(W).T + gcn_aggregate(A, X) @ np.asarray(U).T, 0.0)
'''),
    ],
    "q_w13_e1e": [
        ("GCN ve attention'ın rolleri ters", '''
q_w13_e1e = "A"
'''),
        ("GCN yalnızca ızgarada", '''
q_w13_e1e = "D"
'''),
    ],
    "q_w13_e2a": [
        ("normalize edilmemiş Laplacian D − A", '''
def normalized_laplacian(A):
    A = np.asarray(A, dtype=float)
    return np.diag(A.sum(axis=1)) - A
'''),
        ("rastgele yürüyüş Laplacian'ı I − D⁻¹A", '''
def normalized_laplacian(A):
    A = np.asarray(A, dtype=float)
    return np.eye(len(A)) - A / A.sum(axis=1, keepdims=True)
'''),
        ("karekök unutulmuş: I − D⁻¹ A D⁻¹", '''
def normalized_laplacian(A):
    A = np.asarray(A, dtype=float)
    s = 1.0 / A.sum(axis=1)
    return np.eye(len(A)) - s[:, None] * A * s[None, :]
'''),
    ],
    "q_w13_e2b": [
        ("Laplacian yerine adjacency (hᵀ A h)", '''
def dirichlet_energy(A, h):
    h = np.asarray(h, dtype=float)
    return float(h @ np.asarray(A, dtype=float) @ h)
'''),
        ("normalize edilmemiş Laplacian ile", '''
def dirichlet_energy(A, h):
    A = np.asarray(A, dtype=float)
    h = np.asarray(h, dtype=float)
    return float(h @ (np.diag(A.sum(axis=1)) - A) @ h)
'''),
        ("‖Δh‖² (kare norm)", '''
def dirichlet_energy(A, h):
    v = normalized_laplacian(A) @ np.asarray(h, dtype=float)
    return float(v @ v)
'''),
    ],
    "q_w13_e2c": [
        ("sabit sinyal (notlardaki iddia)", '''
def zero_energy_signal(A):
    return np.ones(len(A))
'''),
        ("karekök yerine derece", '''
def zero_energy_signal(A):
    return np.asarray(A, dtype=float).sum(axis=1)
'''),
    ],
    "q_w13_e2d": [
        ("sıra ters: (v_max, v_min)", '''
def smoothest_roughest(A):
    _, vecs = np.linalg.eigh(normalized_laplacian(A))
    return vecs[:, -1], vecs[:, 0]
'''),
        ("özvektörler satır sanılmış", '''
def smoothest_roughest(A):
    _, vecs = np.linalg.eigh(normalized_laplacian(A))
    return vecs[0], vecs[-1]
'''),
        ("Laplacian yerine adjacency'nin özvektörleri", '''
def smoothest_roughest(A):
    _, vecs = np.linalg.eigh(np.asarray(A, dtype=float))
    return vecs[:, 0], vecs[:, -1]
'''),
    ],
    "q_w13_e2e": [
        ("notlardaki '≈ 0' değeri", '''
constant_energy_path5 = 0.0
'''),
        ("sebep yuvarlama hatası sanılmış", '''
q_w13_e2e = "A"
'''),
    ],
    "q_w13_e3a": [
        ("Laplacian yerine adjacency kuvvetleri (Aᵏ)", '''
def khop_support(A, source, k):
    A = np.asarray(A, dtype=float)
    v = np.zeros(len(A)); v[source] = 1.0
    for _ in range(k):
        v = A @ v
    return np.abs(v) > 1e-12
'''),
        ("bir fazla uygulama (k + 1)", '''
def khop_support(A, source, k):
    L = normalized_laplacian(A)
    v = np.zeros(len(L)); v[source] = 1.0
    for _ in range(k + 1):
        v = L @ v
    return np.abs(v) > 1e-12
'''),
    ],
    "q_w13_e3b": [
        ("her k için Lᵏx baştan hesaplanmış (K² çağrı)", '''
def cheb_filter(apply_L, x, w):
    x = np.asarray(x, dtype=float)
    out = w[0] * x
    for k in range(1, len(w)):
        v = x
        for _ in range(k):
            v = apply_L(v)
        out = out + w[k] * v
    return out
'''),
        ("katsayılar bir kaymış (w_k, L^(k+1)x ile çarpılmış)", '''
def cheb_filter(apply_L, x, w):
    xk = np.asarray(x, dtype=float)
    out = 0 * xk
    for wk in w:
        xk = apply_L(xk)
        out = out + wk * xk
    return out
'''),
        ("w_0 terimi unutulmuş", '''
def cheb_filter(apply_L, x, w):
    xk = np.asarray(x, dtype=float)
    out = 0 * xk
    for wk in w[1:]:
        xk = apply_L(xk)
        out = out + wk * xk
    return out
'''),
    ],
    "q_w13_e3c": [
        ("ChebNet özayrışım yapar sanılmış", '''
q_w13_e3c = "A"
'''),
        ("maliyet O(N²) sanılmış", '''
q_w13_e3c = "B"
'''),
    ],
    "q_w13_e4a": [
        ("normalize sigmoid yerine softmax", '''
def edge_gate(E, A, eps=1e-6):
    A = np.asarray(A, dtype=float)
    G = A * np.exp(np.asarray(E, dtype=float))
    return G / (G.sum(axis=1, keepdims=True) + eps)
'''),
        ("sütunlar üzerinde normalize", '''
def edge_gate(E, A, eps=1e-6):
    A = np.asarray(A, dtype=float)
    G = A / (1.0 + np.exp(-np.asarray(E, dtype=float)))
    return G / (G.sum(axis=0, keepdims=True) + eps)
'''),
        ("adjacency maskesi unutulmuş", '''
def edge_gate(E, A, eps=1e-6):
    G = 1.0 / (1.0 + np.exp(-np.asarray(E, dtype=float)))
    return G / (G.sum(axis=1, keepdims=True) + eps)
'''),
    ],
    "q_w13_e4b": [
        ("η'nın transpozu", '''
def gated_aggregate(A, H, E):
    return edge_gate(E, A).T @ np.asarray(H, dtype=float)
'''),
        ("kapı yok sayılmış (izotropik ortalama)", '''
def gated_aggregate(A, H, E):
    return gcn_aggregate(A, H)
'''),
    ],
    "q_w13_e4c": [
        ("aniso'da softmax", '''
def two_camps(h, e):
    h = np.asarray(h, dtype=float)
    s = np.exp(np.asarray(e, dtype=float))
    return float(h.mean()), float((s / s.sum()) @ h)
'''),
        ("aniso normalize edilmemiş (Σ σ(e_j) h_j)", '''
def two_camps(h, e):
    h = np.asarray(h, dtype=float)
    s = 1.0 / (1.0 + np.exp(-np.asarray(e, dtype=float)))
    return float(h.mean()), float(s @ h)
'''),
        ("iso toplam (ortalama değil)", '''
def two_camps(h, e):
    h = np.asarray(h, dtype=float)
    s = 1.0 / (1.0 + np.exp(-np.asarray(e, dtype=float)))
    return float(h.sum()), float((s / s.sum()) @ h)
'''),
    ],
    "q_w13_e4d": [
        ("anizotropi hız için sanılmış", '''
q_w13_e4d = "B"
'''),
        ("yalnızca tam-bağlı graflarda", '''
q_w13_e4d = "D"
'''),
    ],
    "q_w13_e5a": [
        ("öz-döngüler eklenmiş", '''
def chain_adjacency(T):
    return np.eye(T, k=1) + np.eye(T, k=-1) + np.eye(T)
'''),
        ("yalnızca ileri yönlü kenarlar", '''
def chain_adjacency(T):
    return np.eye(T, k=1)
'''),
    ],
    "q_w13_e5b": [
        ("P'nin indeksleri ters: P[y_(t+1), y_t]", '''
def labeling_energy(U, P, y):
    U, P = np.asarray(U, dtype=float), np.asarray(P, dtype=float)
    y = [int(v) for v in y]
    return float(sum(U[t, c] for t, c in enumerate(y)) + sum(P[b, a] for a, b in zip(y[:-1], y[1:])))
'''),
        ("son ikili terim atlanmış", '''
def labeling_energy(U, P, y):
    U, P = np.asarray(U, dtype=float), np.asarray(P, dtype=float)
    y = [int(v) for v in y]
    return float(sum(U[t, c] for t, c in enumerate(y)) + sum(P[y[t], y[t + 1]] for t in range(len(y) - 2)))
'''),
    ],
    "q_w13_e5c": [
        ("açgözlü: token başına argmin", '''
def best_labeling_bruteforce(U, P):
    y = [int(c) for c in np.asarray(U).argmin(axis=1)]
    return y, labeling_energy(U, P, y)
'''),
        ("en BÜYÜK enerjili etiketleme", '''
def best_labeling_bruteforce(U, P):
    U = np.asarray(U, dtype=float)
    T, C = U.shape
    best = max(itertools.product(range(C), repeat=T), key=lambda y: labeling_energy(U, P, y))
    return list(best), labeling_energy(U, P, best)
'''),
        ("P transpoze edilmiş", '''
def best_labeling_bruteforce(U, P):
    U = np.asarray(U, dtype=float)
    Pt = np.asarray(P, dtype=float).T
    T, C = U.shape
    best = min(itertools.product(range(C), repeat=T), key=lambda y: labeling_energy(U, Pt, y))
    return list(best), labeling_energy(U, Pt, best)
'''),
    ],
    "q_w13_e5d": [
        ("tekli ve ikili enerjiler karışmış", '''
crf_roles = {"unary": "D", "pairwise": "B", "inference": "A"}
'''),
        ("çıkarım = parametre öğrenme sanılmış", '''
crf_roles = {"unary": "B", "pairwise": "D", "inference": "C"}
'''),
    ],
}
