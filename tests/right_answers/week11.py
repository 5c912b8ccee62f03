"""Correct answers that look different from the reference, for week 11 (issue 15, item 2).

Format as in ``tests/wrong_answers/weekNN.py``: ``RIGHT_ANSWERS = {question: [(label, code), ...]}``;
each snippet replaces one solution definition and its question must keep full marks.
"""

RIGHT_ANSWERS = {
    "q_w11_e2b": [
        ("MultiStepLR ile aynı çizelge, F.l1_loss / F.mse_loss", '''
def fit_constant_image(sampler, loss, steps=600, lr=0.05, seed=0, batch=64):
    gen = torch.Generator()
    gen.manual_seed(seed)
    first = sampler(batch, gen)
    img = torch.nn.Parameter(torch.zeros_like(first[0], dtype=torch.float32))
    opt = torch.optim.Adam([img], lr=lr)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[200, 400], gamma=0.3)
    y = first
    for t in range(steps):
        if t:
            y = sampler(batch, gen)
        target = y.float()
        pred = img.expand_as(target)
        L = F.mse_loss(pred, target) if loss == "mse" else F.l1_loss(pred, target)
        opt.zero_grad()
        L.backward()
        opt.step()
        sched.step()
    return img.detach().clone()
'''),
    ],
    "q_w11_e4b": [
        ("float64, ayrı a_plus / a_minus, numpy ortalaması", '''
def action_sensitivity(pred, n=2000, seed=0, z_dim=2):
    g = torch.Generator().manual_seed(seed)
    s = 2 * torch.rand(n, 1, generator=g) - 1
    z = torch.randn(n, z_dim, generator=g)
    a_plus = 0.5 * torch.ones(n, 1)
    a_minus = -a_plus
    with torch.no_grad():
        hi = pred(s, a_plus, z).numpy().astype(np.float64)
        lo = pred(s, a_minus, z).numpy().astype(np.float64)
    return float(np.mean(hi - lo) / (np.sin(1.5) + np.sin(1.5)))
'''),
    ],
}
