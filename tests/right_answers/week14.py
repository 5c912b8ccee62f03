"""Correct answers that look different from the reference, for week 14 (issue 15, item 2).

Format as in ``tests/wrong_answers/weekNN.py``: ``RIGHT_ANSWERS = {question: [(label, code), ...]}``;
each snippet replaces one solution definition and its question must keep full marks.
"""

RIGHT_ANSWERS = {
    "q_w14_e1c": [
        ("notlardaki kodun sayımı: T·S² (iki fonksiyonda tutarlı)", '''
def eval_counts(T, S):
    return S ** T, T * S ** 2

def crossover_T(S):
    T = 2
    while S ** T <= T * S ** 2:
        T += 1
    return T
'''),
        ("(T − 1)·S², liste döndürür, kesişim for döngüsüyle", '''
def eval_counts(T, S):
    return [int(S) ** int(T), (int(T) - 1) * int(S) ** 2]

def crossover_T(S):
    for T in range(2, 1000):
        if S ** T > (T - 1) * S ** 2:
            return T
'''),
    ],
    "q_w14_e4c": [
        ("L1 için F.softshrink, L2 için ayrı ceza terimi", '''
def train_digits_mlp(X, y, reg, lam=5e-3, epochs=20, lr=0.05, batch_size=128, seed=0):
    import torch.nn.functional as F
    X = torch.as_tensor(X).float()
    y = torch.as_tensor(y).long()
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    g = torch.Generator()
    g.manual_seed(seed)
    for epoch in range(epochs):
        order = torch.randperm(len(X), generator=g)
        for i in range(0, len(X), batch_size):
            b = order[i:i + batch_size]
            out = model(X[b])
            loss = crit(out, y[b])
            if reg == "l2":
                loss = loss + lam / 2 * model[0].weight.pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if reg == "l1":
                with torch.no_grad():
                    model[0].weight.data = F.softshrink(model[0].weight.data, lr * lam)
    return model
'''),
    ],
}
