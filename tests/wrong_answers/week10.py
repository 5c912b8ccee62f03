"""Plausible wrong answers for week 10 (see assignments/AUTHORING.md, "Tests of the tests").

Each snippet replaces one solution definition in the solution notebook's kernel (where ``np``,
``torch``, ``nn``, ``F``, ``du`` and the other solution definitions already exist); the question
named by the key must then lose hidden points.
"""

_PRETEXT_HEAD = '''
def train_rotation_pretext(encoder, head, images, steps=300, batch_size=256, lr=3e-3, seed=0):
    images = torch.as_tensor(images, dtype=torch.float32)
    g = torch.Generator().manual_seed(int(seed))
'''

_PIRL_HEAD = '''
def train_pirl(encoder, images, steps=300, batch_size=128, tau=0.1, lr=3e-3, seed=0):
    images = torch.as_tensor(images, dtype=torch.float32)
    g = torch.Generator().manual_seed(int(seed))
    opt = torch.optim.Adam(encoder.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        idx = torch.randint(0, images.shape[0], (int(batch_size),), generator=g)
        x = images[idx]
        perm = torch.randperm(4, generator=g)
        x_t = jigsaw(x, perm)
'''

WRONG_ANSWERS = {
    "q_w10_e1a": [
        ("saat yönünde döndürme (rot90(img, −k))", '''
def make_rotation_batch(images, g):
    ks = torch.randint(0, 4, (images.shape[0],), generator=g)
    return torch.stack([torch.rot90(img, -int(k), dims=(-2, -1)) for img, k in zip(images, ks)]), ks
'''),
        ("bütün gruba tek bir k", '''
def make_rotation_batch(images, g):
    k = int(torch.randint(0, 4, (1,), generator=g))
    return torch.rot90(images, k, dims=(-2, -1)), torch.full((images.shape[0],), k, dtype=torch.long)
'''),
        ("genel üreteç (g kullanılmamış)", '''
def make_rotation_batch(images, g):
    ks = torch.randint(0, 4, (images.shape[0],))
    return torch.stack([torch.rot90(img, int(k), dims=(-2, -1)) for img, k in zip(images, ks)]), ks
'''),
    ],
    "q_w10_e1b": [
        ("head optimizer'a verilmemiş (yalnızca kodlayıcı eğitiliyor)", _PRETEXT_HEAD + '''
    opt = torch.optim.Adam(encoder.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        idx = torch.randint(0, images.shape[0], (int(batch_size),), generator=g)
        x, k = make_rotation_batch(images[idx], g)
        opt.zero_grad()
        loss = F.cross_entropy(head(encoder(x)), k)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("yalnızca head eğitiliyor (optimizer'a kodlayıcı verilmemiş)", _PRETEXT_HEAD + '''
    opt = torch.optim.Adam(head.parameters(), lr=lr)
    losses = []
    for _ in range(int(steps)):
        idx = torch.randint(0, images.shape[0], (int(batch_size),), generator=g)
        x, k = make_rotation_batch(images[idx], g)
        opt.zero_grad()
        loss = F.cross_entropy(head(encoder(x)), k)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("döndürülmemiş görüntülerle eğitim (x yerine images[idx])", _PRETEXT_HEAD + '''
    opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=lr)
    losses = []
    for _ in range(int(steps)):
        idx = torch.randint(0, images.shape[0], (int(batch_size),), generator=g)
        x, k = make_rotation_batch(images[idx], g)
        opt.zero_grad()
        loss = F.cross_entropy(head(encoder(images[idx])), k)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("zero_grad unutulmuş", _PRETEXT_HEAD + '''
    opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=lr)
    losses = []
    for _ in range(int(steps)):
        idx = torch.randint(0, images.shape[0], (int(batch_size),), generator=g)
        x, k = make_rotation_batch(images[idx], g)
        loss = F.cross_entropy(head(encoder(x)), k)
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
    ],
    "q_w10_e1c": [
        ("ölçekleyici test verisine ayrıca uydurulmuş", '''
def linear_probe(feature_fn, X_lab, y_lab, X_test, y_test):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    with torch.no_grad():
        f_lab = torch.as_tensor(feature_fn(X_lab)).detach().cpu().numpy()
        f_test = torch.as_tensor(feature_fn(X_test)).detach().cpu().numpy()
    clf = LogisticRegression(max_iter=3000).fit(StandardScaler().fit_transform(f_lab), np.asarray(y_lab))
    return float(clf.score(StandardScaler().fit_transform(f_test), np.asarray(y_test)))
'''),
        ("etiketli kümedeki (eğitim) doğruluk döndürülmüş", '''
def linear_probe(feature_fn, X_lab, y_lab, X_test, y_test):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    with torch.no_grad():
        f_lab = torch.as_tensor(feature_fn(X_lab)).detach().cpu().numpy()
    scaler = StandardScaler().fit(f_lab)
    clf = LogisticRegression(max_iter=3000).fit(scaler.transform(f_lab), np.asarray(y_lab))
    return float(clf.score(scaler.transform(f_lab), np.asarray(y_lab)))
'''),
        ("ölçekleme yok, varsayılan max_iter", '''
def linear_probe(feature_fn, X_lab, y_lab, X_test, y_test):
    from sklearn.linear_model import LogisticRegression
    with torch.no_grad():
        f_lab = torch.as_tensor(feature_fn(X_lab)).detach().cpu().numpy()
        f_test = torch.as_tensor(feature_fn(X_test)).detach().cpu().numpy()
    clf = LogisticRegression(C=0.01).fit(f_lab, np.asarray(y_lab))
    return float(clf.score(f_test, np.asarray(y_test)))
'''),
    ],
    "q_w10_e1d": [
        ("(i) C: CIFAR'dan gelir", 'q_w10_e1_free = "C"\n'),
        ("(ii) A: SSL hiç işe yaramaz", 'q_w10_e1_scale = "A"\n'),
    ],
    "q_w10_e2a": [
        ("normalize edilmemiş iç çarpım", '''
def nearest_neighbors(query_feat, bank_feats, k=5, exclude=None):
    sims = np.asarray(bank_feats, dtype=float) @ np.asarray(query_feat, dtype=float)
    if exclude is not None:
        sims[int(exclude)] = -np.inf
    return np.argsort(-sims)[: int(k)]
'''),
        ("küçükten büyüğe (en uzak komşular)", '''
def nearest_neighbors(query_feat, bank_feats, k=5, exclude=None):
    q = np.asarray(query_feat, dtype=float); B = np.asarray(bank_feats, dtype=float)
    sims = (B / (np.linalg.norm(B, axis=1, keepdims=True) + 1e-9)) @ (q / (np.linalg.norm(q) + 1e-9))
    if exclude is not None:
        sims[int(exclude)] = np.inf
    return np.argsort(sims)[: int(k)]
'''),
        ("exclude yok sayılmış", '''
def nearest_neighbors(query_feat, bank_feats, k=5, exclude=None):
    q = np.asarray(query_feat, dtype=float); B = np.asarray(bank_feats, dtype=float)
    sims = (B / (np.linalg.norm(B, axis=1, keepdims=True) + 1e-9)) @ (q / (np.linalg.norm(q) + 1e-9))
    return np.argsort(-sims)[: int(k)]
'''),
        ("exclude: ilk sonucu atmak (dışlanan indeks yerine)", '''
def nearest_neighbors(query_feat, bank_feats, k=5, exclude=None):
    q = np.asarray(query_feat, dtype=float); B = np.asarray(bank_feats, dtype=float)
    sims = (B / (np.linalg.norm(B, axis=1, keepdims=True) + 1e-9)) @ (q / (np.linalg.norm(q) + 1e-9))
    order = np.argsort(-sims)
    return order[1: int(k) + 1] if exclude is not None else order[: int(k)]
'''),
    ],
    "q_w10_e2b": [
        ("kendisi de komşu sayılmış", '''
def knn_precision(features, labels, k=5):
    Fm = np.asarray(features, dtype=float); y = np.asarray(labels)
    Fm = Fm / (np.linalg.norm(Fm, axis=1, keepdims=True) + 1e-9)
    S = Fm @ Fm.T
    nn_idx = np.argsort(-S, axis=1)[:, : int(k)]
    return float((y[nn_idx] == y[:, None]).mean())
'''),
        ("kosinüs yerine normalize edilmemiş iç çarpım", '''
def knn_precision(features, labels, k=5):
    Fm = np.asarray(features, dtype=float); y = np.asarray(labels)
    S = Fm @ Fm.T
    np.fill_diagonal(S, -np.inf)
    nn_idx = np.argsort(-S, axis=1)[:, : int(k)]
    return float((y[nn_idx] == y[:, None]).mean())
'''),
        ("k + 1 komşu (bir fazla)", '''
def knn_precision(features, labels, k=5):
    Fm = np.asarray(features, dtype=float); y = np.asarray(labels)
    Fm = Fm / (np.linalg.norm(Fm, axis=1, keepdims=True) + 1e-9)
    S = Fm @ Fm.T
    np.fill_diagonal(S, -np.inf)
    nn_idx = np.argsort(-S, axis=1)[:, : int(k) + 1]
    return float((y[nn_idx] == y[:, None]).mean())
'''),
    ],
    "q_w10_e2c": [
        ("A: etiket sızıntısı", 'q_w10_e2_semantic = "A"\n'),
        ("D: aşırı uyum", 'q_w10_e2_semantic = "D"\n'),
    ],
    "q_w10_e3a": [
        ("normalizasyon unutulmuş", '''
def pirl_loss(z_orig, z_transformed, z_negatives, tau=0.1):
    pos = (z_orig * z_transformed).sum(-1, keepdim=True) / tau
    neg = z_orig @ z_negatives.t() / tau
    logits = torch.cat([pos, neg], dim=1)
    return F.cross_entropy(logits, torch.zeros(z_orig.shape[0], dtype=torch.long))
'''),
        ("hedef yanlış sütunda (pozitif sonda ama hedef 0)", '''
def pirl_loss(z_orig, z_transformed, z_negatives, tau=0.1):
    z_o, z_p, z_n = (F.normalize(z, dim=-1) for z in (z_orig, z_transformed, z_negatives))
    pos = (z_o * z_p).sum(-1, keepdim=True) / tau
    neg = z_o @ z_n.t() / tau
    logits = torch.cat([neg, pos], dim=1)
    return F.cross_entropy(logits, torch.zeros(z_o.shape[0], dtype=torch.long))
'''),
        ("sıcaklık (tau) ile çarpılmış", '''
def pirl_loss(z_orig, z_transformed, z_negatives, tau=0.1):
    z_o, z_p, z_n = (F.normalize(z, dim=-1) for z in (z_orig, z_transformed, z_negatives))
    pos = (z_o * z_p).sum(-1, keepdim=True) * tau
    neg = z_o @ z_n.t() * tau
    logits = torch.cat([pos, neg], dim=1)
    return F.cross_entropy(logits, torch.zeros(z_o.shape[0], dtype=torch.long))
'''),
    ],
    "q_w10_e3b": [
        ("yamalar sütun sütun numaralanmış", '''
def jigsaw(imgs, perm, grid=2):
    B, C, H, W = imgs.shape
    ph, pw = H // grid, W // grid
    patches = imgs.reshape(B, C, grid, ph, grid, pw).permute(0, 4, 2, 1, 3, 5).reshape(B, grid * grid, C, ph, pw)
    patches = patches[:, torch.as_tensor(perm, dtype=torch.long)]
    return patches.reshape(B, grid, grid, C, ph, pw).permute(0, 3, 2, 4, 1, 5).reshape(B, C, H, W)
'''),
        ("ters permütasyon uygulanmış (girdinin j'inci yaması çıktının perm[j]'sine)", '''
def jigsaw(imgs, perm, grid=2):
    B, C, H, W = imgs.shape
    ph, pw = H // grid, W // grid
    patches = imgs.reshape(B, C, grid, ph, grid, pw).permute(0, 2, 4, 1, 3, 5).reshape(B, grid * grid, C, ph, pw)
    out = torch.empty_like(patches)
    out[:, torch.as_tensor(perm, dtype=torch.long)] = patches
    return out.reshape(B, grid, grid, C, ph, pw).permute(0, 3, 1, 4, 2, 5).reshape(B, C, H, W)
'''),
        ("permute yerine view (yamalar bozuluyor)", '''
def jigsaw(imgs, perm, grid=2):
    B, C, H, W = imgs.shape
    patches = imgs.reshape(B, C, grid * grid, -1)[:, :, torch.as_tensor(perm, dtype=torch.long)]
    return patches.reshape(B, C, H, W)
'''),
    ],
    "q_w10_e3c": [
        ("pozitif çift yok: iki görünüm de karıştırılmamış (x ile x)", _PIRL_HEAD + '''
        z_o = F.normalize(encoder(x.flatten(1)), dim=-1)
        z_t = F.normalize(encoder(x.flatten(1)), dim=-1)
        opt.zero_grad()
        loss = F.cross_entropy(z_o @ z_t.t() / tau, torch.arange(x.shape[0]))
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("hedef hep 0 (köşegen değil)", _PIRL_HEAD + '''
        z_o = F.normalize(encoder(x.flatten(1)), dim=-1)
        z_t = F.normalize(encoder(x_t.flatten(1)), dim=-1)
        opt.zero_grad()
        loss = F.cross_entropy(z_o @ z_t.t() / tau, torch.zeros(x.shape[0], dtype=torch.long))
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
        ("normalizasyon unutulmuş", _PIRL_HEAD + '''
        z_o = encoder(x.flatten(1)); z_t = encoder(x_t.flatten(1))
        opt.zero_grad()
        loss = F.cross_entropy(z_o @ z_t.t() / tau, torch.arange(x.shape[0]))
        loss.backward(); opt.step(); losses.append(loss.item())
    return losses
'''),
    ],
    "q_w10_e3d": [
        ("A: iki rastgele görüntü", 'q_w10_e3_pairs = "A"\n'),
        ("D: farklı görüntülerin dönüşümleri", 'q_w10_e3_pairs = "D"\n'),
    ],
    "q_w10_e4a": [
        ("BYOL kursta sanılmış", '''
in_course = {"MoCo": True, "PIRL": True, "ClusterFit": True, "BYOL": True, "VICReg": False, "MAE": False,
             "JEPA": False, "Barlow Twins": False}
'''),
        ("ClusterFit post-2020 sanılmış", '''
in_course = {"MoCo": True, "PIRL": True, "ClusterFit": False, "BYOL": False, "VICReg": False, "MAE": False,
             "JEPA": False, "Barlow Twins": False}
'''),
        ("Barlow Twins kursta sanılmış", '''
in_course = {"MoCo": True, "PIRL": True, "ClusterFit": True, "BYOL": False, "VICReg": False, "MAE": False,
             "JEPA": False, "Barlow Twins": True}
'''),
    ],
    "q_w10_e4b": [
        ("BYOL ile VICReg yer değiştirmiş", '''
evolved_from = {"BYOL": "limit_low_energy_volume", "VICReg": "many_negatives_problem", "MAE": "denoising_autoencoder",
                "JEPA": "ebm_world_model_noncontrastive"}
'''),
        ("MAE dünya modeline bağlanmış", '''
evolved_from = {"BYOL": "many_negatives_problem", "VICReg": "limit_low_energy_volume",
                "MAE": "ebm_world_model_noncontrastive", "JEPA": "ebm_world_model_noncontrastive"}
'''),
    ],
    "q_w10_e5a": [
        ("işaretler ters: relu(E_neg − E_pos + m)", '''
def margin_loss(E_pos, E_neg, m=1.0):
    return F.relu(E_neg - E_pos + m).mean()
'''),
        ("relu unutulmuş (sınırsız)", '''
def margin_loss(E_pos, E_neg, m=1.0):
    return (E_pos - E_neg + m).mean()
'''),
        ("m yok sayılmış", '''
def margin_loss(E_pos, E_neg, m=1.0):
    return F.relu(E_pos - E_neg + 1.0).mean()
'''),
    ],
    "q_w10_e5b": [
        ("logit = −E yerine +E (softmax(E))", '''
def ce_energy_grad(E, c):
    p = torch.softmax(E, dim=0)
    grad = -p
    grad[c] = grad[c] + 1.0
    return grad
'''),
        ("yalnızca doğru sınıf (push down), yanlışlar 0", '''
def ce_energy_grad(E, c):
    p = torch.softmax(-E, dim=0)
    grad = torch.zeros_like(E)
    grad[c] = 1.0 - p[c]
    return grad
'''),
        ("işaret ters (−∂L/∂E)", '''
def ce_energy_grad(E, c):
    p = torch.softmax(-E, dim=0)
    grad = p.clone()
    grad[c] = grad[c] - 1.0
    return grad
'''),
    ],
    "q_w10_e5c": [
        ("ders kitabının yorumu: çapraz entropi yalnızca aşağı iter", '''
loss_role = {"cross_entropy": "push_down_correct", "mse_regression": "push_down_correct", "contrastive": "both",
             "reconstruction": "push_down_correct", "margin": "both"}
'''),
        ("karşıtsal yalnızca yukarı iter", '''
loss_role = {"cross_entropy": "both", "mse_regression": "push_down_correct", "contrastive": "push_up_incorrect",
             "reconstruction": "push_down_correct", "margin": "both"}
'''),
    ],
    "q_w10_e5d": [
        ("A: eşitlikte", 'q_w10_e5_zero = "A"\n'),
        ("C: ters yön", 'q_w10_e5_zero = "C"\n'),
    ],
}
