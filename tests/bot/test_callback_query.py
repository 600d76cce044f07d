"""Does the callback read its query parameters exactly as urllib's parse_qsl would?"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from bot.crypto import CallbackError
from bot.webhook import QUERY, _query

QUERIES = [
    "msg_signature=5d41402abc4b2a76b9719d911017c592&timestamp=1733550000&nonce=1372623149",
    "msg_signature=a%2Fb%3D&timestamp=17+33&nonce=%E4%B8%AD%E6%96%87",  # decoded like parse_qsl
    "nonce=first&msg_signature=s&timestamp=1&nonce=last",  # the last of a repeated name wins
    "&&msg_signature=s&&timestamp=1&nonce=n&",  # empty pairs skipped
    "msg_signature=s;timestamp=1&timestamp=2&nonce=%ZZ",  # ';' is no separator; bad % kept
    "msg_signature=s=t&timestamp=1&nonce=n",  # only the first '=' splits
    "msg_signature=s&timestamp=1&nonce=+",  # a '+' is a space, which is not empty
    "msg_signature=s&timestamp&nonce=n",  # a name without '=' is blank: missing
    "msg_signature=s&timestamp=&nonce=n",  # blank: missing
    "msg_signature=s&nonce=n",  # absent: missing
    "",
]


@pytest.mark.parametrize("query", QUERIES)
def test_query_read_as_parse_qsl_reads_it(query: str):
    """Are the three values those of dict(parse_qsl(...)), and a missing or blank one 400?"""
    given = dict(parse_qsl(query, keep_blank_values=True))
    expected = [given.get(name, "") for name in QUERY]
    if all(expected):
        assert _query({"QUERY_STRING": query}, *QUERY) == expected
    else:
        with pytest.raises(CallbackError) as refused:
            _query({"QUERY_STRING": query}, *QUERY)
        assert refused.value.status == 400
        assert all(name in refused.value.reason for name, value in zip(QUERY, expected,
                                                                        strict=True) if not value)
