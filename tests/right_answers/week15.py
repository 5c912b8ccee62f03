"""Correct answers that look different from the reference, for week 15 (issue 15, item 2).

Format as in ``tests/wrong_answers/weekNN.py``: ``RIGHT_ANSWERS = {question: [(label, code), ...]}``;
each snippet replaces one solution definition and its question must keep full marks.
"""

RIGHT_ANSWERS = {
    "q_w15_e4b": [
        ("zero_grad adımın sonunda, iki modelde ayrı ayrı; parametreler itertools.chain ile", '''
def pretrain_ssl(view_sampler, loss_fn, n=2000, epochs=10, batch_size=256, lr=1e-3, tau=0.2, seed=0):
    import itertools
    x1, x2 = view_sampler(n, seed)
    backbone = du.mlp_backbone(seed)
    proj = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
    opt = torch.optim.Adam(itertools.chain(backbone.parameters(), proj.parameters()), lr=lr)
    g = torch.Generator()
    g.manual_seed(seed)
    for epoch in range(epochs):
        perm = torch.randperm(n, generator=g)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            loss = loss_fn(proj(backbone(x1[idx])), proj(backbone(x2[idx])), tau)
            loss.backward()
            opt.step()
            backbone.zero_grad()
            proj.zero_grad()
    return backbone
'''),
    ],
    "q_w15_e4c": [
        ("liste ile biriktirip np.mean(axis=1), sözlük üreteciyle", '''
def few_label_curve(backbones, X_pool, y_pool, X_test, y_test, n_per_class=(2, 5, 20, 100), seeds=(0, 1, 2)):
    def curve(bb):
        table = [[linear_probe(bb, X_pool[torch.as_tensor(du.few_label_subset(y_pool, k, s))],
                               y_pool[torch.as_tensor(du.few_label_subset(y_pool, k, s))], X_test, y_test)
                  for s in seeds] for k in n_per_class]
        return np.mean(np.array(table), axis=1)
    return {name: curve(bb) for name, bb in backbones.items()}
'''),
    ],
    "q_w15_e5b": [
        ("doğruyu bastır ve marj Hafta 11'e (EBM kayıpları)", '''
program_steps = {"enerji_tasarla": 7, "dogruyu_bastir": 11, "yanlisi_marjla_it": 11,
                 "gizliyi_marjinallestir": 8, "etiketsiz_veriden_ogren": 10}
'''),
        ("bastır ve marj Hafta 8'e (aşağı bas / yukarı bas)", '''
program_steps = {"enerji_tasarla": 7, "dogruyu_bastir": 8, "yanlisi_marjla_it": 8,
                 "gizliyi_marjinallestir": 14, "etiketsiz_veriden_ogren": 8}
'''),
    ],
}
