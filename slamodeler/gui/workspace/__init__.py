"""The workspace in the window: the browser, importing incidents, stored runs, recent
workspaces, and the reason asked when a version is saved or approved."""
