"""The command line: the services, headless, for batch runs, CI and scripting."""
