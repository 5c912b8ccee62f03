"""Correct answers for week 3 written differently from the reference (see assignments/AUTHORING.md,
"Tests of the tests"): each must keep full marks in its question and lose nothing elsewhere."""

RIGHT_ANSWERS = {
    "q_w03_e1a": [
        ("float32 ile, iç içe döngüler (issue 15)", '''
def conv1d_manual(x, w, stride=1):
    x = np.asarray(x, dtype=np.float32)
    w = np.asarray(w, dtype=np.float32)
    out = []
    i = 0
    while i + len(w) <= len(x):
        acc = np.float32(0)
        for j in range(len(w)):
            acc += x[i + j] * w[j]
        out.append(acc)
        i += stride
    return np.array(out, dtype=np.float32)
'''),
        ("tek döngü, her konumda np.dot", '''
def conv1d_manual(x, w, stride=1):
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    k = len(w)
    return np.array([np.dot(x[i:i + k], w) for i in range(0, len(x) - k + 1, stride)])
'''),
    ],
    "q_w03_e1b": [
        ("math.floor ile", '''
import math

def conv_out_len(n, k, s=1, p=0):
    return int(math.floor((n + 2 * p - k) / s)) + 1
'''),
    ],
    "q_w03_e2a": [
        ("kernel boyutunu np.prod ile", '''
def conv2d_params(c_in, c_out, k, bias=True):
    ks = (k, k) if np.isscalar(k) else tuple(k)
    return int(c_in * c_out * int(np.prod(ks)) + (c_out if bias else 0))
'''),
    ],
    "q_w03_e3a": [
        ("piksel indeksleriyle, yeni tensöre kopyalayarak", '''
def shift_image(img, dy, dx):
    out = torch.zeros_like(img)
    H, W = img.shape[-2:]
    for i in range(H):
        for j in range(W):
            si, sj = i - dy, j - dx
            if 0 <= si < H and 0 <= sj < W:
                out[..., i, j] = img[..., si, sj]
    return out
'''),
        ("F.pad ile dolgu, sonra kırpma", '''
import torch.nn.functional as F

def shift_image(img, dy, dx):
    H, W = img.shape[-2:]
    if abs(dy) >= H or abs(dx) >= W:
        return torch.zeros_like(img)
    padded = F.pad(img, (max(dx, 0), max(-dx, 0), max(dy, 0), max(-dy, 0)))
    return padded[..., max(-dy, 0):max(-dy, 0) + H, max(-dx, 0):max(-dx, 0) + W].clone()
'''),
    ],
    "q_w03_e4a": [
        ("ses durağan değil (konuşma istatistiksel olarak durağan değil; issue 15)", '''properties = {
    "image": {"locality": True, "stationarity": True, "conv": True},
    "tabular": {"locality": False, "stationarity": False, "conv": False},
    "audio": {"locality": True, "stationarity": False, "conv": True},
}
'''),
    ],
    "q_w03_e4b": [
        ("NumPy ile corrcoef", '''
def lag_correlation(batch, lag):
    x = np.asarray(torch.as_tensor(batch).double())
    return float(np.corrcoef(x[..., :-lag].ravel(), x[..., lag:].ravel())[0, 1])
'''),
    ],
    "q_w03_e5a": [
        ("köşegen köşegen, torch.diagonal ile değil: NumPy matrisi", '''
def toeplitz_matrix(w, n):
    w = np.asarray(w, dtype=float)
    k = len(w)
    T = np.zeros((n - k + 1, n))
    for i in range(n - k + 1):
        for j in range(k):
            T[i, i + j] = w[j]
    return torch.tensor(T)
'''),
    ],
    "q_w03_e2c": [
        ("liste olarak, küçük harf", '''
q_w03_e2c = ["a", "b", "c"]
'''),
    ],
}
