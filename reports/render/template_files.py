"""Finding template files: the user's ``--templates`` folders first, then the bundled ones.

Every template file csreports reads (Jinja templates for PDFs and emails,
PPTX masters) is looked up here, and only a file whose *real* path lies
inside the folder it was found in is read. A symlink in a user's template
folder that points elsewhere (``leak.txt -> /etc/passwd``) is refused with a
:class:`TemplateOutsideFolder` error rather than followed, so a template can
never pull an arbitrary file into a document. Symlinks that stay inside the
folder work as usual.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from reports.errors import TemplateOutsideFolder
from reports.resources import bundled_templates_dir


def template_folders(template_dirs: Sequence[Path | str] = ()) -> tuple[Path, ...]:
    """The user's folders in order, then the bundled templates folder."""
    return (*(Path(d) for d in template_dirs), bundled_templates_dir())


def _inside(path: str, folder: str) -> bool:
    real_folder = os.path.realpath(folder)
    real_path = os.path.realpath(path)
    return os.path.commonpath([real_folder, real_path]) == real_folder


def _refusal(name: str, folder: str | Path) -> TemplateOutsideFolder:
    return TemplateOutsideFolder(
        f"template {name!r} in {folder} resolves to a file outside that folder "
        "(a symlink?); only files inside the template folders are read"
    )


def find_template_file(names: str | Sequence[str], template_dirs: Sequence[Path | str] = ()) -> Path | None:
    """The first of ``names`` (most specific first) in the user folders, then the bundled one.

    Folders are searched in order, and within a folder the names in order.
    Returns the file's real path, or None when no folder has any of the
    names. Raises :class:`TemplateOutsideFolder` for a name that exists but
    resolves outside its folder.
    """
    if isinstance(names, str):
        names = [names]
    for folder in template_folders(template_dirs):
        for name in names:
            candidate = os.path.join(folder, *split_template_path(name))
            if not os.path.isfile(candidate):
                continue
            if not _inside(candidate, str(folder)):
                raise _refusal(name, folder)
            return Path(os.path.realpath(candidate))
    return None


class ConfinedFileSystemLoader(jinja2.FileSystemLoader):
    """A :class:`jinja2.FileSystemLoader` that reads only files really inside its folders.

    Same search order and caching as the Jinja loader; a template (or an
    ``{% include %}``) whose real path leaves the folder it was found in
    raises :class:`TemplateOutsideFolder` instead of being read.
    """

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if not os.path.isfile(filename):
                continue
            if not _inside(filename, folder):
                raise _refusal(template, folder)
            real = os.path.realpath(filename)
            with open(real, encoding=self.encoding) as handle:
                contents = handle.read()
            mtime = os.path.getmtime(real)

            def uptodate(
                real: str = real, mtime: float = mtime, filename: str = filename, folder: str = folder
            ) -> bool:
                try:
                    return os.path.getmtime(real) == mtime and _inside(filename, folder)
                except OSError:
                    return False

            return contents, os.path.normpath(filename), uptodate
        folders = ", ".join(map(str, self.searchpath))
        raise jinja2.TemplateNotFound(template, f"{template!r} not found in {folders}")
