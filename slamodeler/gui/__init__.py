"""The desktop application (PySide6 + pyqtgraph): the only package that imports Qt.

Every action is a thin wrapper over ``slamodeler.services`` (or a pure engine call): the GUI
shows and edits, the services decide (docs/design.md, Layers).
"""
