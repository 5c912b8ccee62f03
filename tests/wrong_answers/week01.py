"""Plausible wrong answers for week 1 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn`` and the other solution definitions already exist); the question named by the key
must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w01_e1a": [
        ("bias unutulmuş", '''
def perceptron(x, w, b, g=sigmoid):
    return g(np.dot(x, w))
'''),
        ("aktivasyon uygulanmamış", '''
def perceptron(x, w, b, g=sigmoid):
    return np.dot(x, w) + b
'''),
        ("verilen g yerine hep sigmoid", '''
def perceptron(x, w, b, g=sigmoid):
    return sigmoid(np.dot(x, w) + b)
'''),
        ("sigmoid'de işaret hatası", '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(z))
'''),
    ],
    "q_w01_e1b": [
        ("grup çıktısı (n, 1) şeklinde (squeeze unutulmuş)", '''
def perceptron_torch(x, w, b):
    x_t = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    layer = nn.Linear(len(w), 1)
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(np.asarray(w), dtype=torch.float32).reshape(1, -1))
        layer.bias.fill_(float(b))
        out = torch.sigmoid(layer(x_t))
    return out.numpy(), layer
'''),
        ("bias kopyalanmamış (rastgele başlangıç bias'ı kalmış)", '''
def perceptron_torch(x, w, b):
    x_t = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    layer = nn.Linear(len(w), 1)
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(np.asarray(w), dtype=torch.float32).reshape(1, -1))
    with torch.no_grad():
        out = torch.sigmoid(layer(x_t)).squeeze(-1)
    return out.numpy(), layer
'''),
        ("sigmoid unutulmuş", '''
def perceptron_torch(x, w, b):
    x_t = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    layer = nn.Linear(len(w), 1)
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(np.asarray(w), dtype=torch.float32).reshape(1, -1))
        layer.bias.fill_(float(b))
        out = layer(x_t).squeeze(-1)
    return out.numpy(), layer
'''),
        ("çıktı doğru ama katmana w kopyalanmamış (sonuç elle hesaplanmış)", '''
def perceptron_torch(x, w, b):
    x_t = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    w_t = torch.as_tensor(np.asarray(w), dtype=torch.float32)
    layer = nn.Linear(len(w), 1)
    out = torch.sigmoid(x_t @ w_t + float(b))
    return out.numpy(), layer
'''),
    ],
    "q_w01_e2a": [
        ("bias'lar yok sayılmış", '''
def collapse(l1, l2):
    out = nn.Linear(l1.in_features, l2.out_features, bias=False)
    with torch.no_grad():
        out.weight.copy_(l2.weight @ l1.weight)
    return out
'''),
        ("bias = b1 + b2 (W2 ile çarpılmamış)", '''
def collapse(l1, l2):
    out = nn.Linear(l1.in_features, l2.out_features)
    with torch.no_grad():
        out.weight.copy_(l2.weight @ l1.weight)
        b = torch.zeros(l2.out_features)
        if l1.bias is not None:
            b = b + l1.bias.sum()
        if l2.bias is not None:
            b = b + l2.bias
        out.bias.copy_(b)
    return out
'''),
        ("l2 yerinde değiştirilip döndürülmüş", '''
def collapse(l1, l2):
    with torch.no_grad():
        b1 = torch.zeros(l1.out_features) if l1.bias is None else l1.bias.clone()
        if l2.bias is not None:
            l2.bias.copy_(l2.weight @ b1 + l2.bias)
        l2.weight = nn.Parameter(l2.weight @ l1.weight)
        l2.in_features = l1.in_features
    return l2
'''),
        ("ağırlık transpoz (satır düzeni karışmış): W1ᵀ W2ᵀ", '''
def collapse(l1, l2):
    has_bias = l1.bias is not None or l2.bias is not None
    out = nn.Linear(l1.in_features, l2.out_features, bias=has_bias)
    with torch.no_grad():
        out.weight.copy_(l1.weight.T @ l2.weight.T)
        if has_bias:
            b = torch.zeros(l2.out_features)
            if l1.bias is not None:
                b = b + l2.weight @ l1.bias
            if l2.bias is not None:
                b = b + l2.bias
            out.bias.copy_(b)
    return out
'''),
    ],
    "q_w01_e2b": [
        ("A: her sürekli fonksiyon", 'q_w01_e2b = "A"\n'),
        ("D: eğri karar sınırları", 'q_w01_e2b = "D"\n'),
    ],
    "q_w01_e3a": [
        ("X @ A (transpoz unutulmuş)", '''
def transform(X, A):
    return X @ A
'''),
        ("A @ X.T (sütun düzeni, şekil (2, n))", '''
def transform(X, A):
    return A @ X.T
'''),
    ],
    "q_w01_e3b": [
        ("öz değerlerin mutlak değeri", '''
def singular_values(A):
    ev = torch.linalg.eigvals(A).abs()
    return torch.sort(ev, descending=True).values
'''),
        ("küçükten büyüğe sıralı", '''
def singular_values(A):
    return torch.linalg.svd(A).S.flip(0)
'''),
        ("tekil değerlerin karesi (AᵀA'nın öz değerleri)", '''
def singular_values(A):
    return torch.linalg.svd(A).S ** 2
'''),
    ],
    "q_w01_e3c": [
        ("Vh yerine V kullanılmış", '''
def squash(A, s_min):
    U, S, Vh = torch.linalg.svd(A)
    return U @ torch.diag(torch.stack([S[0], torch.as_tensor(s_min, dtype=S.dtype)])) @ Vh.T
'''),
        ("büyük tekil değer ezilmiş", '''
def squash(A, s_min):
    U, S, Vh = torch.linalg.svd(A)
    return U @ torch.diag(torch.stack([torch.as_tensor(s_min, dtype=S.dtype), S[1]])) @ Vh
'''),
        ("s_min yok sayılmış (hep 0)", '''
def squash(A, s_min):
    U, S, Vh = torch.linalg.svd(A)
    return U @ torch.diag(torch.stack([S[0], torch.zeros((), dtype=S.dtype)])) @ Vh
'''),
    ],
    "q_w01_e3d": [
        ("sqrt(n) ile bölünmüş (n − 1 değil)", '''
def principal_stds(Y):
    Y = torch.as_tensor(Y)
    return torch.linalg.svdvals(Y - Y.mean(0)) / Y.shape[0] ** 0.5
'''),
        ("merkezleme unutulmuş", '''
def principal_stds(Y):
    return torch.linalg.svdvals(Y) / (Y.shape[0] - 1) ** 0.5
'''),
        ("koordinat bazında std (ana eksenler değil)", '''
def principal_stds(Y):
    return torch.sort(Y.std(dim=0), descending=True).values
'''),
        ("sqrt(n-1)'e bölünmemiş", '''
def principal_stds(Y):
    return torch.linalg.svdvals(Y - Y.mean(0))
'''),
    ],
    "q_w01_e4a": [
        ("activation bayrağı yok sayılmış (hep ReLU)", '''
def build_net(activation, hidden=32):
    return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, 2))
'''),
        ("yalnızca bir ReLU", '''
def build_net(activation, hidden=32):
    act = [nn.ReLU()] if activation else []
    return nn.Sequential(nn.Linear(2, hidden), *act, nn.Linear(hidden, hidden), nn.Linear(hidden, 2))
'''),
        ("orta katman unutulmuş (2 → h → 2)", '''
def build_net(activation, hidden=32):
    act = [nn.ReLU()] if activation else []
    return nn.Sequential(nn.Linear(2, hidden), *act, nn.Linear(hidden, 2))
'''),
        ("ReLU yerine Sigmoid", '''
def build_net(activation, hidden=32):
    if activation:
        return nn.Sequential(nn.Linear(2, hidden), nn.Sigmoid(), nn.Linear(hidden, hidden), nn.Sigmoid(),
                             nn.Linear(hidden, 2))
    return nn.Sequential(nn.Linear(2, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, 2))
'''),
    ],
    "q_w01_e4b": [
        ("zero_grad unutulmuş", '''
def train_classifier(model, X, y, epochs=300, lr=1e-2):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
        ("Adam yerine SGD", '''
def train_classifier(model, X, y, epochs=300, lr=1e-2):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
        ("lr argümanı yok sayılmış (sabit 1e-2)", '''
def train_classifier(model, X, y, epochs=300, lr=1e-2):
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
        ("kayıp adımdan sonra ölçülmüş", '''
def train_classifier(model, X, y, epochs=300, lr=1e-2):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            losses.append(loss_fn(model(X), y).item())
    return losses
'''),
        ("modelin bir kopyası eğitilmiş (yerinde değil)", '''
def train_classifier(model, X, y, epochs=300, lr=1e-2):
    import copy
    m = copy.deepcopy(model)
    opt = torch.optim.Adam(m.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(m(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
'''),
    ],
    "q_w01_e4c": [
        ("A: eğitim yakınsamadı", 'q_w01_e4c = "A"\n'),
        ("C: gürültü", 'q_w01_e4c = "C"\n'),
    ],
    "q_w01_e5a": [
        ("gd_path'te w0 unutulmuş (uzunluk steps)", '''
def gd_path(eta, steps=50, w0=10.0):
    w, path = float(w0), []
    for _ in range(steps):
        w = w - eta * 2 * (w - 3)
        path.append(w)
    return path
'''),
        ("gd'de bir adım eksik (range(steps - 1))", '''
def gd(eta, steps=50, w0=10.0):
    w = w0
    for _ in range(steps - 1):
        w = w - eta * 2 * (w - 3)
    return w
'''),
        ("gradyanda 2 çarpanı unutulmuş", '''
def gd(eta, steps=50, w0=10.0):
    w = w0
    for _ in range(steps):
        w = w - eta * (w - 3)
    return w
'''),
        ("gradient ascent (işaret hatası) — gd_path", '''
def gd_path(eta, steps=50, w0=10.0):
    w = float(w0)
    path = [w]
    for _ in range(steps):
        w = w + eta * 2 * (w - 3)
        path.append(w)
    return path
'''),
    ],
    "q_w01_e5b": [
        ("autograd ile hesaplanmış (kural: elle türet)", '''
def neuron_grads(x, y, w, b):
    W = torch.tensor(float(w), dtype=torch.float64, requires_grad=True)
    B = torch.tensor(float(b), dtype=torch.float64, requires_grad=True)
    ((torch.sigmoid(W * x + B) - y) ** 2).backward()
    return W.grad.item(), B.grad.item()
'''),
        ("sigmoid türevi unutulmuş", '''
def neuron_grads(x, y, w, b):
    y_hat = 1.0 / (1.0 + np.exp(-(w * x + b)))
    return float(2 * (y_hat - y) * x), float(2 * (y_hat - y))
'''),
        ("L = ½(ŷ − y)² sanılmış (2 çarpanı yok)", '''
def neuron_grads(x, y, w, b):
    y_hat = 1.0 / (1.0 + np.exp(-(w * x + b)))
    d = (y_hat - y) * y_hat * (1 - y_hat)
    return float(d * x), float(d)
'''),
        ("dL/dw'de x unutulmuş", '''
def neuron_grads(x, y, w, b):
    y_hat = 1.0 / (1.0 + np.exp(-(w * x + b)))
    d = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return float(d), float(d)
'''),
        ("sıra ters: (dL/db, dL/dw)", '''
def neuron_grads(x, y, w, b):
    y_hat = 1.0 / (1.0 + np.exp(-(w * x + b)))
    d = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return float(d), float(d * x)
'''),
    ],
    "q_w01_e5c": [
        ("yalnızca tam 3'e ulaşan", "converged_etas = {0.5}\n"),
        ("salınarak yakınsayan 0.9 unutulmuş", "converged_etas = {0.1, 0.5}\n"),
        ("η < 1 olan her şey", "converged_etas = {0.01, 0.1, 0.5, 0.9}\n"),
    ],
}
