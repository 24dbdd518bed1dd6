"""The judicial phase: the routes to a title (assessment), the proceedings on a route, the
evidence dossier, the hand-offs and the insolvency watch. Every fee, ceiling and deadline the
law changes is a dated parameter with its source (domain.judicial.parameters)."""
