"""Week 15 (chapter 22, bonus) reference solutions: transfer learning and PyTorch Lightning.

Every top-level definition here is injected into the master notebook by an
``# INJECT SOLUTION:`` directive; the docstrings are what students see (Turkish). The module only
needs the names the notebook's setup cell provides (``copy``, ``np``, ``torch``, ``nn``, ``F``,
``LogisticRegression``, ``du`` and ``Base``), so the injected code runs unchanged in the notebook.
"""

import copy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression

try:  # the notebook has these; importing the module elsewhere (tests) must not need them
    import dlsp_utils as du
except ImportError:  # pragma: no cover - tests put the build folder on sys.path
    du = None

Base = du.lightning_base() if du is not None else nn.Module


# --- Egzersiz 1: karar ağacı --------------------------------------------------------------------


def recommend(n_labeled, n_unlabeled, matches_pretrain_domain, has_compute=True):
    """Falcon'un karar ağacı, açık eşiklerle. Dört cevaptan birini (``str``) döndürür:

    1. ``n_labeled >= 100_000`` ve ``has_compute`` → ``"scratch"`` (çok veri + hesap gücü:
       sıfırdan eğit);
    2. değilse, ``n_unlabeled >= 10 * n_labeled`` ve ``n_unlabeled >= 10_000`` →
       ``"ssl_transfer"`` (kendi etiketsiz verinde öz-denetimli ön-eğit, az etiketle sınıflandır);
    3. değilse, ``matches_pretrain_domain`` → ``"supervised_transfer"`` (dağılımı uyan hazır
       omurgayı al, dondur ya da ince ayar yap);
    4. değilse → ``"domain_ssl_pretrain"`` (hazır omurganın alanı uymuyor: kendi alanından
       veriyle ön-eğitilmiş bir model bul ya da kendin ön-eğit; körlemesine transfer etme).
    """
    if n_labeled >= 100_000 and has_compute:
        return "scratch"
    if n_unlabeled >= 10 * n_labeled and n_unlabeled >= 10_000:
        return "ssl_transfer"
    if matches_pretrain_domain:
        return "supervised_transfer"
    return "domain_ssl_pretrain"


transfer_helps_matched = True
transfer_helps_mismatched = False

q_w15_e1c = "C"


# --- Egzersiz 2: dondur ya da ince ayar yap -------------------------------------------------------


def extract_features(backbone, X):
    """Donmuş omurgadan öznitelikler: ``backbone`` değerlendirme kipinde (``eval()``) ve
    ``torch.no_grad()`` içinde ``X``'ten geçirilir.

    - ``backbone``: bir ``nn.Module`` ya da ``None`` (``None`` ise öznitelik = ham girdi ``X``)
    - ``X``: ``float32`` tensör ``(n, 64)``

    Döndürür: NumPy dizisi ``(n, d)``. Omurganın parametrelerinde hiçbir gradyan birikmemeli.
    """
    X = torch.as_tensor(X, dtype=torch.float32)
    if backbone is None:
        return X.detach().cpu().numpy()
    backbone.eval()
    with torch.no_grad():
        return backbone(X).cpu().numpy()


def linear_probe(backbone, Xl, yl, Xte, yte):
    """Doğrusal yoklama (linear probe): donmuş omurganın öznitelikleri üzerinde lojistik regresyon.

    ``extract_features`` ile etiketli örneklerin (``Xl``, ``yl``) ve test örneklerinin
    özniteliklerini çıkar, ``LogisticRegression(max_iter=5000)`` (başka ayar yok) ile eğit ve
    test doğruluğunu döndür (``float``, ``clf.score``). ``backbone=None`` ham piksellerle aynı
    şeyi yapar.
    """
    clf = LogisticRegression(max_iter=5000)
    clf.fit(extract_features(backbone, Xl), np.asarray(torch.as_tensor(yl)))
    return float(clf.score(extract_features(backbone, Xte), np.asarray(torch.as_tensor(yte))))


