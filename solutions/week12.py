"""Week 12 (chapter 19) reference solutions: attention, causal mask, multi-head attention, BERT.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
uses the names the notebook's setup cell provides (``math``, ``np``, ``torch``, ``nn``, ``F``, ``du``), so
the injected code runs unchanged in the notebook.
"""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import dlsp_utils as du
except ImportError:  # the trusted side may import this module without the shared helpers on sys.path
    du = None


# --- Egzersiz 1: attention'ı elle hesapla --------------------------------------------------------


def attend(X, x, beta=1.0):
    """Tek bir sorgu için (soft) attention. Kümenin elemanları ``X``'in SATIRLARIDIR.

    - ``X``: şekli ``(n, d)`` torch tensörü (n eleman);  ``x``: şekli ``(d,)`` sorgu;  ``beta ≥ 0``
    - ``scores[i] = x_i · x`` (şekil ``(n,)``)
    - ``a = softmax(beta · scores)`` (şekil ``(n,)``, toplamı 1; en büyük değeri çıkararak kararlı hesapla)
    - ``h = Σ_i a_i x_i`` (şekil ``(d,)``; satır düzeninde ``a @ X``)

    Döndürür: ``(scores, a, h)`` üçlüsü (torch tensörleri).
    """
    scores = X @ x
    z = beta * scores
    e = torch.exp(z - z.max())
    a = e / e.sum()
    return scores, a, a @ X


def hardness_curve(X, x, betas):
    """Her ``β`` için ``‖h(β) − x_best‖`` (Öklid normu); ``x_best`` = skoru en yüksek eleman.

    ``h(β)``, ``attend(X, x, β)``'nın döndürdüğü ``h``'dir; ``x_best = X[argmax(scores)]``.
    ``β`` büyüdükçe attention "sertleşir" (one-hot'a yaklaşır) ve ``h`` ``x_best``'e yaklaşır.
    Döndürür: uzunluğu ``len(betas)`` olan ``float`` listesi.
    """
    out = []
    for b in betas:
        scores, _, h = attend(X, x, b)
        out.append(float(torch.linalg.norm(h - X[scores.argmax()])))
    return out


# --- Egzersiz 2: causal mask ---------------------------------------------------------------------


def causal_mask(T):
    """``T × T`` causal (look-ahead) maske: ``bool`` tensör, ``True`` = MASKELE (gelecek).

    ``mask[i, j] = True`` ancak ve ancak ``j > i`` (token ``i``, kendisinden sonraki token'lara
    bakamaz). Bu, ``nn.MultiheadAttention``'ın ``bool`` ``attn_mask`` kuralıdır.
    """
    return torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)


def causal_attention(Q, K, V):
    """Causal (maskeli) scaled dot-product attention.

    - ``Q``, ``K``: şekil ``(B, T, d)``;  ``V``: şekil ``(B, T, d_v)``
    - skorlar ``Q Kᵀ / √d`` (şekil ``(B, T, T)``); maskelenen (gelecek) skorlar ``-inf`` olur;
      son eksen üzerinde softmax; sonuç ``A @ V``.
    - ``causal_mask``'ı kullan. Döndürür: şekil ``(B, T, d_v)``.
    """
    T, d = Q.shape[-2], Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d)
    scores = scores.masked_fill(causal_mask(T).to(scores.device), float("-inf"))
    return torch.softmax(scores, dim=-1) @ V


predicted_losses = {
    "masked": math.log(8),
    "unmasked_cheatable": 0.0,
    "unmasked_last": math.log(8),
}

q_w12_e2d = "C"


# --- Egzersiz 3: Q/K/V boyutları ----------------------------------------------------------------


def mha_shapes(d_model, n_head, d_k=None, d_v=None):
    """Multi-head attention'ın boyutları ve parametre sayısı.

    ``d_k`` verilmezse ``d_model // n_head``; ``d_v`` verilmezse ``d_k``. Döndürür: sözlük

    - ``"W_Q"``, ``"W_K"``: BİR başlığın sorgu/anahtar izdüşümünün şekli, ``(d_model, d_k)``
    - ``"W_V"``: bir başlığın değer izdüşümü, ``(d_model, d_v)``
    - ``"W_O"``: başlıkları birleştiren çıkış izdüşümü, ``(n_head · d_v, d_model)``
    - ``"n_params"``: bütün ağırlıklar + bias'lar (her izdüşümün bir bias'ı var):
      ``n_head·(d_model·(2·d_k + d_v) + 2·d_k + d_v) + n_head·d_v·d_model + d_model``

    Şekiller ``tuple`` olsun. (8, 4) için ``n_params = 288``: ``nn.MultiheadAttention(8, 4)`` ile aynı.
    """
    d_k = d_model // n_head if d_k is None else d_k
    d_v = d_k if d_v is None else d_v
    n_params = n_head * (d_model * (2 * d_k + d_v) + 2 * d_k + d_v) + n_head * d_v * d_model + d_model
    return {
        "W_Q": (d_model, d_k),
        "W_K": (d_model, d_k),
        "W_V": (d_model, d_v),
        "W_O": (n_head * d_v, d_model),
        "n_params": n_params,
    }


