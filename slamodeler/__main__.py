"""Allow ``python -m slamodeler``; an absolute import so a frozen build finds it too."""

from slamodeler.cli.main import main

raise SystemExit(main())
