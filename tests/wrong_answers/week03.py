"""Plausible wrong answers for week 3 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``F`` and the other solution definitions already exist); the question named by
the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w03_e1a": [
        ("döngüsüz, np.convolve ile (kural: açık döngüler)", '''
def conv1d_manual(x, w, stride=1):
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    return np.convolve(x, w[::-1], mode="valid")[::stride]
'''),
        ("torch'un F.conv1d'i ile (kural: torch kullanmadan)", '''
import torch.nn.functional as F

def conv1d_manual(x, w, stride=1):
    xt = torch.tensor(np.asarray(x, dtype=float)).view(1, 1, -1)
    wt = torch.tensor(np.asarray(w, dtype=float)).view(1, 1, -1)
    out = []
    for v in F.conv1d(xt, wt, stride=stride).flatten():
        out.append(float(v))
    return np.array(out)
'''),
        ("kernel ters çevrilmiş (matematikteki convolution)", '''
def conv1d_manual(x, w, stride=1):
    x = np.asarray(x, dtype=float); w = np.asarray(w, dtype=float)[::-1]
    n, k = len(x), len(w)
    return np.array([sum(x[i * stride + j] * w[j] for j in range(k)) for i in range((n - k) // stride + 1)])
'''),
        ("çıktı bir eksik (range(n - k))", '''
def conv1d_manual(x, w, stride=1):
    x = np.asarray(x, dtype=float); w = np.asarray(w, dtype=float)
    n, k = len(x), len(w)
    return np.array([sum(x[i + j] * w[j] for j in range(k)) for i in range(0, n - k, stride)])
'''),
        ("stride yok sayılmış", '''
def conv1d_manual(x, w, stride=1):
    x = np.asarray(x, dtype=float); w = np.asarray(w, dtype=float)
    n, k = len(x), len(w)
    return np.array([sum(x[i + j] * w[j] for j in range(k)) for i in range(n - k + 1)])
'''),
        ("stride'da konum i·stride yerine i (yalnızca çıktı kısaltılmış)", '''
def conv1d_manual(x, w, stride=1):
    x = np.asarray(x, dtype=float); w = np.asarray(w, dtype=float)
    n, k = len(x), len(w)
    return np.array([sum(x[i + j] * w[j] for j in range(k)) for i in range((n - k) // stride + 1)])
'''),
    ],
    "q_w03_e1b": [
        ("taban yok (float bölme)", '''
def conv_out_len(n, k, s=1, p=0):
    return (n + 2 * p - k) / s + 1
'''),
        ("dolgu tek uca eklenmiş", '''
def conv_out_len(n, k, s=1, p=0):
    return (n + p - k) // s + 1
'''),
        ("yukarı yuvarlama (ceil)", '''
def conv_out_len(n, k, s=1, p=0):
    return -(-(n + 2 * p - k) // s) + 1
'''),
    ],
    "q_w03_e2a": [
        ("conv'da giriş kanalları unutulmuş", '''
def conv2d_params(c_in, c_out, k, bias=True):
    kh, kw = (k, k) if isinstance(k, int) else k
    return c_out * kh * kw + (c_out if bias else 0)
'''),
        ("dikdörtgen kernel k[0]·k[0] sanılmış", '''
def conv2d_params(c_in, c_out, k, bias=True):
    kk = k if isinstance(k, int) else k[0]
    return c_out * c_in * kk * kk + (c_out if bias else 0)
'''),
        ("bias her giriş kanalına", '''
def conv2d_params(c_in, c_out, k, bias=True):
    kh, kw = (k, k) if isinstance(k, int) else k
    return c_out * c_in * kh * kw + (c_in if bias else 0)
'''),
        ("tam-bağlıda bias parametresi yok sayılmış", '''
def fc_params(H, W, C, n_out, bias=True):
    return H * W * C * n_out + n_out
'''),
    ],
    "q_w03_e2b": [
        ("yalnızca ağırlıklar (notlardaki ~7282)", "ratio_w03 = (32 * 32 * 3 * 1024) / (16 * 3 * 3 * 3)\n"),
        ("oran ters", "ratio_w03 = conv2d_params(3, 16, 3) / fc_params(32, 32, 3, 1024)\n"),
        ("yuvarlanmış 7000", "ratio_w03 = 7000.0\n"),
    ],
    "q_w03_e2c": [
        ("D de seçilmiş", 'q_w03_e2c = {"A", "B", "C", "D"}\n'),
        ("A unutulmuş", 'q_w03_e2c = {"B", "C"}\n'),
    ],
    "q_w03_e3a": [
        ("girdiyi yerinde değiştiriyor (img.zero_() ile başlayıp img döndürüyor)", '''
def shift_image(img, dy, dx):
    H, W = img.shape[-2:]
    src = img.clone()
    img.zero_()
    if abs(dy) < H and abs(dx) < W:
        img[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
            src[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return img
'''),
        ("torch.roll (kenardan dolanır)", '''
def shift_image(img, dy, dx):
    return torch.roll(img, shifts=(dy, dx), dims=(-2, -1))
'''),
        ("dy ve dx yer değiştirmiş", '''
def shift_image(img, dy, dx):
    out = torch.zeros_like(img)
    H, W = img.shape[-2:]
    dy, dx = dx, dy
    if abs(dy) >= H or abs(dx) >= W:
        return out
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        img[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
'''),
        ("yön ters (pozitif dy yukarı)", '''
def shift_image(img, dy, dx):
    out = torch.zeros_like(img)
    H, W = img.shape[-2:]
    dy, dx = -dy, -dx
    if abs(dy) >= H or abs(dx) >= W:
        return out
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        img[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
'''),
    ],
    "q_w03_e3b": [
        ("margin yok sayılmış (bütün görüntü)", '''
def equivariance_error(layer, img, dy, dx, margin=3):
    with torch.no_grad():
        return float((layer(shift_image(img, dy, dx)) - shift_image(layer(img), dy, dx)).abs().max())
'''),
        ("en büyük yerine ortalama fark", '''
def equivariance_error(layer, img, dy, dx, margin=3):
    with torch.no_grad():
        d = layer(shift_image(img, dy, dx)) - shift_image(layer(img), dy, dx)
        H, W = d.shape[-2:]
        return float(d[..., margin:H - margin, margin:W - margin].abs().mean())
'''),
        ("yalnızca üst ve sol kenar atılmış", '''
def equivariance_error(layer, img, dy, dx, margin=3):
    with torch.no_grad():
        d = layer(shift_image(img, dy, dx)) - shift_image(layer(img), dy, dx)
        return float(d[..., margin:, margin:].abs().max())
'''),
        ("mutlak değer alınmamış", '''
def equivariance_error(layer, img, dy, dx, margin=3):
    with torch.no_grad():
        d = layer(shift_image(img, dy, dx)) - shift_image(layer(img), dy, dx)
        H, W = d.shape[-2:]
        return float(d[..., margin:H - margin, margin:W - margin].max())
'''),
    ],
    "q_w03_e3c": [
        ("global yerine yerel 2×2 max pooling (notlardaki gibi)", '''
def build_conv_pool_net(c_out=4, seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, c_out, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
'''),
        ("ReLU unutulmuş, bias'lı conv", '''
def build_conv_pool_net(c_out=4, seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, c_out, 3, padding=1), nn.AdaptiveMaxPool2d(1), nn.Flatten())
'''),
        ("seed kullanılmamış", '''
def build_conv_pool_net(c_out=4, seed=0):
    return nn.Sequential(nn.Conv2d(1, c_out, 3, padding=1, bias=False), nn.ReLU(), nn.AdaptiveMaxPool2d(1),
                         nn.Flatten())
'''),
        ("invariance_error'da ortalama fark", '''
def invariance_error(model, img, dy, dx):
    with torch.no_grad():
        return float((model(shift_image(img, dy, dx)) - model(img)).abs().mean())
'''),
    ],
    "q_w03_e3d": [
        ("conv değişmez sanılmış", '''answers_w03_e3 = {"conv": "değişmez", "conv+global_maxpool": "değişmez",
                  "conv+maxpool2x2": "yaklaşık değişmez", "fc": "hiçbiri"}
'''),
        ("yerel havuzlama tam değişmez sanılmış", '''answers_w03_e3 = {"conv": "eşdeğişken", "conv+global_maxpool": "değişmez",
                  "conv+maxpool2x2": "değişmez", "fc": "hiçbiri"}
'''),
        ("tam-bağlı eşdeğişken sanılmış", '''answers_w03_e3 = {"conv": "equivariant", "conv+global_maxpool": "invariant",
                  "conv+maxpool2x2": "approximately invariant", "fc": "equivariant"}
'''),
    ],
    "q_w03_e4a": [
        ("tabloya convolution uygun sanılmış", '''properties = {
    "image": {"locality": True, "stationarity": True, "conv": True},
    "tabular": {"locality": False, "stationarity": False, "conv": True},
    "audio": {"locality": True, "stationarity": True, "conv": True},
}
'''),
        ("sese convolution uygun değil sanılmış (durağanlık iki türlü de kabul)", '''properties = {
    "image": {"locality": True, "stationarity": True, "conv": True},
    "tabular": {"locality": False, "stationarity": False, "conv": False},
    "audio": {"locality": True, "stationarity": False, "conv": False},
}
'''),
        ("tabloda yerellik var sanılmış", '''properties = {
    "image": {"locality": True, "stationarity": True, "conv": True},
    "tabular": {"locality": True, "stationarity": False, "conv": False},
    "audio": {"locality": True, "stationarity": True, "conv": True},
}
'''),
    ],
    "q_w03_e4b": [
        ("ortalama çıkarılmamış (kosinüs benzerliği)", '''
def lag_correlation(batch, lag):
    x = torch.as_tensor(batch).double()
    a, b = x[..., :-lag].reshape(-1), x[..., lag:].reshape(-1)
    return float((a * b).sum() / torch.sqrt((a * a).sum() * (b * b).sum()))
'''),
        ("lag bir fazla kaydırılmış", '''
def lag_correlation(batch, lag):
    x = torch.as_tensor(batch).double()
    a, b = x[..., :-(lag + 1)].reshape(-1), x[..., lag + 1:].reshape(-1)
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / torch.sqrt((a * a).sum() * (b * b).sum()))
'''),
        ("satır satır korelasyonların ortalaması (havuz değil)", '''
def lag_correlation(batch, lag):
    x = torch.as_tensor(batch).double()
    a, b = x[..., :-lag], x[..., lag:]
    a, b = a - a.mean(-1, keepdim=True), b - b.mean(-1, keepdim=True)
    r = (a * b).sum(-1) / torch.sqrt((a * a).sum(-1) * (b * b).sum(-1))
    return float(r.mean())
'''),
    ],
    "q_w03_e4c": [
        ("A: bilgi yok olur", 'q_w03_e4c = "A"\n'),
        ("D: durağan olur", 'q_w03_e4c = "D"\n'),
    ],
    "q_w03_e5a": [
        ("kernel ters çevrilmiş", '''
def toeplitz_matrix(w, n):
    w = torch.as_tensor(w, dtype=torch.float64).flip(0)
    k = len(w)
    T = torch.zeros(n - k + 1, n, dtype=w.dtype)
    for i in range(n - k + 1):
        T[i, i:i + k] = w
    return T
'''),
        ("transpoz (n, n − k + 1)", '''
def toeplitz_matrix(w, n):
    w = torch.as_tensor(w, dtype=torch.float64)
    k = len(w)
    T = torch.zeros(n - k + 1, n, dtype=w.dtype)
    for i in range(n - k + 1):
        T[i, i:i + k] = w
    return T.T
'''),
        ("kare n×n (taşan satırlar kesilmiş)", '''
def toeplitz_matrix(w, n):
    w = torch.as_tensor(w, dtype=torch.float64)
    k = len(w)
    T = torch.zeros(n, n, dtype=w.dtype)
    for i in range(n):
        m = min(k, n - i)
        T[i, i:i + m] = w[:m]
    return T
'''),
        ("bir satır eksik (n − k)", '''
def toeplitz_matrix(w, n):
    w = torch.as_tensor(w, dtype=torch.float64)
    k = len(w)
    T = torch.zeros(n - k, n, dtype=w.dtype)
    for i in range(n - k):
        T[i, i:i + k] = w
    return T
'''),
    ],
    "q_w03_e5b": [
        ("bias bırakılmış (rastgele başlangıç bias'ı)", '''
def conv_as_linear(w, n):
    T = toeplitz_matrix(w, n)
    layer = nn.Linear(n, T.shape[0])
    with torch.no_grad():
        layer.weight.copy_(T)
    return layer
'''),
        ("ağırlık kopyalanmamış", '''
def conv_as_linear(w, n):
    return nn.Linear(n, n - len(w) + 1, bias=False)
'''),
        ("kernel ters çevrilmiş", '''
def conv_as_linear(w, n):
    T = toeplitz_matrix(torch.as_tensor(w).flip(0), n)
    layer = nn.Linear(n, T.shape[0], bias=False)
    with torch.no_grad():
        layer.weight.copy_(T)
    return layer
'''),
    ],
    "q_w03_e5c": [
        ("D de seçilmiş", 'q_w03_e5c = {"A", "B", "C", "D"}\n'),
        ("yalnızca A", 'q_w03_e5c = {"A"}\n'),
    ],
}