class MyMHA(nn.Module):
    """Kendi multi-head (self-)attention katmanın.

    Özellikler (attribute) ve şekiller:

    - ``W_q``, ``W_k``: ``nn.Linear(d_model, n_head · d_k)``;  ``W_v``: ``nn.Linear(d_model, n_head · d_v)``
    - ``W_o``: ``nn.Linear(n_head · d_v, d_model)``
    - ``d_k`` verilmezse ``d_model // n_head``; ``d_v`` verilmezse ``d_k``.

    BAŞLIK DÜZENİ (testler buna göre ağırlık kopyalar): ``h``'inci başlık, ``W_q(x)`` çıktısının
    ``[h·d_k : (h+1)·d_k]`` dilimini kullanır; yani ``W_q(x).view(B, T, n_head, d_k)``
    (``W_k`` ve ``W_v`` için de aynı). Başlık çıktıları aynı sırayla birleştirilip (concat)
    ``W_o``'dan geçer.
    """

    def __init__(self, d_model, n_head, d_k=None, d_v=None):
        """Katmanları oluştur (önce ``super().__init__()``)."""
        super().__init__()
        self.n_head = n_head
        self.d_k = d_model // n_head if d_k is None else d_k
        self.d_v = self.d_k if d_v is None else d_v
        self.W_q = nn.Linear(d_model, n_head * self.d_k)
        self.W_k = nn.Linear(d_model, n_head * self.d_k)
        self.W_v = nn.Linear(d_model, n_head * self.d_v)
        self.W_o = nn.Linear(n_head * self.d_v, d_model)

    def forward(self, x, causal=False):
        """``x``: ``(B, T, d_model)`` → ``(B, T, d_model)``.

        Her başlıkta skorlar ``Q Kᵀ / √d_k``; ``causal=True`` ise gelecek maskelenir
        (``causal_mask``); softmax; ``A @ V``. Sonra başlıklar birleştirilir ve ``W_o`` uygulanır.
        """
        B, T, _ = x.shape
        q = self.W_q(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        k = self.W_k(x).view(B, T, self.n_head, self.d_k).transpose(1, 2)
        v = self.W_v(x).view(B, T, self.n_head, self.d_v).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(self.d_k)
        if causal:
            s = s.masked_fill(causal_mask(T).to(x.device), float("-inf"))
        out = torch.softmax(s, dim=-1) @ v
        return self.W_o(out.transpose(1, 2).reshape(B, T, self.n_head * self.d_v))


q_w12_e3c = "B"


# --- Egzersiz 4: BERT = denoising ----------------------------------------------------------------


def mask_tokens(x, p, mask_id):
    """BERT tarzı bozma: her token, diğerlerinden bağımsız olarak ``p`` olasılıkla maskelenir.

    - ``x``: ``int64`` tensör (her şekil, örn. ``(B, T)``); ``x``'i YERİNDE DEĞİŞTİRME.
    - ``x_corrupt``: ``x``'in kopyası; maskelenen konumlarda ``mask_id``.
    - ``labels``: maskelenen konumlarda asıl token (``x``), diğer her yerde ``-100``
      (``F.cross_entropy``'nin ``ignore_index`` değeri: kayıp yalnızca maskeli konumlarda hesaplanır).
    - Rastgelelik için ``torch.rand`` kullan (genel üreteç).

    Döndürür: ``(x_corrupt, labels)``.
    """
    m = torch.rand(x.shape, device=x.device) < p
    return x.masked_fill(m, mask_id), x.masked_fill(~m, -100)


def masked_lm_loss(logits, labels):
    """Masked-LM kaybı: yalnızca maskeli konumlarda (``labels != -100``) ortalama cross-entropy.

    - ``logits``: ``(B, T, V)``;  ``labels``: ``(B, T)`` (maskesiz konumlarda ``-100``)
    - İpucu: ``F.cross_entropy`` sınıf eksenini 2. sırada bekler; ``(B·T, V)`` ve ``(B·T,)``'ye
      yeniden şekillendir. Döndürür: skaler tensör (türevlenebilir).
    """
    V = logits.shape[-1]
    return F.cross_entropy(logits.reshape(-1, V), labels.reshape(-1), ignore_index=-100)


def masked_accuracy(model, n=1000, seed=0, p=0.15, mask_id=16):
    """Eğitilmiş bir masked-LM'in, maskelenen token'ları doğru tahmin etme oranı.

    ``torch.manual_seed(seed)`` ile başla; ``du.arithmetic_sequences(n)`` ile ``n`` yeni dizi üret,
    ``mask_tokens(x, p, mask_id)`` ile boz, ``model(x_corrupt)``'un ``argmax``'ını al ve YALNIZCA
    maskeli konumlarda (``labels != -100``) doğruluğu hesapla. Gradyan gerekmez. Döndürür: ``float``.
    """
    torch.manual_seed(int(seed))
    x = du.arithmetic_sequences(n)
    x_corrupt, labels = mask_tokens(x, p, mask_id)
    with torch.no_grad():
        pred = model(x_corrupt).argmax(dim=-1)
    sel = labels != -100
    return float((pred[sel] == labels[sel]).float().mean())


bert_as_denoising = {"mask": "C", "fill": "A", "word2vec_vs_bert": "D"}


def contextual_vectors(model, seq_a, seq_b, pos):
    """Aynı token iki farklı bağlamda: bağlamsız ve bağlamlı temsillerin benzerliği.

    ``seq_a`` ve ``seq_b`` ``(T,)`` şeklinde iki token dizisi; ``seq_a[pos] == seq_b[pos]``.
    Döndürür: ``(static_cos, contextual_cos)`` (iki ``float``):

    - ``static_cos``: ``model.tok`` embedding tablosundaki iki vektörün kosinüs benzerliği
      (word2vec gibi: bağlamdan bağımsız; aynı token için 1)
    - ``contextual_cos``: ``model.encode(seq[None])[0, pos]`` vektörlerinin kosinüs benzerliği (BERT gibi)

    ``F.cosine_similarity`` kullanabilirsin; gradyan gerekmez.
    """
    with torch.no_grad():
        ea, eb = model.tok(seq_a[pos]), model.tok(seq_b[pos])
        ca, cb = model.encode(seq_a[None])[0, pos], model.encode(seq_b[None])[0, pos]
    return float(F.cosine_similarity(ea, eb, dim=0)), float(F.cosine_similarity(ca, cb, dim=0))


# --- Egzersiz 5: cümle → graf --------------------------------------------------------------------


def cooccurrence_graph(sentences, window=1):
    """Eş-dizim (co-occurrence) grafı: düğümler kelimeler, kenar ağırlıkları yakınlık sayıları.

    - ``sentences``: kelime listelerinin listesi (kelimeler olduğu gibi; küçük harfe çevirme yok)
    - ``vocab = sorted(bütün farklı kelimeler)`` (Python'un varsayılan ``sorted`` sırası)
    - Her cümlede, aralarındaki uzaklık ``1 ≤ q − p ≤ window`` olan her konum çifti ``(p, q)``
      için kelimeler ``u = s[p]``, ``v = s[q]`` farklıysa ``A[u, v]`` ve ``A[v, u]`` 1 artar
      (aynı kelime yan yana gelirse köşegene bir şey eklenmez).

    Döndürür: ``(vocab, A)``; ``A`` şekli ``(len(vocab), len(vocab))`` olan simetrik NumPy dizisi.
    """
    vocab = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(vocab)}
    A = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        for p in range(len(s)):
            for q in range(p + 1, min(p + window, len(s) - 1) + 1):
                i, j = index[s[p]], index[s[q]]
                if i != j:
                    A[i, j] += 1
                    A[j, i] += 1
    return vocab, A


def mean_aggregate(A, H):
    """Komşuluk ortalaması: ``D⁻¹ A H`` (``D`` = derece köşegeni, ``d_i = Σ_j A[i, j]``).

    - ``A``: ``(n, n)`` NumPy dizisi (ağırlıklı olabilir);  ``H``: ``(n, f)`` düğüm öznitelikleri
    - Hiç komşusu olmayan (derecesi 0) düğümün satırı sıfır olmalı (``nan`` değil).
    Döndürür: ``(n, f)`` NumPy dizisi.
    """
    A = np.asarray(A, dtype=float)
    H = np.asarray(H, dtype=float)
    deg = A.sum(axis=1)
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    return inv[:, None] * (A @ H)


q_w12_e5c = "A"

template_result_depends_on_neighbour_order = True
mean_aggregate_depends_on_neighbour_order = False
