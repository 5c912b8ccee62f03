"""Plausible wrong answers for week 4 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``F``, ``copy`` and the other solution definitions already exist); the question
named by the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w04_e1a": [
        ("kernel ters çevrilmiş (gerçek convolution, conv1d değil)", '''
def toeplitz_matrix(w, n, stride=1, padding=0):
    w = torch.as_tensor(np.asarray(w, dtype=np.float64)).flatten().flip(0)
    k, n_pad = w.numel(), n + 2 * padding
    rows = (n_pad - k) // stride + 1
    T = torch.zeros(rows, n_pad, dtype=torch.float64)
    for i in range(rows):
        T[i, i * stride:i * stride + k] = w
    return T[:, padding:padding + n]
'''),
        ("stride satır sayısında var ama kernel i'inci sütundan başlıyor (i*s değil)", '''
def toeplitz_matrix(w, n, stride=1, padding=0):
    w = torch.as_tensor(np.asarray(w, dtype=np.float64)).flatten()
    k, n_pad = w.numel(), n + 2 * padding
    rows = (n_pad - k) // stride + 1
    T = torch.zeros(rows, n_pad, dtype=torch.float64)
    for i in range(rows):
        T[i, i:i + k] = w
    return T[:, padding:padding + n]
'''),
        ("dolgu sütunları atılmamış (şekil (o, n + 2p))", '''
def toeplitz_matrix(w, n, stride=1, padding=0):
    w = torch.as_tensor(np.asarray(w, dtype=np.float64)).flatten()
    k, n_pad = w.numel(), n + 2 * padding
    rows = (n_pad - k) // stride + 1
    T = torch.zeros(rows, n_pad, dtype=torch.float64)
    for i in range(rows):
        T[i, i * stride:i * stride + k] = w
    return T
'''),
        ("dolgu yok sayılmış (padding hiç kullanılmamış)", '''
def toeplitz_matrix(w, n, stride=1, padding=0):
    w = torch.as_tensor(np.asarray(w, dtype=np.float64)).flatten()
    k = w.numel()
    rows = (n - k) // stride + 1
    T = torch.zeros(rows, n, dtype=torch.float64)
    for i in range(rows):
        T[i, i * stride:i * stride + k] = w
    return T
'''),
    ],
    "q_w04_e1b": [
        ("yapısal yerine yine sayısal sıfırlar", '''
def count_zeros(w, n):
    T = toeplitz_matrix(w, n)
    z = int((T == 0).sum())
    return z, z
'''),
        ("yapısal sıfırlar = eleman sayısı - k (tek bir bant sayılmış)", '''
def count_zeros(w, n):
    T = toeplitz_matrix(w, n)
    return int((T == 0).sum()), int(T.numel() - len(w))
'''),
        ("sıfır olmayanlar sayılmış", '''
def count_zeros(w, n):
    T = toeplitz_matrix(w, n)
    k = len(w)
    return int((T != 0).sum()), int(T.shape[0] * (n - k))
'''),
    ],
    "q_w04_e1c": [
        ("g ile çarpılmamış (toplamın gradyanı)", '''
def conv_input_grad(w, n, g, stride=1, padding=0):
    return toeplitz_matrix(w, n, stride, padding).sum(0)
'''),
        ("geri geçiş aynı (ters çevrilmemiş) kernel'le korelasyon sanılmış", '''
def conv_input_grad(w, n, g, stride=1, padding=0):
    w = torch.as_tensor(np.asarray(w, dtype=np.float64)).flatten()
    g = torch.as_tensor(np.asarray(g, dtype=np.float64))
    k = w.numel()
    gp = F.pad(g.view(1, 1, -1), (k - 1, k - 1))
    return F.conv1d(gp, w.view(1, 1, -1)).flatten()[:n]
'''),
        ("Tᵀ yerine sözde ters (pinv)", '''
def conv_input_grad(w, n, g, stride=1, padding=0):
    T = toeplitz_matrix(w, n, stride, padding)
    return torch.linalg.pinv(T) @ torch.as_tensor(np.asarray(g, dtype=np.float64))
'''),
    ],
    "q_w04_e2a": [
        ("döngüsüz A @ x (kural: satırlar üzerinde döngü)", '''
def row_view(A, x):
    return np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)
'''),
        ("iç çarpım toplanmamış (eleman eleman çarpım)", '''
def row_view(A, x):
    A, x = np.asarray(A, dtype=float), np.asarray(x, dtype=float)
    return np.array([A[i] * x for i in range(A.shape[0])])
'''),
        ("transpoz matris (Aᵀx)", '''
def row_view(A, x):
    A, x = np.asarray(A, dtype=float), np.asarray(x, dtype=float)
    return np.array([A.T[i] @ x for i in range(A.shape[1])])
'''),
    ],
    "q_w04_e2b": [
        ("yön ters: (m, n) dizisi, sütun j = x[j]·A[:, j]", '''
def column_terms(A, x):
    A, x = np.asarray(A, dtype=float), np.asarray(x, dtype=float)
    return A * x
'''),
        ("sütunlar yerine satırlar ölçeklenmiş", '''
def column_terms(A, x):
    A, x = np.asarray(A, dtype=float), np.asarray(x, dtype=float)
    return np.stack([x[j] * A[j] for j in range(len(x))])
'''),
        ("column_view yanlış eksende toplamış", '''
def column_view(A, x):
    return column_terms(A, x).sum(axis=1)
'''),
    ],
    "q_w04_e3a": [
        ("gradyandaki 2 unutulmuş", '''
def gd_quadratic(eta, steps=50, w0=10.0, a=1.0, c=3.0):
    w = float(w0)
    for _ in range(int(steps)):
        w = w - eta * a * (w - c)
    return w
'''),
        ("a yok sayılmış", '''
def gd_quadratic(eta, steps=50, w0=10.0, a=1.0, c=3.0):
    w = float(w0)
    for _ in range(int(steps)):
        w = w - eta * 2 * (w - c)
    return w
'''),
        ("bir adım eksik", '''
def gd_quadratic(eta, steps=50, w0=10.0, a=1.0, c=3.0):
    w = float(w0)
    for _ in range(int(steps) - 1):
        w = w - eta * 2 * a * (w - c)
    return w
'''),
    ],
    "q_w04_e3b": [
        ("sınır dahil: hiç 'oscillate' yok", '''
def classify_lr(eta, a=1.0):
    r = abs(1 - 2 * a * eta)
    return "converge" if r <= 1 else "diverge"
'''),
        ("a yok sayılmış", '''
def classify_lr(eta, a=1.0):
    r = abs(1 - 2 * eta)
    if abs(r - 1) < 1e-12:
        return "oscillate"
    return "converge" if r < 1 else "diverge"
'''),
        ("çarpan 1 - a·eta sanılmış (ikinci türev a)", '''
def classify_lr(eta, a=1.0):
    r = abs(1 - a * eta)
    if abs(r - 1) < 1e-12:
        return "oscillate"
    return "converge" if r < 1 else "diverge"
'''),
    ],
    "q_w04_e3c": [
        ("max_stable_lr = 2/a", '''
def max_stable_lr(a):
    return 2.0 / a
'''),
        ("özdeğer yerine köşegenin en büyüğü", '''
def max_stable_lr_matrix(H):
    return float(2.0 / np.max(np.diag(np.asarray(H, dtype=float))))
'''),
        ("en küçük özdeğer kullanılmış", '''
def max_stable_lr_matrix(H):
    return float(2.0 / np.linalg.eigvalsh(np.asarray(H, dtype=float)).min())
'''),
        ("fastest_lr = 1/a", '''
def fastest_lr(a):
    return 1.0 / a
'''),
    ],
    "q_w04_e3d": [
        ("A: hep küçük eta", 'q_w04_e3d = "A"\n'),
        ("C: momentum'la eta önemsiz", 'q_w04_e3d = "C"\n'),
    ],
    "q_w04_e4a": [
        ("üstel ortalama biçimi: p ← βp + (1-β)g", '''
def run_heavy_ball(grad_fn, theta0, lr, beta=0.9, steps=60):
    theta = torch.as_tensor(theta0).clone()
    p = torch.zeros_like(theta)
    path = [theta.clone()]
    for _ in range(int(steps)):
        p = beta * p + (1 - beta) * grad_fn(theta)
        theta = theta - lr * p
        path.append(theta.clone())
    return torch.stack(path)
'''),
        ("θ, p güncellenmeden önce adım atıyor", '''
def run_heavy_ball(grad_fn, theta0, lr, beta=0.9, steps=60):
    theta = torch.as_tensor(theta0).clone()
    p = torch.zeros_like(theta)
    path = [theta.clone()]
    for _ in range(int(steps)):
        g = grad_fn(theta)
        theta = theta - lr * p
        p = beta * p + g
        path.append(theta.clone())
    return torch.stack(path)
'''),
        ("yolda theta0 yok (steps satır)", '''
def run_heavy_ball(grad_fn, theta0, lr, beta=0.9, steps=60):
    theta = torch.as_tensor(theta0).clone()
    p = torch.zeros_like(theta)
    path = []
    for _ in range(int(steps)):
        p = beta * p + grad_fn(theta)
        theta = theta - lr * p
        path.append(theta.clone())
    return torch.stack(path)
'''),
    ],
    "q_w04_e4b": [
        ("eps karekökün içinde", '''
def run_adam(grad_fn, theta0, lr, betas=(0.9, 0.999), eps=1e-8, steps=60):
    b1, b2 = betas
    theta = torch.as_tensor(theta0).clone()
    m, v = torch.zeros_like(theta), torch.zeros_like(theta)
    path = [theta.clone()]
    for t in range(1, int(steps) + 1):
        g = grad_fn(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1 ** t)) / (v / (1 - b2 ** t) + eps).sqrt()
        path.append(theta.clone())
    return torch.stack(path)
'''),
        ("bias correction yok", '''
def run_adam(grad_fn, theta0, lr, betas=(0.9, 0.999), eps=1e-8, steps=60):
    b1, b2 = betas
    theta = torch.as_tensor(theta0).clone()
    m, v = torch.zeros_like(theta), torch.zeros_like(theta)
    path = [theta.clone()]
    for t in range(1, int(steps) + 1):
        g = grad_fn(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - lr * m / (v.sqrt() + eps)
        path.append(theta.clone())
    return torch.stack(path)
'''),
        ("bias correction'da üs bir fazla (t + 1)", '''
def run_adam(grad_fn, theta0, lr, betas=(0.9, 0.999), eps=1e-8, steps=60):
    b1, b2 = betas
    theta = torch.as_tensor(theta0).clone()
    m, v = torch.zeros_like(theta), torch.zeros_like(theta)
    path = [theta.clone()]
    for t in range(1, int(steps) + 1):
        g = grad_fn(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1 ** (t + 1))) / ((v / (1 - b2 ** (t + 1))).sqrt() + eps)
        path.append(theta.clone())
    return torch.stack(path)
'''),
    ],
    "q_w04_e4c": [
        ("ders kitabındaki hata: üç optimizer aynı ağda", '''
def compare_optimizers(X, y, epochs=1000, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.long)
    net = make_spiral_net(seed)
    opts = {"sgd": torch.optim.SGD(net.parameters(), lr=0.1),
            "momentum": torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9),
            "adam": torch.optim.Adam(net.parameters(), lr=1e-3)}
    curves, models = {}, {}
    for name, opt in opts.items():
        losses = []
        for _ in range(int(epochs)):
            opt.zero_grad()
            loss = F.cross_entropy(net(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        curves[name], models[name] = losses, net
    return curves, models
'''),
        ("zero_grad unutulmuş", '''
def compare_optimizers(X, y, epochs=1000, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.long)
    base = make_spiral_net(seed)
    makers = {"sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
              "momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
              "adam": lambda ps: torch.optim.Adam(ps, lr=1e-3)}
    curves, models = {}, {}
    for name, make in makers.items():
        net = copy.deepcopy(base)
        opt = make(net.parameters())
        losses = []
        for _ in range(int(epochs)):
            loss = F.cross_entropy(net(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        curves[name], models[name] = losses, net
    return curves, models
'''),
        ("Adam lr = 1e-2 (verilen hiperparametre değil)", '''
def compare_optimizers(X, y, epochs=1000, seed=0):
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.long)
    base = make_spiral_net(seed)
    makers = {"sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
              "momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
              "adam": lambda ps: torch.optim.Adam(ps, lr=1e-2)}
    curves, models = {}, {}
    for name, make in makers.items():
        net = copy.deepcopy(base)
        opt = make(net.parameters())
        losses = []
        for _ in range(int(epochs)):
            opt.zero_grad()
            loss = F.cross_entropy(net(X), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        curves[name], models[name] = losses, net
    return curves, models
'''),
        ("steps_to bir fazla (i + 1)", '''
def steps_to(losses, thr=0.8):
    for i, value in enumerate(losses):
        if value < thr:
            return i + 1
    return float("inf")
'''),
        ("steps_to: eşiğe inilmezse len(losses)", '''
def steps_to(losses, thr=0.8):
    for i, value in enumerate(losses):
        if value < thr:
            return i
    return len(losses)
'''),
    ],
    "q_w04_e4d": [
        ("en küçük özdeğerin öz vektörü", '''
def zigzag_count(traj, H):
    traj = torch.as_tensor(np.asarray(traj, dtype=np.float64))
    v = torch.linalg.eigh(torch.as_tensor(np.asarray(H, dtype=np.float64))).eigenvectors[:, 0]
    proj = traj @ v
    return int(((proj[1:] * proj[:-1]) < 0).sum())
'''),
        ("öz vektör yerine ilk koordinat", '''
def zigzag_count(traj, H):
    proj = torch.as_tensor(np.asarray(traj, dtype=np.float64))[:, 0]
    return int(((proj[1:] * proj[:-1]) < 0).sum())
'''),
    ],
    "q_w04_e4e": [
        ("en hızlı Adam", 'q_w04_e4e = "C"\n'),
        ("Adam her zaman yavaş", 'q_w04_e4e_why = "A"\n'),
    ],
    "q_w04_e5a": [
        ("kernel ters çevrilmiş (convolve2d gibi)", '''
def apply_kernel(img, kernel):
    img = torch.as_tensor(img).float()
    kernel = torch.as_tensor(kernel, dtype=img.dtype).flip(0, 1)
    return F.conv2d(img[None, None], kernel[None, None])[0, 0]
'''),
        ("padding=1 ('same' boyut)", '''
def apply_kernel(img, kernel):
    img = torch.as_tensor(img).float()
    kernel = torch.as_tensor(kernel, dtype=img.dtype)
    return F.conv2d(img[None, None], kernel[None, None], padding=1)[0, 0]
'''),
        ("kernel transpoz", '''
def apply_kernel(img, kernel):
    img = torch.as_tensor(img).float()
    kernel = torch.as_tensor(kernel, dtype=img.dtype).T
    return F.conv2d(img[None, None], kernel[None, None])[0, 0]
'''),
        ("SOBEL_X yerine Sobel-y", 'SOBEL_X = torch.tensor([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])\n'),
    ],
    "q_w04_e5b": [
        ("ileri sonlu fark (h = 1e-3)", '''
def autograd_derivative(f, x0):
    h = 1e-3
    x = torch.tensor(float(x0), dtype=torch.float64)
    return float((f(x + h) - f(x)) / h)
'''),
        ("merkezi sonlu fark (çok doğru ama autograd değil)", '''
def autograd_derivative(f, x0):
    h = 1e-5
    x = torch.tensor(float(x0), dtype=torch.float64)
    return float((f(x + h) - f(x - h)) / (2 * h))
'''),
        ("türev yerine fonksiyonun değeri", '''
def autograd_derivative(f, x0):
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    return float(f(x))
'''),
        ("gradyanı biriktiren global tensör", '''
_x_shared = torch.zeros((), dtype=torch.float64, requires_grad=True)

def autograd_derivative(f, x0):
    with torch.no_grad():
        _x_shared.fill_(float(x0))
    y = f(_x_shared)
    y.backward()
    return float(_x_shared.grad)
'''),
    ],
    "q_w04_e5c": [
        ("B: sonlu farklar", 'q_w04_e5c = "B"\n'),
        ("D: yalnızca skaler", 'q_w04_e5c = "D"\n'),
    ],
}
