"""Batch scoring at scale on Ray: the same analysis code, the same results."""
