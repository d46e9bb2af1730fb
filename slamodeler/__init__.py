"""SLA Modeler: write, replay and price service-level agreements."""

__version__ = "0.1.0"
APP_NAME = "SLA Modeler"  # per-user folders (data, logs, settings) and the window title
