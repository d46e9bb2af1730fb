"""The exposure charts and their axes, and the live re-pricing under the penalty curve."""
