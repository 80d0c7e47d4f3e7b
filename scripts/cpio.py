# SPDX-License-Identifier: GPL-2.0-only
"""Minimal writer for Linux initramfs archives (cpio "newc").

Entries are collected in memory-light form (paths, not contents) and
written in a deterministic order with uid/gid 0, so the same inputs give
the same archive and no root privileges are needed to build it.
"""

import os
import stat


class Archive:
    def __init__(self):
        self.entries = {}  # name -> (mode, source path | bytes | None, link)

    def _parents(self, name):
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d and d not in self.entries:
                self.entries[d] = (stat.S_IFDIR | 0o755, None, None)

    def dir(self, name, mode=0o755):
        name = name.strip("/")
        self._parents(name)
        self.entries[name] = (stat.S_IFDIR | mode, None, None)

    def file(self, name, src, mode=None):
        """Add file NAME with the contents of host file SRC (follows links)."""
        name = name.strip("/")
        if mode is None:
            mode = os.stat(src).st_mode & 0o777
        self._parents(name)
        self.entries[name] = (stat.S_IFREG | mode, src, None)

    def data(self, name, content, mode=0o644):
        name = name.strip("/")
        if isinstance(content, str):
            content = content.encode()
        self._parents(name)
        self.entries[name] = (stat.S_IFREG | mode, content, None)

    def symlink(self, name, target):
        name = name.strip("/")
        self._parents(name)
        self.entries[name] = (stat.S_IFLNK | 0o777, None, target)

    def has(self, name):
        return name.strip("/") in self.entries

    def write(self, out_path):
        ino = 1
        with open(out_path + ".tmp", "wb") as out:
            for name in sorted(self.entries):
                mode, src, link = self.entries[name]
                if link is not None:
                    body = link.encode()
                elif isinstance(src, bytes):
                    body = src
                elif src is not None:
                    with open(src, "rb") as f:
                        body = f.read()
                else:
                    body = b""
                _header(out, name, mode, len(body), ino)
                out.write(body)
                _pad(out)
                ino += 1
            _header(out, "TRAILER!!!", 0, 0, 0)
            _pad(out, 512)
        os.replace(out_path + ".tmp", out_path)


def _header(out, name, mode, size, ino):
    nameb = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(nameb), 0]
    out.write(b"070701" + b"".join(b"%08X" % f for f in fields))
    out.write(nameb)
    _pad(out)


def _pad(out, align=4):
    pos = out.tell()
    if pos % align:
        out.write(b"\0" * (align - pos % align))
