"""Reading an HTTP body safely: in pieces, inflated by us, refused past a byte cap."""

from __future__ import annotations

import zlib

import aiohttp

from bot.digest.ingest import MAX_FILE_BYTES, UnreadableDigest

CHUNK_BYTES = 64 * 1024  # read (and inflate) a body this much at a time
ACCEPT_ENCODING = "gzip, deflate"  # what read_body can inflate


class _Body:
    """A response body taken chunk by chunk, inflated if compressed, refused past `cap`."""

    def __init__(self, name: str, encoding: str, cap: int) -> None:
        self.name, self.encoding, self.cap = name, encoding, cap
        self.data = bytearray()
        self.raw = 0
        self._inflate: zlib._Decompress | None = None
        self._head = b""
        if encoding == "gzip":
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding not in ("identity", "deflate"):
            raise UnreadableDigest(f"{name}: unsupported Content-Encoding {encoding!r}")

    def feed(self, chunk: bytes) -> None:
        self.raw += len(chunk)
        if self.raw > self.cap:
            raise self._over()
        if self.encoding == "identity":
            self._add(chunk)
            return
        data = chunk
        if self._inflate is None:  # deflate: zlib-wrapped as HTTP says, or raw as some send
            data, self._head = self._head + data, b""
            if len(data) < 2:
                self._head = data  # the two bytes that tell them apart are not all here yet
                return
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            while data:  # never more out of one call than would still fit under the cap
                self._add(self._inflate.decompress(data, self.cap - len(self.data) + 1))
                data = self._inflate.unconsumed_tail
        except zlib.error as exc:
            raise UnreadableDigest(f"{self.name}: corrupt {self.encoding} body ({exc})") from None

    def _add(self, piece: bytes) -> None:
        if len(self.data) + len(piece) > self.cap:
            raise self._over()
        self.data += piece

    def _over(self) -> UnreadableDigest:
        what = "body" if self.encoding == "identity" else f"{self.encoding} body once inflated"
        return UnreadableDigest(
            f"{self.name}: {what} is over the {self.cap} byte cap (stopped reading)"
        )

    def finish(self) -> bytes:
        if self.encoding != "identity" and (self._inflate is None or not self._inflate.eof):
            raise UnreadableDigest(f"{self.name}: {self.encoding} body ends early")
        return bytes(self.data)


async def read_body(resp: aiohttp.ClientResponse, name: str, cap: int = MAX_FILE_BYTES) -> bytes:
    """The body of `resp` (asked for without aiohttp's own decompression), inflated; raises
    UnreadableDigest as soon as more than `cap` bytes arrived or would come out of inflating,
    so neither a huge body nor a compression bomb is ever held in memory."""
    encoding = resp.headers.get(aiohttp.hdrs.CONTENT_ENCODING, "identity").strip().lower()
    body = _Body(name, encoding or "identity", cap)
    if resp.content_length is not None and resp.content_length > cap:
        raise UnreadableDigest(f"{name}: {resp.content_length} bytes is over the {cap} byte cap")
    async for chunk in resp.content.iter_chunked(CHUNK_BYTES):
        body.feed(chunk)
    return body.finish()
