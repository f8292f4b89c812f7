"""`python -m scripts.demo_exports`: write the demo exports into resources/demo/."""

from __future__ import annotations

from . import main

main()
