"""The only way a letter reaches outside its HTML: the package's own assets.

WeasyPrint fetches whatever a document names (images, stylesheets, fonts, over http, file
or data). Letters carry debtor-supplied text; it is autoescaped, so it never becomes a
tag or a `url()`, but a renderer running in the worker's network and IAM role must not be
one template bug away from fetching `http://169.254.169.254/` or reading `/etc/passwd`. So
every fetch goes through here, and anything that is not a file under `assets/` stops the
rendering (a letter missing its font is a bug to see, not a warning to log).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS = (Path(__file__).parent / "assets").resolve()
SCHEME = "relance-asset"
# Images a render makes for its own letter (the QR code), served from memory by name.
GENERATED_SCHEME = "relance-generated"

_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".css": "text/css", ".svg": "image/svg+xml",
          ".png": "image/png"}


class AssetRefused(ValueError):
    """A fetch of anything that is not one of the package's assets."""


def asset_url(relative: str) -> str:
    """How templates and CSS name an asset: `relance-asset:fonts/x.ttf`."""
    return f"{SCHEME}:{relative}"


def asset_path(url: str) -> Path:
    """The file an allowed URL names.

    Raises
    ------
    AssetRefused
        Another scheme (http, https, ftp, data...), a file outside `assets/` (also through
        `..` or a symbolic link), or no such file.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == SCHEME:
        relative = unquote(parts.path)
    elif scheme == "file" and parts.netloc in ("", "localhost"):
        relative = unquote(parts.path)
    else:
        raise AssetRefused(f"refused to fetch a {scheme or 'relative'} URL")
    path = (ASSETS / relative.lstrip("/")) if scheme == SCHEME else Path(relative)
    resolved = path.resolve()
    if not resolved.is_relative_to(ASSETS) or not resolved.is_file():
        raise AssetRefused("refused to fetch a file that is not a letter asset")
    return resolved


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher serving `assets/` only; any other fetch stops the render.

    The refusal message names the scheme, never the URL: a URL built from a debtor's name
    would carry personal data into the log."""

    def __init__(self, generated: Mapping[str, bytes] | None = None) -> None:
        super().__init__(allowed_protocols=(SCHEME, GENERATED_SCHEME, "file"),
                         allow_redirects=False, fail_on_errors=True)
        self._generated = dict(generated or {})

    def with_generated(self, images: Mapping[str, bytes]) -> AssetFetcher:
        """A fetcher for one render that also serves `images` (PNG, by their exact
        `relance-generated:` URL): what the renderer made, never a name from the letter's
        text (a debtor writing that URL gets the escaped text, or at most this letter's own
        QR code)."""
        return AssetFetcher({**self._generated, **images})

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith(f"{GENERATED_SCHEME}:"):
            if url not in self._generated:
                raise AssetRefused("refused to fetch an image this render did not make")
            return URLFetcherResponse(url, self._generated[url], {"Content-Type": "image/png"})
        path = asset_path(url)
        content_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": content_type or "application/octet-stream"})
