"""Plausible wrong answers for week 6 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn`` and the other solution definitions already exist); the question named by the key
must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w06_e1a": [
        ("bias unutulmuş", '''
def rnn_forward(X, Wx, Wz, b, z0=None):
    z = np.zeros(Wz.shape[0]) if z0 is None else np.array(z0, dtype=float)
    out = []
    for x in X:
        z = np.tanh(Wx @ x + Wz @ z)
        out.append(z)
    return np.array(out)
'''),
        ("Wx devrik kullanılmış (x @ Wx)", '''
def rnn_forward(X, Wx, Wz, b, z0=None):
    z = np.zeros(Wz.shape[0]) if z0 is None else np.array(z0, dtype=float)
    out = []
    for x in X:
        z = np.tanh(x @ Wx + Wz @ z + b)
        out.append(z)
    return np.array(out)
'''),
        ("gizli durum taşınmıyor (her adımda z0 kullanılmış)", '''
def rnn_forward(X, Wx, Wz, b, z0=None):
    z_start = np.zeros(Wz.shape[0]) if z0 is None else np.array(z0, dtype=float)
    return np.array([np.tanh(Wx @ x + Wz @ z_start + b) for x in X])
'''),
        ("z0 sonuca eklenmiş: (T+1, H)", '''
def rnn_forward(X, Wx, Wz, b, z0=None):
    z = np.zeros(Wz.shape[0]) if z0 is None else np.array(z0, dtype=float)
    out = [z]
    for x in X:
        z = np.tanh(Wx @ x + Wz @ z + b)
        out.append(z)
    return np.array(out)
'''),
        ("verilen z0 yok sayılmış", '''
def rnn_forward(X, Wx, Wz, b, z0=None):
    z = np.zeros(Wz.shape[0])
    out = []
    for x in X:
        z = np.tanh(Wx @ x + Wz @ z + b)
        out.append(z)
    return np.array(out)
'''),
        ("z0 yerinde güncellenmiş (girdi bozuluyor)", '''
def rnn_forward(X, Wx, Wz, b, z0=None):
    z = np.zeros(Wz.shape[0]) if z0 is None else z0
    out = np.empty((len(X), Wz.shape[0]))
    for t, x in enumerate(X):
        z[:] = np.tanh(Wx @ x + Wz @ z + b)
        out[t] = z
    return out
'''),
    ],
    "q_w06_e1b": [
        ("Wx ile Wz yer değiştirmiş", '''
Z_seed = rnn_forward(X_seq, Wz, Wx, b)
'''),
        ("dizi ters sırada verilmiş", '''
Z_seed = rnn_forward(X_seq[::-1], Wx, Wz, b)
'''),
    ],
    "q_w06_e1c": [
        ("A", 'q_w06_e1c = "A"'),
        ("C", 'q_w06_e1c = "C"'),
    ],
    "q_w06_e2a": [
        ("döngü bir eksik", '''
def grad_scale(lam, n):
    v = 1.0
    for _ in range(n - 1):
        v *= lam
    return v
'''),
        ("döngü bir fazla", '''
def grad_scale(lam, n):
    v = 1.0
    for _ in range(n + 1):
        v *= lam
    return v
'''),
        ("üs yerine çarpım", '''
def grad_scale(lam, n):
    return float(lam * n)
'''),
    ],
    "q_w06_e2b": [
        ("Frobenius normu", '''
def bptt_jacobian_norm(W, n, z0=None, nonlinearity=None):
    W = torch.as_tensor(W, dtype=torch.float64)
    z0 = torch.zeros(W.shape[0], dtype=torch.float64) if z0 is None else torch.as_tensor(z0, dtype=torch.float64)
    phi = torch.tanh if nonlinearity == "tanh" else (lambda v: v)
    def f(z):
        for _ in range(n):
            z = phi(W @ z)
        return z
    J = torch.autograd.functional.jacobian(f, z0)
    return torch.linalg.matrix_norm(J).item()
'''),
        ("özdeğer kısayolu: ρ(W)^n", '''
def bptt_jacobian_norm(W, n, z0=None, nonlinearity=None):
    W = torch.as_tensor(W, dtype=torch.float64)
    if nonlinearity == "tanh":
        z = torch.zeros(W.shape[0], dtype=torch.float64) if z0 is None else torch.as_tensor(z0, dtype=torch.float64)
        J = torch.eye(W.shape[0], dtype=torch.float64)
        for _ in range(n):
            pre = W @ z
            J = torch.diag(1 - torch.tanh(pre) ** 2) @ W @ J
            z = torch.tanh(pre)
        return torch.linalg.eigvals(J).abs().max().item()
    return torch.linalg.eigvals(W).abs().max().item() ** n
'''),
        ("doğrusal olmama yok sayılmış", '''
def bptt_jacobian_norm(W, n, z0=None, nonlinearity=None):
    W = torch.as_tensor(W, dtype=torch.float64)
    return torch.linalg.matrix_norm(torch.linalg.matrix_power(W, n), ord=2).item()
'''),
        ("verilen z0 yok sayılmış (hep sıfırdan)", '''
def bptt_jacobian_norm(W, n, z0=None, nonlinearity=None):
    W = torch.as_tensor(W, dtype=torch.float64)
    phi = torch.tanh if nonlinearity == "tanh" else (lambda v: v)
    def f(z):
        for _ in range(n):
            z = phi(W @ z)
        return z
    J = torch.autograd.functional.jacobian(f, torch.zeros(W.shape[0], dtype=torch.float64))
    return torch.linalg.matrix_norm(J, ord=2).item()
'''),
    ],
    "q_w06_e2c": [
        ("1'e yakınları sabit, negatifi sönen sanmak", '''
regime = {0.5: "vanishing", 0.9: "stable", 1.0: "stable", 1.1: "stable", 1.5: "exploding", -1.2: "vanishing"}
'''),
        ("sönme ve patlama ters", '''
regime = {0.5: "exploding", 0.9: "exploding", 1.0: "stable", 1.1: "vanishing", 1.5: "vanishing", -1.2: "vanishing"}
'''),
    ],
    "q_w06_e2d": [
        ("True", "tanh_explodes = True"),
        ("z0 verilmeden ölçülmüş (z0 = 0: kararsız sabit nokta)", '''
tanh_explodes = bptt_jacobian_norm(1.5 * torch.eye(3, dtype=torch.float64), 50, nonlinearity="tanh") > 1e3
'''),
    ],
    "q_w06_e2e": [
        ("patlamaya gating", 'q_w06_e2e_patlama = "A"'),
        ("sönmeye clipping", 'q_w06_e2e_sonme = "B"'),
    ],
    "q_w06_e3a": [
        ("çeviriye literatürdeki ad (seq2seq)", '''
gorevler = {"a_yorum_yildiz": "seq2vec", "b_goruntu_altyazi": "vec2seq", "c_ceviri": "seq2seq",
            "d_etiketleme": "seq2seq"}
'''),
        ("a ile b ters", '''
gorevler = {"a_yorum_yildiz": "vec2seq", "b_goruntu_altyazi": "seq2vec", "c_ceviri": "seq2vec2seq",
            "d_etiketleme": "seq2seq"}
'''),
    ],
    "q_w06_e3b": [
        ("sonraki karakter seq2vec sanılmış", '''
extra_tasks = {"e1_spam": "seq2vec", "e2_melodi": "vec2seq", "e3_sonraki_karakter": "seq2vec",
               "e4_ozet": "seq2vec2seq", "e5_video_kare": "seq2seq", "e6_sicaklik": "seq2vec"}
'''),
        ("özet ve sıcaklık hizalı dizi sanılmış", '''
extra_tasks = {"e1_spam": "seq2vec", "e2_melodi": "vec2seq", "e3_sonraki_karakter": "seq2seq",
               "e4_ozet": "seq2seq", "e5_video_kare": "seq2seq", "e6_sicaklik": "seq2seq"}
'''),
    ],
    "q_w06_e4a": [
        ("tek bias vektörü", '''
def rnn_num_params(input_size, hidden_size, num_layers=1, bidirectional=False, cell="rnn"):
    g = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    D = 2 if bidirectional else 1
    total = 0
    for l in range(num_layers):
        I = input_size if l == 0 else D * hidden_size
        total += D * (g * hidden_size * (I + hidden_size) + g * hidden_size)
    return total
'''),
        ("üst katmanların girdisi H sanılmış (çift yönde 2H olmalı)", '''
def rnn_num_params(input_size, hidden_size, num_layers=1, bidirectional=False, cell="rnn"):
    g = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    D = 2 if bidirectional else 1
    total = 0
    for l in range(num_layers):
        I = input_size if l == 0 else hidden_size
        total += D * (g * hidden_size * (I + hidden_size) + 2 * g * hidden_size)
    return total
'''),
        ("katmanlar aynı sanılmış: num_layers ile çarpım", '''
def rnn_num_params(input_size, hidden_size, num_layers=1, bidirectional=False, cell="rnn"):
    g = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    D = 2 if bidirectional else 1
    return D * num_layers * (g * hidden_size * (input_size + hidden_size) + 2 * g * hidden_size)
'''),
        ("GRU'ya 4 kapı", '''
def rnn_num_params(input_size, hidden_size, num_layers=1, bidirectional=False, cell="rnn"):
    g = {"rnn": 1, "lstm": 4, "gru": 4}[cell]
    D = 2 if bidirectional else 1
    total = 0
    for l in range(num_layers):
        I = input_size if l == 0 else D * hidden_size
        total += D * (g * hidden_size * (I + hidden_size) + 2 * g * hidden_size)
    return total
'''),
    ],
    "q_w06_e4b": [
        ("h_n de batch-first sanılmış", '''
def rnn_shapes(batch, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False):
    D = 2 if bidirectional else 1
    return {"out": (batch, seq_len, D * hidden_size), "h_n": (batch, D * num_layers, hidden_size)}
'''),
        ("çift yönde out'un son boyutu H sanılmış", '''
def rnn_shapes(batch, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False):
    D = 2 if bidirectional else 1
    return {"out": (batch, seq_len, hidden_size), "h_n": (D * num_layers, batch, hidden_size)}
'''),
        ("h_n'de katman sayısı unutulmuş", '''
def rnn_shapes(batch, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False):
    D = 2 if bidirectional else 1
    return {"out": (batch, seq_len, D * hidden_size), "h_n": (D, batch, hidden_size)}
'''),
    ],
    "q_w06_e4c": [
        ("oran 3 (GRU ile karıştırılmış)", "ratio_lstm_rnn = 3"),
        ("B", 'q_w06_e4c = "B"'),
    ],
    "q_w06_e5a": [
        ("eşitlik de minimum sayılmış (<=)", '''
def local_minima(y, F):
    y, F = np.asarray(y), np.asarray(F)
    return np.array([y[i] for i in range(1, len(F) - 1) if F[i] <= F[i - 1] and F[i] <= F[i + 1]])
'''),
        ("uç noktalar da sayılmış", '''
def local_minima(y, F):
    y, F = np.asarray(y), np.asarray(F)
    Fp = np.concatenate([[np.inf], F, [np.inf]])
    return np.array([y[i] for i in range(len(F)) if Fp[i + 1] < Fp[i] and Fp[i + 1] < Fp[i + 2]])
'''),
        ("y değerleri yerine indisler", '''
def local_minima(y, F):
    F = np.asarray(F)
    return np.array([i for i in range(1, len(F) - 1) if F[i] < F[i - 1] and F[i] < F[i + 1]], dtype=float)
'''),
    ],
    "q_w06_e5b": [
        ("aktivasyon yok (doğrusal ağ)", '''
def fit_single_output(x, y, steps=500, seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, 32), nn.Linear(32, 32), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    return model
'''),
        ("zero_grad unutulmuş", '''
def fit_single_output(x, y, steps=500, seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    return model
'''),
        ("optimizer.step() unutulmuş (eğitilmemiş ağ)", '''
def fit_single_output(x, y, steps=500, seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
    return model
'''),
    ],
    "q_w06_e5c": [
        ("gradient ascent (işaret hatası)", '''
def ebm_infer(x, y0, lr=0.1, steps=200):
    y = y0.clone()
    for _ in range(steps):
        y = y + lr * 4 * y * (x ** 2 + y ** 2 - 1)
    return y
'''),
        ("türevde katsayı 2 (4 olmalı)", '''
def ebm_infer(x, y0, lr=0.1, steps=200):
    y = y0.clone()
    for _ in range(steps):
        y = y - lr * 2 * y * (x ** 2 + y ** 2 - 1)
    return y
'''),
        ("y0 yerinde değiştirilmiş", '''
def ebm_infer(x, y0, lr=0.1, steps=200):
    y = y0
    for _ in range(steps):
        y -= lr * 4 * y * (x ** 2 + y ** 2 - 1)
    return y
'''),
    ],
    "q_w06_e5d": [
        ("rastgele şık", 'q_w06_e5d_ortalama = "A"'),
        ("argmax", 'q_w06_e5d_cikarim = "B"'),
    ],
}
