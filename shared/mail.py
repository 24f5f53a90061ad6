"""Email to visitors who left their address: an agent's reply reaches them when they are no
longer on the page. Sent with aiosmtplib to ``KEFU_SMTP_URL`` (``smtp://user:pass@host:587`` with
STARTTLS when the server offers it, ``smtps://…:465`` for TLS from the start); empty: no email."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

__all__ = ["Mailer"]

log = logging.getLogger("kefu.mail")


class Mailer:
    def __init__(self, smtp_url: str, sender: str, *, timeout_s: float = 15.0) -> None:
        self._url = urlsplit(smtp_url) if smtp_url else None
        self._sender = sender
        self._timeout_s = timeout_s

    @property
    def enabled(self) -> bool:
        return self._url is not None

    async def send(self, to: str, subject: str, body: str, *, reply_to: str = "") -> bool:
        """Send one plain-text email; False (logged) when it could not be sent."""
        if self._url is None:
            return False
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, to, subject
        if reply_to:
            message["Reply-To"] = reply_to
        message.set_content(body)
        url = self._url
        try:
            await aiosmtplib.send(
                message,
                hostname=url.hostname or "localhost",
                port=url.port or (465 if url.scheme == "smtps" else 25),
                username=unquote(url.username) if url.username else None,
                password=unquote(url.password) if url.password else None,
                use_tls=url.scheme == "smtps",
                start_tls=None if url.scheme == "smtp" else False,  # None: if offered
                timeout=self._timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.warning("could not email a reply to a visitor: %s", exc)
            return False
        return True
