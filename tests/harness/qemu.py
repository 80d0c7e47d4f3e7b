# SPDX-License-Identifier: GPL-2.0-only
"""Shared parts of the QEMU harnesses: console streaming with staged
deadlines, and collection of the guests' TAP results.

A run is a list of stages, each a console marker that must appear before
a deadline (seconds from QEMU start). A missing marker, a panic or a
FAIL line ends the run at once with the stage named and the console tail
printed: the harness never reports success it did not see.
"""

import os
import re
import select
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("PVXEN_CACHE", "/var/cache/pvxen")

FATAL = [re.compile(p) for p in (
    r"Kernel panic - not syncing",
    r"PVXEN-DOM0: FAIL",
    r"PVXEN-GUEST: FAIL",
    r"\(XEN\) Panic on CPU",
    r"Unable to handle kernel ",
)]
TAP_RE = re.compile(r"PVXEN-TAP (\S+): (.*)$")
# A guest's own report that a CPU's timer interrupt never came (an idle
# vCPU left blocked in Xen 4.17 under QEMU TCG: every vCPU blocked or
# idle, its timer interrupt "in flight" in no list register).  The test
# on that guest cannot go on; xen-run ends the run at once and runs it
# once more (Documentation/testing.md, "Platform faults").
WATCH_RE = re.compile(rb"PVXEN-DOM0: console-watch: ")
LOST_TIMER = re.compile(r"rcu: \s*Possible timer handling issue on cpu=")
# A stage deadline missed after this many seconds without a console line
# (a guest reports at least this often while its tests run; a boot writes
# all the time) is a platform fault too: the machine asleep.  A real hang
# faults twice and fails.
STAGE_SLEEP = 120


def kdir(flavour="test"):
    link = os.path.join(CACHE, "kernel", flavour)
    if not os.path.exists(os.path.join(link, ".pvxen-built")):
        sys.exit("harness: test kernel '%s' not built: run scripts/setup" % flavour)
    return os.path.realpath(link)


# Where kbuild leaves our modules, relative to the tree it built.
MODULE_DIRS = ("drivers", "tests/kunit", "tests/modules", "tests/bench")


class GuestKernel:
    """A domU kernel: its Image, the directory holding lib/modules/REL,
    the kernel modules to load at boot (None: include all, load none) and
    where our modules built for it are."""

    def __init__(self, name):
        if name == "debian":
            # Debian's stock kernel (built-in Xen support) with its own
            # xen-blkfront and xen-netfront.
            root = os.path.join(CACHE, "arm64-root")
            with open(os.path.join(root, ".dom0-kernel-release")) as f:
                rel = f.read().strip()
            self.image = os.path.join(root, "boot/vmlinuz-" + rel)
            self.mods = root
            # ext4 (upstream-ref mounts one) finds crc32c through the
            # crypto API, a soft dependency modules.dep does not list.
            self.load = "xen-blkfront xen-netfront ext4 crc32c_generic"
            self.ours = os.path.join(TOP, "tests/out/debian-build")
            return
        kd = kdir(name)
        self.image = os.path.join(kd, "arch/arm64/boot/Image")
        self.mods = os.path.join(kd, "mods")
        self.load = None
        # The test kernel's modules are built in the tree (make), the
        # other flavours' in tests/out/FLAVOUR-build (make modules-FLAVOUR).
        self.ours = TOP if name == "test" else \
            os.path.join(TOP, "tests/out/%s-build" % name)


def build_guest_initramfs(out, kernel, tests, env):
    """Guest initramfs: busybox, our modules built for KERNEL, its own
    modules, tests/guest/*.sh, and run.conf with TESTS and ENV; the
    block tests' userspace if a test is named blk-*."""
    cmd = [os.path.join(TOP, "scripts/mkinitramfs"), "guest", out,
           "--kernel-mods", kernel.mods, "--tests", " ".join(tests)]
    if kernel.load:
        cmd += ["--load", kernel.load]
    if any(t.startswith(("blk-", "bench-")) or t == "upstream-ref"
           for t in tests):
        # fio, mkfs.ext4, ...: big, so only for the block tests.
        cmd.append("--blk-tools")
    if any(t.startswith(("net-", "bench-")) for t in tests):
        cmd.append("--net-tools")
    for kv in env:
        cmd += ["--env", kv]
    for d in MODULE_DIRS:
        if os.path.isdir(os.path.join(kernel.ours, d)):
            cmd += ["--modules", os.path.join(kernel.ours, d)]
    subprocess.run(cmd, check=True)


