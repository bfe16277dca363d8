"""The replay viewer: sign-in, the sessions list and the session page, served by the collector."""
