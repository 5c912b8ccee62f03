"""Week 5 (chapter 12) reference solutions.

Every top-level definition without a leading underscore is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The injected code
uses only the names the notebook's setup cell provides (``np``, ``torch``, ``nn``, ``F``).

Definitions with a leading underscore are test-side helpers (trusted references); they are never
shown to students.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- Egzersiz 1: boyut aritmetiği ---------------------------------------------------------------


def conv_out_size(n, k, s=1, p=0, d=1):
    """Bir convolution'ın çıktı boyutu (bir uzamsal eksen için).

    - ``n``: girdi boyutu,  ``k``: kernel boyutu,  ``s``: stride,  ``p``: her kenara eklenen
      dolgu (padding),  ``d``: dilation (kernel elemanları arasındaki aralık; ``d = 1`` normal)

    Formül: ``⌊(n + 2p - d·(k - 1) - 1) / s⌋ + 1``. ``s = 1, p = 0, d = 1`` için ``n - k + 1``.
    Döndürür: ``int``.
    """
    return (int(n) + 2 * int(p) - int(d) * (int(k) - 1) - 1) // int(s) + 1


def sizes_through_stack(n, k, layers, padding):
    """``n × n`` bir görüntüye art arda ``layers`` tane ``nn.Conv2d(kernel_size=k, padding=padding)``
    (stride 1) uygulanınca her katmandan *sonraki* uzamsal boyut.

    Döndürür: ``layers`` uzunluğunda ``int`` listesi (girdi boyutu ``n`` listede yok).
    Örnek: ``sizes_through_stack(32, 3, 3, 0) == [30, 28, 26]``.
    """
    sizes, size = [], int(n)
    for _ in range(int(layers)):
        size = conv_out_size(size, k, 1, padding)
        sizes.append(size)
    return sizes


# --- Egzersiz 2: kernel şekli ---------------------------------------------------------------


def conv2d_weight_shape(c_in, c_out, k):
    """``nn.Conv2d(c_in, c_out, kernel_size=k)``'nın ``weight`` tensörünün şekli.

    ``k`` bir tamsayı (kare kernel) ya da ``(kh, kw)`` ikilisi olabilir.
    Döndürür: 4 tamsayılık bir ``tuple``: ``(çıkış kanalı, giriş kanalı, kh, kw)``.
    """
    kh, kw = (k, k) if isinstance(k, int) else tuple(k)
    return (int(c_out), int(c_in), int(kh), int(kw))


def conv2d_bias_shape(c_out):
    """``nn.Conv2d(..., c_out, ...)``'nın ``bias`` tensörünün şekli: tek elemanlı bir ``tuple``."""
    return (int(c_out),)


def conv2d_num_params(c_in, c_out, k, bias=True):
    """``nn.Conv2d(c_in, c_out, kernel_size=k, bias=bias)``'nın toplam parametre sayısı (``int``).

    Ağırlıktaki eleman sayısı, artı ``bias=True`` ise her çıkış kanalı için bir bias.
    """
    n = int(np.prod(conv2d_weight_shape(c_in, c_out, k)))
    return n + (int(c_out) if bias else 0)


# --- Egzersiz 3: autograd worked example -------------------------------------------------------


def autograd_example(values):
    """Canziani'nin örneği, herhangi bir ``values`` listesi için.

    ``X``'i ``values``'tan ``requires_grad=True`` ile oluştur (**float'a çevir**: tamsayı listesi
    gelebilir; ``float64`` önerilir), sonra ``Y = X - 2``, ``Z = 3 * Y**2``, ``a = Z.mean()``,
    ``a.backward()``.

    Döndürür: ``(a, X.grad)`` ikilisi: ``a`` bir ``float``, ``X.grad`` ``X`` ile aynı şekilde bir
    tensör.
    """
    X = torch.tensor([float(v) for v in values], dtype=torch.float64, requires_grad=True)
    Y = X - 2
    Z = 3 * Y**2
    a = Z.mean()
    a.backward()
    return float(a), X.grad


def manual_grad(values):
    """Aynı gradyan, **elle** türetilmiş formülle (autograd yok): ``∂a/∂xᵢ = 6·(xᵢ - 2) / n``.

    ``n``, ``values``'un uzunluğudur. Döndürür: ``float64`` 1-B tensör.
    """
    x = torch.tensor([float(v) for v in values], dtype=torch.float64)
    return 6 * (x - 2) / x.numel()


# --- Egzersiz 4: grad_fn zinciri ------------------------------------------------------------


def grad_fn_names(t):
    """``t``'nin hesaplama grafiğindeki düğümlerin adları, ``t.grad_fn``'den başlayan bir BFS ile.

    - Başlangıç: ``t.grad_fn`` (``None`` ise boş liste döndür).
    - Bir düğümün çocukları: ``node.next_functions`` içindeki ``(düğüm, indeks)`` ikililerinin
      düğümleri; ``None`` olanları atla.
    - Aynı düğüm (aynı nesne: ``is`` / ``id``) grafiğe birden çok yoldan bağlanabilir; her düğümü
      **bir kez** say.
    - Ad: ``type(node).__name__`` (örn. ``"MeanBackward0"``, ``"AccumulateGrad"``).

    Döndürür: ``str`` listesi, BFS sırasıyla.
    """
    names, seen = [], set()
    queue = [t.grad_fn] if t.grad_fn is not None else []
    while queue:
        node = queue.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        names.append(type(node).__name__)
        for child, _ in node.next_functions:
            if child is not None:
                queue.append(child)
    return names


