"""Insights: KPIs, scorecards and the pre-aggregates they read."""
