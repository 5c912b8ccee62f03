"""Plausible wrong answers for week 15 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``copy``,
``np``, ``torch``, ``nn``, ``F``, ``LogisticRegression``, ``du``, ``Base`` and the other solution
definitions already exist); the question named by the key must then lose hidden points.
"""

WRONG_ANSWERS = {
    "q_w15_e1a": [
        ("hesap gücü sorusu unutulmuş", '''
def recommend(n_labeled, n_unlabeled, matches_pretrain_domain, has_compute=True):
    if n_labeled >= 100_000:
        return "scratch"
    if n_unlabeled >= 10 * n_labeled and n_unlabeled >= 10_000:
        return "ssl_transfer"
    if matches_pretrain_domain:
        return "supervised_transfer"
    return "domain_ssl_pretrain"
'''),
        ("alan eşleşmesi etiketsiz veriden önce soruluyor", '''
def recommend(n_labeled, n_unlabeled, matches_pretrain_domain, has_compute=True):
    if n_labeled >= 100_000 and has_compute:
        return "scratch"
    if matches_pretrain_domain:
        return "supervised_transfer"
    if n_unlabeled >= 10 * n_labeled and n_unlabeled >= 10_000:
        return "ssl_transfer"
    return "domain_ssl_pretrain"
'''),
        ("uyuşmayan alanda da denetimli transfer (körlemesine ImageNet)", '''
def recommend(n_labeled, n_unlabeled, matches_pretrain_domain, has_compute=True):
    if n_labeled >= 100_000 and has_compute:
        return "scratch"
    if n_unlabeled >= 10 * n_labeled and n_unlabeled >= 10_000:
        return "ssl_transfer"
    return "supervised_transfer"
'''),
        ("eşikler kesin büyük (>) ile", '''
def recommend(n_labeled, n_unlabeled, matches_pretrain_domain, has_compute=True):
    if n_labeled > 100_000 and has_compute:
        return "scratch"
    if n_unlabeled > 10 * n_labeled and n_unlabeled > 10_000:
        return "ssl_transfer"
    if matches_pretrain_domain:
        return "supervised_transfer"
    return "domain_ssl_pretrain"
'''),
    ],
    "q_w15_e1b": [
        ("röntgende de transfer yardım eder sanılmış", "transfer_helps_mismatched = True"),
        ("aynı alanda da yardım etmez sanılmış", "transfer_helps_matched = False"),
    ],
    "q_w15_e1c": [
        ("ImageNet her şeyi içerir", 'q_w15_e1c = "B"'),
        ("eşleşme yalnızca hızı etkiler", 'q_w15_e1c = "A"'),
    ],
    "q_w15_e2a": [
        ("eval() unutulmuş (dropout açık kalıyor)", '''
def extract_features(backbone, X):
    X = torch.as_tensor(X, dtype=torch.float32)
    if backbone is None:
        return X.numpy()
    with torch.no_grad():
        return backbone(X).numpy()
'''),
        ("backbone=None durumu unutulmuş", '''
def extract_features(backbone, X):
    backbone.eval()
    with torch.no_grad():
        return backbone(torch.as_tensor(X, dtype=torch.float32)).numpy()
'''),
        ("yalnızca ilk katman (ReLU'dan önce) kullanılmış", '''
def extract_features(backbone, X):
    X = torch.as_tensor(X, dtype=torch.float32)
    if backbone is None:
        return X.numpy()
    backbone.eval()
    with torch.no_grad():
        return backbone[0](X).numpy()
'''),
    ],
    "q_w15_e2b": [
        ("öznitelikler yerine ham piksellerle yoklama", '''
def linear_probe(backbone, Xl, yl, Xte, yte):
    clf = LogisticRegression(max_iter=5000).fit(np.asarray(Xl), np.asarray(yl))
    return float(clf.score(np.asarray(Xte), np.asarray(yte)))
'''),
        ("eğitim doğruluğu döndürülmüş", '''
def linear_probe(backbone, Xl, yl, Xte, yte):
    Fl = extract_features(backbone, Xl)
    clf = LogisticRegression(max_iter=5000).fit(Fl, np.asarray(yl))
    return float(clf.score(Fl, np.asarray(yl)))
'''),
        ("güçlü düzenleme (C=0.01)", '''
def linear_probe(backbone, Xl, yl, Xte, yte):
    clf = LogisticRegression(max_iter=5000, C=0.01).fit(extract_features(backbone, Xl), np.asarray(yl))
    return float(clf.score(extract_features(backbone, Xte), np.asarray(yte)))
'''),
    ],
    "q_w15_e2c": [
        ("kopya yok: verilen omurga değişiyor", '''
def finetune(backbone, Xl, yl, Xte, yte, lr_head=1e-2, lr_backbone=1e-3, epochs_head=30, epochs_full=60, seed=0):
    bb = backbone
    torch.manual_seed(seed)
    head = nn.Linear(64, int(yl.max()) + 1)
    model = nn.Sequential(bb, head)
    opt = torch.optim.Adam([{"params": bb.parameters(), "lr": lr_backbone}, {"params": head.parameters(), "lr": lr_head}])
    for _ in range(epochs_head + epochs_full):
        opt.zero_grad(); F.cross_entropy(model(Xl), yl).backward(); opt.step()
    model.eval()
    with torch.no_grad():
        return float((model(Xte).argmax(1) == yte).float().mean()), model
'''),
        ("aşama 2 unutulmuş (omurga hiç çözülmüyor)", '''
def finetune(backbone, Xl, yl, Xte, yte, lr_head=1e-2, lr_backbone=1e-3, epochs_head=30, epochs_full=60, seed=0):
    bb = copy.deepcopy(backbone)
    torch.manual_seed(seed)
    head = nn.Linear(64, int(yl.max()) + 1)
    for p in bb.parameters():
        p.requires_grad_(False)
    opt = torch.optim.Adam(head.parameters(), lr=lr_head)
    model = nn.Sequential(bb, head)
    for _ in range(epochs_head + epochs_full):
        opt.zero_grad(); F.cross_entropy(model(Xl), yl).backward(); opt.step()
    model.eval()
    with torch.no_grad():
        return float((model(Xte).argmax(1) == yte).float().mean()), model
'''),
        ("aşama 2 no_grad içinde (hiçbir şey öğrenilmiyor)", '''
def finetune(backbone, Xl, yl, Xte, yte, lr_head=1e-2, lr_backbone=1e-3, epochs_head=30, epochs_full=60, seed=0):
    bb = copy.deepcopy(backbone)
    torch.manual_seed(seed)
    head = nn.Linear(64, int(yl.max()) + 1)
    with torch.no_grad():
        feats = bb(Xl)
    opt = torch.optim.Adam(head.parameters(), lr=lr_head)
    for _ in range(epochs_head):
        opt.zero_grad(); F.cross_entropy(head(feats), yl).backward(); opt.step()
    model = nn.Sequential(bb, head)
    opt = torch.optim.Adam([{"params": bb.parameters(), "lr": lr_backbone}, {"params": head.parameters(), "lr": lr_head}])
    with torch.no_grad():
        for _ in range(epochs_full):
            opt.step()
    model.eval()
    with torch.no_grad():
        return float((model(Xte).argmax(1) == yte).float().mean()), model
'''),
        ("eğitim verisindeki doğruluk döndürülmüş", '''
def finetune(backbone, Xl, yl, Xte, yte, lr_head=1e-2, lr_backbone=1e-3, epochs_head=30, epochs_full=60, seed=0):
    bb = copy.deepcopy(backbone)
    torch.manual_seed(seed)
    head = nn.Linear(64, int(yl.max()) + 1)
    model = nn.Sequential(bb, head)
    opt = torch.optim.Adam([{"params": bb.parameters(), "lr": lr_backbone}, {"params": head.parameters(), "lr": lr_head}])
    for _ in range(epochs_head + epochs_full):
        opt.zero_grad(); F.cross_entropy(model(Xl), yl).backward(); opt.step()
    model.eval()
    with torch.no_grad():
        return float((model(Xl).argmax(1) == yl).float().mean()), model
'''),
    ],
    "q_w15_e2d": [
        ("notlardaki uydurma sayılara güvenilmiş", 'q_w15_e2d = "A"'),
        ("sıfırdan her zaman iyi", 'q_w15_e2d = "C"'),
    ],
    "q_w15_e2e": [
        ("no_grad parametreleri dondurur sanılmış", 'q_w15_e2e = "B"'),
        ("no_grad = eval()", 'q_w15_e2e = "C"'),
    ],
    "q_w15_e3a": [
        ("training_step .item() döndürüyor", '''
class LitClassifier(Base):
    def __init__(self, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss.item()

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-2)
'''),
        ("ReLU unutulmuş (XOR öğrenilemez)", '''
class LitClassifier(Base):
    def __init__(self, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.Linear(hidden, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-2)
'''),
        ("optimizer SGD ve lr 1e-3", '''
class LitClassifier(Base):
    def __init__(self, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=1e-3)
'''),
        ("self.log unutulmuş ve kafa optimizer'a verilmemiş", '''
class LitClassifier(Base):
    def __init__(self, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.net[0].parameters(), lr=1e-2)
'''),
    ],
    "q_w15_e3b": [
        ("kayıp tanımı da Trainer'a bırakılmış", '''
trainer_does = {"zero_grad", "backward", "optimizer_step", "epoch_batch_loop", "define_loss"}
'''),
        ("fast_dev_run öğrenme oranı bulur sanılmış", 'q_w15_e3b = "C"'),
    ],
    "q_w15_e4a": [
        ("normalize edilmemiş", '''
def nt_xent_loss(z1, z2, tau=0.2):
    z = torch.cat([z1, z2], dim=0)
    n = z1.shape[0]
    sim = (z @ z.T / tau).masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]))
'''),
        ("köşegen maskelenmemiş", '''
def nt_xent_loss(z1, z2, tau=0.2):
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    n = z1.shape[0]
    return F.cross_entropy(z @ z.T / tau, torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]))
'''),
        ("yalnızca öbür görünüm negatif (N-1 negatif, tek yön)", '''
def nt_xent_loss(z1, z2, tau=0.2):
    a, b = F.normalize(z1, dim=1), F.normalize(z2, dim=1)
    return F.cross_entropy(a @ b.T / tau, torch.arange(z1.shape[0]))
'''),
        ("τ ile çarpılmış", '''
def nt_xent_loss(z1, z2, tau=0.2):
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    n = z1.shape[0]
    sim = (z @ z.T * tau).masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]))
'''),
    ],
    "q_w15_e4b": [
        ("optimizer yalnızca izdüşüm kafasını eğitiyor (omurga rastgele kalıyor)", '''
def pretrain_ssl(view_sampler, loss_fn, n=2000, epochs=10, batch_size=256, lr=1e-3, tau=0.2, seed=0):
    x1, x2 = view_sampler(n, seed)
    backbone = du.mlp_backbone(seed)
    proj = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
    opt = torch.optim.Adam(proj.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for idx in torch.randperm(n, generator=g).split(batch_size):
            opt.zero_grad()
            loss_fn(proj(backbone(x1[idx])), proj(backbone(x2[idx])), tau).backward()
            opt.step()
    return backbone
'''),
        ("iki görünüm yerine aynı görünüm (x1, x1)", '''
def pretrain_ssl(view_sampler, loss_fn, n=2000, epochs=10, batch_size=256, lr=1e-3, tau=0.2, seed=0):
    x1, x2 = view_sampler(n, seed)
    backbone = du.mlp_backbone(seed)
    proj = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
    opt = torch.optim.Adam(list(backbone.parameters()) + list(proj.parameters()), lr=lr)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for idx in torch.randperm(n, generator=g).split(batch_size):
            opt.zero_grad()
            loss_fn(proj(backbone(x1[idx])), proj(backbone(x1[idx])), tau).backward()
            opt.step()
    return backbone
'''),
        ("görünüm örnekleyici her epoch'ta sabit tohumla değil, her batch'te yeniden çağrılıyor", '''
def pretrain_ssl(view_sampler, loss_fn, n=2000, epochs=10, batch_size=256, lr=1e-3, tau=0.2, seed=0):
    backbone = du.mlp_backbone(seed)
    proj = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
    opt = torch.optim.Adam(list(backbone.parameters()) + list(proj.parameters()), lr=lr)
    for e in range(epochs):
        for b in range(0, n, batch_size):
            x1, x2 = view_sampler(batch_size, seed + e * 1000 + b)
            opt.zero_grad()
            loss_fn(proj(backbone(x1)), proj(backbone(x2)), tau).backward()
            opt.step()
    return backbone
'''),
    ],
    "q_w15_e4c": [
        ("seed'ler üzerinden ortalama yerine yalnızca ilk seed", '''
def few_label_curve(backbones, X_pool, y_pool, X_test, y_test, n_per_class=(2, 5, 20, 100), seeds=(0, 1, 2)):
    out = {}
    for name, bb in backbones.items():
        accs = []
        for k in n_per_class:
            idx = torch.as_tensor(du.few_label_subset(y_pool, k, seeds[0]))
            accs.append(linear_probe(bb, X_pool[idx], y_pool[idx], X_test, y_test))
        out[name] = np.array(accs)
    return out
'''),
        ("her sınıftan k yerine toplam k örnek", '''
def few_label_curve(backbones, X_pool, y_pool, X_test, y_test, n_per_class=(2, 5, 20, 100), seeds=(0, 1, 2)):
    out = {}
    for name, bb in backbones.items():
        accs = []
        for k in n_per_class:
            vals = []
            for s in seeds:
                idx = torch.as_tensor(du.few_label_subset(y_pool, max(1, k // 3), s))
                vals.append(linear_probe(bb, X_pool[idx], y_pool[idx], X_test, y_test))
            accs.append(float(np.mean(vals)))
        out[name] = np.array(accs)
    return out
'''),
        ("test yerine havuzun tamamında değerlendirilmiş", '''
def few_label_curve(backbones, X_pool, y_pool, X_test, y_test, n_per_class=(2, 5, 20, 100), seeds=(0, 1, 2)):
    out = {}
    for name, bb in backbones.items():
        accs = []
        for k in n_per_class:
            vals = []
            for s in seeds:
                idx = torch.as_tensor(du.few_label_subset(y_pool, k, s))
                vals.append(linear_probe(bb, X_pool[idx], y_pool[idx], X_pool, y_pool))
            accs.append(float(np.mean(vals)))
        out[name] = np.array(accs)
    return out
'''),
    ],
    "q_w15_e4d": [
        ("avantajın sabit (~2×) olduğu sanılmış", '''
advantage_shrinks_with_labels = False
q_w15_e4d = "B"
'''),
        ("test verisini görmüş sanılmış", 'q_w15_e4d = "C"'),
    ],
    "q_w15_e5a": [
        ("14 ve 15 yer değiştirmiş", '''
week_concept = {1: "manifold", 7: "EBM", 8: "VAE_latent", 10: "SSL_pretext", 11: "margin_loss_PPUU",
                12: "transformer_BERT", 13: "GCN", 14: "transfer", 15: "free_energy"}
'''),
        ("11. hafta pekiştirmeli öğrenme sanılmış", '''
week_concept = {1: "manifold", 7: "EBM", 8: "VAE_latent", 10: "SSL_pretext", 11: "reinforcement_learning",
                12: "transformer_BERT", 13: "GCN", 14: "free_energy", 15: "transfer"}
'''),
    ],
    "q_w15_e5b": [
        ("marjinalleştirme Hafta 15'e", '''
program_steps = {"enerji_tasarla": 7, "dogruyu_bastir": 7, "yanlisi_marjla_it": 11,
                 "gizliyi_marjinallestir": 15, "etiketsiz_veriden_ogren": 10}
'''),
        ("enerji Hafta 1'e", '''
program_steps = {"enerji_tasarla": 1, "dogruyu_bastir": 7, "yanlisi_marjla_it": 11,
                 "gizliyi_marjinallestir": 14, "etiketsiz_veriden_ogren": 10}
'''),
    ],
    "q_w15_e5c": [
        ("kursla ilgisiz", 'q_w15_e5c = "A"'),
        ("GCN devamı", 'q_w15_e5c = "B"'),
    ],
}

# Issue 15: mistakes the first version of the tests let through.
WRONG_ANSWERS["q_w15_e4b"].append(("zero_grad unutulmuş (gradyanlar birikiyor)", '''
def pretrain_ssl(view_sampler, loss_fn, n=2000, epochs=10, batch_size=256, lr=1e-3, tau=0.2, seed=0):
    x1, x2 = view_sampler(n, seed)
    backbone = du.mlp_backbone(seed)
    proj = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
    opt = torch.optim.Adam(list(backbone.parameters()) + list(proj.parameters()), lr=lr)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for idx in torch.randperm(n, generator=g).split(batch_size):
            loss_fn(proj(backbone(x1[idx])), proj(backbone(x2[idx])), tau).backward()
            opt.step()
    return backbone
'''))