def local_jacobians(X):
    """Zincirin her halkasının yerel Jacobian'ı, açıkça (autograd kullanmadan):

    - ``Y = X - 2``   → ``J_Y = ∂Y/∂X``, ``(n, n)``
    - ``Z = 3·Y²``    → ``J_Z = ∂Z/∂Y``, ``(n, n)`` (köşegen!)
    - ``a = mean(Z)`` → ``J_a = ∂a/∂Z``, ``(1, n)`` (tek satırlık matris)

    ``X``: 1-B tensör (``float64``). Döndürür: ``(J_Y, J_Z, J_a)``; çarpımları ``J_a @ J_Z @ J_Y``
    (``(1, n)``), ``a.backward()``'ın verdiği ``X.grad``'dır.
    """
    X = torch.as_tensor(X, dtype=torch.float64)
    n = X.numel()
    Y = X - 2
    J_Y = torch.eye(n, dtype=torch.float64)
    J_Z = torch.diag(6 * Y)
    J_a = torch.full((1, n), 1.0 / n, dtype=torch.float64)
    return J_Y, J_Z, J_a


q_w05_e4c = "A"


# --- Egzersiz 5: değişken uzunluklu diziler ---------------------------------------------------


def pad_or_truncate(seqs, L, pad_id=0):
    """Değişken uzunluktaki token dizilerini sabit ``L`` uzunluğa getirir (naif yöntem).

    - ``seqs``: tamsayı listelerinin listesi (token numaraları 1'den başlar; 0 dolgu içindir)
    - ``L``'den kısa dizilerin **sonuna** ``pad_id`` eklenir; uzun dizilerin **ilk** ``L`` token'ı
      tutulur, geri kalanı kesilip atılır.

    Döndürür: ``(ids, mask)``: ``ids`` ``(B, L)`` bir ``torch.long`` tensör, ``mask`` ``(B, L)`` bir
    ``torch.bool`` tensör (gerçek token'larda ``True``, dolguda ``False``).
    """
    ids = torch.full((len(seqs), int(L)), int(pad_id), dtype=torch.long)
    mask = torch.zeros((len(seqs), int(L)), dtype=torch.bool)
    for i, s in enumerate(seqs):
        kept = list(s)[: int(L)]
        if kept:
            ids[i, : len(kept)] = torch.tensor(kept, dtype=torch.long)
            mask[i, : len(kept)] = True
    return ids, mask


def padding_cost(lengths, L):
    """Sabit ``L``'nin bedeli: ``(dolgu_token_sayısı, kesilen_token_sayısı)`` (iki ``int``).

    ``lengths``: dizi uzunluklarının listesi. Kısa bir dizi ``L - uzunluk`` dolgu token'ı ekler,
    uzun bir dizi ``uzunluk - L`` token kaybeder.
    """
    pads = sum(max(int(L) - int(n), 0) for n in lengths)
    cut = sum(max(int(n) - int(L), 0) for n in lengths)
    return pads, cut


def doubling_graph(x):
    """Bölüm 12.8'in dinamik grafiği: ``x``'in bir kopyasını ``requires_grad=True`` yap, ``y = x``,
    sonra ``while y.norm() < 1000: y = y * 2``.

    Döndürür: ``(iterasyon_sayısı, y'nin grafiğindeki MulBackward0 düğümlerinin sayısı)``.
    Grafiği kendin dolaş (``grad_fn`` / ``next_functions``); iki sayı eşit çıkmalı: grafik, döngü
    kaç kez döndüyse o uzunlukta kurulur. ``x``'in normu zaten 1000 ya da büyükse döngü hiç
    dönmez: ``(0, 0)``.
    """
    y = torch.as_tensor(x).detach().clone().requires_grad_(True)
    iterations = 0
    while y.norm() < 1000:
        y = y * 2
        iterations += 1
    muls, seen = 0, set()
    queue = [y.grad_fn] if y.grad_fn is not None else []
    while queue:
        node = queue.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        muls += type(node).__name__ == "MulBackward0"
        queue += [child for child, _ in node.next_functions if child is not None]
    return iterations, muls


def rnn_encode(seq, W, U):
    """En basit RNN: ``h₀ = 0`` (uzunluğu ``h``), her adımda ``h ← tanh(W·h + U·xₜ)``.

    - ``seq``: ``(T, d)`` tensör (``T`` her dizide farklı olabilir),  ``W``: ``(h, h)``,
      ``U``: ``(h, d)``
    - Sıradan bir Python ``for`` döngüsü kullan; ``W`` ve ``U``'yu kopyalama/ayırma (``detach``)
      ki gradyan onlara akabilsin.

    Döndürür: son gizli durum, ``(h,)`` şeklinde tensör.
    """
    h = torch.zeros(W.shape[0], dtype=W.dtype, device=W.device)
    for t in range(seq.shape[0]):
        h = torch.tanh(W @ h + U @ seq[t])
    return h


q_w05_e5d = "B"


# --- Test-side helpers (never injected) --------------------------------------------------------


def _graph_nodes(t):
    """Reference BFS over the autograd graph: node type names, each node once."""
    return grad_fn_names(t)
