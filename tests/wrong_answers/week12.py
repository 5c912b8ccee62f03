"""Plausible wrong answers for week 12 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``math``,
``np``, ``torch``, ``nn``, ``F``, ``du`` and the other solution definitions already exist); the
question named by the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w12_e1a": [
        ("β ile çarpmak yerine bölmek (sıcaklık gibi)", '''
def attend(X, x, beta=1.0):
    scores = X @ x
    z = scores / max(beta, 1e-12)
    e = torch.exp(z - z.max())
    a = e / e.sum()
    return scores, a, a @ X
'''),
        ("en büyük değer çıkarılmamış (büyük β'da taşma)", '''
def attend(X, x, beta=1.0):
    scores = X @ x
    e = torch.exp(beta * scores)
    a = e / e.sum()
    return scores, a, a @ X
'''),
        ("h, katsayılarla değil skorlarla ağırlıklandırılmış", '''
def attend(X, x, beta=1.0):
    scores = X @ x
    z = beta * scores
    e = torch.exp(z - z.max())
    a = e / e.sum()
    return scores, a, scores @ X / len(scores)
'''),
    ],
    "q_w12_e1b": [
        ("en düşük skorlu elemana uzaklık", '''
def hardness_curve(X, x, betas):
    out = []
    for b in betas:
        scores, _, h = attend(X, x, b)
        out.append(float(torch.linalg.norm(h - X[scores.argmin()])))
    return out
'''),
        ("norm yerine kare norm", '''
def hardness_curve(X, x, betas):
    out = []
    for b in betas:
        scores, _, h = attend(X, x, b)
        out.append(float(((h - X[scores.argmax()]) ** 2).sum()))
    return out
'''),
    ],
    "q_w12_e2a": [
        ("köşegen de maskelenmiş (triu, diagonal=0)", '''
def causal_mask(T):
    return torch.triu(torch.ones(T, T, dtype=torch.bool))
'''),
        ("maske kuralı ters (True = izin ver)", '''
def causal_mask(T):
    return torch.tril(torch.ones(T, T, dtype=torch.bool))
'''),
        ("alt üçgen maskelenmiş (geçmiş gizlenmiş)", '''
def causal_mask(T):
    return torch.tril(torch.ones(T, T, dtype=torch.bool), diagonal=-1)
'''),
    ],
    "q_w12_e2b": [
        ("√d ölçeklemesi unutulmuş", '''
def causal_attention(Q, K, V):
    T = Q.shape[-2]
    scores = Q @ K.transpose(-2, -1)
    scores = scores.masked_fill(causal_mask(T), float("-inf"))
    return torch.softmax(scores, dim=-1) @ V
'''),
        ("softmax yanlış eksende (sorgular üzerinde)", '''
def causal_attention(Q, K, V):
    T, d = Q.shape[-2], Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d)
    scores = scores.masked_fill(causal_mask(T), float("-inf"))
    return torch.nan_to_num(torch.softmax(scores, dim=-2)) @ V
'''),
        ("maske softmax'ten SONRA uygulanmış (satırlar 1'e toplanmıyor)", '''
def causal_attention(Q, K, V):
    T, d = Q.shape[-2], Q.shape[-1]
    A = torch.softmax(Q @ K.transpose(-2, -1) / math.sqrt(d), dim=-1)
    return A.masked_fill(causal_mask(T), 0.0) @ V
'''),
    ],
    "q_w12_e2c": [
        ("maskeli model de hile yapabilir sanılmış", '''
predicted_losses = {"masked": 0.0, "unmasked_cheatable": 0.0, "unmasked_last": math.log(8)}
'''),
        ("son konumda da hile yapılabilir sanılmış", '''
predicted_losses = {"masked": math.log(8), "unmasked_cheatable": 0.0, "unmasked_last": 0.0}
'''),
        ("kayıp log 8 yerine log 2 (bit) sanılmış", '''
predicted_losses = {"masked": 3.0, "unmasked_cheatable": 0.0, "unmasked_last": 3.0}
'''),
    ],
    "q_w12_e2d": [
        ("maske hız için sanılmış", '''
q_w12_e2d = "D"
'''),
        ("softmax normalizasyonu sanılmış", '''
q_w12_e2d = "B"
'''),
    ],
    "q_w12_e3a": [
        ("bias'lar sayılmamış", '''
def mha_shapes(d_model, n_head, d_k=None, d_v=None):
    d_k = d_model // n_head if d_k is None else d_k
    d_v = d_k if d_v is None else d_v
    n_params = n_head * d_model * (2 * d_k + d_v) + n_head * d_v * d_model
    return {"W_Q": (d_model, d_k), "W_K": (d_model, d_k), "W_V": (d_model, d_v),
            "W_O": (n_head * d_v, d_model), "n_params": n_params}
'''),
        ("W_O hep (d_model, d_model) sanılmış", '''
def mha_shapes(d_model, n_head, d_k=None, d_v=None):
    d_k = d_model // n_head if d_k is None else d_k
    d_v = d_k if d_v is None else d_v
    n_params = n_head * (d_model * (2 * d_k + d_v) + 2 * d_k + d_v) + d_model * d_model + d_model
    return {"W_Q": (d_model, d_k), "W_K": (d_model, d_k), "W_V": (d_model, d_v),
            "W_O": (d_model, d_model), "n_params": n_params}
'''),
        ("d_k = d_model (başlıklara bölünmemiş)", '''
def mha_shapes(d_model, n_head, d_k=None, d_v=None):
    d_k = d_model if d_k is None else d_k
    d_v = d_k if d_v is None else d_v
    n_params = n_head * (d_model * (2 * d_k + d_v) + 2 * d_k + d_v) + n_head * d_v * d_model + d_model
    return {"W_Q": (d_model, d_k), "W_K": (d_model, d_k), "W_V": (d_model, d_v),
            "W_O": (n_head * d_v, d_model), "n_params": n_params}
'''),
    ],
    "q_w12_e3b": [
        ("1/√d_k ölçeklemesi unutulmuş", '''
class MyMHA(nn.Module):
    def __init__(self, d_model, n_head, d_k=None, d_v=None):
        super().__init__()
        self.n_head = n_head
        self.d_k = d_model // n_head if d_k is None else d_k
        self.d_v = self.d_k if d_v is None else d_v
        self.W_q = nn.Linear(d_model, n_head * self.d_k)
        self.W_k = nn.Linear(d_model, n_head * self.d_k)
        self.W_v = nn.Linear(d_model, n_head * self.d_v)
        self.W_o = nn.Linear(n_head * self.d_v, d_model)

    def forward(self, x, causal=False):
        B, T, _ = x.shape
        q = self.W_q(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        k = self.W_k(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        v = self.W_v(x).view(B, T, self.n_head, self.d_v).transpose(1, 2)
        s = q @ k.transpose(-2, -1)
        if causal:
            s = s.masked_fill(causal_mask(T), float("-inf"))
        out = torch.softmax(s, dim=-1) @ v
        return self.W_o(out.transpose(1, 2).reshape(B, T, self.n_head * self.d_v))
'''),
        ("başlıklar yanlış düzende bölünmüş (view(B, T, d_k, H))", '''
class MyMHA(nn.Module):
    def __init__(self, d_model, n_head, d_k=None, d_v=None):
        super().__init__()
        self.n_head = n_head
        self.d_k = d_model // n_head if d_k is None else d_k
        self.d_v = self.d_k if d_v is None else d_v
        self.W_q = nn.Linear(d_model, n_head * self.d_k)
        self.W_k = nn.Linear(d_model, n_head * self.d_k)
        self.W_v = nn.Linear(d_model, n_head * self.d_v)
        self.W_o = nn.Linear(n_head * self.d_v, d_model)

    def forward(self, x, causal=False):
        B, T, _ = x.shape
        q = self.W_q(x).view(B, T, self.d_k, self.n_head).permute(0, 3, 1, 2)
        k = self.W_k(x).view(B, T, self.d_k, self.n_head).permute(0, 3, 1, 2)
        v = self.W_v(x).view(B, T, self.d_v, self.n_head).permute(0, 3, 1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(self.d_k)
        if causal:
            s = s.masked_fill(causal_mask(T), float("-inf"))
        out = torch.softmax(s, dim=-1) @ v
        return self.W_o(out.transpose(1, 2).reshape(B, T, self.n_head * self.d_v))
'''),
        ("causal bayrağı yok sayılmış", '''
class MyMHA(nn.Module):
    def __init__(self, d_model, n_head, d_k=None, d_v=None):
        super().__init__()
        self.n_head = n_head
        self.d_k = d_model // n_head if d_k is None else d_k
        self.d_v = self.d_k if d_v is None else d_v
        self.W_q = nn.Linear(d_model, n_head * self.d_k)
        self.W_k = nn.Linear(d_model, n_head * self.d_k)
        self.W_v = nn.Linear(d_model, n_head * self.d_v)
        self.W_o = nn.Linear(n_head * self.d_v, d_model)

    def forward(self, x, causal=False):
        B, T, _ = x.shape
        q = self.W_q(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        k = self.W_k(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        v = self.W_v(x).view(B, T, self.n_head, self.d_v).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(self.d_k)
        out = torch.softmax(s, dim=-1) @ v
        return self.W_o(out.transpose(1, 2).reshape(B, T, self.n_head * self.d_v))
'''),
        ("W_o uygulanmamış (başlıkların birleşimi döndürülmüş)", '''
class MyMHA(nn.Module):
    def __init__(self, d_model, n_head, d_k=None, d_v=None):
        super().__init__()
        self.n_head = n_head
        self.d_k = d_model // n_head if d_k is None else d_k
        self.d_v = self.d_k if d_v is None else d_v
        self.W_q = nn.Linear(d_model, n_head * self.d_k)
        self.W_k = nn.Linear(d_model, n_head * self.d_k)
        self.W_v = nn.Linear(d_model, n_head * self.d_v)
        self.W_o = nn.Linear(n_head * self.d_v, d_model)

    def forward(self, x, causal=False):
        B, T, _ = x.shape
        q = self.W_q(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        k = self.W_k(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        v = self.W_v(x).view(B, T, self.n_head, self.d_v).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(self.d_k)
        if causal:
            s = s.masked_fill(causal_mask(T), float("-inf"))
        out = torch.softmax(s, dim=-1) @ v
        return out.transpose(1, 2).reshape(B, T, self.n_head * self.d_v)
'''),
    ],
    "q_w12_e3c": [
        ("W_O yalnızca parametre eklemek için sanılmış", '''
q_w12_e3c = "A"
'''),
        ("V ile K aynı boyutta olmalı sanılmış", '''
q_w12_e3c = "C"
'''),
    ],
    "q_w12_e4a": [
        ("x yerinde değiştirilmiş", '''
def mask_tokens(x, p, mask_id):
    m = torch.rand(x.shape) < p
    labels = x.masked_fill(~m, -100)
    x.masked_fill_(m, mask_id)
    return x, labels
'''),
        ("etiketler her yerde x (-100 yok)", '''
def mask_tokens(x, p, mask_id):
    m = torch.rand(x.shape) < p
    return x.masked_fill(m, mask_id), x.clone()
'''),
        ("satır başına tek yazı-tura (bütün dizi maskeleniyor)", '''
def mask_tokens(x, p, mask_id):
    m = (torch.rand(x.shape[:-1] + (1,)) < p).expand_as(x)
    return x.masked_fill(m, mask_id), x.masked_fill(~m, -100)
'''),
        ("p tutma olasılığı sanılmış", '''
def mask_tokens(x, p, mask_id):
    m = torch.rand(x.shape) > p
    return x.masked_fill(m, mask_id), x.masked_fill(~m, -100)
'''),
    ],
    "q_w12_e4b": [
        ("-100 etiketleri 0'a çevrilmiş (her konumda kayıp)", '''
def masked_lm_loss(logits, labels):
    V = logits.shape[-1]
    return F.cross_entropy(logits.reshape(-1, V), labels.clamp(min=0).reshape(-1))
'''),
        ("kayıp toplam (ortalama değil)", '''
def masked_lm_loss(logits, labels):
    V = logits.shape[-1]
    return F.cross_entropy(logits.reshape(-1, V), labels.reshape(-1), reduction="sum")
'''),
        ("doğruluk bütün konumlarda hesaplanmış", '''
def masked_accuracy(model, n=1000, seed=0, p=0.15, mask_id=16):
    torch.manual_seed(int(seed))
    x = du.arithmetic_sequences(n)
    x_corrupt, labels = mask_tokens(x, p, mask_id)
    with torch.no_grad():
        pred = model(x_corrupt).argmax(dim=-1)
    return float((pred == x).float().mean())
'''),
    ],
    "q_w12_e4c": [
        ("maske = denetimli etiket sanılmış", '''
bert_as_denoising = {"mask": "A", "fill": "A", "word2vec_vs_bert": "D"}
'''),
        ("word2vec de bağlamlı sanılmış", '''
bert_as_denoising = {"mask": "C", "fill": "A", "word2vec_vs_bert": "B"}
'''),
    ],
    "q_w12_e4d": [
        ("iki değer için de encoder çıktısı kullanılmış", '''
def contextual_vectors(model, seq_a, seq_b, pos):
    with torch.no_grad():
        ca, cb = model.encode(seq_a[None])[0, pos], model.encode(seq_b[None])[0, pos]
    c = float(F.cosine_similarity(ca, cb, dim=0))
    return c, c
'''),
        ("encode yerine logit'ler karşılaştırılmış", '''
def contextual_vectors(model, seq_a, seq_b, pos):
    with torch.no_grad():
        ea, eb = model.tok(seq_a[pos]), model.tok(seq_b[pos])
        ca, cb = model(seq_a[None])[0, pos], model(seq_b[None])[0, pos]
    return float(F.cosine_similarity(ea, eb, dim=0)), float(F.cosine_similarity(ca, cb, dim=0))
'''),
    ],
    "q_w12_e5a": [
        ("yalnızca tek yön sayılmış (simetrik değil)", '''
def cooccurrence_graph(sentences, window=1):
    vocab = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(vocab)}
    A = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        for p in range(len(s)):
            for q in range(p + 1, min(p + window, len(s) - 1) + 1):
                i, j = index[s[p]], index[s[q]]
                if i != j:
                    A[i, j] += 1
    return vocab, A
'''),
        ("pencere bir eksik (q − p < window)", '''
def cooccurrence_graph(sentences, window=1):
    vocab = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(vocab)}
    A = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        for p in range(len(s)):
            for q in range(p + 1, min(p + window, len(s))):
                i, j = index[s[p]], index[s[q]]
                if i != j:
                    A[i, j] += 1
                    A[j, i] += 1
    return vocab, A
'''),
        ("aynı kelime çiftleri köşegene eklenmiş", '''
def cooccurrence_graph(sentences, window=1):
    vocab = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(vocab)}
    A = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        for p in range(len(s)):
            for q in range(p + 1, min(p + window, len(s) - 1) + 1):
                i, j = index[s[p]], index[s[q]]
                A[i, j] += 1
                A[j, i] += 1
    return vocab, A
'''),
    ],
    "q_w12_e5b": [
        ("sütun normalizasyonu (A D⁻¹ H)", '''
def mean_aggregate(A, H):
    A = np.asarray(A, dtype=float)
    deg = A.sum(axis=0)
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    return (A * inv[None, :]) @ np.asarray(H, dtype=float)
'''),
        ("komşusuz düğümde sıfıra bölme (nan)", '''
def mean_aggregate(A, H):
    A = np.asarray(A, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (A @ np.asarray(H, dtype=float)) / A.sum(axis=1, keepdims=True)
'''),
        ("ağırlıklı kenarlar 1 sayılmış (komşu sayısına bölünmüş)", '''
def mean_aggregate(A, H):
    A = np.asarray(A, dtype=float)
    deg = (A > 0).sum(axis=1).astype(float)
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    return inv[:, None] * (A @ np.asarray(H, dtype=float))
'''),
    ],
    "q_w12_e5c": [
        ("graflar çok büyük olduğu için sanılmış", '''
q_w12_e5c = "B"
'''),
        ("ortalama da sıraya bağlı sanılmış", '''
mean_aggregate_depends_on_neighbour_order = True
'''),
    ],
}
