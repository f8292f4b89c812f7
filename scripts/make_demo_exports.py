"""Write the demo's helpdesk exports into resources/demo/: the entry point docs name.

The generator lives in the demo_exports package beside this file (see its docstring). Run:
.venv/bin/python scripts/make_demo_exports.py, or .venv/bin/python -m scripts.demo_exports.
"""

from __future__ import annotations

if __package__:  # imported as scripts.make_demo_exports
    from .demo_exports import main
else:  # run as a file: this folder is first on sys.path
    from demo_exports import main

if __name__ == "__main__":
    main()
