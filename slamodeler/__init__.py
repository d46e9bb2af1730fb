"""SLA Modeler: write, replay and price service-level agreements."""

__version__ = "0.1.0"
