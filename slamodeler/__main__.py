"""Allow ``python -m slamodeler``; an absolute import so a frozen build finds it too."""

from slamodeler.launcher import main

raise SystemExit(main())
