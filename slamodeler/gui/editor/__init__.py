"""The contract editor: the document being edited with its undo stack, the penalty curve, the
tables and the pages of terms."""
