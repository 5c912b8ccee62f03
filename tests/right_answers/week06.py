"""Correct answers for week 6 written differently from the reference (see assignments/AUTHORING.md,
"Tests of the tests"): each must keep full marks in its question and lose nothing elsewhere."""

RIGHT_ANSWERS = {
    "q_w06_e1a": [
        ("torch ile, durumları listede toplayıp stack", '''
def rnn_forward(X, Wx, Wz, b, z0=None):
    X, Wx, Wz, b = (torch.as_tensor(np.asarray(v, dtype=float)) for v in (X, Wx, Wz, b))
    z = torch.zeros(Wz.shape[0], dtype=torch.float64) if z0 is None else torch.as_tensor(np.asarray(z0, dtype=float))
    states = []
    for x_t in X:
        z = torch.tanh(Wx @ x_t + Wz @ z + b)
        states.append(z)
    return torch.stack(states).numpy()
'''),
    ],
    "q_w06_e2a": [
        ("math.pow ile", '''
import math

def grad_scale(lam, n):
    return math.pow(lam, n)
'''),
    ],
    "q_w06_e2b": [
        ("Jacobian'ı zincir kuralıyla elle çarparak, NumPy", '''
def bptt_jacobian_norm(W, n, z0=None, nonlinearity=None):
    W = np.asarray(W, dtype=float)
    z = np.zeros(W.shape[0]) if z0 is None else np.asarray(z0, dtype=float)
    J = np.eye(W.shape[0])
    for _ in range(n):
        pre = W @ z
        if nonlinearity == "tanh":
            z = np.tanh(pre)
            J = np.diag(1 - z ** 2) @ W @ J
        else:
            z = pre
            J = W @ J
    return float(np.linalg.norm(J, 2))
'''),
    ],
    "q_w06_e5a": [
        ("NumPy maskesiyle", '''
def local_minima(y, F):
    y, F = np.asarray(y, dtype=float), np.asarray(F, dtype=float)
    inner = (F[1:-1] < F[:-2]) & (F[1:-1] < F[2:])
    return y[1:-1][inner]
'''),
    ],
    "q_w06_e5c": [
        ("autograd ile enerji gradyanı", '''
def ebm_infer(x, y0, lr=0.1, steps=200):
    x = torch.as_tensor(x, dtype=torch.float64)
    y = torch.as_tensor(y0, dtype=torch.float64).clone()
    for _ in range(steps):
        yy = y.clone().requires_grad_(True)
        ((x ** 2 + yy ** 2 - 1) ** 2).sum().backward()
        y = (y - lr * yy.grad).detach()
    return y
'''),
    ],
    "q_w06_e1c": [
        ("küçük harf", '''
q_w06_e1c = "b"
'''),
    ],
}
