"""Correct answers that look different from the reference, for week 09 (issue 15, item 2).

Format as in ``tests/wrong_answers/weekNN.py``: ``RIGHT_ANSWERS = {question: [(label, code), ...]}``;
each snippet replaces one solution definition and its question must keep full marks.
"""

RIGHT_ANSWERS = {
    "q_w09_e2a": [
        ("np.where ile, float32 girdiye izin verir", '''
def soft_threshold(z, lam):
    z = np.asarray(z)
    return np.where(z > lam, z - lam, np.where(z < -lam, z + lam, 0.0))
'''),
    ],
    "q_w09_e4a": [
        ("numpy ile (ddof = 1), boyutlar üzerinde döngü", '''
def diversity(samples):
    s = np.asarray(torch.as_tensor(samples).detach().cpu(), dtype=np.float64)
    return float(np.mean([s[:, j].std(ddof=1) for j in range(s.shape[1])]))
'''),
    ],
}
