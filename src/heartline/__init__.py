"""Heartline: lead contact centers with empathy, not surveillance."""

__version__ = "0.1.0"
