"""The exposure workbook (docs/workbook.md): an .xlsx a negotiator can hand over and still edit.

Sheets: Summary, Terms, Replay, Incidents, Exposure, Profitability, Assumptions, one module each
(``*_sheet.py``), assembled by :mod:`.builder`. Terms is the input table; the Replay sheet's credit
percentage, amounts and caps are Excel formulas over Terms that follow docs/measurement.md to the
cent, so editing a band, a fee or a cap recalculates them. Measured minutes and simulated
statistics are values: a spreadsheet cannot re-measure incidents or re-run a simulation.

The Incidents sheet can have hundreds of thousands of rows. openpyxl writes about 120,000 cells
a second, so its rows are streamed as sheet XML straight into the package (see :mod:`.streams`
and :func:`slamodeler.io.workbook.cells.stream_rows`); everything else is plain openpyxl.
"""

from slamodeler.io.workbook.content import WorkbookContent, WorkbookReport
from slamodeler.io.workbook.trial_statistics import convergence, histogram
from slamodeler.io.workbook.writer import check_workbook_path, write_workbook

__all__ = [
    "WorkbookContent",
    "WorkbookReport",
    "check_workbook_path",
    "convergence",
    "histogram",
    "write_workbook",
]
