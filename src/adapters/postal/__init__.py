"""Postal providers (domain.ports.letters.PostalProvider): a fake for `make run` and the
tests, and Merci Facteur (API 1.2) for paper letters."""
