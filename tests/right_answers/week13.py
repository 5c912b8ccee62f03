"""Correct answers that look different from the reference, for week 13 (issue 15, item 2).

Format as in ``tests/wrong_answers/weekNN.py``: ``RIGHT_ANSWERS = {question: [(label, code), ...]}``;
each snippet replaces one solution definition and its question must keep full marks.
"""

RIGHT_ANSWERS = {
    "q_w13_e2b": [
        ("kenar biçimi, açık döngülerle (normalized_laplacian çağrılmıyor)", '''
def dirichlet_energy(A, h):
    A = np.asarray(A, dtype=float)
    h = np.asarray(h, dtype=float)
    d = A.sum(axis=1)
    total = 0.0
    for i in range(len(h)):
        for j in range(i + 1, len(h)):
            if A[i, j]:
                total += A[i, j] * (h[i] / np.sqrt(d[i]) - h[j] / np.sqrt(d[j])) ** 2
    return total
'''),
        ("torch ile, kendi Δ'sıyla, 0-boyutlu tensör döndürür", '''
def dirichlet_energy(A, h):
    L = torch.as_tensor(normalized_laplacian(A), dtype=torch.float64)
    h = torch.as_tensor(h, dtype=torch.float64)
    return h @ L @ h
'''),
    ],
}
