"""Which views take files: an explicit opt-in.

Public forms refuse file parts (a multipart body posted to a form that asks for no file is
a forgery or a mistake). A view that does take a file says so with `@accepts_files`, and the
check that refuses file parts elsewhere (iness.abuse) asks `takes_files(view)`:

    @accepts_files
    def upload_slides(request, ...):
        ...

The uploaded file itself is still checked by the view's service (by content, never by name,
with a size limit of its own: Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files).
"""

from collections.abc import Callable

ATTRIBUTE = "iness_accepts_files"


def accepts_files(view: Callable) -> Callable:
    setattr(view, ATTRIBUTE, True)
    return view


def takes_files(view: Callable) -> bool:
    return bool(getattr(view, ATTRIBUTE, False))
