"""Fill in deploy/nginx/pioneer.conf.template and print the nginx site file (for sites-available/).

    python3 deploy/render_nginx.py --domain pioneer.example.org > pioneer.conf

Each ${PIONEER_*} name comes from its option, else the environment, else the default of a host
install (/srv/pioneer, certbot's certificate paths). Only those names are replaced, as the
official nginx image's templating does; a name left unfilled stops with its name.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "pioneer.conf.template"
NAME = re.compile(r"\$\{(PIONEER_[A-Z_]+)\}")
DEFAULTS = {
    "PIONEER_HTTP_PORT": "80",
    "PIONEER_HTTPS_PORT": "443",
    "PIONEER_UPSTREAM": "127.0.0.1:8000",
    "PIONEER_STATIC": "/srv/pioneer/console/static",
    "PIONEER_MEDIA": "/srv/pioneer/instance/media",
}


def render(values: Mapping[str, str], template: Path = TEMPLATE) -> str:
    """The template with every ${PIONEER_*} name replaced; ValueError names a missing one."""
    text = template.read_text(encoding="utf-8")
    missing = sorted({name for name in NAME.findall(text) if not values.get(name)})
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    return NAME.sub(lambda match: values[match.group(1)], text)


def values_for(domain: str | None, environ: Mapping[str, str]) -> dict[str, str]:
    """Defaults, then the environment's PIONEER_* values, then the domain and its certificate."""
    values = {**DEFAULTS, **{k: v for k, v in environ.items() if k.startswith("PIONEER_")}}
    if domain:
        values["PIONEER_DOMAIN"] = domain
    name = values.get("PIONEER_DOMAIN")
    if name:
        values.setdefault("PIONEER_TLS_CERT", f"/etc/letsencrypt/live/{name}/fullchain.pem")
        values.setdefault("PIONEER_TLS_KEY", f"/etc/letsencrypt/live/{name}/privkey.pem")
    return values


def main(argv: list[str] | None = None) -> int:
    """Print the site file; exit 2 with one line when a value is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", help="the app's domain (PIONEER_DOMAIN), as in PUBLIC_URL")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(values_for(args.domain, os.environ)))
    except ValueError as exc:
        print(f"render_nginx: {exc} (give --domain or set it in the environment)",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
