"""Letters rendered to PDF (WeasyPrint, Jinja2, segno): the letter worker's adapter only.
The HTTP function never imports this package (WeasyPrint's cold start, domain.ports.letters).
"""
