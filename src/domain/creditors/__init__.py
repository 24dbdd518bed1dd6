"""Creditors (créanciers): the tenants and their API keys."""
