"""The store: where things live, private atomic files, YAML, notes, drafts, the index."""
