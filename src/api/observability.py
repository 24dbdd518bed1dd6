"""Powertools Logger and Metrics, shared by the entry points.

No personal data reaches a log line: we log ids, routes, status codes and exception types,
never request bodies, names, addresses, phones, e-mails or IBANs.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="relance")
metrics = Metrics(namespace="Relance", service="relance")
