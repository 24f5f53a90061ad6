"""Mask email addresses and phone numbers before text reaches the model or a log line.

A tenant turns it on with ``redact_pii``. What is stored and shown to the tenant's own agents
stays as the visitor wrote it; what leaves for the model (possibly a third-party server) and
what is written to logs does not carry the personal data.
"""

from __future__ import annotations

import re

__all__ = ["redact", "EMAIL_MASK", "PHONE_MASK"]

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# International (+86 138 0013 8000, +1 (415) 555-0100), national with separators
# ((415) 555-0100, 020-12345678) and mainland mobiles (13800138000). A bare long number
# without separators is masked only when it looks like a mobile number: order numbers
# ("order 12345678") must still reach the order-status plugin.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:"
    r"\+\d{1,3}[\s\-.]?(?:\(\d{1,4}\)[\s\-.]?)?\d{1,4}(?:[\s\-.]?\d{2,4}){1,4}"
    r"|\(\d{2,4}\)[\s\-.]?\d{3,4}[\s\-.]?\d{3,4}"
    r"|\d{3,4}[\-.\s]\d{3,4}[\-.\s]\d{4}"
    r"|0\d{2,3}-\d{7,8}"
    r"|1[3-9]\d{9}"
    r")(?![0-9A-Za-z])"
)


def redact(text: str, email_mask: str = EMAIL_MASK, phone_mask: str = PHONE_MASK) -> str:
    """``text`` with emails and phone numbers replaced by placeholders."""
    if "@" in text:
        text = _EMAIL.sub(email_mask, text)
    return _PHONE.sub(phone_mask, text)
