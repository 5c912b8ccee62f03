"""Correct answers that look different from the reference, for week 10 (issue 15, item 2).

Each snippet replaces one solution definition in the solution notebook's kernel (as the wrong answers
do); the question named by the key must keep full marks. Format: ``RIGHT_ANSWERS = {question:
[(label, code), ...]}``, like ``tests/wrong_answers/weekNN.py``.
"""

RIGHT_ANSWERS = {
    "q_w10_e1a": [
        ("vektörleştirilmiş: her k için maske", '''
def make_rotation_batch(images, g):
    ks = torch.randint(0, 4, (images.shape[0],), generator=g)
    out = images.clone()
    for k in range(1, 4):
        m = ks == k
        if m.any():
            out[m] = torch.rot90(images[m], k, dims=(2, 3))
    return out, ks
'''),
    ],
    "q_w10_e1b": [
        ("parametreler tek listede, zero_grad(set_to_none=False), döngü içinde .to yok", '''
def train_rotation_pretext(encoder, head, images, steps=300, batch_size=256, lr=3e-3, seed=0):
    g = torch.Generator()
    g.manual_seed(seed)
    params = [*encoder.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=lr)
    images = torch.as_tensor(images).float()
    out = []
    for step in range(steps):
        idx = torch.randint(0, len(images), (batch_size,), generator=g)
        x, k = make_rotation_batch(images[idx], g)
        logits = head(encoder(x))
        loss = F.cross_entropy(logits, k)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()
        out.append(float(loss))
    return out
'''),
    ],
    "q_w10_e2a": [
        ("torch ile, F.normalize ve topk", '''
def nearest_neighbors(query_feat, bank_feats, k=5, exclude=None):
    q = F.normalize(torch.as_tensor(query_feat, dtype=torch.float64), dim=0, eps=1e-9)
    B = F.normalize(torch.as_tensor(bank_feats, dtype=torch.float64), dim=1, eps=1e-9)
    sims = B @ q
    if exclude is not None:
        sims[exclude] = float("-inf")
    return torch.topk(sims, k).indices.numpy()
'''),
        ("liste döndürür, exclude sonradan süzülür", '''
def nearest_neighbors(query_feat, bank_feats, k=5, exclude=None):
    q = np.asarray(query_feat, dtype=float)
    B = np.asarray(bank_feats, dtype=float)
    sims = [float(row @ q) / (np.linalg.norm(row) * np.linalg.norm(q) + 1e-9) for row in B]
    order = [int(i) for i in np.argsort(sims)[::-1] if i != exclude]
    return order[:k]
'''),
    ],
}
