"""Authentication: visitor tokens now; staff JWTs and API keys build on the same signer."""