def finetune(backbone, Xl, yl, Xte, yte, lr_head=1e-2, lr_backbone=1e-3, epochs_head=30,
             epochs_full=60, seed=0):
    """İki aşamalı ince ayar (fine-tune). Verilen ``backbone`` DEĞİŞMEMELİ: bir kopyasıyla çalış
    (``copy.deepcopy``).

    1. ``torch.manual_seed(seed)``; yeni kafa ``nn.Linear(64, k)`` (``k = int(yl.max()) + 1``).
    2. Aşama 1 (dondur): omurga parametrelerinde ``requires_grad = False``; yalnızca kafa,
       ``torch.optim.Adam(head.parameters(), lr=lr_head)`` ile ``epochs_head`` tam-batch adım
       (çapraz entropi).
    3. Aşama 2 (çöz): omurgayı tekrar eğitilebilir yap; iki gruplu
       ``torch.optim.Adam([{"params": omurga, "lr": lr_backbone}, {"params": kafa, "lr": lr_head}])``
       ile ``epochs_full`` tam-batch adım.
    4. Modeli (``nn.Sequential(omurga_kopyası, kafa)``) ``eval()`` yap, ``Xte`` üzerindeki
       doğruluğu hesapla.

    Döndürür: ``(doğruluk, model)``: ``float`` ve ince ayarlanmış ``nn.Sequential``.
    """
    bb = copy.deepcopy(backbone)
    Xl = torch.as_tensor(Xl, dtype=torch.float32)
    yl = torch.as_tensor(yl, dtype=torch.long)
    torch.manual_seed(int(seed))
    head = nn.Linear(64, int(yl.max()) + 1)
    for p in bb.parameters():
        p.requires_grad_(False)
    bb.eval()
    with torch.no_grad():
        feats = bb(Xl)
    opt = torch.optim.Adam(head.parameters(), lr=lr_head)
    for _ in range(int(epochs_head)):
        opt.zero_grad()
        F.cross_entropy(head(feats), yl).backward()
        opt.step()
    for p in bb.parameters():
        p.requires_grad_(True)
    model = nn.Sequential(bb, head)
    model.train()
    opt = torch.optim.Adam([{"params": bb.parameters(), "lr": lr_backbone},
                            {"params": head.parameters(), "lr": lr_head}])
    for _ in range(int(epochs_full)):
        opt.zero_grad()
        F.cross_entropy(model(Xl), yl).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(torch.as_tensor(Xte, dtype=torch.float32)).argmax(dim=1)
    return float((pred == torch.as_tensor(yte)).float().mean()), model


q_w15_e2d = "B"

q_w15_e2e = "A"


# --- Egzersiz 3: Lightning'e çevir ---------------------------------------------------------------


class LitClassifier(Base):
    """XOR verisi için küçük sınıflandırıcı, Lightning tarzında (``Base``'ten türer).

    - ``__init__(self, hidden=16)``: ``super().__init__()``, sonra
      ``self.net = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))``
    - ``forward(self, x)``: ``self.net(x)``
    - ``training_step(self, batch, batch_idx)``: ``x, y = batch``; çapraz entropi kaybını hesapla,
      ``self.log("train_loss", loss)`` ile kaydet ve kaybı (skaler tensör, ``.item()`` değil)
      döndür. ``backward``/``step``/``zero_grad`` YOK: onları Trainer yapar.
    - ``configure_optimizers(self)``: ``torch.optim.Adam(self.parameters(), lr=1e-2)``
    """

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
        return torch.optim.Adam(self.parameters(), lr=1e-2)


trainer_does = {"zero_grad", "backward", "optimizer_step", "epoch_batch_loop"}

q_w15_e3b = "B"


# --- Egzersiz 4: az-etiket eğrisi -----------------------------------------------------------------


