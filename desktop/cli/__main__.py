"""`python -m desktop.cli` is the `savedesk` command."""

from desktop.cli import main

main()
