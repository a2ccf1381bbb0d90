"""The previous site's files linked into another folder: what a staged rebuild keeps unchanged.

A rebuild after a merge writes a few dozen files and keeps the thousands of others of site/ as
they are, as hard links in its staging folder (staging.py). Making those links is nearly all
kernel work, one folder per page (``use_directory_urls``) and one link per file: 0.5 to 2 s at
2,000 articles on a 2-core machine (the folders, most of it), a third to a half of such a build.
So a rebuild runs :func:`main` as a process of its own from its start: it links *every* file of site/ into a sibling folder while the
build loads, plans and renders on the other core, and the build then moves the few files it wrote
over their old copies there (staging.Stage.keep_unchanged). Both ways use :func:`link_tree`.

Kept small and free of the rest of the package: the process imports only this module.
"""

from __future__ import annotations

import os
import shutil
import sys


def link_tree(source: str, target: str, skip: set[str], replaced: set[str]) -> set[str]:
    """Link into ``target`` every file of ``source`` not already there, nor in ``skip``, nor in a
    folder of ``replaced`` ("pagefind/delta/"); returns the files linked, relative to ``source``.

    A link to a folder is neither followed nor kept; a link to a file is made again as the same
    link; a file system without hard links (FAT) gets copies. A folder is made only when a file
    goes in it."""
    linked: set[str] = set()
    _link_folder(source, target, "", skip, replaced, linked, staged=os.path.isdir(target), parent=True)
    return linked


def _link_folder(
    source: str, target: str, prefix: str, skip: set[str], replaced: set[str], linked: set[str], *, staged, parent
) -> None:
    """One folder of :func:`link_tree`. ``staged``: the folder exists in ``target`` (else nothing is in
    it yet, no name need be looked up there); ``parent``: its parent does (one mkdir, not a walk up)."""
    there = set(os.listdir(target)) if staged else ()
    made = staged
    folders = []
    with os.scandir(source) as entries:
        for entry in entries:
            name = entry.name
            if entry.is_dir():  # a link to a folder is neither followed nor kept (as os.walk did)
                if not entry.is_symlink() and f"{prefix}{name}/" not in replaced:
                    folders.append((entry.path, name))
                continue
            relative = prefix + name
            if relative in skip or name in there:
                continue
            if not made:  # the folder is made once, when its first file is linked (not per file)
                (os.mkdir if parent else os.makedirs)(target)
                made = True
            linked_path = os.path.join(target, name)
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), linked_path)
                continue
            try:
                os.link(entry.path, linked_path)
            except OSError:  # a file system without hard links (FAT): copy
                shutil.copy2(entry.path, linked_path)
            linked.add(relative)
    for path, name in folders:
        if name in there and not os.path.isdir(os.path.join(target, name)):
            continue  # the build wrote a file where site/ had this folder: nothing of it is kept
        _link_folder(
            path,
            os.path.join(target, name),
            f"{prefix}{name}/",
            skip,
            replaced,
            linked,
            staged=name in there,
            parent=made,
        )


def main(argv: list[str]) -> int:
    """``python -m site_builder.adapter.hardlinks SOURCE TARGET``: TARGET (new) gets a link to every
    file of SOURCE; the files linked are written to stdout, relative to SOURCE, each ended by a NUL."""
    source, target = argv
    linked = link_tree(source, target, set(), set())
    out = sys.stdout.buffer
    out.write(b"".join(os.fsencode(name) + b"\0" for name in sorted(linked)))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
