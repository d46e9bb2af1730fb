"""Files in and out: contract files, incident exports, reports."""