class Results:
    """TAP lines per guest test, checked against plans and exit codes."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.lines = {}   # test -> list of (ok, description)
        self.plans = {}
        self.rcs = {}
        self.order = []
        self.numbered = {}

    def feed(self, test, text):
        if test not in self.lines:
            self.lines[test] = []
            self.order.append(test)
        m = re.match(r"1\.\.(\d+)", text)
        if m:
            self.plans[test] = int(m.group(1))
            return
        m = re.match(r"PVXEN-RC (\d+)", text)
        if m:
            self.rcs[test] = int(m.group(1))
            return
        m = re.match(r"(not ok|ok)\b\s*(\d*)\s*-?\s*(.*)", text)
        if m:
            ok, num, desc = m.group(1) == "ok", m.group(2), m.group(3)
            # A serial console can repeat a line it already sent (seen
            # with Xen's vuart under load): the same numbered result twice
            # is one result; a different one under the same number is not.
            seen = self.numbered.setdefault(test, {})
            if num and num in seen:
                if seen[num] != (ok, desc):
                    self.lines[test].append(
                        (False, "conflicting results numbered %s" % num))
                return
            if num:
                seen[num] = (ok, desc)
            self.lines[test].append((ok, desc))

    def verdicts(self, expected):
        """Yield (ok, description) for every result, plus synthetic
        failures for tests that never ran, broke their plan or exited
        non-zero."""
        for test in expected:
            name = "%s: %s" % (self.prefix, test)
            if test not in self.lines:
                yield False, "%s: did not run" % name
                continue
            for ok, desc in self.lines[test]:
                yield ok, "%s: %s" % (name, desc)
            n = len(self.lines[test])
            if self.plans.get(test) != n:
                yield False, "%s: plan %s but %d results" % (
                    name, self.plans.get(test), n)
            rc = self.rcs.get(test)
            if rc is None:
                yield False, "%s: did not finish" % name
            elif rc != 0 and all(ok for ok, _ in self.lines[test]):
                yield False, "%s: exited %d" % (name, rc)


MARK_RE = re.compile(r"PVXEN-(BEGIN|END) (\S+)")


def read_chunk(proc, log):
    """Up to 64 KiB of QEMU's output, logged; b"" once it ended, None if
    nothing came within half a second."""
    r, _, _ = select.select([proc.stdout], [], [], 0.5)
    if not r:
        return None
    chunk = os.read(proc.stdout.fileno(), 65536)
    log.write(chunk)
    return chunk


def type_keys(proc, log, keys, secs=3):
    """Type each of KEYS (byte strings) on QEMU's serial console, logging
    what comes back for SECS seconds after each."""
    for k in keys:
        try:
            proc.stdin.write(k)
            proc.stdin.flush()
        except OSError:
            return
        end = time.monotonic() + secs
        while time.monotonic() < end:
            if read_chunk(proc, log) == b"":
                return


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


def run_stages(cmd, stages, log_path, tap_prefix, tests, exit_grace=60,
               echo=False, timeout_keys=None, platform=None, silence=0):
    """Run CMD (QEMU), enforce STAGES [(marker regex, deadline s, what)],
    collect TAP. Returns the verdict list.
    TIMEOUT_KEYS: byte strings typed one by one on the serial console
    when a stage times out, or a platform fault shows, before QEMU is
    killed (xen-run: Xen's debug keys, so that a hang leaves the
    hypervisor's view of every vCPU in the console log).
    PLATFORM: a dict; a console line matching LOST_TIMER ends the run,
    and platform["fault"] gets that line; so does a console silent for
    SILENCE seconds (0: never), if PLATFORM is given."""
    t0 = time.monotonic()
    results = Results(tap_prefix)
    # QEMU runs in a session of its own: a SIGTERM (tests/mutate, once
    # it has its result; a user's kill) ends the run through the clean-up
    # below, which takes QEMU along, instead of leaving it running.
    signal.signal(signal.SIGTERM, _terminated)
    log = open(log_path, "wb", buffering=0)  # live, for a look during a run
    # When each result came, in seconds since its test began: where a
    # suite's time goes (make check's budget, Documentation/testing.md).
    times = open(re.sub(r"-console\.log$", "", log_path) + "-times.txt", "w")
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    pending = [(re.compile(r), d, w) for r, d, w in stages]
    buf = b""
    error = None
    tail = []
    done_at = None
    begun = {}
    heard = time.monotonic()

    def handle(line):
        nonlocal error
        text = line.decode("utf-8", "replace").rstrip("\r")
        tail.append(text)
        del tail[:-60]
        if echo:
            print(text, file=sys.stderr)
        while pending and pending[0][0].search(text):
            _, _, what = pending.pop(0)
            print("# %6.1fs %s" % (time.monotonic() - t0, what), file=sys.stderr)
        # Each test's run time, for balancing the suites of make check.
        m = MARK_RE.search(text)
        if m:
            now = time.monotonic()
            if m.group(1) == "BEGIN":
                begun[m.group(2)] = now
            elif m.group(2) in begun:
                print("# %6.1fs %s took %.1fs" % (now - t0, m.group(2),
                                                 now - begun.pop(m.group(2))),
                      file=sys.stderr)
        m = TAP_RE.search(text)
        if m:
            results.feed(m.group(1), m.group(2))
            if re.match(r"(not )?ok ", m.group(2)):
                start = begun.get(m.group(1), t0)
                times.write("%7.1f %s: %s\n" % (time.monotonic() - start,
                                               m.group(1), m.group(2)))
                times.flush()
        for f in FATAL:
            if f.search(text) and error is None:
                error = "fatal console line: " + text.strip()
        if platform is not None and error is None and LOST_TIMER.search(text):
            platform["fault"] = text.strip()
            error = "platform fault, a guest CPU's timer never fired: " + \
                text.strip()

    try:
        while True:
            now = time.monotonic() - t0
            if error:
                if platform and timeout_keys:
                    type_keys(proc, log, timeout_keys)
                break
            if pending and now > pending[0][1]:
                error = "timed out after %.0fs waiting for: %s" % (now, pending[0][2])
                # A deadline missed by a console silent for STAGE_SLEEP
                # is the machine asleep (Xen's lost timer wake-ups): a
                # platform fault, as --silence's, caught at a boot
                # stage's shorter deadline.
                quiet = time.monotonic() - heard
                if platform is not None and silence and quiet >= STAGE_SLEEP:
                    platform["fault"] = "no console output for %.0f s when " \
                        "the deadline for '%s' passed" % (quiet, pending[0][2])
                    error = "platform fault, " + platform["fault"]
                if timeout_keys:
                    type_keys(proc, log, timeout_keys)
                break
            if not pending and done_at is None:
                done_at = now
            if done_at is not None and now > done_at + exit_grace:
                error = "QEMU did not exit %ds after the last stage" % exit_grace
                break
            chunk = read_chunk(proc, log)
            if chunk is None:
                quiet = time.monotonic() - heard
                if platform is not None and silence and quiet > silence:
                    platform["fault"] = "no console output for %.0f s" % quiet
                    error = ("platform fault, the console was silent for "
                             "%.0f s (guests report every 120 s)" % quiet)
                continue
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            # Only a whole line counts as being heard: the UART hands
            # QEMU a line a few bytes at a time, so a chunk is mostly
            # part of one.  dom0's console-watch lines say the guests are
            # silent, and do not count.
            if any(not WATCH_RE.search(l) for l in lines):
                heard = time.monotonic()
            for line in lines:
                handle(line)
        if buf:
            handle(buf)
        if error is None and pending:
            error = "QEMU exited (status %s) before: %s" % (proc.poll(), pending[0][2])
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdin.close()
        log.close()
        times.close()
    verdicts = list(results.verdicts(tests))
    if error:
        print("# harness error: " + error, file=sys.stderr)
        print("# last console lines (full log: %s):" % log_path, file=sys.stderr)
        for t in tail[-40:]:
            print("#   " + t, file=sys.stderr)
        verdicts.append((False, "%s: harness: %s" % (tap_prefix, error)))
    return verdicts


def print_tap(verdicts):
    print("1..%d" % len(verdicts))
    failed = 0
    for i, (ok, desc) in enumerate(verdicts, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
        failed += not ok
    print("%d passed, %d failed" % (len(verdicts) - failed, failed))
    sys.stdout.flush()
    return failed
