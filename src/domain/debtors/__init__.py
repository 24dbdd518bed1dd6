"""Debtors (débiteurs), their contact points and the rules that validate them."""
