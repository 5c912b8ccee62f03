"""Correct answers for week 2 written differently from the reference (see assignments/AUTHORING.md,
"Tests of the tests"): each must keep full marks in its question and lose nothing elsewhere."""

RIGHT_ANSWERS = {
    "q_w02_e1a": [
        ("scipy.special.softmax", '''
from scipy.special import softmax as _sp_softmax

def softmax(z):
    return _sp_softmax(np.asarray(z, dtype=float), axis=-1)
'''),
    ],
    "q_w02_e1b": [
        ("log-sum-exp, scipy.special.logsumexp ile", '''
from scipy.special import logsumexp

def cross_entropy(z, c):
    z = np.asarray(z, dtype=float)
    return float(logsumexp(z) - z[c])

def cross_entropy_batch(Z, y):
    Z = np.asarray(Z, dtype=float)
    return float(np.mean([cross_entropy(row, int(c)) for row, c in zip(Z, y)]))
'''),
    ],
    "q_w02_e2a": [
        ("OrderedDict ile isimli katmanlar", '''
from collections import OrderedDict

def build_spiral_net():
    return nn.Sequential(OrderedDict([("fc1", nn.Linear(2, 100)), ("relu", nn.ReLU()), ("fc2", nn.Linear(100, 5))]))
'''),
    ],
    "q_w02_e2b": [
        ("F.cross_entropy, zero_grad adımdan sonra, float(loss)", '''
def train_spiral(model, X, y, epochs=1000, lr=1.0):
    X = torch.as_tensor(X).float()
    y = torch.as_tensor(y).long()
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    out = []
    for _ in range(epochs):
        loss = F.cross_entropy(model(X), y)
        out.append(float(loss))
        loss.backward()
        opt.step()
        opt.zero_grad()
    return out
'''),
    ],
    "q_w02_e2c": [
        ("küçük harf", '''
q_w02_e2c = "b"
'''),
    ],
    "q_w02_e3a": [
        ("parametrelerin gradyanlarını elle sıfırlayarak", '''
def accumulated_grad(model, X, y, k):
    for p in model.parameters():
        p.grad = None
    X, y = torch.as_tensor(X).float(), torch.as_tensor(y).long()
    for _ in range(k):
        nn.CrossEntropyLoss()(model(X), y).backward()
    return model[0].weight.grad.clone()
'''),
    ],
    "q_w02_e4a": [
        ("elle: ((p − onehot)²).mean()", '''
def mse_onehot_loss(logits, y, num_classes):
    p = logits.softmax(dim=1)
    onehot = torch.zeros_like(p)
    onehot[torch.arange(len(y)), y] = 1.0
    return ((p - onehot) ** 2).mean()
'''),
    ],
    "q_w02_e4b": [
        ("iki model tek döngüde, iki ayrı optimizer", '''
def compare_losses(X, y, epochs=300, lr=1.0, seed=0):
    X, y = torch.as_tensor(X).float(), torch.as_tensor(y).long()
    torch.manual_seed(seed)
    model_ce = build_spiral_net()
    model_mse = copy.deepcopy(model_ce)
    opt_ce = torch.optim.SGD(model_ce.parameters(), lr=lr)
    opt_mse = torch.optim.SGD(model_mse.parameters(), lr=lr)
    ce, mse = [], []
    for _ in range(epochs):
        l1 = F.cross_entropy(model_ce(X), y)
        l2 = mse_onehot_loss(model_mse(X), y, 5)
        ce.append(l1.item()); mse.append(l2.item())
        opt_ce.zero_grad(); opt_mse.zero_grad()
        l1.backward(); l2.backward()
        opt_ce.step(); opt_mse.step()
    return {"ce": (ce, model_ce), "mse": (mse, model_mse)}
'''),
    ],
    "q_w02_e4c": [
        ("torch.autograd.grad ile", '''
def logit_grads(z, c):
    z = torch.as_tensor(z, dtype=torch.float64)
    t = torch.tensor([c])
    a = z.clone().requires_grad_(True)
    b = z.clone().requires_grad_(True)
    g_ce, = torch.autograd.grad(F.cross_entropy(a[None], t), a)
    g_mse, = torch.autograd.grad(mse_onehot_loss(b[None], t, len(z)), b)
    return g_ce, g_mse
'''),
    ],
    "q_w02_e5a": [
        ("math.prod ile", '''
import math

def flatten_dim(H, W, C):
    return math.prod([H, W, C])
'''),
    ],
    "q_w02_e5c": [
        ("ağırlığın sütunlarını argsort'suz, index_select ile", '''
def permute_first_layer(model, perm):
    new = copy.deepcopy(model)
    with torch.no_grad():
        new[0].weight.copy_(model[0].weight.index_select(1, torch.as_tensor(perm)))
    return new
'''),
    ],
}
