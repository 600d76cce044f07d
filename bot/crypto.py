"""The WeCom callback envelope: signature, timestamp, AES-256-CBC, built on wechatpy's cipher.

wechatpy's own `decrypt_message` compares signatures with `!=` and does not check the
PKCS#7 padding or the layout lengths, so the checks are done here and only the cipher,
the padding encoder and the reply template come from wechatpy.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from wechatpy.crypto.base import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder

from bot.config import check_aes_key

BLOCK = 32  # WeCom pads to a multiple of 32 bytes, so pad values run 1..32


@dataclass
class CallbackError(Exception):
    """A callback that must be refused: HTTP status, a short reason, WXBizMsgCrypt code."""

    status: int
    reason: str
    code: int

    def __str__(self) -> str:
        return f"{self.status} {self.reason} ({self.code})"


def bad_request(reason: str, code: int = -40002) -> CallbackError:
    """A 400 refusal with a short reason."""
    return CallbackError(400, reason, code)


def parse_xml(data: bytes | str) -> ET.Element:
    """Parse XML with DTDs and entities refused outright (no expansion, no external fetch)."""
    raw = data.encode() if isinstance(data, str) else data
    head = raw[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in raw.upper():
        raise bad_request("xml with a DTD or entities is refused")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise bad_request("malformed xml") from exc


def sign(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """WeCom's msg_signature: sha1 over the four values sorted and joined, lowercase hex."""
    parts = sorted([token, timestamp, nonce, encrypt])
    return hashlib.sha1("".join(parts).encode()).hexdigest()


class CallbackCrypto:
    """Verifies, decrypts and encrypts WeCom callbacks for one corp and app."""

    def __init__(
        self,
        token: str,
        aes_key: str,
        corp_id: str,
        max_skew: int = 300,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.key = check_aes_key(aes_key)
        self.cipher = WeChatCipher(self.key)  # reusable: each call takes a fresh context
        self.corp_id = corp_id
        self.max_skew = max_skew
        self.clock = clock

    # -- inbound ---------------------------------------------------------------------

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """Check a GET URL-verification request and return the decrypted echostr."""
        self._check_signature(msg_signature, timestamp, nonce, echostr)
        self._check_timestamp(timestamp)
        return self.decrypt(echostr)

    def open_envelope(self, body: bytes, msg_signature: str, timestamp: str, nonce: str) -> str:
        """Check a POSTed envelope and return the inner (decrypted) XML text."""
        root = parse_xml(body)
        encrypt = (root.findtext("Encrypt") or "").strip()
        if root.tag != "xml" or not encrypt:
            raise bad_request("envelope has no Encrypt")
        self._check_signature(msg_signature, timestamp, nonce, encrypt)
        self._check_timestamp(timestamp)
        return self.decrypt(encrypt)

    def decrypt(self, encrypt: str) -> str:
        """Decrypt an Encrypt value, checking padding, layout and receiveid."""
        try:
            cipher_bytes = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise bad_request("Encrypt is not base64", -40010) from exc
        if not cipher_bytes or len(cipher_bytes) % 16:
            raise bad_request("Encrypt has a bad length", -40007)
        plain = self.cipher.decrypt(cipher_bytes)
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise bad_request("bad padding", -40007)
        content = plain[16:-pad]
        if len(content) < 4:
            raise bad_request("decrypted buffer too short", -40008)
        (length,) = struct.unpack("!I", content[:4])
        if length > len(content) - 4:
            raise bad_request("decrypted length out of range", -40008)
        receive_id = content[4 + length :]
        if not hmac.compare_digest(receive_id, self.corp_id.encode()):
            raise bad_request("wrong corp id", -40005)
        try:
            return content[4 : 4 + length].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise bad_request("message is not utf-8", -40008) from exc

    def _check_signature(self, given: str, timestamp: str, nonce: str, encrypt: str) -> None:
        expected = sign(self.token, timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected.encode(), (given or "").lower().encode()):
            raise CallbackError(403, "bad signature", -40001)

    def _check_timestamp(self, timestamp: str) -> None:
        if not timestamp.isdecimal() or len(timestamp) > 12:
            raise bad_request("bad timestamp")
        if self.max_skew and abs(self.clock() - int(timestamp)) > self.max_skew:
            raise bad_request("stale timestamp")

    # -- outbound --------------------------------------------------------------------

    def encrypt(self, text: str) -> str:
        """Encrypt a message as WeCom does: random(16) + len + msg + corp id, PKCS#7 to 32."""
        data = text.encode()
        head = secrets.token_bytes(16) + struct.pack("!I", len(data))
        plain = head + data + self.corp_id.encode()
        padded = PKCS7Encoder.encode(plain)
        return base64.b64encode(self.cipher.encrypt(padded)).decode()

    def seal(self, inner_xml: str, nonce: str | None = None, timestamp: str | None = None) -> str:
        """The encrypted, signed passive-reply envelope for an inner reply XML."""
        nonce = nonce or secrets.token_hex(8)
        timestamp = timestamp or str(int(self.clock()))
        encrypt = self.encrypt(inner_xml)
        signature = sign(self.token, timestamp, nonce, encrypt)
        return (
            f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt>"
            f"<MsgSignature><![CDATA[{signature}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
        )
