"""Exports: notes and checklists as Markdown, JSON, YAML, CSV; JSON shapes."""
