"""Correct answers that look different from the reference, for week 08 (issue 15, item 2).

Format as in ``tests/wrong_answers/weekNN.py``: ``RIGHT_ANSWERS = {question: [(label, code), ...]}``;
each snippet replaces one solution definition and its question must keep full marks.
"""

RIGHT_ANSWERS = {
    "q_w08_e1a": [
        ("clamp ve pow, toplam / uzunluk", '''
def contrastive_loss(E_pos, E_neg, margin=1.0):
    push_down = E_pos.pow(2).sum() / E_pos.numel()
    push_up = torch.clamp(margin - E_neg, min=0).pow(2).sum() / E_neg.numel()
    return push_down + push_up
'''),
    ],
    "q_w08_e1b": [
        ("g.manual_seed ayrı satırda, negatifler için ayrı değişken, float(loss)", '''
def train_contrastive(energy_net, data, steps=300, n_neg=32, lr=1e-2, seed=0, margin=1.0):
    g = torch.Generator()
    g.manual_seed(seed)
    y = torch.tensor(list(data), dtype=torch.float32).flatten()
    opt = torch.optim.Adam(energy_net.parameters(), lr=lr)
    history = []
    for step in range(steps):
        negatives = torch.rand(n_neg, generator=g) * 8 - 4
        opt.zero_grad()
        loss = contrastive_loss(energy_net(y), energy_net(negatives), margin)
        loss.backward()
        opt.step()
        history.append(float(loss))
    return history
'''),
    ],
}
