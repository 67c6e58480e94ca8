"""Session workspace tabs; every module here registers one tab (see ui.session.registry)."""