def nt_xent_loss(z1, z2, tau=0.2):
    """SimCLR'ın NT-Xent kaybı.

    - ``z1``, ``z2``: aynı ``N`` örneğin iki görünümünün izdüşümleri, şekil ``(N, d)``
    - Önce satırları L2-normalize et (``F.normalize``), ``z = cat([z1, z2])`` (``2N`` satır),
      benzerlikler ``sim = z @ z.T / tau``.
    - Her satırın kendisiyle benzerliğini dışla (köşegeni ``-inf`` yap).
    - Satır ``i``'nin pozitifi öbür görünümdeki eşi (``i < N`` için ``i + N``, değilse ``i - N``);
      geri kalan ``2N - 2`` satır negatiftir.
    - Kayıp: bu "sınıflandırma"nın ``2N`` satır üzerinden ortalama çapraz entropisi.

    Döndürür: türevlenebilir skaler tensör.
    """
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    n = z1.shape[0]
    sim = z @ z.T / tau
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, target)


def pretrain_ssl(view_sampler, loss_fn, n=2000, epochs=10, batch_size=256, lr=1e-3, tau=0.2, seed=0):
    """Öz-denetimli (karşıtsal) ön-eğitim; etiket kullanılmaz.

    1. ``x1, x2 = view_sampler(n, seed)``: aynı içeriğin iki görünümü.
    2. ``backbone = du.mlp_backbone(seed)``, sonra izdüşüm kafası
       ``proj = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))``.
    3. ``torch.optim.Adam`` (omurga + izdüşüm parametreleri, ``lr``); her epoch'ta
       ``torch.randperm(n, generator=g)`` (``g = torch.Generator().manual_seed(seed)``, döngüden
       önce) ile karıştır, ``batch_size``'lık parçalar: kayıp
       ``loss_fn(proj(backbone(x1[idx])), proj(backbone(x2[idx])), tau)``.
    4. İzdüşüm kafasını at, omurgayı döndür.
    """
    x1, x2 = view_sampler(n, seed)
    backbone = du.mlp_backbone(seed)
    proj = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
    opt = torch.optim.Adam(list(backbone.parameters()) + list(proj.parameters()), lr=lr)
    g = torch.Generator().manual_seed(int(seed))
    backbone.train()
    for _ in range(int(epochs)):
        for idx in torch.randperm(int(n), generator=g).split(int(batch_size)):
            opt.zero_grad()
            loss_fn(proj(backbone(x1[idx])), proj(backbone(x2[idx])), tau).backward()
            opt.step()
    backbone.eval()
    return backbone


def few_label_curve(backbones, X_pool, y_pool, X_test, y_test, n_per_class=(2, 5, 20, 100), seeds=(0, 1, 2)):
    """Az-etiket eğrisi: her omurga ve her etiket sayısı için doğrusal yoklama doğruluğu.

    - ``backbones``: ``{"ad": omurga ya da None}`` sözlüğü (``None`` = ham pikseller)
    - her ``k`` in ``n_per_class`` ve her ``s`` in ``seeds`` için
      ``idx = du.few_label_subset(y_pool, k, s)`` ve
      ``linear_probe(omurga, X_pool[idx], y_pool[idx], X_test, y_test)``; seed'ler üzerinden ortala.

    Döndürür: ``{"ad": np.ndarray}``; her dizinin uzunluğu ``len(n_per_class)``.
    """
    out = {}
    for name, bb in backbones.items():
        accs = []
        for k in n_per_class:
            vals = []
            for s in seeds:
                idx = torch.as_tensor(du.few_label_subset(y_pool, k, s))
                vals.append(linear_probe(bb, X_pool[idx], y_pool[idx], X_test, y_test))
            accs.append(float(np.mean(vals)))
        out[name] = np.array(accs)
    return out


ssl_beats_raw_at_5 = True
advantage_shrinks_with_labels = True

q_w15_e4d = "A"


# --- Egzersiz 5: kurs sentezi ---------------------------------------------------------------------


week_concept = {1: "manifold", 7: "EBM", 8: "VAE_latent", 10: "SSL_pretext", 11: "margin_loss_PPUU",
                12: "transformer_BERT", 13: "GCN", 14: "free_energy", 15: "transfer"}

program_steps = {"enerji_tasarla": 7, "dogruyu_bastir": 7, "yanlisi_marjla_it": 11,
                 "gizliyi_marjinallestir": 14, "etiketsiz_veriden_ogren": 10}

q_w15_e5c = "C"
