"""Correct answers for week 4 written differently from the reference (see assignments/AUTHORING.md,
"Tests of the tests"): each must keep full marks in its question and lose nothing elsewhere."""

RIGHT_ANSWERS = {
    "q_w04_e1a": [
        ("birim matrisin sütunlarına conv1d uygulayarak", '''
def toeplitz_matrix(w, n, stride=1, padding=0):
    w = torch.as_tensor(np.asarray(w, dtype=np.float64)).view(1, 1, -1)
    eye = torch.eye(n, dtype=torch.float64).view(n, 1, n)
    return torch.nn.functional.conv1d(eye, w, stride=stride, padding=padding)[:, 0, :].T
'''),
    ],
    "q_w04_e2a": [
        ("satırlar üzerinde döngü, iç çarpım sum ile", '''
def row_view(A, x):
    return np.array([sum(a * b for a, b in zip(row, x)) for row in np.asarray(A, dtype=float)], dtype=float)
'''),
    ],
    "q_w04_e3a": [
        ("while döngüsüyle", '''
def gd_quadratic(eta, steps=50, w0=10.0, a=1.0, c=3.0):
    w, k = w0, 0
    while k < steps:
        w -= eta * 2 * a * (w - c)
        k += 1
    return w
'''),
    ],
    "q_w04_e4a": [
        ("listeye ekleyip torch.stack ile, aynı formül", '''
def run_heavy_ball(grad_fn, theta0, lr, beta=0.9, steps=60):
    theta = torch.as_tensor(theta0).clone()
    velocity = torch.zeros_like(theta)
    out = [theta]
    for _ in range(steps):
        velocity = beta * velocity + grad_fn(theta)
        theta = theta - lr * velocity
        out.append(theta)
    return torch.stack(out)
'''),
    ],
    "q_w04_e4c": [
        ("steps_to: next() ile", '''
def steps_to(losses, thr=0.8):
    return next((i for i, v in enumerate(losses) if v < thr), float("inf"))
'''),
    ],
    "q_w04_e5b": [
        ("torch.autograd.grad ile", '''
def autograd_derivative(f, x0):
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(x), x)
    return g.item()
'''),
    ],
    "q_w04_e3d": [
        ("küçük harf", '''
q_w04_e3d = "b"
'''),
    ],
}
