#!/usr/bin/env bash
# Builds the grading images offline (see grader_images/README.md).
#
#   grader_images/build.sh engine            install docker.io if missing, start dockerd, wait
#   grader_images/build.sh base              debootstrap bookworm (minbase + python3) -> dlsp/base:bookworm
#   grader_images/build.sh wheelhouse cpu|cuda   fill build/wheelhouse/<flavor>/ (pinned, reuses files)
#   grader_images/build.sh image cpu|cuda    docker build -> dlsp/grader-<flavor>:latest
#   grader_images/build.sh all-cpu           engine + base + wheelhouse cpu + image cpu
#   grader_images/build.sh all-cuda          engine + base + wheelhouse cuda + image cuda
#   grader_images/build.sh lock cpu|cuda     re-resolve grader_images/<flavor>/requirements.txt
#   grader_images/build.sh smoke cpu|cuda    import check in a locked-down container
#
# Every step is idempotent: a step whose output exists is skipped (or reuses what is there).
# Environment knobs:
#   BASE_IMAGE   base for both Dockerfiles (default: dlsp/base:bookworm, built by `base`;
#                e.g. python:3.11-slim-bookworm where a registry is reachable)
#   PYTHON       host interpreter whose pip fills the wheelhouse (default: python3)
#   DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR   default: taken from /etc/apt/sources.list*
#   NO_CACHE=1   docker build --no-cache;   REBUILD_BASE=1   rebuild the base image from scratch
#   DOCKERD_ARGS extra dockerd flags (e.g. --storage-driver=vfs); DOCKERD_LOG (default /var/log/dockerd.log)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build}"
PYTHON="${PYTHON:-python3}"

LOCAL_BASE="dlsp/base:bookworm"
BASE_IMAGE="${BASE_IMAGE:-$LOCAL_BASE}"
SUITE="bookworm"
PIP_VERSION="26.3"          # only used to install wheels inside `docker build`; not in the image
# Which torch each flavor gets (the rest of the pins live in <flavor>/requirements.txt).
declare -A TORCH=([cpu]="torch==2.13.0+cpu" [cuda]="torch==2.14.1")
# Extra pins given to the resolver: the CUDA wheels that lie on local disk (the newest
# nvidia-nvjitlink / cuda-pathfinder on PyPI would be fetched otherwise).
declare -A EXTRA_PINS=([cpu]="" [cuda]="nvidia-nvjitlink==13.4.92 cuda-pathfinder==1.8.3")
# Top-level runtime packages of the image; versions come from pyproject.toml.
TOP_LEVEL=(numpy scikit-learn matplotlib ipython pyyaml pydantic)

log() { printf '\033[1m[grader-images %(%H:%M:%S)T]\033[0m %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "$1 needs root"; }
check_flavor() { case "${1:-}" in cpu|cuda) ;; *) die "flavor must be cpu or cuda (got '${1:-}')";; esac; }

# ---------------------------------------------------------------------------------------- engine
docker_ok() { docker info >/dev/null 2>&1; }

wait_for_docker() {
    local secs="$1" i
    for ((i = 0; i < secs; i++)); do docker_ok && return 0; sleep 1; done
    return 1
}

start_dockerd() {  # $@: extra flags
    local logf="${DOCKERD_LOG:-/var/log/dockerd.log}"
    log "starting dockerd${*:+ $*} (log: $logf)"
    # setsid + nohup: the daemon outlives this script (and CI step) on purpose.
    # shellcheck disable=SC2086
    setsid nohup dockerd ${DOCKERD_ARGS:-} "$@" >>"$logf" 2>&1 </dev/null &
    local pid=$!
    if wait_for_docker 60; then return 0; fi
    kill "$pid" 2>/dev/null || true
    sleep 2
    return 1
}

