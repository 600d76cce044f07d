"""Coverage-guided fuzzing (atheris) of the callback's parsing: the envelope, the decryption
with its padding and layout checks, and the inner message parser. Any exception other than
CallbackError (which the webhook turns into 400/403) is a bug.

    .venv/bin/pip install atheris==3.0.0
    .venv/bin/python fuzz/atheris_envelope.py -atheris_runs=100000
"""

from __future__ import annotations

import base64
import sys
import time

import atheris

with atheris.instrument_imports():
    from bot.crypto import CallbackCrypto, CallbackError, sign
    from bot.inbound import parse_inbound

TOKEN = "fuzz-token"
AES_KEY = base64.b64encode(b"pioneer-fuzz-key-32-bytes-long!!").decode()[:43]
CRYPTO = CallbackCrypto(TOKEN, AES_KEY, "wwfuzzcorp", max_skew=0)


def one_input(data: bytes) -> None:
    """Feed one input through the paths an attacker controls."""
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    timestamp, nonce = str(int(time.time())), "n"
    try:
        if mode == 0:  # any body, signature checked against its Encrypt
            text = payload.decode("utf-8", "replace")
            body = f"<xml><Encrypt><![CDATA[{text}]]></Encrypt></xml>".encode()
            CRYPTO.open_envelope(body, sign(TOKEN, timestamp, nonce, text), timestamp, nonce)
        elif mode == 1:  # correctly signed ciphertext of any bytes: padding and layout checks
            encrypt = base64.b64encode(payload).decode()
            body = f"<xml><Encrypt>{encrypt}</Encrypt></xml>".encode()
            CRYPTO.open_envelope(body, sign(TOKEN, timestamp, nonce, encrypt), timestamp, nonce)
        else:  # any inner XML, correctly sealed
            parse_inbound(CRYPTO.decrypt(CRYPTO.encrypt(payload.decode("utf-8", "replace"))))
    except CallbackError:
        pass


def main() -> None:
    """Run atheris over one_input."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
