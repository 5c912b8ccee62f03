"""Correct answers that look different from the reference, for week 12 (issue 15, item 2).

Format as in ``tests/wrong_answers/weekNN.py``: ``RIGHT_ANSWERS = {question: [(label, code), ...]}``;
each snippet replaces one solution definition and its question must keep full marks.
"""

RIGHT_ANSWERS = {
    "q_w12_e2a": [
        ("arange karşılaştırması", '''
def causal_mask(T):
    i = torch.arange(T)
    return i[None, :] > i[:, None]
'''),
    ],
    "q_w12_e2b": [
        ("kendi maskesini kurar, torch.where ve büyük negatif sayı, float32'de hesaplar değil", '''
def causal_attention(Q, K, V):
    d = Q.shape[-1]
    scores = torch.matmul(Q, K.transpose(1, 2)) / (d ** 0.5)
    T = scores.shape[-1]
    keep = torch.tril(torch.ones(T, T, dtype=torch.bool))
    scores = torch.where(keep, scores, torch.tensor(float("-inf"), dtype=scores.dtype))
    return torch.matmul(F.softmax(scores, dim=-1), V)
'''),
    ],
    "q_w12_e3b": [
        ("başlık başına döngü, ModuleDict yok, maske 2b'deki gibi", '''
class MyMHA(nn.Module):
    def __init__(self, d_model, n_head, d_k=None, d_v=None):
        super().__init__()
        self.h = n_head
        self.dk = d_k if d_k is not None else d_model // n_head
        self.dv = d_v if d_v is not None else self.dk
        self.W_q = nn.Linear(d_model, n_head * self.dk)
        self.W_k = nn.Linear(d_model, n_head * self.dk)
        self.W_v = nn.Linear(d_model, n_head * self.dv)
        self.W_o = nn.Linear(n_head * self.dv, d_model)

    def forward(self, x, causal=False):
        q, k, v = self.W_q(x), self.W_k(x), self.W_v(x)
        outs = []
        for h in range(self.h):
            qh = q[..., h * self.dk:(h + 1) * self.dk]
            kh = k[..., h * self.dk:(h + 1) * self.dk]
            vh = v[..., h * self.dv:(h + 1) * self.dv]
            s = qh @ kh.transpose(-1, -2) / math.sqrt(self.dk)
            if causal:
                s = s.masked_fill(causal_mask(x.shape[1]), float("-inf"))
            outs.append(torch.softmax(s, -1) @ vh)
        return self.W_o(torch.cat(outs, dim=-1))
'''),
    ],
}