cmd_engine() {
    if docker_ok; then
        log "docker engine already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
        return 0
    fi
    if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
        need_root "installing docker.io"
        log "installing docker.io (apt)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    fi
    # A daemon may already be starting (e.g. a second CI step); give it a moment first.
    if pgrep -x dockerd >/dev/null && wait_for_docker 30; then
        log "docker engine came up"; return 0
    fi
    need_root "starting dockerd"
    if start_dockerd; then
        :
    else
        # overlay2 does not work inside some containers (overlay on overlay); vfs always does.
        log "dockerd did not come up with the default storage driver; retrying with vfs"
        start_dockerd --storage-driver=vfs || die "dockerd failed to start; see ${DOCKERD_LOG:-/var/log/dockerd.log}"
    fi
    log "docker engine ready: $(docker info --format '{{.ServerVersion}}, storage {{.Driver}}')"
}

require_docker() { docker_ok || die "docker engine not reachable; run: $0 engine"; }

# ------------------------------------------------------------------------------------------ base
apt_uri() {  # $1: regex the URI must match; prints the first match from the host's apt sources
    { cat /etc/apt/sources.list 2>/dev/null; cat /etc/apt/sources.list.d/*.list 2>/dev/null; } \
        | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; break } }' \
        | grep -E "$1" | head -n1 || true
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' \
        | grep -E "$1" | head -n1 || true
}

cmd_base() {
    require_docker
    if [ "${REBUILD_BASE:-0}" != 1 ] && docker image inspect "$LOCAL_BASE" >/dev/null 2>&1; then
        log "base image $LOCAL_BASE exists; skipping (REBUILD_BASE=1 to redo)"; return 0
    fi
    local dir="$BUILD/base" tarball="$BUILD/base/$SUITE-minbase-python3.tar"
    mkdir -p "$dir"
    if [ "${REBUILD_BASE:-0}" = 1 ] || [ ! -s "$tarball" ]; then
        need_root "debootstrap"
        command -v debootstrap >/dev/null || {
            log "installing debootstrap (apt)"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
        }
        local mirror security rootfs="$dir/rootfs"
        mirror="${DEBIAN_MIRROR:-$(apt_uri '/debian/?$' | head -n1)}"; mirror="${mirror:-http://deb.debian.org/debian}"
        security="${DEBIAN_SECURITY_MIRROR:-$(apt_uri 'debian-security/?$' | head -n1)}"
        security="${security:-http://deb.debian.org/debian-security}"
        rm -rf "$rootfs"
        log "debootstrap --variant=minbase $SUITE from $mirror (python3)"
        debootstrap --variant=minbase --include=python3 "$SUITE" "$rootfs" "$mirror" >"$dir/debootstrap.log" 2>&1 \
            || { tail -n 30 "$dir/debootstrap.log" >&2; die "debootstrap failed (log: $dir/debootstrap.log)"; }
        log "applying $SUITE-updates / $SUITE-security, trimming docs and apt caches"
        cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
EOF
        # Leave docs/man/locales out of anything installed later, too.
        cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
        chroot "$rootfs" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive;
            apt-get update -qq && apt-get -y -qq upgrade >/dev/null && apt-get clean' >>"$dir/debootstrap.log" 2>&1 \
            || { tail -n 30 "$dir/debootstrap.log" >&2; die "security upgrade in the chroot failed"; }
        find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
        find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
        rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* \
               "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
               "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/root/.cache
        # Host specifics that debootstrap copied in (Docker provides its own at run time).
        : >"$rootfs/etc/resolv.conf"; echo localhost >"$rootfs/etc/hostname"
        "$rootfs/usr/bin/python3" -c 'import venv, sys; assert sys.version_info[:2] == (3, 11)' \
            || die "the base's python3 is not 3.11"
        log "packing $tarball"
        tar --numeric-owner --xattrs -C "$rootfs" \
            --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$tarball.tmp" .
        mv "$tarball.tmp" "$tarball"
        rm -rf "$rootfs"
    else
        log "reusing cached rootfs $tarball"
    fi
    log "docker import -> $LOCAL_BASE"
    docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["/bin/bash"]' \
        --message "debootstrap --variant=minbase --include=python3 $SUITE (+updates, security)" \
        "$tarball" "$LOCAL_BASE" >/dev/null
    log "base image ready: $(docker image inspect --format '{{.Size}}' "$LOCAL_BASE" | awk '{printf "%.0f MB", $1/1e6}')"
}

# ------------------------------------------------------------------------------------ wheelhouse
# Wheels for CPython 3.11 / glibc <= 2.36 (bookworm), whatever the host interpreter is.
PLATFORM_ARGS=(--only-binary=:all: --implementation cp --python-version 3.11 --abi cp311 --abi abi3 --abi none
               --platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64 --platform any)
for _g in $(seq 36 -1 5); do PLATFORM_ARGS+=(--platform "manylinux_2_${_g}_x86_64"); done

project_wheel() {  # $1: wheelhouse holding setuptools. Builds the project wheel from what git would
                   # commit (ignored files stay out), offline: the build backend comes from $1.
    local wh="$1" out="$BUILD/wheelhouse/project" src="$BUILD/project-src"
    rm -rf "$src" "$out"; mkdir -p "$src" "$out"
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- pyproject.toml autograder \
            | xargs -0 -r cp -p --parents -t "$src" 2>/dev/null) || true
    else
        cp -p "$ROOT/pyproject.toml" "$src/" && cp -rp "$ROOT/autograder" "$src/"
        find "$src" -name __pycache__ -prune -exec rm -rf {} +
    fi
    [ -f "$src/pyproject.toml" ] || die "no pyproject.toml in $ROOT"
    mkdir -p "$src/autograder"   # the wheel builds even while the package is still empty
    log "building the project wheel (no deps) from $(find "$src/autograder" -name '*.py' | wc -l) source files"
    "$PYTHON" -m pip wheel --quiet --no-deps --ignore-requires-python --no-index --find-links "$wh" \
        -w "$out" "$src" \
        || die "pip wheel of the project failed"
    rm -rf "$src"
    ls "$out"/*.whl >/dev/null
}

lock_drift() {  # warns when pyproject.toml pins a top-level package differently from the lock
    "$PYTHON" - "$ROOT/pyproject.toml" "$1" "${TOP_LEVEL[@]}" >&2 <<'EOF'
import re, sys, tomllib
def norm(n):
    return re.sub(r"[-_.]+", "-", n).lower()
deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
want = {norm(n) for n in sys.argv[3:]}
lines = [l.strip() for l in open(sys.argv[2])]
lock = dict(l.lower().split("==", 1) for l in lines if "==" in l and not l.startswith("#"))
lock = {norm(k): v for k, v in lock.items()}
bad = 0
for d in deps:
    m = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;]+).*", d)
    if m and norm(m[1]) in want and lock.get(norm(m[1])) != m[2]:
        print(f"WARNING: pyproject.toml pins {m[1]}=={m[2]} but {sys.argv[2]} has "
              f"{lock.get(norm(m[1]))}; re-run: grader_images/build.sh lock <flavor>")
        bad = 1
sys.exit(bad)
EOF
}

cmd_wheelhouse() {
    local flavor="$1"; check_flavor "$flavor"
    local wh="$BUILD/wheelhouse/$flavor" req="$HERE/$flavor/requirements.txt"
    [ -f "$req" ] || die "missing $req (run: $0 lock $flavor)"
    mkdir -p "$wh"
    local pinned=("-r" "$req" "pip==$PIP_VERSION")
    lock_drift "$req" || true
    log "wheelhouse $flavor: $(grep -c '^[^#].*==' "$req") pinned packages -> ${wh#"$ROOT"/}"
    # First try with what is already there (no index at all); only then ask the indexes.
    if "$PYTHON" -m pip download --quiet --no-index --find-links "$wh" "${PLATFORM_ARGS[@]}" -d "$wh" "${pinned[@]}" \
        >/dev/null 2>&1; then
        log "wheelhouse $flavor already complete (no downloads)"
    else
        log "fetching missing wheels (pip download; local indexes / find-links first, then PyPI)"
        "$PYTHON" -m pip download --progress-bar off "${PLATFORM_ARGS[@]}" -d "$wh" "${pinned[@]}" 2>&1 \
            | grep -E '^(Saved|Successfully|ERROR)' || true
        "$PYTHON" -m pip download --quiet --no-index --find-links "$wh" "${PLATFORM_ARGS[@]}" -d "$wh" "${pinned[@]}" 2>&1 \
            || die "wheelhouse $flavor is still incomplete"
    fi
    project_wheel "$wh"
    log "wheelhouse $flavor: $(find "$wh" -name '*.whl' | wc -l) wheels, $(du -sh "$wh" | cut -f1)"
}

# ----------------------------------------------------------------------------------------- image
cmd_image() {
    local flavor="$1"; check_flavor "$flavor"
    require_docker
    local wh="$BUILD/wheelhouse/$flavor" ctx="$BUILD/context/$flavor" tag="dlsp/grader-$flavor:latest"
    if ! ls "$wh"/pip-"$PIP_VERSION"-*.whl "$BUILD/wheelhouse/project"/*.whl >/dev/null 2>&1; then
        die "wheelhouse $flavor is incomplete; run: $0 wheelhouse $flavor"
    fi
    if [ "$BASE_IMAGE" = "$LOCAL_BASE" ]; then
        docker image inspect "$LOCAL_BASE" >/dev/null 2>&1 || cmd_base
    fi
    # Build context = hard links into the wheelhouse: nothing from the repo but the wheels goes in.
    log "assembling build context ${ctx#"$ROOT"/}"
    rm -rf "$ctx"; mkdir -p "$ctx/wheels" "$ctx/project"
    cp "$HERE/$flavor/requirements.txt" "$ctx/requirements.txt"
    local pipwhl; pipwhl="$(find "$wh" -maxdepth 1 -name "pip-$PIP_VERSION-*.whl" | head -n1)"
    cp -l "$pipwhl" "$ctx/pip.whl" 2>/dev/null || cp "$pipwhl" "$ctx/pip.whl"
    find "$wh" -maxdepth 1 -name '*.whl' ! -name 'pip-*' -exec cp -l -t "$ctx/wheels" {} + 2>/dev/null \
        || find "$wh" -maxdepth 1 -name '*.whl' ! -name 'pip-*' -exec cp -t "$ctx/wheels" {} +
    cp "$BUILD/wheelhouse/project"/*.whl "$ctx/project/"
    local args=(--build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$tag" -f "$HERE/$flavor/Dockerfile")
    if [ "${NO_CACHE:-0}" = 1 ]; then args+=(--no-cache); fi
    log "docker build $tag (FROM $BASE_IMAGE)"
    local old_id; old_id="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
    local t0=$SECONDS rcf="$BUILD/context/.rc-$flavor"
    # The classic builder: works with every engine here (BuildKit needs the buildx plugin).
    { DOCKER_BUILDKIT=0 docker build "${args[@]}" "$ctx" 2>&1; echo $? >"$rcf"; } \
        | grep --line-buffered -vE '^ ---> |^Processing |^Removing intermediate|DEPRECATED|BuildKit|buildx|^ *(https://|Install the buildx|environment-variable)|^$' >&2 || true
    [ "$(cat "$rcf")" = 0 ] || die "docker build $tag failed"
    rm -f "$rcf"
    # Drop the image this one replaces (its layers only; the build cache stays).
    if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]; then
        docker rmi "$old_id" >/dev/null 2>&1 || true
    fi
    # Older copies of the (untagged) deps stage: only the newest one is still a cache.
    docker images -q --no-trunc -f dangling=true -f "label=dlsp.grader.stage=deps-$flavor" | tail -n +2 \
        | xargs -r docker rmi >/dev/null 2>&1 || true
    rm -rf "$ctx"
    log "built $tag in $((SECONDS - t0)) s: $(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.2f GB", $1/1e9}')"
}

cmd_smoke() {
    local flavor="$1"; check_flavor "$flavor"
    require_docker
    local what='torch.__version__'
    if [ "$flavor" = cuda ]; then what='torch.__version__, torch.version.cuda'; fi
    docker run --rm --network none --user 10001 --read-only --tmpfs /work "dlsp/grader-$flavor" \
        python -c "import torch, numpy, sklearn, matplotlib, IPython, autograder; print($what)"
}

# ------------------------------------------------------------------------------------------ lock
cmd_lock() {  # re-resolves <flavor>/requirements.txt; needs network/indexes, run by hand only
    local flavor="$1"; check_flavor "$flavor"
    local tmp; tmp="$(mktemp -d)"
    "$PYTHON" - "$ROOT/pyproject.toml" "${TOP_LEVEL[@]}" >"$tmp/top.txt" <<'EOF'
import re, sys, tomllib
deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
want = set(sys.argv[2:])
for d in deps:
    name = re.split(r"[=<>!~\[ ;]", d, maxsplit=1)[0].lower()
    if name in want:
        print(d)
EOF
    echo "${TORCH[$flavor]}" >>"$tmp/top.txt"
    local extras=()
    read -ra extras <<<"${EXTRA_PINS[$flavor]}"
    if [ "${#extras[@]}" -gt 0 ]; then printf '%s\n' "${extras[@]}" >>"$tmp/top.txt"; fi
    # Prefer the versions of the project's own venv where it exists (same numbers on host and image).
    if [ -x "$ROOT/.venv/bin/python" ]; then
        "$ROOT/.venv/bin/python" -m pip freeze 2>/dev/null | grep -viE '^(torch|dlsp-autograder)=|^-e |@' >"$tmp/c.txt" || true
    else : >"$tmp/c.txt"; fi
    log "resolving $(wc -l <"$tmp/top.txt") top-level pins for $flavor"
    "$PYTHON" -m pip install --quiet --dry-run --ignore-installed --report "$tmp/report.json" \
        "${PLATFORM_ARGS[@]}" --target "$tmp/t" -r "$tmp/top.txt" -c "$tmp/c.txt" 2>&1 | grep -v 'is ignored' >&2 || true
    {
        echo "# Fully pinned runtime of dlsp/grader-$flavor (generated by: grader_images/build.sh lock $flavor)."
        echo "# Top level: $(tr '\n' ' ' <"$tmp/top.txt")"
        "$PYTHON" -c 'import json,sys
r = json.load(open(sys.argv[1]))
for n, v in sorted((i["metadata"]["name"].lower().replace("_", "-"), i["metadata"]["version"]) for i in r["install"]):
    print(f"{n}=={v}")' "$tmp/report.json"
    } >"$HERE/$flavor/requirements.txt.new"
    mv "$HERE/$flavor/requirements.txt.new" "$HERE/$flavor/requirements.txt"
    rm -rf "$tmp"
    log "wrote grader_images/$flavor/requirements.txt ($(grep -c '^[^#].*==' "$HERE/$flavor/requirements.txt") pins)"
}

# ------------------------------------------------------------------------------------------ main
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

main() {
    local cmd="${1:-}"; shift || true
    case "$cmd" in
        engine) cmd_engine ;;
        base) cmd_base ;;
        wheelhouse) cmd_wheelhouse "${1:-}" ;;
        image) cmd_image "${1:-}" ;;
        smoke) cmd_smoke "${1:-}" ;;
        lock) cmd_lock "${1:-}" ;;
        all-cpu|all-cuda)
            local f="${cmd#all-}"
            cmd_engine
            if [ "$BASE_IMAGE" = "$LOCAL_BASE" ]; then cmd_base; fi
            cmd_wheelhouse "$f"
            cmd_image "$f" ;;
        -h|--help|help|"") usage ;;
        *) usage; die "unknown command: $cmd" ;;
    esac
}

main "$@"; exit $?   # on one line: bash reads scripts lazily, so edits during a run cannot bite
