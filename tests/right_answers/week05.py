"""Correct answers for week 5 written differently from the reference (see assignments/AUTHORING.md,
"Tests of the tests"): each must keep full marks in its question and lose nothing elsewhere."""

RIGHT_ANSWERS = {
    "q_w05_e1a": [
        ("math.floor ile", '''
import math

def conv_out_size(n, k, s=1, p=0, d=1):
    return math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1
'''),
    ],
    "q_w05_e3b": [
        ("NumPy ile elle türev, float64 tensör", '''
def manual_grad(values):
    x = np.asarray(values, dtype=np.float64)
    return torch.from_numpy(6.0 * (x - 2.0) / x.size)
'''),
    ],
    "q_w05_e4c": [
        ("küçük harf", '''
q_w05_e4c = "a"
'''),
    ],
}
