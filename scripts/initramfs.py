# SPDX-License-Identifier: GPL-2.0-only
"""Build the initramfs images the QEMU harnesses boot.

  scripts/mkinitramfs dom0 OUT    Debian dom0: busybox, Xen tools and the
                                  shared libraries they need, blkback and
                                  netback modules
  scripts/mkinitramfs peer OUT    minixen's peer domain: busybox,
      [--modules DIR] [--kernel-mods DIR] [--env K=V ...]
                                  xenstore tools, the dom0 agent, our
                                  tools, the .ko files of DIR, and the
                                  peer kernel's gntdev/evtchn/... modules
                                  (those it does not build in): Debian's,
                                  or those of --kernel-mods
  scripts/mkinitramfs guest OUT   test domU: busybox, our modules, tests
      [--modules DIR] [--kernel-mods DIR] [--tests "a b"] [--env K=V ...]
      [--blk-tools]

Everything comes from the arm64 packages scripts/setup unpacked, so the
images are reproducible from $PVXEN_CACHE/manifest.txt.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cpio  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("PVXEN_CACHE", "/var/cache/pvxen")
ROOT = os.path.join(CACHE, "arm64-root")
CROSS = os.environ.get("PVXEN_CROSS", "aarch64-linux-gnu-")
XEN_BIN = "usr/lib/xen-4.17/bin"
LIB_DIRS = ["lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib"]

# dom0 modules in load order (their dependencies are loaded first).
DOM0_MODULES = ["xen-privcmd", "xen-evtchn", "xen-gntdev", "xen-gntalloc",
                "xenfs", "xen-blkback", "xen-netback", "loop", "bridge"]
DOM0_TOOLS = [XEN_BIN + "/" + t for t in
              ("xl", "xenstored", "xenconsoled", "xen-init-dom0",
               "xenconsole", "libxl-save-helper")] + \
    ["usr/bin/xenstore-" + t for t in
     ("read", "write", "ls", "list", "rm", "exists", "watch", "chmod")] + \
    ["usr/bin/xenstore"]

# Userspace of the block tests (tests/guest/blk-*.sh) at the standard
# paths: fio (Debian's links librbd, libgfapi, libnbd, ... directly: they
# all come along), mkfs.ext4 and e2fsck; and xenstore-read, which lets
# the tests read their dom0 answers on kernels with Linux's own Xen
# support (through /dev/xen/xenbus; pvxen-core refuses to load there).
# About 86 MB with fio's libraries: only images for blk-* tests get them,
# and those need a domU of 512 MiB (the kernel unpacks the initramfs into
# a tmpfs of half the memory left; xen-run sees to it).
BLK_TOOLS = ["usr/bin/fio", "sbin/mke2fs", "sbin/e2fsck",
               "usr/bin/xenstore-read"]

# Userspace of the network tests (tests/guest/net-*.sh), in dom0 and in
# the domUs that run them: iperf3 (and its libssl, about 5 MB) and
# ethtool; xenstore-read as for the block tests.
NET_TOOLS = ["usr/bin/iperf3", "sbin/ethtool", "usr/bin/xenstore-read"]


def die(msg):
    sys.exit("mkinitramfs: error: " + msg)


def dynamic(path):
    """NEEDED sonames and RUNPATH/RPATH directories of ELF file PATH."""
    out = subprocess.run([CROSS + "readelf", "-d", path], check=True,
                         capture_output=True, text=True).stdout
    libs, runpath = [], []
    for line in out.splitlines():
        if "(NEEDED)" in line:
            libs.append(line.split("[", 1)[1].split("]", 1)[0])
        elif "(RUNPATH)" in line or "(RPATH)" in line:
            runpath += line.split("[", 1)[1].split("]", 1)[0].split(":")
    return libs, runpath


def find_lib(soname, extra_dirs=()):
    """SONAME's path in ROOT: in EXTRA_DIRS (a binary's RUNPATH, relative
    to ROOT; librados finds libceph-common so), then the usual places."""
    for d in list(extra_dirs) + LIB_DIRS:
        p = os.path.join(ROOT, d, soname)
        if os.path.exists(p):
            return os.path.join(d, soname)
    return None


def add_elf_closure(arc, rels):
    """Add binaries REL (paths in ROOT) and every shared library they need.

    A library missing from the unpacked packages is a setup error: say
    which binary needs which soname instead of booting a broken image.
    """
    todo = list(rels)
    seen = set()
    missing = []
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        src = os.path.join(ROOT, rel)
        if not os.path.exists(src):
            die("%s is not in %s (run scripts/setup)" % (rel, ROOT))
        arc.file(rel, src)
        libs, runpath = dynamic(src)
        runpath = [d.replace("$ORIGIN", "/" + os.path.dirname(rel)).strip("/")
                   for d in runpath]
        for so in libs:
            lib = find_lib(so, runpath)
            if lib is None:
                missing.append("%s needs %s" % (rel, so))
            elif lib not in seen:
                todo.append(lib)
    if missing:
        die("shared libraries missing from arm64 packages "
            "(add them to scripts/arm64-packages.txt):\n  " +
            "\n  ".join(sorted(set(missing))))
    # glibc dlopen()s libgcc_s for pthread_cancel (xl needs it).
    for so in ("libgcc_s.so.1",):
        lib = find_lib(so)
        if lib is None:
            die("%s missing from arm64 packages" % so)
        arc.file(lib, os.path.join(ROOT, lib))
    # The dynamic loader is found by its absolute path.
    ld = find_lib("ld-linux-aarch64.so.1")
    arc.file("lib/ld-linux-aarch64.so.1", os.path.join(ROOT, ld))


def add_busybox(arc):
    arc.file("bin/busybox", os.path.join(ROOT, "bin/busybox"), 0o755)
    arc.symlink("bin/sh", "busybox")
    for d in ("dev", "proc", "sys", "tmp", "run", "mnt", "root",
              "sbin", "usr/bin", "usr/sbin", "var"):
        arc.dir(d)


def dom0_release():
    with open(os.path.join(ROOT, ".dom0-kernel-release")) as f:
        return f.read().strip()


def kernel_release(kernel_mods):
    """The one release under KERNEL_MODS/lib/modules (a test kernel's)."""
    rels = os.listdir(os.path.join(kernel_mods, "lib/modules"))
    if len(rels) != 1:
        die("expected one kernel release in %s" % kernel_mods)
    return rels[0]


def module_order(moddir, names):
    """Paths (relative to moddir) of NAMES and their deps, in load order.
    A name the kernel builds in (modules.builtin) needs no loading."""
    deps = {}
    builtin = set()
    if os.path.exists(os.path.join(moddir, "modules.builtin")):
        with open(os.path.join(moddir, "modules.builtin")) as f:
            builtin = {os.path.basename(m.strip())[:-3].replace("_", "-")
                       for m in f if m.strip()}
    with open(os.path.join(moddir, "modules.dep")) as f:
        for line in f:
            mod, _, rest = line.partition(":")
            deps[mod] = rest.split()
    by_name = {os.path.basename(m)[:-3].replace("_", "-"): m for m in deps}
    order = []

    def visit(m):
        if m in order:
            return
        for d in reversed(deps[m]):
            visit(d)
        order.append(m)

    for n in names:
        if n.replace("_", "-") in builtin:
            continue
        m = by_name.get(n.replace("_", "-"))
        if m is None:
            die("module %s not found in %s" % (n, moddir))
        visit(m)
    return order


def add_kernel_modules(arc, base, rel, names=None):
    """Add modules of kernel REL found under BASE/lib/modules/REL: all of
    them, or only NAMES and what they depend on, in which case
    etc/pvxen/modules lists them in load order for /init to insmod."""
    kmods = os.path.join(base, "lib/modules", rel)
    if not os.path.exists(os.path.join(kmods, "modules.dep")):
        # depmod works over an unpacked foreign-arch tree from the host.
        subprocess.run(["depmod", "-b", base, rel], check=True)
    if names is None:
        for dirpath, _, files in os.walk(kmods):
            for f in sorted(files):
                if f.endswith(".ko") or f.startswith("modules."):
                    p = os.path.join(dirpath, f)
                    arc.file("lib/modules/%s/%s" % (rel, os.path.relpath(p, kmods)), p)
        return
    order = module_order(kmods, names)
    for m in order:
        arc.file("lib/modules/%s/%s" % (rel, m), os.path.join(kmods, m))
    arc.data("etc/pvxen/modules",
             "".join("/lib/modules/%s/%s\n" % (rel, m) for m in order))


def build_dom0(out):
    arc = cpio.Archive()
    add_busybox(arc)
    add_elf_closure(arc, DOM0_TOOLS + NET_TOOLS)
    add_kernel_modules(arc, ROOT, dom0_release(), DOM0_MODULES)
    arc.file("etc/xen/xl.conf", os.path.join(ROOT, "etc/xen/xl.conf"))
    arc.file("init", os.path.join(TOP, "tests/harness/dom0-init"), 0o755)
    arc.file("pvxen/run-tests.sh", os.path.join(TOP, "tests/harness/run-tests.sh"))
    arc.file("pvxen/dom0-agent.sh", os.path.join(TOP, "tests/harness/dom0-agent.sh"))
    sdir = os.path.join(TOP, "tests/harness/xen-scripts")
    for s in sorted(os.listdir(sdir)):
        arc.file("etc/xen/scripts/" + s, os.path.join(sdir, s), 0o755)
    arc.write(out)


# The peer domain on minixen (tests/harness/peer-init): the dom0 agent's
# tools, talking to minixen's xenstore through /dev/xen/xenbus, and the
# Xen devices of the peer's kernel: Debian's (modules) or, with
# --kernel-mods, ours (xenref: built in, so none is loaded).
PEER_MODULES = ["xen-privcmd", "xen-evtchn", "xen-gntdev", "xen-gntalloc"]
PEER_TOOLS = ["usr/bin/xenstore-" + t for t in
              ("read", "write", "ls", "list", "rm", "exists", "watch",
               "chmod")]


def build_peer(out, args):
    arc = cpio.Archive()
    add_busybox(arc)
    add_elf_closure(arc, PEER_TOOLS)
    if args.kernel_mods:
        add_kernel_modules(arc, args.kernel_mods,
                           kernel_release(args.kernel_mods), PEER_MODULES)
    else:
        add_kernel_modules(arc, ROOT, dom0_release(), PEER_MODULES)
    arc.file("init", os.path.join(TOP, "tests/harness/peer-init"), 0o755)
    arc.file("pvxen/dom0-agent.sh", os.path.join(TOP, "tests/harness/dom0-agent.sh"))
    add_tools(arc)
    if args.net_tools:
        # The network tests' far end (tests/harness/mx-run --peer --vif).
        add_elf_closure(arc, [t for t in NET_TOOLS if t not in PEER_TOOLS])
    for mdir in args.modules or []:
        for f in sorted(os.listdir(mdir)):
            if f.endswith(".ko"):
                arc.file("pvxen/modules/" + f, os.path.join(mdir, f))
    env = []
    for kv in args.env or []:
        k, _, v = kv.partition("=")
        env.append("%s='%s'" % (k, v))
    arc.data("pvxen/run.conf", "\n".join(env) + "\n")
    arc.write(out)


# The helpers a test domU runs itself; the others (the fake backends,
# gntpeer, xsflood, conring) are dom0's or the peer's.  Each is a static
# binary of some 700 KB: all of them would not fit minixen's 8 MiB initrd
# slots (tests/hyp/qemu-tests.sh).
GUEST_TOOLS = ["insmod1", "asuser", "conkick", "netstream"]


def add_tools(arc, only=None):
    """Our static test helpers (make tools) go to /pvxen/bin: all of
    them, or those named in ONLY."""
    tools = os.path.join(TOP, "tests/out/tools")
    if os.path.isdir(tools):
        for f in sorted(os.listdir(tools)):
            if only is None or f in only:
                arc.file("pvxen/bin/" + f, os.path.join(tools, f), 0o755)


def build_guest(out, args):
    arc = cpio.Archive()
    add_busybox(arc)
    arc.file("init", os.path.join(TOP, "tests/harness/guest-init"), 0o755)
    arc.file("pvxen/run-tests.sh", os.path.join(TOP, "tests/harness/run-tests.sh"))
    for mdir in args.modules or []:
        for dirpath, _, files in os.walk(mdir):
            for f in sorted(files):
                if f.endswith(".ko"):
                    arc.file("pvxen/modules/" + f, os.path.join(dirpath, f))
    if args.kernel_mods:
        add_kernel_modules(arc, args.kernel_mods,
                           kernel_release(args.kernel_mods),
                           args.load.split() if args.load else None)
    add_tools(arc, GUEST_TOOLS)
    tools = []
    if args.blk_tools:
        tools += BLK_TOOLS
        arc.symlink("sbin/mkfs.ext4", "mke2fs")
        arc.file("etc/mke2fs.conf", os.path.join(ROOT, "etc/mke2fs.conf"))
    if args.net_tools:
        tools += [t for t in NET_TOOLS if t not in tools]
    add_elf_closure(arc, tools)
    tdir = os.path.join(TOP, "tests/guest")
    for f in sorted(os.listdir(tdir)):
        if f.endswith(".sh"):
            arc.file("pvxen/tests/" + f, os.path.join(tdir, f), 0o755)
    tests = args.tests.split()
    for t in tests:
        if not os.path.exists(os.path.join(tdir, t + ".sh")):
            die("no guest test tests/guest/%s.sh" % t)
    env = ["PVXEN_TESTS='%s'" % " ".join(tests)]
    for kv in args.env or []:
        k, _, v = kv.partition("=")
        env.append("%s='%s'" % (k, v))
    arc.data("pvxen/run.conf", "\n".join(env) + "\n")
    arc.write(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("kind", choices=["dom0", "peer", "guest"])
    ap.add_argument("out")
    ap.add_argument("--modules", action="append",
                    help="directory searched for our .ko files (repeatable)")
    ap.add_argument("--kernel-mods",
                    help="directory holding lib/modules/RELEASE of the guest "
                    "(or peer) kernel")
    ap.add_argument("--load", help="only these kernel modules (and their "
                    "dependencies), loaded by /init before the tests")
    ap.add_argument("--tests", default="", help="guest tests to run, in order")
    ap.add_argument("--env", action="append", help="K=V for the guest tests")
    ap.add_argument("--blk-tools", action="store_true",
                    help="add the block tests' userspace (fio, mkfs.ext4, "
                    "e2fsck, xenstore-read)")
    ap.add_argument("--net-tools", action="store_true",
                    help="add the network tests' userspace (iperf3, ethtool, "
                    "xenstore-read)")
    args = ap.parse_args()
    if args.kind == "dom0":
        build_dom0(args.out)
    elif args.kind == "peer":
        build_peer(args.out, args)
    else:
        build_guest(args.out, args)


if __name__ == "__main__":
    main()
