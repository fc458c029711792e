"""smartspec: smart specialisation (S3) analysis and strategy platform."""

__version__ = "0.1.0"
