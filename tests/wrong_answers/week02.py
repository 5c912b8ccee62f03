"""Plausible wrong answers for week 2 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``F``, ``copy`` and the other solution definitions already exist); the question
named by the key must then lose hidden points.
"""

_TRAIN_SPIRAL_HEAD = '''
def train_spiral(model, X, y, epochs=1000, lr=1.0):
    dev = next(model.parameters()).device
    X, y = X.to(dev), y.to(dev)
    criterion = nn.CrossEntropyLoss()
'''

WRONG_ANSWERS = {
    "q_w02_e1a": [
        ("en büyük değer çıkarılmamış (taşma)", '''
def softmax(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)
'''),
        ("kitaptaki 1-B kod 2-B girdiye aynen uygulanmış (bütün tablo tek dağılım)", '''
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()
'''),
        ("yanlış eksen (sütunlar üzerinde softmax)", '''
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
'''),
        ("satır satır toplam ama tek bir genel en büyük değer", '''
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)
'''),
    ],
    "q_w02_e1b": [
        ("kitaptaki -log(p[c]) (küçük olasılıkta log(0))", '''
def cross_entropy(z, c):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return float(-np.log((e / e.sum())[c]))
'''),
        ("batch'te ortalama yerine toplam", '''
def cross_entropy_batch(Z, y):
    Z = np.asarray(Z, dtype=float); y = np.asarray(y).astype(int)
    m = Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z - m).sum(axis=1)) + m[:, 0]
    return float(np.sum(lse - Z[np.arange(Z.shape[0]), y]))
'''),
        ("Z[:, y] ile indeksleme (B×B tablo)", '''
def cross_entropy_batch(Z, y):
    Z = np.asarray(Z, dtype=float); y = np.asarray(y).astype(int)
    m = Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z - m).sum(axis=1)) + m[:, 0]
    return float(np.mean(lse[:, None] - Z[:, y]))
'''),
        ("çıkarılan m geri eklenmemiş", '''
def cross_entropy(z, c):
    z = np.asarray(z, dtype=float)
    m = z.max()
    return float(-z[c] + np.log(np.exp(z - m).sum()))
'''),
        ("eksi işareti unutulmuş (log p)", '''
def cross_entropy(z, c):
    z = np.asarray(z, dtype=float)
    m = z.max()
    return float((z[c] - m) - np.log(np.exp(z - m).sum()))
'''),
    ],
    "q_w02_e2a": [
        ("ReLU unutulmuş", '''
def build_spiral_net():
    return nn.Sequential(nn.Linear(2, 100), nn.Linear(100, 5))
'''),
        ("gizli katman 50 nöron", '''
def build_spiral_net():
    return nn.Sequential(nn.Linear(2, 50), nn.ReLU(), nn.Linear(50, 5))
'''),
        ("sona Softmax eklenmiş", '''
def build_spiral_net():
    return nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 5), nn.Softmax(dim=1))
'''),
        ("ReLU yerine Sigmoid", '''
def build_spiral_net():
    return nn.Sequential(nn.Linear(2, 100), nn.Sigmoid(), nn.Linear(100, 5))
'''),
    ],
    "q_w02_e2b": [
        ("zero_grad unutulmuş", _TRAIN_SPIRAL_HEAD + '''
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''),
        ("lr argümanı yok sayılmış (kitaptaki 0.1)", _TRAIN_SPIRAL_HEAD + '''
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(epochs):
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''),
        ("kayıp adımdan sonra ölçülmüş", _TRAIN_SPIRAL_HEAD + '''
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(criterion(model(X), y).item())
    return losses
'''),
        ("SGD yerine Adam", _TRAIN_SPIRAL_HEAD + '''
    optimizer = torch.optim.Adam(model.parameters(), lr=lr * 1e-2)
    losses = []
    for _ in range(epochs):
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''),
        ("modelin kopyası eğitilmiş (yerinde değil)", '''
def train_spiral(model, X, y, epochs=1000, lr=1.0):
    m = copy.deepcopy(model)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(m.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = criterion(m(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''),
    ],
    "q_w02_e2c": [
        ("D: ReLU'lu ağ kadar iyi", 'q_w02_e2c = "D"\n'),
        ("A: şans seviyesi", 'q_w02_e2c = "A"\n'),
        ("aktivasyonsuz ağa ReLU konmuş", '''
def build_linear_net():
    return nn.Sequential(nn.Linear(2, 100), nn.ReLU(), nn.Linear(100, 5))
'''),
    ],
    "q_w02_e3a": [
        ("her backward'dan önce sıfırlanmış (birikim yok)", '''
def accumulated_grad(model, X, y, k):
    for _ in range(k):
        model.zero_grad()
        F.cross_entropy(model(X), y).backward()
    return model[0].weight.grad.detach().clone()
'''),
        ("ortalama alınmış (k'ya bölünmüş)", '''
def accumulated_grad(model, X, y, k):
    model.zero_grad()
    for _ in range(k):
        F.cross_entropy(model(X), y).backward()
    return model[0].weight.grad.detach().clone() / k
'''),
        ("başta sıfırlama unutulmuş (önceki çağrının gradyanı kalıyor)", '''
def accumulated_grad(model, X, y, k):
    for _ in range(k):
        F.cross_entropy(model(X), y).backward()
    return model[0].weight.grad.detach().clone()
'''),
        ("son katmanın gradyanı döndürülmüş", '''
def accumulated_grad(model, X, y, k):
    model.zero_grad()
    for _ in range(k):
        F.cross_entropy(model(X), y).backward()
    return model[-1].weight.grad.detach().clone()
'''),
    ],
    "q_w02_e3b": [
        ("zero_grad bayrağı yok sayılmış (hep sıfırlıyor)", '''
def train_full_batch(model, X, y, epochs, lr, zero_grad=True):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''),
        ("zero_grad backward ile step arasına konmuş (gradyan hep sıfır)", '''
def train_full_batch(model, X, y, epochs, lr, zero_grad=True):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        if zero_grad:
            optimizer.zero_grad()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''),
        ("bayrak ters çevrilmiş", '''
def train_full_batch(model, X, y, epochs, lr, zero_grad=True):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        if not zero_grad:
            optimizer.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''),
    ],
    "q_w02_e3c": [
        ("zero_grad bayrağı yok sayılmış", '''
def train_minibatch(model, X, y, epochs, lr, batch_size, seed, zero_grad=True):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            optimizer.zero_grad()
            F.cross_entropy(model(X[idx]), y[idx]).backward()
            optimizer.step()
        with torch.no_grad():
            losses.append(F.cross_entropy(model(X), y).item())
    return losses
'''),
        ("bütün veri yerine son mini-batch'in kaybı", '''
def train_minibatch(model, X, y, epochs, lr, batch_size, seed, zero_grad=True):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            if zero_grad:
                optimizer.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
    return losses
'''),
        ("karıştırma yok (hep aynı sıra)", '''
def train_minibatch(model, X, y, epochs, lr, batch_size, seed, zero_grad=True):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        for i in range(0, n, batch_size):
            if zero_grad:
                optimizer.zero_grad()
            F.cross_entropy(model(X[i:i + batch_size]), y[i:i + batch_size]).backward()
            optimizer.step()
        with torch.no_grad():
            losses.append(F.cross_entropy(model(X), y).item())
    return losses
'''),
        ("seed yok sayılmış (genel RNG ile randperm)", '''
def train_minibatch(model, X, y, epochs, lr, batch_size, seed, zero_grad=True):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        perm = torch.randperm(n)
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            if zero_grad:
                optimizer.zero_grad()
            F.cross_entropy(model(X[idx]), y[idx]).backward()
            optimizer.step()
        with torch.no_grad():
            losses.append(F.cross_entropy(model(X), y).item())
    return losses
'''),
    ],
    "q_w02_e3d": [
        ("A: yalnızca son gradyan", 'q_w02_e3d = "A"\n'),
        ("B: ortalama", 'q_w02_e3d = "B"\n'),
    ],
    "q_w02_e4a": [
        ("sınıflar üzerinde toplam (yalnızca B'ye bölünmüş)", '''
def mse_onehot_loss(logits, y, num_classes):
    p = torch.softmax(logits, dim=1)
    return ((p - F.one_hot(y, num_classes).float()) ** 2).sum(dim=1).mean()
'''),
        ("softmax'siz, ham logit'lere MSE", '''
def mse_onehot_loss(logits, y, num_classes):
    return F.mse_loss(logits, F.one_hot(y, num_classes).to(logits.dtype))
'''),
        ("softmax yanlış eksende (dim=0)", '''
def mse_onehot_loss(logits, y, num_classes):
    return F.mse_loss(torch.softmax(logits, dim=0), F.one_hot(y, num_classes).to(logits.dtype))
'''),
    ],
    "q_w02_e4b": [
        ("iki ağ ayrı ayrı başlatılmış (aynı başlangıç değil)", '''
def compare_losses(X, y, epochs=300, lr=1.0, seed=0):
    torch.manual_seed(seed)
    model_ce = build_spiral_net()
    model_mse = build_spiral_net()
    out = {}
    for key, model, fn in (("ce", model_ce, F.cross_entropy),
                           ("mse", model_mse, lambda z, t: mse_onehot_loss(z, t, 5))):
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        losses = []
        for _ in range(epochs):
            opt.zero_grad()
            loss = fn(model(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out[key] = (losses, model)
    return out
'''),
        ("MSE ham logit'lere uygulanmış", '''
def compare_losses(X, y, epochs=300, lr=1.0, seed=0):
    torch.manual_seed(seed)
    model_ce = build_spiral_net()
    model_mse = copy.deepcopy(model_ce)
    out = {}
    for key, model, fn in (("ce", model_ce, F.cross_entropy),
                           ("mse", model_mse, lambda z, t: F.mse_loss(z, F.one_hot(t, 5).float()))):
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        losses = []
        for _ in range(epochs):
            opt.zero_grad()
            loss = fn(model(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out[key] = (losses, model)
    return out
'''),
        ("SGD yerine Adam (lr = 0.01)", '''
def compare_losses(X, y, epochs=300, lr=1.0, seed=0):
    torch.manual_seed(seed)
    model_ce = build_spiral_net()
    model_mse = copy.deepcopy(model_ce)
    out = {}
    for key, model, fn in (("ce", model_ce, F.cross_entropy),
                           ("mse", model_mse, lambda z, t: mse_onehot_loss(z, t, 5))):
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        losses = []
        for _ in range(epochs):
            opt.zero_grad()
            loss = fn(model(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out[key] = (losses, model)
    return out
'''),
    ],
    "q_w02_e4c": [
        ("MSE sınıflar üzerinde toplanmış (K kat büyük)", '''
def logit_grads(z, c):
    z = torch.as_tensor(z).detach()
    K = z.shape[0]
    a = z.clone().requires_grad_(True)
    F.cross_entropy(a[None], torch.tensor([c])).backward()
    b = z.clone().requires_grad_(True)
    ((torch.softmax(b, 0) - F.one_hot(torch.tensor(c), K).to(b.dtype)) ** 2).sum().backward()
    return a.grad, b.grad
'''),
        ("CE gradyanı onehot − p (işaret ters)", '''
def logit_grads(z, c):
    z = torch.as_tensor(z).detach()
    K = z.shape[0]
    p = torch.softmax(z, 0)
    b = z.clone().requires_grad_(True)
    mse_onehot_loss(b[None], torch.tensor([c]), K).backward()
    return F.one_hot(torch.tensor(c), K).to(z.dtype) - p, b.grad
'''),
        ("MSE softmax'siz, ham logit'lere", '''
def logit_grads(z, c):
    z = torch.as_tensor(z).detach()
    K = z.shape[0]
    a = z.clone().requires_grad_(True)
    F.cross_entropy(a[None], torch.tensor([c])).backward()
    b = z.clone().requires_grad_(True)
    F.mse_loss(b, F.one_hot(torch.tensor(c), K).to(b.dtype)).backward()
    return a.grad, b.grad
'''),
    ],
    "q_w02_e4d": [
        ("B: MSE türevlenemez", 'q_w02_e4d = "B"\n'),
        ("C: CE her zaman daha hızlı", 'q_w02_e4d = "C"\n'),
    ],
    "q_w02_e5a": [
        ("bias unutulmuş", '''
def fc_first_layer_params(H, W, C, n_hidden, bias=True):
    return H * W * C * n_hidden
'''),
        ("kanal sayısı unutulmuş", '''
def flatten_dim(H, W, C):
    return H * W

def fc_first_layer_params(H, W, C, n_hidden, bias=True):
    return H * W * n_hidden + (n_hidden if bias else 0)
'''),
        ("bias sayısı girdi boyutu kadar sanılmış", '''
def fc_first_layer_params(H, W, C, n_hidden, bias=True):
    n_in = H * W * C
    return n_in * n_hidden + (n_in if bias else 0)
'''),
        ("32-bit NumPy çarpımı (taşma)", '''
def fc_first_layer_params(H, W, C, n_hidden, bias=True):
    n = np.int32(H) * np.int32(W) * np.int32(C) * np.int32(n_hidden)
    return n + (np.int32(n_hidden) if bias else np.int32(0))
'''),
    ],
    "q_w02_e5b": [
        ("yalnızca B", 'q_w02_e5b = {"B"}\n'),
        ("A da seçilmiş", 'q_w02_e5b = {"A", "B", "D"}\n'),
        ("C de seçilmiş", 'q_w02_e5b = {"B", "C", "D"}\n'),
    ],
    "q_w02_e5c": [
        ("ters permütasyon kullanılmış", '''
def permute_first_layer(model, perm):
    new = copy.deepcopy(model)
    inv = torch.argsort(perm)
    with torch.no_grad():
        new[0].weight.copy_(model[0].weight[:, inv])
    return new
'''),
        ("verilen model yerinde değiştirilmiş", '''
def permute_first_layer(model, perm):
    with torch.no_grad():
        model[0].weight.copy_(model[0].weight[:, perm].clone())
    return model
'''),
        ("satırlar karıştırılmış (W[perm], yalnızca kare ağırlıkta çalışır)", '''
def permute_first_layer(model, perm):
    new = copy.deepcopy(model)
    with torch.no_grad():
        new[0].weight.copy_(model[0].weight[perm])
    return new
'''),
    ],
}
