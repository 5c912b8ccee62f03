"""Plausible wrong answers for week 5 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``F`` and the other solution definitions already exist); the question named by
the key must then lose hidden points. (q_w05_e5e is graded by hand and has no tests.)
"""

WRONG_ANSWERS = {
    "q_w05_e1a": [
        ("dolgu tek kenara eklenmiş (n + p)", '''
def conv_out_size(n, k, s=1, p=0, d=1):
    return (n + p - d * (k - 1) - 1) // s + 1
'''),
        ("dilation yok sayılmış", '''
def conv_out_size(n, k, s=1, p=0, d=1):
    return (n + 2 * p - k) // s + 1
'''),
        ("taban yerine tavan (ceil)", '''
def conv_out_size(n, k, s=1, p=0, d=1):
    return -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1
'''),
        ("+1 unutulmuş", '''
def conv_out_size(n, k, s=1, p=0, d=1):
    return (n + 2 * p - d * (k - 1) - 1) // s
'''),
    ],
    "q_w05_e1b": [
        ("girdi boyutu da listede", '''
def sizes_through_stack(n, k, layers, padding):
    sizes = [n]
    for _ in range(layers):
        sizes.append(sizes[-1] + 2 * padding - k + 1)
    return sizes
'''),
        ("dolgu yalnızca ilk katmanda", '''
def sizes_through_stack(n, k, layers, padding):
    sizes, size = [], n
    for i in range(layers):
        size = size + (2 * padding if i == 0 else 0) - k + 1
        sizes.append(size)
    return sizes
'''),
        ("dolgu yok sayılmış", '''
def sizes_through_stack(n, k, layers, padding):
    sizes, size = [], n
    for _ in range(layers):
        size = size - k + 1
        sizes.append(size)
    return sizes
'''),
    ],
    "q_w05_e2": [
        ("kanallar ters sırada (c_in, c_out, ...)", '''
def conv2d_weight_shape(c_in, c_out, k):
    kh, kw = (k, k) if isinstance(k, int) else tuple(k)
    return (c_in, c_out, kh, kw)
'''),
        ("bias sayılmamış", '''
def conv2d_num_params(c_in, c_out, k, bias=True):
    return int(np.prod(conv2d_weight_shape(c_in, c_out, k)))
'''),
        ("bias=False yok sayılmış", '''
def conv2d_num_params(c_in, c_out, k, bias=True):
    return int(np.prod(conv2d_weight_shape(c_in, c_out, k))) + c_out
'''),
        ("bias şekli (c_out, 1)", '''
def conv2d_bias_shape(c_out):
    return (c_out, 1)
'''),
        ("demet kernel'de iç içe demet", '''
def conv2d_weight_shape(c_in, c_out, k):
    return (c_out, c_in, k, k)
'''),
    ],
    "q_w05_e3a": [
        ("mean yerine sum", '''
def autograd_example(values):
    X = torch.tensor([float(v) for v in values], dtype=torch.float64, requires_grad=True)
    a = (3 * (X - 2) ** 2).sum()
    a.backward()
    return float(a), X.grad
'''),
        ("1.5 katsayısı ezberlenmiş", '''
def autograd_example(values):
    X = torch.tensor([float(v) for v in values], dtype=torch.float64)
    a = (3 * (X - 2) ** 2).mean()
    return float(a), 1.5 * (X - 2)
'''),
        ("float'a çevrilmemiş (tamsayı girdide hata)", '''
def autograd_example(values):
    X = torch.tensor(values, requires_grad=True)
    a = (3 * (X - 2) ** 2).mean()
    a.backward()
    return float(a), X.grad
'''),
    ],
    "q_w05_e3b": [
        ("autograd ile (kural: elle türet)", '''
def manual_grad(values):
    X = torch.tensor([float(v) for v in values], dtype=torch.float64, requires_grad=True)
    (3 * (X - 2) ** 2).mean().backward()
    return X.grad
'''),
        ("1.5 ezberlenmiş", '''
def manual_grad(values):
    x = torch.tensor([float(v) for v in values], dtype=torch.float64)
    return 1.5 * (x - 2)
'''),
        ("kuvvetin 2'si unutulmuş", '''
def manual_grad(values):
    x = torch.tensor([float(v) for v in values], dtype=torch.float64)
    return 3 * (x - 2) / x.numel()
'''),
        ("1/n unutulmuş", '''
def manual_grad(values):
    x = torch.tensor([float(v) for v in values], dtype=torch.float64)
    return 6 * (x - 2)
'''),
    ],
    "q_w05_e4a": [
        ("düğümler tekilleştirilmemiş", '''
def grad_fn_names(t):
    names, queue = [], [t.grad_fn] if t.grad_fn is not None else []
    while queue:
        node = queue.pop(0)
        names.append(type(node).__name__)
        queue += [c for c, _ in node.next_functions if c is not None]
    return names
'''),
        ("ada göre tekilleştirilmiş", '''
def grad_fn_names(t):
    names, queue = [], [t.grad_fn] if t.grad_fn is not None else []
    while queue:
        node = queue.pop(0)
        if type(node).__name__ not in names:
            names.append(type(node).__name__)
        queue += [c for c, _ in node.next_functions if c is not None]
    return names
'''),
        ("AccumulateGrad atlanmış", '''
def grad_fn_names(t):
    names, seen = [], set()
    queue = [t.grad_fn] if t.grad_fn is not None else []
    while queue:
        node = queue.pop(0)
        if id(node) in seen or type(node).__name__ == "AccumulateGrad":
            continue
        seen.add(id(node))
        names.append(type(node).__name__)
        queue += [c for c, _ in node.next_functions if c is not None]
    return names
'''),
    ],
    "q_w05_e4b": [
        ("J_Z'de türevin 2'si unutulmuş", '''
def local_jacobians(X):
    X = torch.as_tensor(X, dtype=torch.float64)
    n = X.numel()
    return torch.eye(n, dtype=torch.float64), torch.diag(3 * (X - 2)), torch.full((1, n), 1.0 / n, dtype=torch.float64)
'''),
        ("J_Z = diag(6X): -2 unutulmuş", '''
def local_jacobians(X):
    X = torch.as_tensor(X, dtype=torch.float64)
    n = X.numel()
    return torch.eye(n, dtype=torch.float64), torch.diag(6 * X), torch.full((1, n), 1.0 / n, dtype=torch.float64)
'''),
        ("J_a sütun vektörü (n, 1)", '''
def local_jacobians(X):
    X = torch.as_tensor(X, dtype=torch.float64)
    n = X.numel()
    return torch.eye(n, dtype=torch.float64), torch.diag(6 * (X - 2)), torch.full((n, 1), 1.0 / n, dtype=torch.float64)
'''),
        ("J_Y birler matrisi", '''
def local_jacobians(X):
    X = torch.as_tensor(X, dtype=torch.float64)
    n = X.numel()
    return torch.ones(n, n, dtype=torch.float64), torch.diag(6 * (X - 2)), torch.full((1, n), 1.0 / n, dtype=torch.float64)
'''),
    ],
    "q_w05_e4c": [
        ("B: sayısal gradyan saklar", 'q_w05_e4c = "B"\n'),
        ("C: optimizer adımı", 'q_w05_e4c = "C"\n'),
    ],
    "q_w05_e5a": [
        ("son L token tutulmuş", '''
def pad_or_truncate(seqs, L, pad_id=0):
    ids = torch.full((len(seqs), L), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), L), dtype=torch.bool)
    for i, s in enumerate(seqs):
        kept = list(s)[-L:] if len(s) > L else list(s)
        if kept:
            ids[i, :len(kept)] = torch.tensor(kept)
            mask[i, :len(kept)] = True
    return ids, mask
'''),
        ("maske ters (dolguda True)", '''
def pad_or_truncate(seqs, L, pad_id=0):
    ids = torch.full((len(seqs), L), pad_id, dtype=torch.long)
    mask = torch.ones((len(seqs), L), dtype=torch.bool)
    for i, s in enumerate(seqs):
        kept = list(s)[:L]
        if kept:
            ids[i, :len(kept)] = torch.tensor(kept)
            mask[i, :len(kept)] = False
    return ids, mask
'''),
        ("dolgu başa eklenmiş", '''
def pad_or_truncate(seqs, L, pad_id=0):
    ids = torch.full((len(seqs), L), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), L), dtype=torch.bool)
    for i, s in enumerate(seqs):
        kept = list(s)[:L]
        if kept:
            ids[i, L - len(kept):] = torch.tensor(kept)
            mask[i, L - len(kept):] = True
    return ids, mask
'''),
        ("padding_cost sırası ters", '''
def padding_cost(lengths, L):
    return sum(max(n - L, 0) for n in lengths), sum(max(L - n, 0) for n in lengths)
'''),
    ],
    "q_w05_e5b": [
        ("ders kitabındaki gibi önce bir kez çarpılmış (do-while)", '''
def doubling_graph(x):
    xr = torch.as_tensor(x).detach().clone().requires_grad_(True)
    y, iterations = xr * 2, 1
    while y.norm() < 1000:
        y, iterations = y * 2, iterations + 1
    muls, node = 0, y.grad_fn
    while node is not None:
        muls += type(node).__name__ == "MulBackward0"
        node = node.next_functions[0][0] if node.next_functions else None
    return iterations, muls
'''),
        ("bütün düğümler sayılmış (AccumulateGrad da)", '''
def doubling_graph(x):
    y = torch.as_tensor(x).detach().clone().requires_grad_(True)
    iterations = 0
    while y.norm() < 1000:
        y, iterations = y * 2, iterations + 1
    count, node = 0, y.grad_fn
    while node is not None:
        count += 1
        node = node.next_functions[0][0] if node.next_functions else None
    return iterations, count
'''),
        ("requires_grad unutulmuş (grafik yok)", '''
def doubling_graph(x):
    y = torch.as_tensor(x).detach().clone()
    iterations = 0
    while y.norm() < 1000:
        y, iterations = y * 2, iterations + 1
    muls, node = 0, y.grad_fn
    while node is not None:
        muls += type(node).__name__ == "MulBackward0"
        node = node.next_functions[0][0] if node.next_functions else None
    return iterations, muls
'''),
        ("koşulda <= (1000'de de çarpıyor)", '''
def doubling_graph(x):
    y = torch.as_tensor(x).detach().clone().requires_grad_(True)
    iterations = 0
    while y.norm() <= 1000:
        y, iterations = y * 2, iterations + 1
    return iterations, iterations
'''),
    ],
    "q_w05_e5c": [
        ("W transpoz", '''
def rnn_encode(seq, W, U):
    h = torch.zeros(W.shape[0], dtype=W.dtype)
    for t in range(seq.shape[0]):
        h = torch.tanh(W.T @ h + U @ seq[t])
    return h
'''),
        ("tanh yok", '''
def rnn_encode(seq, W, U):
    h = torch.zeros(W.shape[0], dtype=W.dtype)
    for t in range(seq.shape[0]):
        h = W @ h + U @ seq[t]
    return h
'''),
        ("h her adımda detach (gradyan yalnız son adımdan)", '''
def rnn_encode(seq, W, U):
    h = torch.zeros(W.shape[0], dtype=W.dtype)
    for t in range(seq.shape[0]):
        h = torch.tanh(W @ h.detach() + U @ seq[t])
    return h
'''),
        ("bütün gizli durumlar döndürülmüş (T, h)", '''
def rnn_encode(seq, W, U):
    h, hs = torch.zeros(W.shape[0], dtype=W.dtype), []
    for t in range(seq.shape[0]):
        h = torch.tanh(W @ h + U @ seq[t])
        hs.append(h)
    return torch.stack(hs)
'''),
    ],
    "q_w05_e5d": [
        ("A: dolgu bedava", 'q_w05_e5d = "A"\n'),
        ("C: dinamik grafik hep hızlı", 'q_w05_e5d = "C"\n'),
    ],
}
