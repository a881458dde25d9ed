"""What no public form takes, refused before a view (or the CSRF check) reads the body.

`RequestBodyMiddleware` (settings.MIDDLEWARE, before CsrfViewMiddleware, which reads the posted
form) answers 400, and stores nothing, for:

- **file parts** in a multipart body, unless the view opted in with `@accepts_files`: the
  parts are refused as the parser meets them (`RefuseFileParts`, an upload handler placed
  first), before any handler writes a byte of them to memory or disk. Staff in the admin
  may send files (the admin is theirs, after sign-in); anyone else's file part to an admin
  address is refused too, as CSRF reads the body before the admin checks who is asking;
- **undecodable bytes**: a posted form whose names or values are not valid in its encoding
  (UTF-8 unless the request says otherwise) would otherwise be stored with "�" in place of
  each byte (Django decodes leniently). The whole body is checked, so where no file may come
  it is read into memory first, which DATA_UPLOAD_MAX_MEMORY_SIZE bounds (a larger body gets
  its 400 there).

Opting a view in to files (e.g. a speaker's slides on their private page)::

    from iness.middleware import accepts_files

    @accepts_files
    @private_page
    def slides(request, *, proposal, token): ...

The view then gets request.FILES as Django's upload handlers give it: its form must check
the files' size and type itself. Its posted text is still decoded leniently by Django.
"""

import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from .errors import bad_request

logger = logging.getLogger(__name__)

_ACCEPTS_FILES = "accepts_files"


def accepts_files(view):
    """Mark a view as one that takes file parts (outermost or under `functools.wraps`-based
    decorators, which carry the mark up)."""
    setattr(view, _ACCEPTS_FILES, True)
    return view


class FilePartRefused(MultiPartParserError):
    """A file part posted to a view that takes none: Django answers 400."""


class RefuseFileParts(FileUploadHandler):
    """First upload handler of a request whose view takes no file: stops at the first file
    part, before the handlers after it (memory, temporary file) receive any of its data."""

    def new_file(self, *args, **kwargs):
        raise FilePartRefused("File parts are not accepted here.")

    def receive_data_chunk(self, raw_data, start):  # never reached: new_file refused
        return None

    def file_complete(self, file_size):
        return None


def _takes_files(request: HttpRequest, view) -> bool:
    if getattr(view, _ACCEPTS_FILES, False):
        return True
    match = request.resolver_match
    in_admin = match is not None and "admin" in match.namespaces
    user = getattr(request, "user", None)
    return in_admin and user is not None and user.is_active and user.is_staff


class RequestBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST":
            return None
        content_type = request.content_type or ""
        is_form = content_type == "application/x-www-form-urlencoded"
        is_multipart = content_type == "multipart/form-data"
        if not (is_form or is_multipart):
            return None
        if is_multipart and _takes_files(request, view):
            return None
        if is_multipart:
            request.upload_handlers.insert(0, RefuseFileParts(request))
        encoding = request.encoding or settings.DEFAULT_CHARSET
        # Reading the body first bounds it (RequestDataTooBig, a 400) before anything parses it.
        if not _decodes(request.body, encoding, urlencoded=is_form):
            logger.info("Undecodable bytes posted to %s: answered 400", request.path)
            return bad_request(request)
        return None


def _decodes(body: bytes, encoding: str, *, urlencoded: bool) -> bool:
    # `encoding` is one Python knows: Django ignores a charset it cannot look up.
    try:
        if not urlencoded:
            # Headers are ASCII, and with no file part every value is text in the encoding.
            body.decode(encoding)
            return True
        for pair in body.split(b"&"):
            for part in pair.split(b"=", 1):
                unquote_to_bytes(part.replace(b"+", b" ")).decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
