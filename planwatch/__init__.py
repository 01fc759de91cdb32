"""planwatch: monitoring and evaluation of county Women's and Children's Development Plans."""

__version__ = "0.1.0"
