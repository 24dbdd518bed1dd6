"""`make openapi`: print the OpenAPI 3.1 document the app serves (committed as openapi.json)."""

from __future__ import annotations

import json
import sys
from typing import Any


def document() -> dict[str, Any]:
    from api.http.app import create_app

    # The document depends on the routes only: no collaborator is ever called.
    app = create_app(ports=None, idempotency=None,  # type: ignore[arg-type]
                     operator_key=lambda: None)
    schema: dict[str, Any] = app.openapi_schema.to_schema()
    return schema


def main() -> None:
    json.dump(document(), sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
