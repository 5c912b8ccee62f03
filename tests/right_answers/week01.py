"""Correct answers for week 1 written differently from the reference (see assignments/AUTHORING.md,
"Tests of the tests"): each must keep full marks in its question and lose nothing elsewhere.

Each snippet replaces solution definitions in the solution notebook's kernel (where ``np``,
``torch``, ``nn`` and the other solution definitions already exist).
"""

RIGHT_ANSWERS = {
    "q_w01_e1a": [
        ("perceptron, satır satır döngüyle", '''
def perceptron(x, w, b, g=sigmoid):
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        return g(sum(xi * wi for xi, wi in zip(x, w)) + b)
    return np.array([g(float(np.dot(row, w)) + b) for row in x])
'''),
        ("sigmoid math.exp ile eleman eleman (np.vectorize), perceptron x @ w ile", '''
import math

def sigmoid(z):
    return np.vectorize(lambda v: 1.0 / (1.0 + math.exp(-v)), otypes=[float])(z)

def perceptron(x, w, b, g=sigmoid):
    return g(np.asarray(x) @ np.asarray(w) + b)
'''),
    ],
    "q_w01_e1b": [
        ("weight/bias .data ile atanmış, çıktı reshape(-1) ve tek örnekte item()", '''
def perceptron_torch(x, w, b):
    d = len(w)
    layer = nn.Linear(d, 1)
    layer.weight.data = torch.tensor(np.asarray(w), dtype=torch.float32).view(1, d)
    layer.bias.data = torch.tensor([float(b)])
    xt = torch.tensor(np.asarray(x), dtype=torch.float32)
    y = torch.sigmoid(layer(xt)).detach()
    return (y.reshape(-1).numpy() if xt.ndim == 2 else y.item()), layer
'''),
    ],
    "q_w01_e2a": [
        ("bias'ı l2(l1(0)) ile, ağırlığı birim matristen hesaplayan", '''
def collapse(l1, l2):
    with torch.no_grad():
        eye = torch.eye(l1.in_features, dtype=l1.weight.dtype)
        b = l2(l1(torch.zeros(1, l1.in_features, dtype=l1.weight.dtype)))[0]
        W = (l2(l1(eye)) - b).T
        out = nn.Linear(l1.in_features, l2.out_features)
        out.weight.copy_(W)
        out.bias.copy_(b)
    return out
'''),
    ],
    "q_w01_e2b": [
        ("küçük harf ve boşluk", '''
q_w01_e2b = " b "
'''),
    ],
    "q_w01_e3a": [
        ("einsum ile", '''
def transform(X, A):
    return torch.einsum("ij,nj->ni", A, X)
'''),
        ("(A @ X.T).T", '''
def transform(X, A):
    return (A @ X.T).T
'''),
    ],
    "q_w01_e3b": [
        ("NumPy ile (NumPy dizisi döner)", '''
def singular_values(A):
    return np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)
'''),
        ("torch.linalg.svdvals", '''
def singular_values(A):
    return torch.linalg.svdvals(torch.as_tensor(A))
'''),
    ],
    "q_w01_e3c": [
        ("NumPy ile, U[:, 1] yönünü s_min ile ölçekleyerek", '''
def squash(A, s_min):
    A = np.asarray(A, dtype=float)
    U, S, Vh = np.linalg.svd(A)
    return torch.tensor(S[0] * np.outer(U[:, 0], Vh[0]) + s_min * np.outer(U[:, 1], Vh[1]))
'''),
    ],
    "q_w01_e3d": [
        ("ana eksenlere izdüşüm, std(ddof=1), NumPy", '''
def principal_stds(Y):
    Y = np.asarray(Y, dtype=float)
    Yc = Y - Y.mean(axis=0)
    _, _, Vh = np.linalg.svd(Yc, full_matrices=False)
    return np.sort((Yc @ Vh.T).std(axis=0, ddof=1))[::-1].copy()
'''),
    ],
    "q_w01_e4a": [
        ("isimli katmanlarla (OrderedDict)", '''
from collections import OrderedDict

def build_net(activation, hidden=32):
    parts = [("fc1", nn.Linear(2, hidden))]
    if activation:
        parts.append(("act1", nn.ReLU()))
    parts.append(("fc2", nn.Linear(hidden, hidden)))
    if activation:
        parts.append(("act2", nn.ReLU()))
    parts.append(("out", nn.Linear(hidden, 2)))
    return nn.Sequential(OrderedDict(parts))
'''),
    ],
    "q_w01_e4b": [
        ("F.cross_entropy, zero_grad adımdan sonra, float(loss)", '''
import torch.nn.functional as F

def train_classifier(model, X, y, epochs=300, lr=1e-2):
    dev = next(model.parameters()).device
    X, y = torch.as_tensor(X).float().to(dev), torch.as_tensor(y).long().to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for epoch in range(epochs):
        loss = F.cross_entropy(model(X), y)
        history.append(float(loss))
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    return history
'''),
    ],
    "q_w01_e4c": [
        ("küçük harf", '''
q_w01_e4c = "b"
'''),
    ],
    "q_w01_e5a": [
        ("gd_path, gd'yi tekrar tekrar çağırarak", '''
def gd_path(eta, steps=50, w0=10.0):
    return [gd(eta, k, w0) for k in range(steps + 1)]
'''),
        ("gd, while döngüsüyle", '''
def gd(eta, steps=50, w0=10.0):
    w, k = w0, 0
    while k < steps:
        w -= eta * 2 * (w - 3)
        k += 1
    return w
'''),
    ],
    "q_w01_e5b": [
        ("math ile, türevler ayrı ayrı", '''
import math

def neuron_grads(x, y, w, b):
    s = 1 / (1 + math.exp(-(w * x + b)))
    common = 2 * (s - y) * s * (1 - s)
    return common * x, common
'''),
    ],
    "q_w01_e5c": [
        ("aynı küme, başka sırayla", '''
converged_etas = {0.9, 0.1, 0.5}
'''),
    ],
}
