"""The command-line skin: parse, call the core, render."""
