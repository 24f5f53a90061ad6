"""Staff login and token refresh (JWT): ``/api/v1/auth/login``, ``/api/v1/auth/refresh``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import Body

from shared.errors import KefuError
from shared.guard import connection_ip
from shared.openapi import errors
from shared.schemas import LoginRequest, RefreshRequest, TokenPairOut
from shared.services import Services

__all__ = ["AuthController"]


def _out(pair) -> TokenPairOut:
    return TokenPairOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        token_type=pair.token_type,
        expires_in=pair.expires_in,
    )


@errors(400, 401, 403)
class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/login", status_code=200)
    async def login(
        self,
        request: Request,
        data: Annotated[LoginRequest, Body()],
        services: NamedDependency[Services],
    ) -> TokenPairOut:
        """Email and password -> a short-lived access token and a single-use refresh token.

        Attempts are limited per address, and per address and email together (``rate_login``);
        wrong passwords for an email slow its next refusals down, from anywhere, but never lock
        the account: its owner, with the right password, gets in at once."""
        address = connection_ip(request, services.settings.trust_forwarded)
        email = data.email.strip().lower()[:320]
        await services.limiter.check("login_ip", address)
        await services.limiter.check("login", f"{address}|{email}")
        claims = await services.users.authenticate(data.email, data.password)
        if claims is None:
            await services.limiter.slow_down(f"login_failed:{email}")
            raise KefuError(401, "invalid_credentials", "wrong email or password")
        return _out(services.staff_tokens.issue(claims))

    @post("/refresh", status_code=200)
    async def refresh(
        self, data: Annotated[RefreshRequest, Body()], services: NamedDependency[Services]
    ) -> TokenPairOut:
        """A new token pair; the refresh token presented is used up. The new pair carries the
        account's current role and tenant, read from the database."""
        tokens = services.staff_tokens
        return _out(await tokens.refresh(data.refresh_token, services.users.authority))
