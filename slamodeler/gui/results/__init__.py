"""The views of what a contract does: replay, simulation, fit, the incident timeline, and the
workbook export of what is on view."""
